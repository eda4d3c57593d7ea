"""Argument types of the generated models, as pydantic-core schemas.

Every argument accepts a literal of its Terraform type or a Terraform expression. Primitive
literals are strict (``"5"`` is not a number, ``1`` is not a bool: a silently converted value
is a bug waiting to happen); a tuple is as good as a list, and a Python set stays a set (it is
sorted in the JSON, so output does not depend on hash order).

Generated modules describe each field with these nodes (``list_of(STR)``, ``block(Cls)``);
the nodes become pydantic-core schemas when a model's validator is first needed.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from typing import Any

from pangea.expr import Expr
from pangea.rust_pattern import rust_pattern
from pangea.validation import Length, OneOf, Pattern, Range

if TYPE_CHECKING:
    from pangea.struct import StructModel

_EXPR = {"type": "is-instance", "cls": Expr}
# A string holding a Terraform interpolation, accepted where a non-string literal is expected.
_INTERP = {"type": "str", "strict": True, "pattern": r"\$\{"}


def _union(*choices: dict[str, Any]) -> dict[str, Any]:
    return {"type": "union", "choices": list(choices)}


class Node:
    """A field type; ``core()`` is its pydantic-core schema."""

    def core(self) -> dict[str, Any]:
        raise NotImplementedError

    def constrained(self, rules: Any) -> tuple[dict[str, Any], list[Any]]:
        """The schema carrying what of ``rules`` (one attribute's) pydantic-core can check
        itself, and the rules it carries (pangea.typed_body). Interpolated strings and
        expressions still pass, as the rules let them. By default: none."""
        return self.core(), []


class _Fixed(Node):
    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema

    def core(self) -> dict[str, Any]:
        return self.schema


class _Text(_Fixed):
    """A string: a length, and a pattern Rust reads alike (pangea.rust_pattern); or an enum
    of strings alone."""

    def constrained(self, rules: Any) -> tuple[dict[str, Any], list[Any]]:
        enums = [rule for rule in rules if isinstance(rule, OneOf)]
        if enums:
            if all(type(value) is str for value in enums[0].allowed):
                literal = {"type": "literal", "expected": list(enums[0].allowed)}
                return _union(literal, _INTERP, _EXPR), enums[:1]
            return self.core(), []
        text: dict[str, Any] = {}
        used: list[Any] = []
        lengths = [rule for rule in rules if isinstance(rule, Length)][:1]
        if lengths:
            text.update(_bounds(lengths[0], "min_length", "max_length"))
            used += lengths
        for rule in rules:
            if isinstance(rule, Pattern):
                pattern = rust_pattern(rule.regex)
                if pattern is not None:
                    text["pattern"] = pattern
                    used.append(rule)
                    break
        if not used:
            return self.core(), []
        return _union({"type": "str", "strict": True, **text}, _INTERP, _EXPR), used


class _Number(_Fixed):
    """A number: a range (an int's bounds rounded inward: 0.5 <= n is 1 <= n for an int)."""

    def constrained(self, rules: Any) -> tuple[dict[str, Any], list[Any]]:
        ranges = [rule for rule in rules if isinstance(rule, Range)][:1]
        if not ranges:
            return self.core(), []
        low, high = ranges[0].min, ranges[0].max
        # ceil and floor without math (an extension module to load): x // 1 is floor(x)
        whole = {"min": None if low is None else -int(-low // 1),
                 "max": None if high is None else int(high // 1)}
        return _union({"type": "int", "strict": True, **_bounds(whole, "ge", "le")},
                      {"type": "float", "strict": True, **_bounds(ranges[0], "ge", "le")},
                      _EXPR, _INTERP), ranges


def _bounds(source: Any, low_key: str, high_key: str) -> dict[str, Any]:
    """``min``/``max`` of a rule (or a dict of them) under pydantic-core's keys, when set."""
    low, high = (source["min"], source["max"]) if isinstance(source, dict) else (source.min,
                                                                                 source.max)
    return {key: value for key, value in ((low_key, low), (high_key, high)) if value is not None}


def _sizes(rules: Any) -> tuple[dict[str, Any], list[Any]]:
    """A collection's item-count bounds, from its first Length rule."""
    for rule in rules:
        if isinstance(rule, Length):
            return _bounds(rule, "min_length", "max_length"), [rule]
    return {}, []


STR: Node = _Text(_union({"type": "str", "strict": True}, _EXPR))
NUM: Node = _Number(_union({"type": "int", "strict": True}, {"type": "float", "strict": True},
                           _EXPR, _INTERP))
BOOL: Node = _Fixed(_union({"type": "bool", "strict": True}, _EXPR, _INTERP))
ANY: Node = _Fixed({"type": "any"})


class Sequence(Node):
    def __init__(self, item: Node, *, as_set: bool) -> None:
        self.item = item
        self.as_set = as_set

    def core(self, item: dict[str, Any] | None = None,
             sizes: dict[str, Any] | None = None) -> dict[str, Any]:
        """``item``: the element schema instead of the node's; ``sizes``: item-count bounds
        (pangea.typed_body carries rules so)."""
        item = self.item.core() if item is None else item
        sizes = sizes or {}
        choices = [{"type": "list", "items_schema": item, "strict": True, **sizes},
                   {"type": "tuple", "items_schema": [item], "variadic_item_index": 0,
                    "strict": True, **sizes}]
        if self.as_set:
            choices += [{"type": "set", "items_schema": item, "strict": True, **sizes},
                        {"type": "frozenset", "items_schema": item, "strict": True, **sizes}]
        return _union(*choices, _EXPR, _INTERP)

    def constrained(self, rules: Any) -> tuple[dict[str, Any], list[Any]]:
        # the rules judging each element go to the item; a Length counts the items
        item, used = self.item.constrained([rule for rule in rules if rule.per_item])
        sizes, sized = _sizes(rules)
        if not used and not sized:
            return self.core(), []
        return self.core(item=item, sizes=sizes), used + sized


def list_of(item: Node) -> Node:
    return Sequence(item, as_set=False)


def set_of(item: Node) -> Node:
    return Sequence(item, as_set=True)


class Mapping(Node):
    def __init__(self, value: Node) -> None:
        self.value = value

    def core(self, sizes: dict[str, Any] | None = None) -> dict[str, Any]:
        return _union({"type": "dict", "keys_schema": {"type": "str", "strict": True},
                       "values_schema": self.value.core(), **(sizes or {})}, _EXPR, _INTERP)

    def constrained(self, rules: Any) -> tuple[dict[str, Any], list[Any]]:
        sizes, sized = _sizes(rules)  # only a length: the other rules judge a map as a whole
        return self.core(sizes=sizes), sized


def map_of(value: Node) -> Node:
    return Mapping(value)


class _Tuple(Node):
    def __init__(self, items: tuple[Node, ...]) -> None:
        self.items = items

    def core(self) -> dict[str, Any]:
        return _union({"type": "tuple", "items_schema": [i.core() for i in self.items]},
                      _EXPR, _INTERP)


def tuple_of(*items: Node) -> Node:
    return _Tuple(items)


class _Struct(Node):
    """A nested model: an object-typed attribute (``expression`` allowed) or a block."""

    def __init__(self, model: type["StructModel"], shape: str, expression: bool) -> None:
        self.model = model
        self.shape = shape
        self.expression = expression

    def core(self) -> dict[str, Any]:
        one = self.model.__core_schema__()
        if self.shape == "one":
            schema = one
        elif self.shape == "list":
            schema = {"type": "list", "items_schema": one}
        else:
            schema = {"type": "dict", "keys_schema": {"type": "str", "strict": True},
                      "values_schema": one}
        return _union(schema, _EXPR, _INTERP) if self.expression else schema


def obj(model: type["StructModel"]) -> Node:
    """An object-typed attribute: a dict (or model) of its attributes, or an expression."""
    return _Struct(model, "one", expression=True)


def block(model: type["StructModel"]) -> Node:
    """A block given as one dict."""
    return _Struct(model, "one", expression=False)


def block_list(model: type["StructModel"]) -> Node:
    """A list or set block: a list of dicts."""
    return _Struct(model, "list", expression=False)


def block_map(model: type["StructModel"]) -> Node:
    """A map block: label -> dict."""
    return _Struct(model, "map", expression=False)


class F:
    """One field of a generated model: its type, whether it is required, its Terraform name
    when that differs from the Python one, and a default written to the JSON."""

    __slots__ = ("node", "required", "alias", "default")

    def __init__(self, node: Node, *, required: bool = False, alias: str | None = None,
                 default: Any = None) -> None:
        self.node = node
        self.required = required
        self.alias = alias
        self.default = default
