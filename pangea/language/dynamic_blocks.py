"""``dynamic`` blocks: a nested block repeated over a collection known at plan time.

``dynamic(for_each=var.rules, content=lambda rule: {"port": rule.value.port})`` is a block
value: give it where the block goes (``ingress=dynamic(...)``, alone or in a list with literal
blocks, or inside another block's dict). Its content is validated as the block itself (keys,
types, required arguments and rules of the provider's block schema) and rendered as
Terraform's ``"dynamic": {"<block>": {"for_each": ..., "iterator": ..., "content": {...}}}``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

from collections.abc import Iterator

if TYPE_CHECKING:
    from typing import Any, Callable, NamedTuple
else:
    from pangea._typing import NamedTuple

from pangea import context as _context
from pangea.context import TemplateContext
from pangea.errors import ValidationError
from pangea.names import allowed, identifier_problem
from pangea.expr import AnyRef, BoolRef, Expr, NumRef, StrRef, is_interpolated
from pangea.struct import StructModel, short_repr

__all__ = ["Dynamic", "DynamicIterator", "dynamic"]

class DynamicIterator:
    """The loop variable of a dynamic block: ``.key`` and ``.value`` (``.value.field``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def key(self) -> AnyRef:
        return AnyRef(f"{self.name}.key")

    @property
    def value(self) -> AnyRef:
        return AnyRef(f"{self.name}.value")

    def __repr__(self) -> str:
        return f"DynamicIterator({self.name!r})"


class Dynamic:
    """A dynamic block value; see :func:`dynamic`."""

    __slots__ = ("for_each", "content", "iterator", "labels")

    def __init__(self, for_each: Any, content: dict[str, Any] | Callable[[DynamicIterator], Any],
                 iterator: str | None, labels: list[Any] | None) -> None:
        self.for_each = for_each
        self.content = content
        self.iterator = iterator
        self.labels = labels

    def __repr__(self) -> str:
        return f"dynamic(for_each={short_repr(self.for_each)})"


def dynamic(*, for_each: Any, content: dict[str, Any] | Callable[[DynamicIterator], Any],
            iterator: str | None = None, labels: list[Any] | None = None) -> Any:
    """A block repeated for each element of ``for_each`` (a list, map, set or expression).

    ``content`` is the block's arguments: a dict, or a callable that receives the iterator
    (``it.key``, ``it.value``) and returns the dict. ``iterator`` names the loop variable in
    the JSON (default: the block's name, as in Terraform). Mistakes are reported with the
    resource the block is given to (its address and the block's path), together with every
    other mistake of the template."""
    _context.DYNAMIC_USED = True  # from now on every resource call looks for dynamic blocks
    return Dynamic(for_each, content, iterator, labels)


class Placement(NamedTuple):
    """Where the dynamic JSON goes: the body path of the parent block, and how many literal
    blocks precede the placeholders (placeholders are removed after validation)."""

    path: tuple[Any, ...]
    block: str
    shape: str
    statics: int
    dynamics: tuple[dict[str, Any], ...]


class DynamicProblems:
    """The mistakes found in one call's dynamic blocks. A block that could not be built is
    left out of the arguments, so what the argument check then says about its path (say
    that a required block is missing) is not reported on top."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []
        self.dropped: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def add_checked(self, problems: list[tuple[str, str]]) -> None:
        """Problems the block schema found, less those about blocks already left out."""
        self.problems += [(p, m) for p, m in problems if not self._under_dropped(p)]

    def drop(self, path: str) -> None:
        self.dropped.append(path)

    def merge(self, problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """These problems, then the call's other problems that are not about dropped blocks."""
        return self.problems + [(p, m) for p, m in problems if not self._under_dropped(p)]

    def _under_dropped(self, path: str) -> bool:
        return any(path == d or path.startswith((d + ".", d + "[")) for d in self.dropped)


def contains_dynamic(value: Any) -> bool:
    if isinstance(value, Dynamic):
        return True
    if isinstance(value, dict):
        return any(contains_dynamic(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_dynamic(v) for v in value)
    return False


def extract_call(model: type[StructModel], ctx: TemplateContext, address: str, attrs: Any,
                 kwargs: dict[str, Any]
                 ) -> tuple[Any, dict[str, Any], list[Placement], DynamicProblems | None]:
    """Replace dynamic values in a resource call by placeholders; returns the new attrs and
    kwargs, where the rendered dynamic blocks go, and the mistakes found (None if none)."""
    placements: list[Placement] = []
    found = DynamicProblems()
    if isinstance(attrs, dict) and contains_dynamic(attrs):
        attrs = _extract(model, ctx, address, attrs, (), "", placements, found)
    if contains_dynamic(kwargs):
        kwargs = _extract(model, ctx, address, kwargs, (), "", placements, found)
    return attrs, kwargs, placements, (found if found.problems else None)


def _py_name(model: type[StructModel], tf_name: str) -> str:
    for py, tf in model._tf_names.items():
        if tf == tf_name:
            return py
    return tf_name


def _shape(model: type[StructModel], tf_name: str) -> str:
    field = model._fields.get(_py_name(model, tf_name))
    return getattr(getattr(field, "node", None), "shape", "list")


def _extract(model: type[StructModel], ctx: TemplateContext, address: str, data: dict[str, Any],
             path: tuple[Any, ...], where: str, placements: list[Placement],
             found: DynamicProblems) -> dict[str, Any]:
    out = dict(data)

    def fail(key: Any, here: str, message: str | None) -> None:
        if message is not None:
            found.add(here, message)
        found.drop(here)
        out.pop(key, None)

    for key, value in data.items():
        tf = model._tf_names.get(key, key)
        here = f"{where}.{tf}" if where else tf
        block_model = model._blocks.get(tf)
        if block_model is None:
            if contains_dynamic(value):
                fail(key, here, f"{tf} is an argument, not a nested block; dynamic(...) builds "
                     "blocks only (use for_expr(...) for a computed argument value)")
            continue
        shape = _shape(model, tf)
        items = value if isinstance(value, (list, tuple)) else [value]
        if shape == "map" and isinstance(value, dict) and not isinstance(value, Dynamic):
            out[key] = {label: _extract(block_model, ctx, address, item, path + (tf, label),
                                        f"{here}[{label!r}]", placements, found)
                        if isinstance(item, dict) else item for label, item in value.items()}
            continue
        if not any(isinstance(i, Dynamic) for i in items):
            if isinstance(value, dict):
                out[key] = _extract(block_model, ctx, address, value, path + (tf,), here,
                                    placements, found)
            elif isinstance(value, (list, tuple)):
                out[key] = [_extract(block_model, ctx, address, item, path + (tf, index),
                                     f"{here}[{index}]", placements, found)
                            if isinstance(item, dict) else item
                            for index, item in enumerate(value)]
            continue
        statics = [i for i in items if not isinstance(i, Dynamic)]
        if statics and shape != "list":
            fail(key, here, "a block that appears once cannot mix a literal block and "
                 "dynamic(...)")
            continue
        dynamics = [i for i in items if isinstance(i, Dynamic)]
        if shape == "one" and len(dynamics) > 1:
            fail(key, here, "a block that appears once takes one dynamic(...)")
            continue
        rendered, instances = [], []
        for dyn in dynamics:
            made = _render(block_model, ctx, address, tf, here, dyn, found)
            if made is not None:
                rendered.append(made[0])
                instances.append(made[1])
        if not instances and not statics:
            fail(key, here, None)  # each failed dynamic(...) said why
            continue
        if shape == "one":
            out[key] = instances[0]
        elif shape == "map":
            out[key] = {f"\0dynamic{i}": inst for i, inst in enumerate(instances)}
        else:
            out[key] = [_extract(block_model, ctx, address, item, path + (tf, index),
                                 f"{here}[{index}]", placements, found) if isinstance(item, dict)
                        else item for index, item in enumerate(statics)] + instances
        if rendered:
            placements.append(Placement(path, tf, shape, len(statics), tuple(rendered)))
    return out


def _render(block_model: type[StructModel], ctx: TemplateContext, address: str, block: str,
            here: str, dyn: Dynamic, found: DynamicProblems
            ) -> tuple[dict[str, Any], StructModel] | None:
    """The dynamic block's JSON and its validated content; None when it has a mistake (each
    one is added to ``found``)."""
    where = f"{here} (dynamic)"
    name = block
    if dyn.iterator is not None:
        problem = identifier_problem("dynamic iterator", dyn.iterator)
        if problem is not None:
            found.add(f"{where}.iterator", f"{problem}; {allowed('dynamic iterator')}")
            return None
        name = dyn.iterator
    prefix = f"{where}.content"
    if not (isinstance(dyn.content, dict) or callable(dyn.content)):
        found.add(prefix, f"must be a dict of the block's arguments or a callable returning one "
                  f"(got {short_repr(dyn.content)})")
        return None
    content = dyn.content(DynamicIterator(name)) if callable(dyn.content) else dyn.content
    if not isinstance(content, dict):
        found.add(prefix, f"the content callable must return a dict of the block's arguments "
                  f"(got {short_repr(content)})")
        return None
    nested: list[Placement] = []
    before = len(found.problems)
    content = _extract(block_model, ctx, address, content, (), prefix, nested, found)
    try:
        instance = block_model.model_validate(content, address=address)
    except ValidationError as exc:
        found.add_checked([(f"{prefix}.{p}" if p and not p.startswith("[") else f"{prefix}{p}", m)
                           for p, m in exc.problems])
        return None
    body, problems, _ = ctx.json_struct(instance, address, prefix)
    found.add_checked(problems)
    for_each = _for_each(address, where, dyn.for_each, found)
    if len(found.problems) > before or for_each is _INVALID:
        return None
    body = place(body, nested)
    json: dict[str, Any] = {"for_each": ctx.json_value(for_each, address, f"{where}.for_each")}
    if dyn.iterator is not None:
        json["iterator"] = name
    if dyn.labels is not None:
        json["labels"] = ctx.json_value(list(dyn.labels), address, f"{where}.labels")
    json["content"] = body
    return json, instance


_INVALID: Any = object()


def _for_each(address: str, where: str, value: Any, found: DynamicProblems) -> Any:
    if isinstance(value, Iterator):
        value = list(value)
    if isinstance(value, (StrRef, NumRef, BoolRef)) or (
            not isinstance(value, (Expr, str, list, tuple, dict, set, frozenset))) or (
            isinstance(value, str) and not is_interpolated(value)):
        found.add(f"{where}.for_each", f"must be a collection (list, set or map) or an "
                  f"expression for one (got {short_repr(value)})")
        return _INVALID
    return value


def place(body: dict[str, Any], placements: list[Placement]) -> dict[str, Any]:
    """Put rendered dynamic blocks into a JSON body, removing their placeholders."""
    for placement in placements:
        parent: Any = body
        for step in placement.path:
            parent = parent[step]
        value = parent.get(placement.block)
        if placement.shape == "list" and placement.statics and isinstance(value, list):
            parent[placement.block] = value[:placement.statics]
        elif placement.shape == "map" and isinstance(value, dict):
            kept = {k: v for k, v in value.items() if not k.startswith("\0dynamic")}
            if kept:
                parent[placement.block] = kept
            else:
                parent.pop(placement.block, None)
        else:
            parent.pop(placement.block, None)
        dynamics = parent.setdefault("dynamic", {})
        found = list(placement.dynamics)
        if placement.block in dynamics:
            previous = dynamics[placement.block]
            found = (previous if isinstance(previous, list) else [previous]) + found
        dynamics[placement.block] = found[0] if len(found) == 1 else found
        parent["dynamic"] = dict(sorted(dynamics.items()))
    return dict(sorted(body.items())) if placements else body
