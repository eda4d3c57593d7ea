"""Terraform type constraints (``list(object({name = string}))``) parsed, and Python
literals checked against them with Terraform's own conversions, so that only what Terraform
would reject is reported."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from pangea.expr import Expr


class TfType(NamedTuple):
    kind: str  # string number bool any list set map object tuple
    item: "TfType | None" = None
    attrs: tuple[tuple[str, "TfType", bool], ...] = ()  # object: (name, type, optional)
    items: tuple["TfType", ...] = ()  # tuple

    def describe(self) -> str:
        if self.kind in ("list", "set", "map") and self.item is not None:
            return f"{self.kind}({self.item.describe()})"
        if self.kind == "object":
            inner = ", ".join(f"{n} = {'optional(' + t.describe() + ')' if o else t.describe()}"
                              for n, t, o in self.attrs)
            return "object({" + inner + "})"
        if self.kind == "tuple":
            return "tuple([" + ", ".join(t.describe() for t in self.items) + "])"
        return self.kind


ANY = TfType("any")
_TOKEN = re.compile(r'\s*(?:([A-Za-z_][A-Za-z0-9_-]*)|("(?:[^"\\]|\\.)*")|(.))', re.DOTALL)


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = [m.group(1) or m.group(2) or m.group(3)
                     for m in _TOKEN.finditer(text) if (m.group(1) or m.group(2) or m.group(3))]
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok != expected):
            raise ValueError(f"expected {expected or 'a type'}, found {tok or 'the end'}")
        self.i += 1
        return tok

    def type(self) -> TfType:
        name = self.take()
        if name in ("string", "number", "bool", "any"):
            return TfType(name)
        if name in ("list", "set", "map"):
            self.take("(")
            item = self.type()
            self.take(")")
            return TfType(name, item)
        if name == "object":
            self.take("(")
            self.take("{")
            attrs = []
            while self.peek() not in ("}", None):
                if self.peek() in (",", "\n"):
                    self.take()
                    continue
                attr = self.take().strip('"')
                self.take("=")
                optional = self.peek() == "optional"
                if optional:
                    self.take()
                    self.take("(")
                    attr_type = self.type()
                    self.skip_to_close()
                else:
                    attr_type = self.type()
                attrs.append((attr, attr_type, optional))
            self.take("}")
            self.take(")")
            return TfType("object", attrs=tuple(attrs))
        if name == "tuple":
            self.take("(")
            self.take("[")
            items = []
            while self.peek() not in ("]", None):
                if self.peek() == ",":
                    self.take()
                    continue
                items.append(self.type())
            self.take("]")
            self.take(")")
            return TfType("tuple", items=tuple(items))
        raise ValueError(f"unknown type {name!r}")

    def skip_to_close(self) -> None:
        """After optional(T: skip an optional default expression and the closing paren."""
        depth = 1
        while depth:
            tok = self.take()
            depth += tok in "([{" if len(tok) == 1 else 0
            depth -= tok in ")]}" if len(tok) == 1 else 0


def parse_type(text: str | None) -> TfType:
    """The type a constraint describes; ``any`` for no constraint or one not understood."""
    if text is None:
        return ANY
    try:
        parser = _Parser(text)
        found = parser.type()
        return found if parser.peek() is None else ANY
    except (ValueError, IndexError):
        return ANY


_NUMERIC = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$")


def problems(value: Any, expected: TfType, path: str = "") -> list[tuple[str, str]]:
    """What Terraform would refuse when converting ``value`` to ``expected``."""
    if value is None or isinstance(value, Expr) or expected.kind == "any":
        return []
    if isinstance(value, str) and "${" in value:
        return []
    kind = expected.kind
    found = _describe(value)
    if kind == "string":
        ok = isinstance(value, (str, int, float))
        return [] if ok else [(path, f"expected a string, got {found}")]
    if kind == "number":
        ok = (isinstance(value, (int, float)) and not isinstance(value, bool)) or (
            isinstance(value, str) and _NUMERIC.match(value) is not None)
        return [] if ok else [(path, f"expected a number, got {found}")]
    if kind == "bool":
        ok = isinstance(value, bool) or value in ("true", "false")
        return [] if ok else [(path, f"expected true or false, got {found}")]
    if kind in ("list", "set"):
        if not isinstance(value, (list, tuple, set, frozenset)):
            return [(path, f"expected a {kind}, got {found}")]
        assert expected.item is not None
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [p for i, v in enumerate(items) for p in problems(v, expected.item, f"{path}[{i}]")]
    if kind == "map":
        if not isinstance(value, dict):
            return [(path, f"expected a map, got {found}")]
        assert expected.item is not None
        return [p for k, v in value.items() for p in problems(v, expected.item, f"{path}[{k!r}]")]
    if kind == "object":
        if not isinstance(value, dict):
            return [(path, f"expected an object, got {found}")]
        out = []
        for name, attr_type, optional in expected.attrs:
            here = f"{path}.{name}" if path else name
            if name not in value:
                if not optional:
                    out.append((here, "missing object attribute (required by the type "
                                      f"{expected.describe()})"))
                continue
            out += problems(value[name], attr_type, here)
        return out
    if kind == "tuple":
        if not isinstance(value, (list, tuple)) or len(value) != len(expected.items):
            return [(path, f"expected a tuple of {len(expected.items)} element(s), got {found}")]
        return [p for i, (v, t) in enumerate(zip(value, expected.items))
                for p in problems(v, t, f"{path}[{i}]")]
    return []


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"bool {value}"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {value[:40]!r}"
    if isinstance(value, dict):
        return "a dict"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)}"
    if isinstance(value, (set, frozenset)):
        return f"a set of {len(value)}"
    return type(value).__name__
