"""Meta-arguments checked as Terraform checks them: depends_on and provider.

(count and for_each are pangea.language.iteration's.) Values that Terraform would refuse at
plan are errors here, with the fix. References that may name something declared later in the
template (``depends_on`` addresses, provider aliases) are checked when the template is finished.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from typing import Any

from pangea.errors import ValidationError, user_location
from pangea.expr import ResourceRef
from pangea.struct import short_repr
from pangea.lazy_re import lazy_compile

# depends_on entries Terraform takes: a whole resource, data source or module call, optionally
# one instance of it (`aws_x.a`, `aws_x.a[0]`, `data.aws_y.b`, `module.m`), or a variable or
# local (`var.x`, `local.y`); never an attribute of a resource.
_DEPENDENCY = lazy_compile(
    r"(?:(?P<data>data)\.)?(?P<type>[A-Za-z_][A-Za-z0-9_-]*)\.(?P<name>[A-Za-z_][A-Za-z0-9_-]*)"
    r"(?:\[(?:\d+|\"[^\"]*\")\])?"
)
_PROVIDER = lazy_compile(r"(?P<name>[a-z][a-z0-9_-]*)(?:\.(?P<alias>[A-Za-z_][A-Za-z0-9_-]*))?")
# Roots Terraform resolves itself; a depends_on naming them is left to it.
_OTHER_ROOTS = frozenset({"path", "terraform", "count", "each", "self"})


def _fail(ctx: Any, address: str, path: str, message: str, hint: str | None = None,
          where: tuple[str | None, int | None] | None = None) -> ValidationError:
    if where is None:
        return ValidationError(address, [(path, message + (f"; {hint}" if hint else ""))],
                               template=ctx.name)
    file, line = where
    return ValidationError(address, [(path, message + (f"; {hint}" if hint else ""))],
                           template=ctx.name, file=file or ctx.file, line=line, locate=False)


def dependency(ctx: Any, address: str, dep: Any) -> str:
    """One ``depends_on`` entry; a string address is checked when the template is finished."""
    if isinstance(dep, ResourceRef):
        ctx.json_value(dep, address, "depends_on")  # ownership check
        return dep._address
    if isinstance(dep, str) and _DEPENDENCY.fullmatch(dep):
        where = user_location()
        ctx.finish_checks.append(lambda c: _check_dependency(c, address, dep, where))
        return dep
    raise _fail(ctx, address, "depends_on",
                "must list resources (references returned by resource functions) or their "
                f"addresses such as 'aws_s3_bucket.logs' (got {short_repr(dep)})",
                "a reference to an attribute (x.id) is not a whole resource: pass x itself")


def _check_dependency(ctx: Any, address: str, dep: str,
                      where: tuple[str | None, int | None]) -> None:
    match = _DEPENDENCY.fullmatch(dep)
    assert match is not None
    kind, name = match.group("type"), match.group("name")
    if match.group("data"):
        declared = name in ctx.data.get(kind, {})
    elif kind == "module":
        declared = name in ctx.sections.get("module", {})
    elif kind == "var":
        declared = name in ctx.variables
    elif kind == "local":
        declared = name in ctx.locals
    elif kind in _OTHER_ROOTS:
        return  # left to Terraform
    else:
        declared = name in ctx.resources.get(kind, {})
    if not declared:
        raise _fail(ctx, address, "depends_on",
                    f"{dep!r} is not declared in template {ctx.name!r}",
                    "name a resource, data source or module this template declares "
                    "(or pass the reference its function returned)", where)


def provider_address(ctx: Any, address: str, type_name: str | None, provider: Any) -> str:
    """``provider``: ``name`` or ``name.alias``, of the resource's own provider when
    ``type_name`` is given; the alias must be configured in this template (checked when the
    template is finished)."""
    from pangea.template import ProviderRef

    if isinstance(provider, ProviderRef):
        text = provider.address
    elif isinstance(provider, str) and _PROVIDER.fullmatch(provider):
        text = provider
    else:
        raise _fail(ctx, address, "provider",
                    "must be the value returned by provider(...) or '<provider>.<alias>' "
                    f"(got {short_repr(provider)})")
    match = _PROVIDER.fullmatch(text)
    assert match is not None
    name, alias = match.group("name"), match.group("alias")
    own = type_name.split("_", 1)[0] if type_name else name
    if name != own:
        raise _fail(ctx, address, "provider",
                    f"{text!r} configures the {name} provider, but {type_name} belongs to the "
                    f"{own} provider", f"use provider('{own}', alias=...) for it")
    if alias is not None:
        where = user_location()
        ctx.finish_checks.append(lambda c: _check_alias(c, address, name, alias, text, where))
    return text


def _check_alias(ctx: Any, address: str, name: str, alias: str, text: str,
                 where: tuple[str | None, int | None]) -> None:
    configs = ctx.providers.get(name, [])
    if isinstance(configs, dict):
        configs = [configs]
    aliases = sorted(c.get("alias") for c in configs if isinstance(c, dict) and c.get("alias"))
    if alias not in aliases:
        known = ", ".join(f"{name}.{a}" for a in aliases) or "none"
        raise _fail(ctx, address, "provider",
                    f"{text!r} is not configured in template {ctx.name!r} (aliases: {known})",
                    f'declare it with provider("{name}", alias="{alias}", ...)', where)


__all__ = ["dependency", "provider_address"]
