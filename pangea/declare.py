"""What every generated resource function calls: validate, convert, register, return a ref."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from typing import Any, Sequence, TypedDict

from pangea import meta as meta_args
from pangea import context as _context
from pangea.context import TemplateContext, _current, current, name_ok
from pangea.errors import ValidationError
from pangea.expr import Expr, ResourceRef
from pangea.names import plain_identifier
from pangea.struct import StructModel, short_repr
from pangea.typed_body import plain_body

__all__ = ["Lifecycle", "StructModel", "TypeSpec", "declare"]

META_ARGUMENTS = ("depends_on", "count", "for_each", "provider", "lifecycle")
_META = frozenset(META_ARGUMENTS)
_LIFECYCLE_KEYS = ("create_before_destroy", "prevent_destroy", "ignore_changes",
                   "replace_triggered_by")


if TYPE_CHECKING:

    class Lifecycle(TypedDict, total=False):
        """The ``lifecycle`` meta-argument (Terraform's lifecycle block)."""

        create_before_destroy: bool
        prevent_destroy: bool
        ignore_changes: Sequence[str] | str
        replace_triggered_by: Sequence[Expr | str]

else:
    Lifecycle = dict  # a TypedDict is a plain dict at run time; building its class needs typing


class TypeSpec:
    """One generated type: its kind, Terraform name, argument model and reference class."""

    __slots__ = ("kind", "type_name", "args", "ref", "type_label", "_prefix")

    def __init__(self, kind: str, type_name: str, args: type[StructModel], ref: type[ResourceRef]):
        self.kind = kind
        self.type_name = type_name
        self.args = args
        self.ref = ref
        # the address without its name: what a message about a bad name starts with
        self.type_label = f"data.{type_name}" if kind == "data" else type_name
        self._prefix = self.type_label + "."

    def address(self, name: str) -> str:
        return f"{self._prefix}{name}"


def declare(spec: TypeSpec, name: str, attrs: Any, kwargs: dict[str, Any]) -> ResourceRef:
    """Validate one resource/data source call and add it to the active template."""
    ctx = _current.get()
    if ctx is None:  # raises, saying how templates are written
        ctx = current(("data_" if spec.kind == "data" else "") + spec.type_name + "()")
    # a bad name is recorded (the arguments are still checked); the common one, cheaply
    named = plain_identifier(name) or name_ok(spec.kind, name, ctx, spec.type_label)
    address = spec._prefix + name if named else spec.address(name)
    meta = None
    if not _META.isdisjoint(kwargs):
        meta = {key: kwargs.pop(key) for key in META_ARGUMENTS if key in kwargs}
    body = None
    if named and not _context.DYNAMIC_USED:  # the common call: one pass (pangea.typed_body)
        data = kwargs if attrs is None else attrs if type(attrs) is dict and not kwargs else None
        if data is not None:
            body = plain_body(spec.args, ctx, address, data)
    if body is not None:
        inputs = body
        problems: list[tuple[str, str]] = []
    else:
        body, problems, inputs = _full_body(spec, ctx, address, attrs, kwargs)
    if meta:
        try:
            meta_json = _meta_json(spec, ctx, address, meta)
        except ValidationError as exc:
            problems += exc.problems
        else:
            if meta_json and not problems:
                body = dict(sorted({**body, **meta_json}.items()))
    if problems or not named:
        ctx.add_invalid(spec.kind, spec.type_name, name,
                        ValidationError(address, problems, template=ctx.name) if problems else None)
        return spec.ref(address, ctx, {})
    ctx.add_resource(spec.kind, spec.type_name, name, body, schema_checked=True)
    return spec.ref(address, ctx, inputs)


def _full_body(spec: TypeSpec, ctx: TemplateContext, address: str, attrs: Any,
               kwargs: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]],
                                                dict[str, Any]]:
    """Validate into the model and build the body from it (every call the one-pass path
    does not take): (body, problems, inputs)."""
    placements = dynamic_problems = None
    if _context.DYNAMIC_USED:  # dynamic(...) block values become placeholders, then Terraform dynamic
        from pangea.language import dynamic_blocks as _dynamic

        attrs, kwargs, placements, dynamic_problems = _dynamic.extract_call(
            spec.args, ctx, address, attrs, kwargs)
    # Invalid arguments are recorded on the template, not raised: the body runs on, so one
    # run finds every mistake; the template raises them together when it ends.
    body: dict[str, Any] = {}
    inputs: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    try:
        model = _validate(spec, ctx, address, attrs, kwargs)
        body, problems, inputs = ctx.json_struct(model, address, "")
    except ValidationError as exc:
        problems = list(exc.problems)
    if dynamic_problems:
        problems = dynamic_problems.merge(problems)
    if placements and not problems:
        body = _dynamic.place(body, placements)
    return body, problems, inputs


def declare_unchecked(spec: TypeSpec, name: str, attrs: Any,
                      kwargs: dict[str, Any]) -> ResourceRef:
    """Add a resource/data source of a type pangea has no schema for: dict keys and keywords
    are Terraform names, values are converted to JSON as given (references checked)."""
    ctx = current(f"{spec.kind}()")
    named = name_ok(spec.kind, name, ctx, spec.type_label)
    address = spec.address(name)
    try:
        body, inputs = _unchecked_body(spec, ctx, address, attrs, kwargs)
    except ValidationError as exc:  # recorded: the body runs on
        ctx.add_invalid(spec.kind, spec.type_name, name, exc)
        return spec.ref(address, ctx, {})
    if not named:
        ctx.add_invalid(spec.kind, spec.type_name, name, None)
        return spec.ref(address, ctx, {})
    ctx.add_resource(spec.kind, spec.type_name, name, body)
    return spec.ref(address, ctx, inputs)


def _unchecked_body(spec: TypeSpec, ctx: TemplateContext, address: str, attrs: Any,
                    kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    meta = {key: kwargs.pop(key) for key in META_ARGUMENTS if key in kwargs}
    if attrs is None:
        data: dict[Any, Any] = {}
    elif isinstance(attrs, dict):
        data = dict(attrs)
    else:
        raise ValidationError(address, [("", f"arguments must be a dict (got "
                                             f"{type(attrs).__name__})")], template=ctx.name)
    for key, value in kwargs.items():
        if key in data:
            raise ValidationError(address, [(key, "is given both in the dict and as a keyword")],
                                  template=ctx.name)
        data[key] = value
    wrong = [key for key in data if not isinstance(key, str)]
    if wrong:
        raise ValidationError(address, [("", f"argument names must be strings (got {wrong[0]!r})")],
                              template=ctx.name)
    inputs = {key: value for key, value in data.items() if value is not None}
    body = {key: ctx.json_value(value, address, key) for key, value in sorted(inputs.items())}
    if meta:
        body = dict(sorted({**body, **_meta_json(spec, ctx, address, meta)}.items()))
    return body, inputs


def _validate(spec: TypeSpec, ctx: TemplateContext, address: str, attrs: Any,
              kwargs: dict[str, Any]) -> StructModel:
    if isinstance(attrs, spec.args) and not kwargs:
        return attrs
    data: dict[str, Any]
    if attrs is None:
        data = {}
    elif isinstance(attrs, spec.args):
        data = {spec.args._tf_names.get(k, k): v for k, v in attrs.__dict__.items() if v is not None}
    elif isinstance(attrs, dict):
        data = dict(attrs)
    else:
        raise ValidationError(
            address,
            [("", f"arguments must be a dict or {spec.args.__name__} (got {type(attrs).__name__})")],
            template=ctx.name,
        )
    for key, value in kwargs.items():
        tf_key = spec.args._tf_names.get(key, key)
        if tf_key in data or key in data:
            raise ValidationError(address, [(tf_key, "is given both in the dict and as a keyword")],
                                  template=ctx.name)
        data[key] = value
    try:
        return spec.args.model_validate(data, address=address)
    except ValidationError as exc:
        raise exc.with_template(ctx.name) from None


def _meta_json(spec: TypeSpec, ctx: TemplateContext, address: str, meta: dict[str, Any]) -> dict:
    out: dict[str, Any] = {}
    if "count" in meta and "for_each" in meta:
        raise ValidationError(address, [("", "count and for_each cannot both be set")],
                              template=ctx.name)
    if meta.get("count") is not None:
        from pangea.language.iteration import count_json  # imported when used (import cost)

        out["count"] = count_json(ctx, address, meta["count"])
    if meta.get("for_each") is not None:
        from pangea.language.iteration import for_each_json

        out["for_each"] = for_each_json(ctx, address, meta["for_each"])
    if meta.get("depends_on") is not None:
        out["depends_on"] = [_dependency(ctx, address, d) for d in _as_list(meta["depends_on"])]
    if meta.get("provider") is not None:
        out["provider"] = _provider_ref(ctx, address, meta["provider"], spec.type_name)
    if meta.get("lifecycle") is not None:
        if spec.kind == "data":
            raise ValidationError(address, [("lifecycle", "data sources take no lifecycle block")],
                                  template=ctx.name)
        out["lifecycle"] = _lifecycle(spec, ctx, address, meta["lifecycle"])
    return out


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _dependency(ctx: TemplateContext, address: str, dep: Any) -> str:
    """One depends_on entry (modules, ephemeral resources and import blocks share the check)."""
    return meta_args.dependency(ctx, address, dep)


def _provider_ref(ctx: TemplateContext, address: str, provider: Any,
                  type_name: str | None = None) -> str:
    """A provider reference; ``type_name`` also checks it is that type's own provider."""
    return meta_args.provider_address(ctx, address, type_name, provider)


def _lifecycle(spec: TypeSpec, ctx: TemplateContext, address: str, value: Any) -> dict:
    if not isinstance(value, dict):
        raise ValidationError(address, [("lifecycle", "must be a dict")], template=ctx.name)
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key not in _LIFECYCLE_KEYS:
            import difflib  # imported only when there is a mistake to explain
            close = difflib.get_close_matches(str(key), _LIFECYCLE_KEYS, n=1)
            hint = f"; did you mean {close[0]}?" if close else f"; keys are {', '.join(_LIFECYCLE_KEYS)}"
            raise ValidationError(address, [(f"lifecycle.{key}", "is not a lifecycle setting" + hint)],
                                  template=ctx.name)
        if key in ("create_before_destroy", "prevent_destroy"):
            if not isinstance(item, bool):
                raise ValidationError(address, [(f"lifecycle.{key}", f"must be a bool (got {item!r})")],
                                      template=ctx.name)
            out[key] = item
        elif key == "ignore_changes":
            out[key] = _ignore_changes(spec, ctx, address, item)
        else:
            out[key] = [_expression_text(ctx, address, f"lifecycle.{key}", v) for v in _as_list(item)]
    return out


def _ignore_changes(spec: TypeSpec, ctx: TemplateContext, address: str, item: Any) -> Any:
    if item == "all":
        return "all"
    names = _as_list(item)
    if spec.args is None:  # a type without a schema (declare_unchecked): names not known
        return [str(n) for n in names]
    known = set(spec.args._types) | set(spec.args._computed_only)
    for name in names:
        root = str(name).split(".")[0].split("[")[0]
        if root not in known:
            import difflib  # imported only when there is a mistake to explain
            close = difflib.get_close_matches(root, sorted(known), n=2)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ValidationError(address, [("lifecycle.ignore_changes",
                                             f"{name!r} is not an attribute of {spec.type_name}{hint}")],
                                  template=ctx.name)
    return [str(n) for n in names]


def _expression_text(ctx: TemplateContext, address: str, path: str, value: Any) -> str:
    if isinstance(value, Expr):
        ctx.json_value(value, address, path)
        return value._expr
    if isinstance(value, str):
        return value
    raise ValidationError(address, [(path, f"must list references (got {short_repr(value)})")],
                          template=ctx.name)
