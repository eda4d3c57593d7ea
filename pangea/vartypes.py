"""Terraform type constraints for ``variable(type=...)``: parsed, and defaults checked against them.

The syntax is Terraform's: ``string``, ``number``, ``bool``, ``any``, ``list(T)``, ``set(T)``,
``map(T)``, ``object({name = T, ...})`` with ``optional(T[, default])`` attributes, and
``tuple([T, ...])``. A default is checked with Terraform's conversions: a number or bool becomes
a string, a numeric string a number, "true"/"false" a bool; an object drops attributes its type
does not name and needs every attribute not marked optional.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import json
import re

if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from pangea._typing import NamedTuple

from pangea.expr import is_interpolated
from pangea.lazy_re import lazy_compile

PRIMITIVES = ("string", "number", "bool", "any")
COLLECTIONS = ("list", "set", "map")
KEYWORDS = PRIMITIVES + COLLECTIONS + ("object", "tuple")


class TypeSyntaxError(ValueError):
    """The type expression is not one Terraform accepts; ``str()`` says why."""


class Attribute(NamedTuple):
    type: "TfType"
    optional: bool = False
    default: Any = None  # a literal default of optional(T, default); None when absent/unknown


class TfType(NamedTuple):
    kind: str  # string, number, bool, any, list, set, map, object, tuple
    element: "TfType | None" = None  # list, set, map
    attributes: "dict[str, Attribute] | None" = None  # object
    items: "tuple[TfType, ...] | None" = None  # tuple

    def __str__(self) -> str:
        if self.element is not None:
            return f"{self.kind}({self.element})"
        if self.attributes is not None:
            inner = ", ".join(f"{k} = {'optional(' + str(a.type) + ')' if a.optional else a.type}"
                              for k, a in self.attributes.items())
            return f"object({{{inner}}})"
        if self.items is not None:
            return f"tuple([{', '.join(map(str, self.items))}])"
        return self.kind


_TOKEN = lazy_compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)'
    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_-]*)|(?P<punct>[()\[\]{},=:])|(?P<other>\S))",
    re.S,
)


def _tokens(text: str) -> tuple[list[tuple[str, str]], set[int]]:
    """The tokens, and the indexes of those that start a new line (object separators)."""
    tokens: list[tuple[str, str]] = []
    new_lines: set[int] = set()
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise TypeSyntaxError(f"unexpected {text[position:].strip()[:20]!r} in the type")
        kind = match.lastgroup or ""
        if "\n" in text[position:match.start(kind)]:
            new_lines.add(len(tokens))
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens, new_lines


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens, self.new_lines = _tokens(text)
        self.index = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise TypeSyntaxError(f"the type ends early{f'; expected {expected!r}' if expected else ''}")
        if expected is not None and token[1] != expected:
            raise TypeSyntaxError(f"expected {expected!r}, found {token[1]!r}")
        self.index += 1
        return token

    def type(self, in_object: bool = False, top: bool = False) -> tuple[TfType, bool, Any]:
        """A type; in an object attribute also optional(...): (type, optional, default)."""
        kind, word = self.take()
        if kind != "ident":
            raise TypeSyntaxError(f"expected a type, found {word!r}")
        if word == "optional":
            if not in_object:
                raise TypeSyntaxError("optional(...) is allowed only for object attributes")
            self.take("(")
            inner, _, _ = self.type()
            default = None
            if self.peek() == ("punct", ","):
                self.take(",")
                default = self.default_value()
            self.take(")")
            return inner, True, default
        if word in PRIMITIVES:
            return TfType(word), False, None
        if word in COLLECTIONS:
            if self.peek() != ("punct", "(") and word in ("list", "map") and top:
                # Terraform still takes the legacy bare forms, as list(any) and map(any), but
                # only as the whole type.
                return TfType(word, element=TfType("any")), False, None
            if self.peek() != ("punct", "("):
                raise TypeSyntaxError(
                    f"the {word} type needs its element type, e.g. {word}(string)")
            self.take("(")
            element, _, _ = self.type()
            self.take(")")
            return TfType(word, element=element), False, None
        if word == "object":
            return self.object_type(), False, None
        if word == "tuple":
            self.take("(")
            self.take("[")
            items: list[TfType] = []
            while self.peek() != ("punct", "]"):
                items.append(self.type()[0])
                if self.peek() == ("punct", ","):
                    self.take(",")
                elif self.peek() != ("punct", "]"):
                    raise TypeSyntaxError("expected ',' or ']' in the tuple's types")
            self.take("]")
            self.take(")")
            return TfType("tuple", items=tuple(items)), False, None
        import difflib  # imported only when there is a mistake to explain

        close = difflib.get_close_matches(word, KEYWORDS, n=1)
        suggestion = f"; did you mean {close[0]!r}?" if close else ""
        raise TypeSyntaxError(f"{word!r} is not a type{suggestion}")

    def object_type(self) -> TfType:
        self.take("(")
        self.take("{")
        attributes: dict[str, Attribute] = {}
        while self.peek() != ("punct", "}"):
            kind, key = self.take()
            if kind != "ident":  # Terraform refuses quoted names here too
                raise TypeSyntaxError(f"expected an attribute name, found {key!r}")
            if key in attributes:
                raise TypeSyntaxError(f"attribute {key!r} is given twice in the object type")
            separator = self.take()
            if separator[1] not in ("=", ":"):
                raise TypeSyntaxError(f"expected '=' after attribute {key!r}")
            inner, optional, default = self.type(in_object=True)
            attributes[key] = Attribute(inner, optional, default)
            if self.peek() == ("punct", ","):
                self.take(",")
            elif self.peek() != ("punct", "}") and self.index not in self.new_lines:
                raise TypeSyntaxError(f"expected ',' or a new line after attribute {key!r}")
        self.take("}")
        self.take(")")
        return TfType("object", attributes=attributes)

    def default_value(self) -> Any:
        """A literal default; anything else is left to Terraform (returned as None)."""
        start = self.index
        try:
            value = self.literal()
            if self.peek() != ("punct", ")"):
                raise TypeSyntaxError("not a plain literal")
            return value
        except TypeSyntaxError:
            self.index = start
            depth = 0
            while (token := self.peek()) is not None:
                if token[1] in "([{":
                    depth += 1
                elif token[1] in ")]}":
                    if depth == 0:
                        return None
                    depth -= 1
                self.index += 1
            return None

    def literal(self) -> Any:
        kind, word = self.take()
        if kind == "string":
            return json.loads(word)
        if kind == "number":
            return float(word) if any(c in word for c in ".eE") else int(word)
        if kind == "ident" and word in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[word]
        if word == "[":
            values = []
            while self.peek() != ("punct", "]"):
                values.append(self.literal())
                if self.peek() == ("punct", ","):
                    self.take(",")
            self.take("]")
            return values
        if word == "{":
            mapping = {}
            while self.peek() != ("punct", "}"):
                key_kind, key = self.take()
                key = json.loads(key) if key_kind == "string" else key
                if self.take()[1] not in ("=", ":"):
                    raise TypeSyntaxError("expected '=' in a map")
                mapping[key] = self.literal()
                if self.peek() == ("punct", ","):
                    self.take(",")
            self.take("}")
            return mapping
        raise TypeSyntaxError(f"{word!r} is not a literal")


def parse_type(text: str) -> TfType:
    """Parse a Terraform type constraint; raise TypeSyntaxError saying what is wrong."""
    parser = _Parser(text)
    parsed, _, _ = parser.type(top=True)
    rest = parser.peek()
    if rest is not None:
        raise TypeSyntaxError(f"unexpected {rest[1]!r} after the type {parsed}")
    return parsed


_NUMBER = lazy_compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def conform(value: Any, tf_type: TfType, path: str = "",
            sensitive: bool = False) -> list[tuple[str, str]]:
    """Problems converting a JSON value to ``tf_type`` as Terraform would: (path, message).

    ``sensitive``: the value is never quoted in a message."""
    if value is None or tf_type.kind == "any":
        return []
    if isinstance(value, str) and is_interpolated(value):
        return []  # an expression: Terraform evaluates it
    kind = tf_type.kind
    shown = "a sensitive value" if sensitive else _shown(value)
    if kind == "string":
        if isinstance(value, (str, int, float)):  # bool is an int: converts too
            return []
        return [(path, f"must be a string (got {shown})")]
    if kind == "number":
        if isinstance(value, bool):
            return [(path, f"must be a number (got {shown})")]
        if isinstance(value, (int, float)) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
            return []
        return [(path, f"must be a number (got {shown})")]
    if kind == "bool":
        if isinstance(value, bool) or value in ("true", "false", "1", "0"):
            return []
        return [(path, f"must be a bool (got {shown})")]
    if kind in ("list", "set"):
        if not isinstance(value, list):
            return [(path, f"must be a {kind} (got {shown})")]
        problems = []
        assert tf_type.element is not None
        for index, item in enumerate(value):
            problems += conform(item, tf_type.element, f"{path}[{index}]", sensitive)
        return problems
    if kind == "map":
        if not isinstance(value, dict):
            return [(path, f"must be a map (got {shown})")]
        problems = []
        assert tf_type.element is not None
        for key, item in value.items():
            problems += conform(item, tf_type.element, f"{path}[{key!r}]", sensitive)
        return problems
    if kind == "object":
        if not isinstance(value, dict):
            return [(path, f"must be an object (got {shown})")]
        problems = []
        assert tf_type.attributes is not None
        for name, attribute in tf_type.attributes.items():
            here = f"{path}.{name}" if path else name
            if name in value:
                problems += conform(value[name], attribute.type, here, sensitive)
            elif not attribute.optional:
                problems.append((here, "is required by the object type (or mark it optional)"))
        return problems
    assert kind == "tuple" and tf_type.items is not None
    if not isinstance(value, list) or len(value) != len(tf_type.items):
        return [(path, f"must be a tuple of {len(tf_type.items)} values (got {shown})")]
    problems = []
    for index, (item, item_type) in enumerate(zip(value, tf_type.items)):
        problems += conform(item, item_type, f"{path}[{index}]", sensitive)
    return problems


def check_optional_defaults(tf_type: TfType, path: str = "") -> list[tuple[str, str]]:
    """optional(T, default): each literal default must convert to T, as Terraform checks."""
    problems: list[tuple[str, str]] = []
    if tf_type.attributes:
        for name, attribute in tf_type.attributes.items():
            here = f"{path}.{name}" if path else name
            if attribute.optional and attribute.default is not None:
                problems += conform(attribute.default, attribute.type, f"{here} (optional default)")
            problems += check_optional_defaults(attribute.type, here)
    for inner in ([tf_type.element] if tf_type.element else []) + list(tf_type.items or ()):
        problems += check_optional_defaults(inner, path)
    return problems


def _shown(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."
