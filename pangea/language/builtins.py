"""Terraform's built-in ``terraform_data`` resource and ``terraform_remote_state`` data
source for any backend."""

from __future__ import annotations

from typing import Any

from pangea.context import check_name, current
from pangea.errors import TemplateError, ValidationError
from pangea.expr import AnyRef, Attr, ResourceRef, StrRef
from pangea.declare import TypeSpec, declare
from pangea.struct import StructModel, short_repr
from pangea.template import RemoteOutputs
from pangea.types import ANY, F
from pangea.language.versions import need

__all__ = ["TerraformDataRef", "remote_state", "terraform_data"]


class TerraformDataArgs(StructModel):
    """Arguments of terraform_data (Terraform 1.4+)."""

    _fields = {"input": F(ANY), "triggers_replace": F(ANY)}
    _types = {"input": "any value", "triggers_replace": "any value"}
    _computed_only = frozenset({"id", "output"})


class TerraformDataRef(ResourceRef):
    __slots__ = ()
    id = Attr("id", StrRef)
    input = Attr("input", AnyRef)
    output = Attr("output", AnyRef)
    triggers_replace = Attr("triggers_replace", AnyRef)


_SPEC = TypeSpec("resource", "terraform_data", TerraformDataArgs, TerraformDataRef)


def terraform_data(name: str, /, *, input: Any = None, triggers_replace: Any = None,
                   **meta: Any) -> TerraformDataRef:
    """A ``terraform_data`` resource: stores ``input`` (read back as ``.output``) and is
    replaced when ``triggers_replace`` changes. Takes the meta-arguments count, for_each,
    depends_on and lifecycle."""
    ctx = current("terraform_data()")
    unknown = sorted(set(meta) - {"count", "for_each", "depends_on", "lifecycle"})
    if unknown:
        raise ValidationError(f"terraform_data.{name}", [(
            unknown[0], "is not an argument of terraform_data; arguments are input, "
            "triggers_replace and the meta-arguments count, for_each, depends_on, lifecycle")],
            template=ctx.name)
    kwargs = {k: v for k, v in (("input", input), ("triggers_replace", triggers_replace))
              if v is not None}
    ref = declare(_SPEC, name, None, {**kwargs, **meta})
    need(ctx, "terraform_data")
    return ref  # type: ignore[return-value]


# Backends terraform_remote_state reads, and the settings each cannot do without.
_BACKENDS: dict[str, tuple[str, ...]] = {
    "local": (), "remote": ("organization", "workspaces"), "s3": ("bucket", "key"),
    "azurerm": ("container_name", "key"), "consul": ("path",), "cos": ("bucket",),
    "gcs": ("bucket",), "http": ("address",), "kubernetes": ("secret_suffix",),
    "oss": ("bucket",), "pg": ("conn_str",),
}


def remote_state(name: str, /, *, backend: str, config: dict[str, Any] | None = None,
                 workspace: Any = None, defaults: dict[str, Any] | None = None) -> RemoteOutputs:
    """Read the outputs of any Terraform state: a ``terraform_remote_state`` data source.

    ``remote_state("net", backend="s3", config={"bucket": ..., "key": ...}).vpc_id`` renders
    ``${data.terraform_remote_state.net.outputs.vpc_id}``. ``remote_outputs("template")``
    remains the shortcut for templates of the same file."""
    ctx = current("remote_state()")
    check_name("remote_state", name, ctx)
    address = f"data.terraform_remote_state.{name}"
    if name in ctx.remote_states or name in ctx.remote:
        raise TemplateError(f"{address} is declared twice", template=ctx.name,
                            hint="remote_outputs(name) and remote_state(name, ...) share the "
                            "data source name; give this one another name")
    if backend not in _BACKENDS:
        raise TemplateError(f"{address}: backend {backend!r} is not one terraform_remote_state "
                            f"reads", template=ctx.name,
                            hint=f"backends: {', '.join(sorted(_BACKENDS))}")
    settings = dict(config or {})
    if not isinstance(config, (dict, type(None))):
        raise TemplateError(f"{address}: config must be a dict of the backend's settings (got "
                            f"{short_repr(config)})", template=ctx.name)
    missing = [key for key in _BACKENDS[backend] if settings.get(key) is None]
    if missing:
        raise ValidationError(address, [(f"config.{key}", f"is required by the {backend} "
                                         "backend") for key in missing], template=ctx.name)
    body: dict[str, Any] = {"backend": backend}
    if settings:
        body["config"] = ctx.json_value(settings, address, "config")
    if workspace is not None:
        body["workspace"] = ctx.json_value(workspace, address, "workspace")
    if defaults is not None:
        if not isinstance(defaults, dict):
            raise TemplateError(f"{address}: defaults must be a dict of output name -> value",
                                template=ctx.name)
        body["defaults"] = ctx.json_value(defaults, address, "defaults")
    ctx.remote_states[name] = body
    return RemoteOutputs(f"{address}.outputs", ctx)
