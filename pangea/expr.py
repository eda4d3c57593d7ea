"""Terraform expressions as Python values.

Every reference is an :class:`Expr`. In the JSON, in ``str()`` and inside f-strings it renders
as a Terraform interpolation (``${aws_docdb_cluster.main.endpoint}``). An expression remembers
the template that created it (``_owner``) so that using it in another template is caught.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import json

if TYPE_CHECKING:
    from typing import Any, Callable, Generic, TypeVar, cast

    T = TypeVar("T")
else:
    from pangea._typing import cast

    T = "T"  # _Typed[T] ignores its subscript at run time

if TYPE_CHECKING:

    class _Typed(Generic[T]):
        """Collections are generic over their element reference for type checkers."""

else:

    class _Typed:
        # Subclassing typing.Generic costs import time on every run; at run time the element
        # type is only a subscript to accept (ListRef[StrRef] in annotations).
        __slots__ = ()

        def __class_getitem__(cls, item):
            return cls

__all__ = [
    "Expr",
    "NumExpr",
    "BoolExpr",
    "Raw",
    "Interpolation",
    "Ref",
    "StrRef",
    "NumRef",
    "BoolRef",
    "AnyRef",
    "ListRef",
    "SetRef",
    "MapRef",
    "StructRef",
    "ResourceRef",
    "Attr",
    "Computed",
    "tf",
    "is_expression",
    "is_interpolated",
    "collection",
]


class Expr:
    """A Terraform expression. ``_expr`` is its text without the ``${ }`` wrapper."""

    __slots__ = ("_expr", "_owner")

    def __init__(self, expr: str, owner: Any = None) -> None:
        self._expr = expr
        self._owner = owner

    def _render(self) -> str:
        return "${" + self._expr + "}"

    def __str__(self) -> str:
        return self._render()

    def __format__(self, spec: str) -> str:
        return self._render()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._render()!r})"

    def __bool__(self) -> bool:
        raise TypeError(
            f"{self._render()} is a Terraform expression whose value is known only at apply time; "
            "it cannot be used as a Python condition (use count or a Terraform conditional)"
        )

    def __iter__(self):
        raise TypeError(
            f"{self._render()} is a Terraform expression; it cannot be iterated in Python "
            "(index it, e.g. ref[0], or use for_each)"
        )

    # Expressions are values, not containers: equality stays identity-based so they can sit
    # in sets and dict keys.


class NumExpr(Expr):
    """An expression that may stand where a number is expected: a number reference, or an
    expression whose type pangea does not know (``tf(...)``, ``AnyRef``). Stubs type number
    parameters ``int | float | NumExpr``, so a string or bool reference there is a type error,
    while anything untyped passes (Terraform checks it)."""

    __slots__ = ()


class BoolExpr(Expr):
    """An expression that may stand where a bool is expected (as :class:`NumExpr` for numbers).
    String parameters take every expression: Terraform converts numbers and bools to strings."""

    __slots__ = ()


class Raw(NumExpr, BoolExpr):
    """A Terraform expression written by hand: ``tf("length(var.zones)")``; its type is
    unknown, so it is accepted wherever an expression is."""

    __slots__ = ()


def tf(expression: str) -> Raw:
    """Wrap a raw Terraform expression (without ``${ }``) so it can be used as any argument."""
    if not isinstance(expression, str) or not expression.strip():
        raise TypeError("tf() takes the text of a Terraform expression, e.g. tf('length(var.x)')")
    text = expression.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return Raw(text)


class Interpolation(Expr):
    """A string template with interpolations inside it: ``mongodb://${aws_x.y.endpoint}:27017``."""

    __slots__ = ()

    def _render(self) -> str:
        return self._expr


def is_interpolated(text: str) -> bool:
    """True when a string carries a ``${...}`` interpolation, so its value is known only to
    Terraform. The one place that says what makes a string an expression."""
    return "${" in text


def is_expression(value: Any) -> bool:
    """True for expressions and for strings that carry a ``${...}`` interpolation."""
    return isinstance(value, Expr) or (isinstance(value, str) and is_interpolated(value))


class Ref(Expr):
    """A reference to a value of a resource, data source, variable, local or output."""

    __slots__ = ()

    def _child(self, factory: Callable[[str, Any], "Ref"], suffix: str) -> "Ref":
        return factory(self._expr + suffix, self._owner)


class StrRef(Ref):
    __slots__ = ()


class NumRef(Ref, NumExpr):
    __slots__ = ()


class BoolRef(Ref, BoolExpr):
    __slots__ = ()


class AnyRef(Ref, NumExpr, BoolExpr):
    """A reference whose shape is not known (dynamic values, variables without a type,
    remote outputs): any attribute or index navigates further."""

    __slots__ = ()

    def __getattr__(self, name: str) -> "AnyRef":
        if name.startswith("__") or name in ("_expr", "_owner"):
            raise AttributeError(name)
        return AnyRef(f"{self._expr}.{name}", self._owner)

    def __getitem__(self, key: int | str) -> "AnyRef":
        return AnyRef(f"{self._expr}[{_index(key)}]", self._owner)


def _index(key: Any) -> str:
    if isinstance(key, bool):
        raise TypeError("a reference index is an int, a string key or an expression, not a bool")
    if isinstance(key, int):
        return str(key)
    if isinstance(key, str):
        return json.dumps(key)
    if isinstance(key, Expr):
        return key._expr
    raise TypeError(f"a reference index is an int, a string key or an expression (got {key!r})")


def collection(kind: type["_CollectionRef"], item: Any) -> Callable[[str, Any], "Ref"]:
    """Element factory for nested collections: ``collection(ListRef, StrRef)``."""

    def make(expr: str, owner: Any = None) -> Ref:
        return kind(expr, owner, item)

    return make


def _item_factory(item: Any) -> Callable[[str, Any], Ref]:
    return item if item is not None else AnyRef


class _CollectionRef(Ref):
    __slots__ = ("_item",)

    def __init__(self, expr: str, owner: Any = None, item: Any = None) -> None:
        super().__init__(expr, owner)
        self._item = item


class ListRef(_CollectionRef, _Typed[T]):
    """A list (or tuple) value: ``ref[0]`` indexes it."""

    __slots__ = ()

    def __getitem__(self, index: int | Expr) -> T:
        if isinstance(index, str):
            raise TypeError(f"{self._render()} is a list: index it with an int, not {index!r}")
        return cast(T, _item_factory(self._item)(f"{self._expr}[{_index(index)}]", self._owner))


class SetRef(_CollectionRef, _Typed[T]):
    """A set value. Terraform sets are unordered: ``ref[0]`` renders ``tolist(...)[0]``."""

    __slots__ = ()

    def __getitem__(self, index: int | Expr) -> T:
        if isinstance(index, str):
            raise TypeError(f"{self._render()} is a set: index it with an int, not {index!r}")
        return cast(T, _item_factory(self._item)(f"tolist({self._expr})[{_index(index)}]",
                                                 self._owner))


class MapRef(_CollectionRef, _Typed[T]):
    """A map value: ``ref["key"]`` looks a key up."""

    __slots__ = ()

    def __getitem__(self, key: str | Expr) -> T:
        if not isinstance(key, (str, Expr)):
            raise TypeError(f"{self._render()} is a map: look keys up with a string, not {key!r}")
        return cast(T, _item_factory(self._item)(f"{self._expr}[{_index(key)}]", self._owner))


class Attr:
    """Descriptor: ``cluster.endpoint`` -> ``StrRef("aws_docdb_cluster.main.endpoint")``.

    ``item`` is the element reference for collections; ``first`` marks a block given as a
    single object in Python but stored by Terraform as a one-element list (``[0]`` is added).
    """

    __slots__ = ("name", "factory", "item", "first")

    def __init__(self, name: str, factory: Any, item: Any = None, first: bool = False) -> None:
        self.name = name
        self.factory = factory
        self.item = item
        self.first = first

    def __get__(self, obj: Ref | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        expr = f"{obj._expr}.{self.name}" + ("[0]" if self.first else "")
        if self.item is not None:
            return self.factory(expr, obj._owner, self.item)
        return self.factory(expr, obj._owner)


class Computed:
    """Descriptor for a derived value defined in an override file.

    ``format``: a string where ``{name}`` becomes the literal input when one was given, else a
    reference to the attribute. ``expression``: a Terraform expression where ``{name}`` becomes
    the bare reference. Both return plain strings when nothing is unknown.
    """

    __slots__ = ("name", "format", "expression", "kind")

    def __init__(self, name: str, *, format: str | None = None, expression: str | None = None,
                 kind: str = "string") -> None:
        self.name = name
        self.format = format
        self.expression = expression
        self.kind = kind

    def __get__(self, obj: ResourceRef | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        if self.expression is not None:
            text = self.expression.format_map(_BareRefs(obj))
            factory = {"string": StrRef, "number": NumRef, "bool": BoolRef}.get(self.kind, AnyRef)
            return factory(text, obj._owner)
        values = _FormatValues(obj)
        text = (self.format or "").format_map(values)
        return Interpolation(text, obj._owner) if values.unknown else text


class _BareRefs(dict):
    def __init__(self, ref: ResourceRef) -> None:
        super().__init__()
        self.ref = ref

    def __missing__(self, key: str) -> str:
        return f"{self.ref._expr}.{key}"


class _FormatValues(dict):
    def __init__(self, ref: ResourceRef) -> None:
        super().__init__()
        self.ref = ref
        self.unknown = False

    def __missing__(self, key: str) -> str:
        value = self.ref._inputs.get(key)
        if value is None or isinstance(value, (dict, list, tuple, set, frozenset)):
            self.unknown = True
            return "${" + f"{self.ref._expr}.{key}" + "}"
        if isinstance(value, Expr):
            self.unknown = True
            return value._render()
        if isinstance(value, bool):
            return "true" if value else "false"
        text = str(value)
        if is_interpolated(text):
            self.unknown = True
        return text


class StructRef(Ref):
    """Base of generated references with named attributes (types, blocks, objects)."""

    __slots__ = ()

    @classmethod
    def _attribute_names(cls) -> tuple[str, ...]:
        """Every attribute and computed property, for error messages (found when needed, so
        defining the many generated classes stays cheap)."""
        names = {name for klass in cls.__mro__ for name, value in vars(klass).items()
                 if isinstance(value, (Attr, Computed))}
        return tuple(sorted(names))

    if not TYPE_CHECKING:  # type checkers should flag unknown attributes, not accept them

        def __getattr__(self, name: str) -> Any:
            if name.startswith("__") or name in ("_expr", "_owner"):
                raise AttributeError(name)
            import difflib

            valid = self._attribute_names()
            close = difflib.get_close_matches(name, valid, n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise AttributeError(
                f"{self._render()} has no attribute {name!r}.{hint} "
                f"Valid attributes: {', '.join(valid)}"
            )


class ResourceRef(StructRef):
    """Reference to a declared resource or data source.

    ``_address`` is what ``depends_on`` takes; ``_inputs`` are the validated arguments (used by
    computed properties to fold literal inputs into their value).
    """

    __slots__ = ("_inputs",)

    def __init__(self, expr: str, owner: Any = None, inputs: dict[str, Any] | None = None) -> None:
        # Expr's slots set here, not through super(): one is made per resource call
        self._expr = expr
        self._owner = owner
        self._inputs = inputs or {}

    @property
    def _address(self) -> str:
        return self._expr

    def __getitem__(self, index: int | str | Expr) -> "ResourceRef":
        """One instance of a resource declared with ``count`` or ``for_each``."""
        return type(self)(f"{self._expr}[{_index(index)}]", self._owner, self._inputs)
