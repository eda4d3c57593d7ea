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


class _Fixed(Node):
    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema

    def core(self) -> dict[str, Any]:
        return self.schema


STR: Node = _Fixed(_union({"type": "str", "strict": True}, _EXPR))
NUM: Node = _Fixed(_union({"type": "int", "strict": True}, {"type": "float", "strict": True},
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
