"""Rules from override files, checked on literal values when a resource function is called.

Each rule yields ``(path, message)`` problems. A value that is a Terraform expression is
never judged: its value is only known to Terraform.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping, Sized

from pangea.expr import is_expression

Problem = tuple[str, str]


class _Rule:
    """Rules are plain slotted classes: generated modules create many of them at import time,
    and dataclasses would compile methods for each class when pangea is imported."""

    __slots__: tuple[str, ...] = ()

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__
                         if not name.startswith("_"))
        return f"{type(self).__name__}({args})"


def _is_set(values: Mapping[str, Any], name: str) -> bool:
    return values.get(name) is not None


def _literal(value: Any) -> bool:
    return value is not None and not is_expression(value)


def _show(value: Any, sensitive: bool) -> str:
    return "(sensitive value hidden)" if sensitive else repr(value)


class Range(_Rule):
    __slots__ = ("attr", "min", "max")

    def __init__(self, attr: str, min: float | None = None, max: float | None = None) -> None:
        self.attr, self.min, self.max = attr, min, max

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> Iterator[Problem]:
        value = values.get(self.attr)
        if not _literal(value) or isinstance(value, bool) or not isinstance(value, (int, float)):
            return
        low, high = self.min, self.max
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                bound = f"between {_num(low)} and {_num(high)}"
            elif low is not None:
                bound = f"at least {_num(low)}"
            else:
                assert high is not None
                bound = f"at most {_num(high)}"
            yield self.attr, f"must be {bound} (got {_show(value, self.attr in sensitive)})"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class Length(_Rule):
    __slots__ = ("attr", "min", "max")

    def __init__(self, attr: str, min: int | None = None, max: int | None = None) -> None:
        self.attr, self.min, self.max = attr, min, max

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> Iterator[Problem]:
        value = values.get(self.attr)
        if not _literal(value) or not isinstance(value, Sized):
            return
        size = len(value)
        unit = "characters" if isinstance(value, str) else "items"
        if self.min is not None and size < self.min:
            yield self.attr, f"must have at least {self.min} {unit} (got {size})"
        if self.max is not None and size > self.max:
            yield self.attr, f"must have at most {self.max} {unit} (got {size})"


class Pattern(_Rule):
    __slots__ = ("attr", "regex", "description", "_compiled")

    def __init__(self, attr: str, regex: str, description: str | None = None) -> None:
        self.attr, self.regex, self.description = attr, regex, description
        self._compiled = re.compile(regex)

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> Iterator[Problem]:
        value = values.get(self.attr)
        items = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        for item in items:
            if isinstance(item, str) and _literal(item) and not self._compiled.fullmatch(item):
                what = self.description or f"a value matching {self.regex}"
                yield self.attr, f"has the wrong format: expected {what} (got {_show(item, self.attr in sensitive)})"


class OneOf(_Rule):
    __slots__ = ("attr", "allowed")

    def __init__(self, attr: str, allowed: tuple[Any, ...]) -> None:
        self.attr, self.allowed = attr, allowed

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> Iterator[Problem]:
        value = values.get(self.attr)
        items = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        for item in items:
            if _literal(item) and item not in self.allowed:
                choices = ", ".join(repr(a) for a in self.allowed)
                yield self.attr, f"must be one of {choices} (got {_show(item, self.attr in sensitive)})"


def _names(attrs: tuple[str, ...]) -> str:
    return ", ".join(attrs[:-1]) + f" or {attrs[-1]}" if len(attrs) > 1 else attrs[0]


class Conflicts(_Rule):
    __slots__ = ("attrs", "message")

    def __init__(self, attrs: tuple[str, ...], message: str | None = None) -> None:
        self.attrs, self.message = attrs, message

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> Iterator[Problem]:
        given = [a for a in self.attrs if _is_set(values, a)]
        if len(given) > 1:
            yield "", self.message or f"set at most one of {_names(self.attrs)} (got {', '.join(given)})"


class ExactlyOneOf(_Rule):
    __slots__ = ("attrs", "message")

    def __init__(self, attrs: tuple[str, ...], message: str | None = None) -> None:
        self.attrs, self.message = attrs, message

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> Iterator[Problem]:
        given = [a for a in self.attrs if _is_set(values, a)]
        if len(given) != 1:
            got = ", ".join(given) if given else "none"
            yield "", self.message or f"set exactly one of {_names(self.attrs)} (got {got})"


class AtLeastOneOf(_Rule):
    __slots__ = ("attrs", "message")

    def __init__(self, attrs: tuple[str, ...], message: str | None = None) -> None:
        self.attrs, self.message = attrs, message

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> Iterator[Problem]:
        if not any(_is_set(values, a) for a in self.attrs):
            yield "", self.message or f"set at least one of {_names(self.attrs)}"


class RequiredTogether(_Rule):
    __slots__ = ("attrs", "message")

    def __init__(self, attrs: tuple[str, ...], message: str | None = None) -> None:
        self.attrs, self.message = attrs, message

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> Iterator[Problem]:
        given = [a for a in self.attrs if _is_set(values, a)]
        if given and len(given) != len(self.attrs):
            missing = [a for a in self.attrs if a not in given]
            yield "", self.message or (
                f"{_names(self.attrs)} must be set together (missing {', '.join(missing)})"
            )


class Conditional(_Rule):
    """``requires``/``forbids`` attributes when a condition holds."""

    __slots__ = ("attrs", "forbid", "when_set", "unless_set", "when_equals", "defaults",
                 "message")

    def __init__(self, attrs: tuple[str, ...], forbid: bool = False,
                 when_set: tuple[str, ...] = (), unless_set: tuple[str, ...] = (),
                 when_equals: tuple[tuple[str, Any], ...] = (),
                 defaults: tuple[tuple[str, Any], ...] = (), message: str | None = None) -> None:
        self.attrs, self.forbid, self.message = attrs, forbid, message
        # documented provider defaults of the when_equals attributes: an omitted attribute
        # takes its default, so the condition holds for it too
        self.defaults = dict(defaults)
        self.when_set, self.unless_set, self.when_equals = when_set, unless_set, when_equals

    def _condition(self, values: Mapping[str, Any]) -> str | None:
        """The reason the rule applies, or None when it does not."""
        if self.when_set:
            given = [a for a in self.when_set if _is_set(values, a)]
            if not given:
                return None
            return f"when {given[0]} is set"
        if self.unless_set:
            if any(_is_set(values, a) for a in self.unless_set):
                return None
            return f"unless {_names(self.unless_set)} is set"
        if self.when_equals:
            reasons = []
            for name, expected in self.when_equals:
                value = values.get(name)
                by_default = value is None and name in self.defaults
                if by_default:
                    value = self.defaults[name]
                if not _literal(value) or value != expected:
                    return None
                reasons.append(f"{name} is {_tf_literal(expected)}"
                               + (" (its default when omitted)" if by_default else ""))
            return "when " + " and ".join(reasons)
        return "always"

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> Iterator[Problem]:
        reason = self._condition(values)
        if reason is None:
            return
        for name in self.attrs:
            present = _is_set(values, name)
            if self.forbid and present:
                yield name, self.message or f"must not be set {reason}"
            elif not self.forbid and not present:
                yield name, self.message or f"is required {reason}"


def _tf_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)
