"""Iteration: ``for_each`` and ``count`` values that Terraform accepts, ``each`` / ``count``
references checked against the block that uses them, and ``for`` expressions.

cdktf's most repeated complaint was ``for_each`` built from Python iterators producing
invalid Terraform. Here a Python list, tuple, set or iterator of strings becomes
``toset([...])``; a list of anything else is refused with the fix (a dict keyed by a stable
name), since Terraform takes only a map or a set of strings.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

from collections.abc import Iterator

if TYPE_CHECKING:
    from typing import Any, Callable

from pangea.context import TemplateContext, _current
from pangea.errors import TemplateError, ValidationError
from pangea.expr import (AnyRef, BoolRef, Expr, Interpolation, ListRef, MapRef, NumRef, Raw,
                         SetRef, StrRef, is_expression)
from pangea.language.hcl_text import expression
from pangea.language.versions import once
from pangea.struct import short_repr
from pangea.lazy_re import lazy_compile

__all__ = ["count_index", "count_json", "each_key", "each_value", "for_each_json", "for_expr"]

_EACH = lazy_compile(r"(?<![\w.])each\.(key|value)\b")
_COUNT = lazy_compile(r"(?<![\w.])count\.index\b")
_WHOLE_NUMBER = lazy_compile(r"\+?\d+")
_RESERVED = frozenset({"var", "local", "each", "count", "module", "data", "path", "self",
                       "terraform", "resource", "ephemeral"})


def for_each_json(ctx: TemplateContext, address: str, value: Any) -> Any:
    """The JSON of a ``for_each`` argument: a map, a set of strings, or an expression."""
    if isinstance(value, Iterator):
        value = list(value)
    if isinstance(value, dict):
        bad = [k for k in value if not isinstance(k, str)]
        if bad:
            raise ValidationError(address, [("for_each", f"map keys must be strings (got "
                                              f"{short_repr(bad[0])}); each.key is a string")],
                                  template=ctx.name)
        return ctx.json_value(value, address, "for_each")
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value)
        for index, item in enumerate(items):
            if isinstance(item, str) or isinstance(item, (StrRef, AnyRef, Raw, Interpolation)):
                ctx.json_value(item, address, f"for_each[{index}]")  # references checked
                continue
            if isinstance(item, dict):
                fix = ("key the objects by a stable name: for_each={o['name']: o for o in items}, "
                       "then read each.value.<field>")
            else:
                fix = "give strings (e.g. [str(x) for x in items]) or a dict keyed by name"
            raise ValidationError(
                address, [(f"for_each[{index}]", f"for_each takes a map or a set of strings; "
                                                 f"this list holds {short_repr(item)}; {fix}")],
                template=ctx.name)
        return "${toset(" + expression(items) + ")}"
    if isinstance(value, ListRef):
        ctx.json_value(value, address, "for_each")
        return "${toset(" + value._expr + ")}"  # Terraform refuses a list; a set is the intent
    if isinstance(value, (StrRef, NumRef, BoolRef)):
        raise ValidationError(address, [("for_each", f"{value._render()} is a single value; "
                                         "for_each takes a map or a set of strings")],
                              template=ctx.name)
    if is_expression(value):
        return ctx.json_value(value, address, "for_each")
    hint = "; use count for a number of copies" if isinstance(value, int) else ""
    raise ValidationError(address, [("for_each", f"takes a map or a set of strings (got "
                                     f"{short_repr(value)}){hint}")], template=ctx.name)


def count_json(ctx: TemplateContext, address: str, value: Any) -> Any:
    """The JSON of a ``count`` argument: a whole number >= 0 or an expression."""
    if isinstance(value, bool) or isinstance(value, (list, tuple, dict, set, frozenset)):
        hint = " (use len(...) or for_each)" if not isinstance(value, bool) else ""
        raise ValidationError(address, [("count", f"must be a whole number{hint} (got "
                                          f"{short_repr(value)})")], template=ctx.name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 2.0 is the number 2 in JSON, which Terraform takes
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
        return value  # Terraform converts a numeric string
    if isinstance(value, (ListRef, MapRef, SetRef, BoolRef)):
        raise ValidationError(address, [("count", f"must be a whole number, but "
                                          f"{value._render()} is not a number")], template=ctx.name)
    if isinstance(value, int):
        if value < 0:
            raise ValidationError(address, [("count", f"must be 0 or more (got {value})")],
                                  template=ctx.name)
        return value
    if is_expression(value):
        return ctx.json_value(value, address, "count")
    raise ValidationError(address, [("count", f"must be a whole number or an expression (got "
                                      f"{short_repr(value)})")], template=ctx.name)


# -- each / count references -------------------------------------------------------------------

def _note_use() -> None:
    ctx = _current.get()
    if ctx is not None:
        once(ctx, check_iteration_references)


def each_key() -> StrRef:
    """``each.key`` inside a resource or module declared with ``for_each``."""
    _note_use()
    return StrRef("each.key")


def each_value() -> AnyRef:
    """``each.value`` (and ``each_value().field``) inside a block declared with ``for_each``."""
    _note_use()
    return AnyRef("each.value")


def count_index() -> NumRef:
    """``count.index`` inside a resource or module declared with ``count``."""
    _note_use()
    return NumRef("count.index")


def _holder_body(ctx: TemplateContext, holder: str) -> dict[str, Any] | None:
    parts = holder.split(".")
    if parts[0] == "module" and len(parts) == 2:
        return ctx.sections.get("module", {}).get(parts[1])
    if parts[0] == "data" and len(parts) == 3:
        return ctx.data.get(parts[1], {}).get(parts[2])
    if parts[0] == "ephemeral" and len(parts) == 3:
        return ctx.sections.get("ephemeral", {}).get(parts[1], {}).get(parts[2])
    if len(parts) == 2 and parts[0] not in ("output", "local", "variable", "provider", "check"):
        return ctx.resources.get(parts[0], {}).get(parts[1])
    return None


def check_iteration_references(ctx: TemplateContext) -> None:
    """``each.*`` needs ``for_each`` and ``count.index`` needs ``count`` on the same block,
    as Terraform checks at plan."""
    for holder, text in ctx._interpolations:
        for pattern, meta, name in ((_EACH, "for_each", "each"), (_COUNT, "count", "count.index")):
            if not pattern.search(text):
                continue
            if holder == "import":
                continue  # import blocks take for_each too; Terraform checks their scope
            body = _holder_body(ctx, holder)
            if body is None or meta not in body:
                where = "this block" if body is not None else "here"
                raise TemplateError(
                    f"{holder} uses {name}, but {where} has no {meta}",
                    template=ctx.name, locate=False, file=ctx.file,
                    hint=f"set {meta}=... on the same resource or module call; {name} "
                    "exists only inside it")


# -- for expressions ---------------------------------------------------------------------------

def for_expr(over: Any, value: Callable[..., Any], *, key: Callable[..., Any] | None = None,
             condition: Callable[..., Any] | None = None, grouping: bool = False) -> Raw:
    """A Terraform ``for`` expression built from Python callables.

    ``for_expr(subnets, lambda s: s.id)`` is ``[for s in subnets : s.id]``; with ``key`` it
    builds an object: ``for_expr(users, lambda u: u.arn, key=lambda u: u.name)`` is
    ``{for u in users : u.name => u.arn}``. A callable of two parameters receives the key (or
    index) and the value: ``lambda k, v: ...`` is ``for k, v in ...``. ``condition`` filters
    (``if ...``): it returns an expression, or a string in which ``${...}`` parts are
    references, e.g. ``lambda s: f"{s.public} == true"``. ``grouping=True`` adds ``...`` to
    group values under duplicate keys. The loop variables are named after the callable's
    parameters."""
    owner = over._owner if isinstance(over, Expr) else None
    names = _parameters(value, "value")
    for other, what in ((key, "key"), (condition, "condition")):
        if other is not None and _parameters(other, what) != names:
            raise TemplateError(f"for_expr: the {what} callable must take the same parameters "
                                f"as the value callable ({', '.join(names)})")
    variables = [AnyRef(n, owner) for n in names]
    collection = _operand(over)
    head = f"for {', '.join(names)} in {collection} : "
    body = _result(value(*variables), "value")
    tail = ""
    if condition is not None:
        tail = " if " + _condition(condition(*variables))
    if key is None:
        if grouping:
            raise TemplateError("for_expr: grouping=True needs key= (it groups an object's values)")
        return Raw(f"[{head}{body}{tail}]", owner)
    text = f"{{{head}{_result(key(*variables), 'key')} => {body}{'...' if grouping else ''}{tail}}}"
    return Raw(text, owner)


def _parameters(function: Any, what: str) -> list[str]:
    if not callable(function):
        raise TemplateError(f"for_expr: {what} must be a callable such as lambda item: ... "
                            f"(got {short_repr(function)})")
    import inspect  # only for_expr needs it; importing it costs every synthesis otherwise

    try:
        params = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        raise TemplateError(f"for_expr: cannot read the parameters of the {what} callable") \
            from None
    if not 1 <= len(params) <= 2 or any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                                        for p in params):
        raise TemplateError(f"for_expr: the {what} callable takes one parameter (the element) "
                            "or two (key or index, and element)")
    names = [p.name for p in params]
    for name in names:
        if name in _RESERVED:
            raise TemplateError(f"for_expr: {name!r} is a Terraform keyword and cannot name a "
                                "loop variable; rename the lambda's parameter")
    return names


def _operand(value: Any) -> str:
    try:
        return expression(value)
    except ValueError as exc:
        raise TemplateError(f"for_expr: the collection {exc}") from None


def _result(value: Any, what: str) -> str:
    try:
        return expression(value)
    except ValueError as exc:
        raise TemplateError(f"for_expr: the {what} callable's result {exc}") from None


def _condition(value: Any) -> str:
    if isinstance(value, bool):
        raise TemplateError("for_expr: condition returned the Python value "
                            f"{value}; it must build a Terraform expression")
    if isinstance(value, Expr) and not isinstance(value, Interpolation):
        return value._expr
    text = value._render() if isinstance(value, Interpolation) else value
    if not isinstance(text, str):
        raise TemplateError(f"for_expr: condition must return an expression (got "
                            f"{short_repr(value)})")
    return _unwrap(text)


def _unwrap(text: str) -> str:
    """``${a} != ${b}`` -> ``a != b``: interpolations become the bare references."""
    out, i = [], 0
    while i < len(text):
        if text.startswith("${", i):
            depth, j = 1, i + 2
            while j < len(text) and depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            out.append(text[i + 2:j - 1])
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)
