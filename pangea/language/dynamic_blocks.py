"""``dynamic`` blocks: a nested block repeated over a collection known at plan time.

``dynamic(for_each=var.rules, content=lambda rule: {"port": rule.value.port})`` is a block
value: give it where the block goes (``ingress=dynamic(...)``, alone or in a list with literal
blocks, or inside another block's dict). Its content is validated as the block itself (keys,
types, required arguments and rules of the provider's block schema) and rendered as
Terraform's ``"dynamic": {"<block>": {"for_each": ..., "iterator": ..., "content": {...}}}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable, NamedTuple

from pangea.context import TemplateContext, check_name
from pangea.errors import TemplateError, ValidationError
from pangea.expr import AnyRef, BoolRef, Expr, NumRef, StrRef, is_interpolated
from pangea.struct import StructModel, short_repr

__all__ = ["Dynamic", "DynamicIterator", "dynamic"]

USED = False  # set once any dynamic() exists, so resources without them skip the search


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
    the JSON (default: the block's name, as in Terraform)."""
    global USED
    USED = True
    if not (isinstance(content, dict) or callable(content)):
        raise TemplateError(f"dynamic(content=...) must be a dict of the block's arguments or a "
                            f"callable returning one (got {short_repr(content)})")
    return Dynamic(for_each, content, iterator, labels)


class Placement(NamedTuple):
    """Where the dynamic JSON goes: the body path of the parent block, and how many literal
    blocks precede the placeholders (placeholders are removed after validation)."""

    path: tuple[Any, ...]
    block: str
    shape: str
    statics: int
    dynamics: tuple[dict[str, Any], ...]


def contains_dynamic(value: Any) -> bool:
    if isinstance(value, Dynamic):
        return True
    if isinstance(value, dict):
        return any(contains_dynamic(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_dynamic(v) for v in value)
    return False


def extract_call(model: type[StructModel], ctx: TemplateContext, address: str, attrs: Any,
                 kwargs: dict[str, Any]) -> tuple[Any, dict[str, Any], list[Placement]]:
    """Replace dynamic values in a resource call by placeholders; returns the new attrs and
    kwargs and where the rendered dynamic blocks go."""
    placements: list[Placement] = []
    if isinstance(attrs, dict) and contains_dynamic(attrs):
        attrs = _extract(model, ctx, address, attrs, (), "", placements)
    if contains_dynamic(kwargs):
        kwargs = _extract(model, ctx, address, kwargs, (), "", placements)
    return attrs, kwargs, placements


def _py_name(model: type[StructModel], tf_name: str) -> str:
    for py, tf in model._tf_names.items():
        if tf == tf_name:
            return py
    return tf_name


def _shape(model: type[StructModel], tf_name: str) -> str:
    field = model._fields.get(_py_name(model, tf_name))
    return getattr(getattr(field, "node", None), "shape", "list")


def _extract(model: type[StructModel], ctx: TemplateContext, address: str, data: dict[str, Any],
             path: tuple[Any, ...], where: str, placements: list[Placement]) -> dict[str, Any]:
    out = dict(data)
    for key, value in data.items():
        tf = model._tf_names.get(key, key)
        here = f"{where}.{tf}" if where else tf
        block_model = model._blocks.get(tf)
        if block_model is None:
            if contains_dynamic(value):
                raise ValidationError(address, [(here, f"{tf} is an argument, not a nested block; "
                                                 "dynamic(...) builds blocks only (use for_expr(...) "
                                                 "for a computed argument value)")],
                                      template=ctx.name)
            continue
        shape = _shape(model, tf)
        items = value if isinstance(value, (list, tuple)) else [value]
        if shape == "map" and isinstance(value, dict) and not isinstance(value, Dynamic):
            out[key] = {label: _extract(block_model, ctx, address, item, path + (tf, label),
                                        f"{here}[{label!r}]", placements)
                        if isinstance(item, dict) else item for label, item in value.items()}
            continue
        if not any(isinstance(i, Dynamic) for i in items):
            if isinstance(value, dict):
                out[key] = _extract(block_model, ctx, address, value, path + (tf,), here,
                                    placements)
            elif isinstance(value, (list, tuple)):
                out[key] = [_extract(block_model, ctx, address, item, path + (tf, index),
                                     f"{here}[{index}]", placements)
                            if isinstance(item, dict) else item
                            for index, item in enumerate(value)]
            continue
        statics = [i for i in items if not isinstance(i, Dynamic)]
        if statics and shape != "list":
            raise ValidationError(address, [(here, "a block that appears once cannot mix a "
                                             "literal block and dynamic(...)")],
                                  template=ctx.name)
        rendered, instances = [], []
        for dyn in (i for i in items if isinstance(i, Dynamic)):
            json, instance = _render(block_model, ctx, address, tf, here, dyn)
            rendered.append(json)
            instances.append(instance)
        if shape == "one":
            if len(instances) > 1:
                raise ValidationError(address, [(here, "a block that appears once takes one "
                                                 "dynamic(...)")], template=ctx.name)
            out[key] = instances[0]
        elif shape == "map":
            out[key] = {f"\0dynamic{i}": inst for i, inst in enumerate(instances)}
        else:
            out[key] = [_extract(block_model, ctx, address, item, path + (tf, index),
                                 f"{here}[{index}]", placements) if isinstance(item, dict)
                        else item for index, item in enumerate(statics)] + instances
        placements.append(Placement(path, tf, shape, len(statics), tuple(rendered)))
    return out


def _render(block_model: type[StructModel], ctx: TemplateContext, address: str, block: str,
            here: str, dyn: Dynamic) -> tuple[dict[str, Any], StructModel]:
    name = block if dyn.iterator is None else check_name("dynamic iterator", dyn.iterator, ctx)
    prefix = f"{here} (dynamic).content"
    content = dyn.content(DynamicIterator(name)) if callable(dyn.content) else dyn.content
    if not isinstance(content, dict):
        raise ValidationError(address, [(prefix, f"the content callable must return a dict of "
                                         f"the block's arguments (got {short_repr(content)})")],
                              template=ctx.name)
    nested: list[Placement] = []
    content = _extract(block_model, ctx, address, content, (), prefix, nested)
    try:
        instance = block_model.model_validate(content, address=address)
    except ValidationError as exc:
        problems = [(f"{prefix}.{p}" if p and not p.startswith("[") else f"{prefix}{p}", m)
                    for p, m in exc.problems]
        raise ValidationError(address, problems, template=ctx.name) from None
    body, problems, _ = ctx.json_struct(instance, address, prefix)
    if problems:
        raise ValidationError(address, problems, template=ctx.name)
    body = place(body, nested)
    json: dict[str, Any] = {"for_each": _for_each(ctx, address, here, dyn.for_each)}
    if dyn.iterator is not None:
        json["iterator"] = name
    if dyn.labels is not None:
        json["labels"] = ctx.json_value(list(dyn.labels), address, f"{here} (dynamic).labels")
    json["content"] = body
    return json, instance


def _for_each(ctx: TemplateContext, address: str, here: str, value: Any) -> Any:
    where = f"{here} (dynamic).for_each"
    if isinstance(value, Iterator):
        value = list(value)
    if isinstance(value, (StrRef, NumRef, BoolRef)) or (
            not isinstance(value, (Expr, str, list, tuple, dict, set, frozenset))) or (
            isinstance(value, str) and not is_interpolated(value)):
        raise ValidationError(address, [(where, f"must be a collection (list, set or map) or "
                                         f"an expression for one (got {short_repr(value)})")],
                              template=ctx.name)
    return ctx.json_value(value, address, where)


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
