"""``resource("type", "name", {...})`` and ``data(...)``: any type, including one that no
installed provider package generates.

A type that a registered package knows is declared through that package's generated function,
so it is validated exactly as a direct call would be. A type of a registered provider that the
provider's pinned schema lacks is an error (Terraform refuses it at plan). A type of a provider
that no package describes is written as given, with a warning: its arguments are not checked
and its provider is not pinned in ``required_providers``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import importlib

if TYPE_CHECKING:
    from typing import Any, cast
else:
    from pangea._typing import cast

from pangea import providers
from pangea.context import current
from pangea.errors import TemplateError, ValidationError
from pangea.expr import AnyRef, ResourceRef
from pangea.lazy_re import lazy_compile

__all__ = ["GenericRef", "data", "resource"]

_TYPE = lazy_compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")
UNCHECKED_TYPE = "unchecked-type"  # the diagnostic code of a type no package describes


class GenericRef(ResourceRef):
    """Reference to a resource or data source of a type pangea has no schema for: any
    attribute (``r.id``, ``r.anything``) and index (``r[0]`` for one instance of a counted
    resource; ``r.tags["x"]``) renders as Terraform would read it."""

    __slots__ = ()

    def __getattr__(self, name: str) -> AnyRef:
        if name.startswith("__") or name in ("_expr", "_owner", "_inputs"):
            raise AttributeError(name)
        return AnyRef(f"{self._expr}.{name}", self._owner)


def resource(type_name: str, name: str, attrs: Any = None, /, **kwargs: Any) -> Any:
    """Declare a resource of any type: ``resource("aws_vpc", "main", {"cidr_block": ...})``.

    Keywords work as for generated functions (``cidr_block=...``), and so do the
    meta-arguments (``count``, ``for_each``, ``depends_on``, ``provider``, ``lifecycle``).
    Returns the generated reference class when a package knows the type, else a
    :class:`GenericRef` (typed ``Any``: which one is known only at run time)."""
    return _declare("resource", type_name, name, attrs, kwargs)


def data(type_name: str, name: str, attrs: Any = None, /, **kwargs: Any) -> Any:
    """Declare a data source of any type: ``data("aws_availability_zones", "zones")``."""
    return _declare("data", type_name, name, attrs, kwargs)


def _declare(kind: str, type_name: Any, name: str, attrs: Any,
             kwargs: dict[str, Any]) -> ResourceRef:
    call = f"{kind}()"
    ctx = current(call)
    if not isinstance(type_name, str) or not _TYPE.fullmatch(type_name):
        # Recorded, not raised: the body runs on, so its other mistakes are found too.
        ctx.record(TemplateError(
            f"{call}: {type_name!r} is not a Terraform {_word(kind)} type name", template=ctx.name,
            hint="type names are lowercase words joined by underscores, the provider's name "
            "first, e.g. 'aws_vpc' or 'random_password'"))
        return GenericRef(f"{'data.' if kind == 'data' else ''}{type_name}.{name}", ctx, {})
    provider = providers.find_for_type(type_name)
    if provider is None:
        return _declare_unchecked(kind, type_name, name, attrs, kwargs)
    function = ("data_" if kind == "data" else "") + type_name
    schema = importlib.import_module(f"{provider.package}._schema")
    if schema.block_schema(kind, type_name) is None:
        address = f"{'data.' if kind == 'data' else ''}{type_name}.{name}"
        import difflib  # imported only when there is a mistake to explain

        close = difflib.get_close_matches(type_name, schema.type_names(kind), n=3)
        hint = (f"did you mean {', '.join(close)}? " if close else "") + (
            f"If the type is newer than {provider.source} {provider.version}, bump the pin of "
            f"{provider.package}")
        ctx.add_invalid(kind, type_name, name, ValidationError(
            address, [("", f"{provider.source} {provider.version} has no {_word(kind)} type "
                           f"{type_name!r}, so Terraform would refuse it")],
            template=ctx.name, hint=hint))
        return GenericRef(address, ctx, {})
    generated = getattr(importlib.import_module(provider.package), function)
    ref: ResourceRef = generated(name, attrs, **kwargs)
    return ref


def _declare_unchecked(kind: str, type_name: str, name: str, attrs: Any,
                       kwargs: dict[str, Any]) -> GenericRef:
    from pangea.diagnostics import warn
    from pangea.declare import TypeSpec, declare_unchecked

    provider_name = type_name.split("_", 1)[0]
    spec = TypeSpec(kind, type_name, cast("Any", None), GenericRef)  # no argument class
    ref = cast(GenericRef, declare_unchecked(spec, name, attrs, kwargs))
    warn(f"no installed provider package describes {_word(kind)} type {type_name!r}: its "
         f"arguments are not checked, and required_providers does not pin provider "
         f"{provider_name!r} (Terraform will use the newest hashicorp/{provider_name})",
         code=UNCHECKED_TYPE, address=ref._address,
         hint=f"generate a package for the provider (pangea provider add NAMESPACE/{provider_name} "
         f"--schema FILE) and import pangea_{provider_name}, so the type is checked and pinned")
    return ref


def _word(kind: str) -> str:
    return "data source" if kind == "data" else "resource"
