"""The template API: @template, output, variable, local, provider, remote_outputs."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from typing import Any, Callable, Literal, overload
else:
    from pangea._typing import overload

from pangea import providers
from pangea.context import current, name_ok
from pangea.errors import TemplateError, ValidationError
from pangea.names import allowed, identifier_problem
from pangea.struct import short_repr
from pangea.expr import (
    AnyRef,
    BoolRef,
    Expr,
    ListRef,
    MapRef,
    NumRef,
    Ref,
    SetRef,
    StrRef,
)

_MISSING: Any = object()


class Template:
    """A function whose body declares resources; it runs when the template is synthesized."""

    def __init__(self, function: Callable[[], Any], name: str) -> None:
        self.function = function
        code = function.__code__
        self.file = code.co_filename
        self.line = code.co_firstlineno
        # The name becomes a directory, a state file and an S3 key: checked before any use.
        problem = identifier_problem("template", name)
        if problem is not None:
            raise TemplateError(problem, file=self.file, line=self.line, locate=False,
                                hint=allowed("template") + "; name it with @template(\"name\")")
        self.name = name
        self.__doc__ = function.__doc__
        self.__wrapped__ = function

    def __call__(self, *, strict: bool = False) -> dict[str, Any]:
        """Synthesize this template alone and return its Terraform JSON (warnings shown as
        Python warnings, or raised as errors with ``strict``)."""
        from pangea.diagnostics import issue_python_warnings
        from pangea.synth import synthesize_templates

        result = synthesize_templates([self], file=self.file, strict=strict).templates[self.name]
        issue_python_warnings(result.diagnostics)
        return result.config

    def __repr__(self) -> str:
        return f"<pangea template {self.name!r} from {self.file}:{self.line}>"


@overload
def template(function: Callable[[], Any], /) -> Template: ...
@overload
def template(name: str | None = None, /) -> Callable[[Callable[[], Any]], Template]: ...


def template(arg: Any = None, /) -> Any:
    """Mark a function as a template: ``@template`` or ``@template("name")``."""
    if callable(arg) and not isinstance(arg, str):
        return Template(arg, arg.__name__)
    if arg is not None and not isinstance(arg, str):
        raise TemplateError(f"@template takes a name string (got {arg!r})")

    def wrap(function: Callable[[], Any]) -> Template:
        if not callable(function):
            raise TemplateError(f"@template decorates a function (got {function!r})")
        code = getattr(function, "__code__", None)
        defaults = len(getattr(function, "__defaults__", None) or ())
        if code is not None and code.co_argcount + code.co_kwonlyargcount - defaults - len(
                getattr(function, "__kwdefaults__", None) or {}) > 0:
            raise TemplateError(f"template function {function.__name__} must take no arguments")
        return Template(function, arg or function.__name__)

    return wrap


def output(name: str, value: Any, *, description: str | None = None,
           sensitive: bool = False) -> None:
    """Declare an output of the current template."""
    ctx = current("output()")
    if not name_ok("output", name, ctx, "output"):
        return  # recorded; the body runs on
    if name in ctx.outputs:
        raise TemplateError(f"output {name!r} is declared twice", template=ctx.name)
    try:
        body: dict[str, Any] = {"value": ctx.json_value(value, f"output.{name}", "value")}
    except ValidationError as exc:
        ctx.record(exc)
        return
    if description is not None:
        body["description"] = description
    if sensitive:
        body["sensitive"] = True
        ctx.sensitive_outputs.add(name)
    ctx.outputs[name] = body
    from pangea.sensitivity import check_output  # imported by the first output (import cost)

    check_output(ctx, name, body, sensitive)


_PY_TYPES = {str: "string", int: "number", float: "number", bool: "bool"}


def _type_ref(type_expr: str | None) -> type[Ref]:
    if type_expr is None:
        return AnyRef
    head = type_expr.split("(")[0].strip()
    return {"string": StrRef, "number": NumRef, "bool": BoolRef, "list": ListRef,
            "tuple": ListRef, "set": SetRef, "map": MapRef}.get(head, AnyRef)


# Type checkers see the reference that matches a declared "string", "number" or "bool" type, so
# a string variable passed to a number argument is flagged; other types (and int, float, bool,
# since bool is an int to checkers) give a reference that passes anywhere, as at run time.
@overload
def variable(name: str, *, type: Literal["string"] | type[str], default: Any = ...,
             description: str | None = ..., sensitive: bool = ..., nullable: bool | None = ...,
             ephemeral: bool = ...) -> StrRef: ...
@overload
def variable(name: str, *, type: Literal["bool"], default: Any = ...,
             description: str | None = ..., sensitive: bool = ..., nullable: bool | None = ...,
             ephemeral: bool = ...) -> BoolRef: ...
@overload
def variable(name: str, *, type: Literal["number"], default: Any = ...,
             description: str | None = ..., sensitive: bool = ..., nullable: bool | None = ...,
             ephemeral: bool = ...) -> NumRef: ...
@overload
def variable(name: str, *, type: None = ..., default: Any = ...,
             description: str | None = ..., sensitive: bool = ..., nullable: bool | None = ...,
             ephemeral: bool = ...) -> AnyRef: ...
@overload
def variable(name: str, *, type: Any, default: Any = ...,
             description: str | None = ..., sensitive: bool = ..., nullable: bool | None = ...,
             ephemeral: bool = ...) -> Any: ...
def variable(name: str, *, type: Any = None, default: Any = _MISSING,
             description: str | None = None, sensitive: bool = False,
             nullable: bool | None = None, ephemeral: bool = False) -> Ref:
    """Declare an input variable; the returned reference is usable as any argument.

    ``type`` is a Terraform type expression (``"string"``, ``"list(string)"``) or one of
    ``str``, ``int``, ``float``, ``bool``. ``ephemeral=True`` (Terraform 1.10+): the value is
    never stored in plan or state, and goes only where ephemeral values may
    (docs/language/ephemeral.md).
    """
    ctx = current("variable()")
    if not name_ok("variable", name, ctx, "variable"):
        return _type_ref(type if isinstance(type, str) else None)(f"var.{name}", ctx)
    if name in ctx.variables:
        raise TemplateError(f"variable {name!r} is declared twice", template=ctx.name)
    if type in _PY_TYPES:
        type = _PY_TYPES[type]
    # A mistake in the type or default is recorded and the variable still declared (without
    # what is wrong), so the body runs on and references to it are not reported too.
    from pangea.vartypes import TypeSyntaxError, check_optional_defaults, conform, parse_type

    body: dict[str, Any] = {}
    parsed = None
    if type is not None and not isinstance(type, str):
        ctx.record(ValidationError(f"variable.{name}", [("type", (
            f"must be a Terraform type expression such as 'string' or 'list(string)', or "
            f"str/int/float/bool (got {short_repr(type)})"))], template=ctx.name))
        type = None
    if type is not None:
        try:
            parsed = parse_type(type)
        except TypeSyntaxError as exc:
            ctx.record(ValidationError(
                f"variable.{name}", [("type", f"{short_repr(type)} is not a Terraform type: {exc}")],
                template=ctx.name, hint="types are string, number, bool, any, list(T), set(T), "
                "map(T), object({name = T, ...}) and tuple([T, ...])"))
        else:
            problems = check_optional_defaults(parsed, "type")
            if problems:
                ctx.record(ValidationError(f"variable.{name}", problems, template=ctx.name))
            body["type"] = type
    if default is not _MISSING:
        with ctx.collecting():
            converted = ctx.json_value(default, f"variable.{name}", "default")
            problems = conform(converted, parsed, "default", sensitive) if parsed else []
            if problems:
                raise ValidationError(f"variable.{name}", [
                    (p, f"{m}, but the type is {parsed}") for p, m in problems], template=ctx.name)
            body["default"] = converted
    if description is not None:
        body["description"] = description
    if sensitive:
        body["sensitive"] = True
    if nullable is not None:
        body["nullable"] = nullable
    if ephemeral:
        from pangea.language.ephemerals import declare_ephemeral_variable

        body["ephemeral"] = True
        declare_ephemeral_variable(ctx)
    ctx.variables[name] = body
    return _type_ref(type)(f"var.{name}", ctx)


def local(name: str, value: Any) -> AnyRef:
    """Declare a local value; returns a reference to it."""
    ctx = current("local()")
    if not name_ok("local", name, ctx, "local"):
        return AnyRef(f"local.{name}", ctx)  # recorded; the body runs on
    if name in ctx.locals:
        raise TemplateError(f"local {name!r} is declared twice", template=ctx.name)
    with ctx.collecting():
        ctx.locals[name] = ctx.json_value(value, f"local.{name}", "value")
    return AnyRef(f"local.{name}", ctx)


class ProviderRef:
    """A provider configuration, usable as the ``provider`` meta-argument."""

    __slots__ = ("address",)

    def __init__(self, address: str) -> None:
        self.address = address

    def __repr__(self) -> str:
        return f"ProviderRef({self.address!r})"


def provider(name: str, *, alias: str | None = None, **settings: Any) -> ProviderRef:
    """Configure a provider: ``provider("aws", region="eu-west-1", alias="eu")``."""
    ctx = current("provider()")
    address = f"{name}.{alias}" if alias else str(name)
    if not name_ok("provider", name, ctx, "provider") or (
            alias is not None and not name_ok("provider alias", alias, ctx, f"provider.{name}")):
        return ProviderRef(address)  # recorded; the body runs on
    found = providers.find(name)
    configs = ctx.providers.setdefault(name, [])
    if any(c.get("alias") == alias for c in configs):
        label = f"{name} (alias {alias!r})" if alias else f"{name} (default, no alias)"
        raise TemplateError(f"provider {label} is configured twice", template=ctx.name,
                            hint="give each extra configuration its own alias")
    body: dict[str, Any] = {}
    with ctx.collecting():
        body = {k: ctx.json_value(v, f"provider.{name}", k) for k, v in sorted(settings.items())
                if v is not None}
    if found is None:
        _warn_unknown_provider(name)
    else:
        from pangea.provider_config import check_provider_settings

        problems = check_provider_settings(name, body)
        if problems:
            ctx.record(ValidationError(f"provider.{name}", [(p.path, p.message) for p in problems],
                                       template=ctx.name))
        ctx.used_providers.add(found.name)
    if alias is not None:
        body["alias"] = alias
    configs.append(body)
    return ProviderRef(address)


UNKNOWN_PROVIDER = "unknown-provider"  # the diagnostic code of provider() with no package


def _warn_unknown_provider(name: str) -> None:
    """Terraform accepts a provider block for any provider (it fetches the plugin at init),
    so one no package describes is a warning: its settings are unchecked and unpinned."""
    from pangea.diagnostics import warn

    known = ", ".join(repr(p.name) for p in providers.registered()) or "none"
    warn(f"no installed pangea package describes provider {name!r} (registered: {known}): its "
         f"settings are not checked, and required_providers does not pin it, so Terraform "
         f"will install the newest hashicorp/{name} at init", code=UNKNOWN_PROVIDER,
         address=f"provider.{name}",
         hint=f"generate a package for it (pangea provider add NAMESPACE/{name} --schema FILE) "
         f"and import pangea_{name} in this file, so its settings are checked and its version "
         "pinned; if it is a package you have, import it here")


class RemoteOutputs(AnyRef):
    """The outputs of another template: ``remote_outputs("network").vpc_id``."""

    __slots__ = ()


def remote_outputs(template_name: str) -> RemoteOutputs:
    """Read another template's outputs (a ``terraform_remote_state`` data source)."""
    ctx = current("remote_outputs()")
    if not name_ok("template", template_name, ctx):  # recorded; the body runs on
        return RemoteOutputs(f"data.terraform_remote_state.{template_name}.outputs", ctx)
    if template_name == ctx.name:
        raise TemplateError(f"template {ctx.name!r} cannot read its own outputs", template=ctx.name)
    ctx.remote[template_name] = None
    return RemoteOutputs(f"data.terraform_remote_state.{template_name}.outputs", ctx)

