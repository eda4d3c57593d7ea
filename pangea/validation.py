"""Rules from override files, checked on literal values when a resource function is called.

Each rule returns the ``(path, message)`` problems it finds in ``values``, the set attributes of one
struct by Terraform name (an unset attribute is absent, never None). A value that is a
Terraform expression is never judged: its value is only known to Terraform.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from pangea.expr import is_expression, is_interpolated

Problem = tuple[str, str]


class _Rule:
    """Rules are plain slotted classes: generated modules create many of them at import time,
    and dataclasses would compile methods for each class when pangea is imported."""

    __slots__: tuple[str, ...] = ()

    def __repr__(self) -> str:
        names = [n for k in type(self).__mro__ for n in getattr(k, "__slots__", ())
                 if not n.startswith("_")]
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in dict.fromkeys(names))
        return f"{type(self).__name__}({args})"


def _is_set(values: Mapping[str, Any], name: str) -> bool:
    # ``values`` holds only the attributes that are set (None is never stored)
    return name in values


def _literal(value: Any) -> bool:
    if type(value) is str:  # the common case first: rules run on every resource call
        return not is_interpolated(value)
    return value is not None and not is_expression(value)


_COLLECTIONS = (list, tuple, set, frozenset)
_SIZED = (str, list, tuple, set, frozenset, dict)


def _items(value: Any) -> Any:
    """The literal items a per-item rule looks at: the value, or each element of a list/set."""
    return value if type(value) in _COLLECTIONS else (value,)


def _show(value: Any, sensitive: bool) -> str:
    return "(sensitive value hidden)" if sensitive else repr(value)


class Range(_Rule):
    __slots__ = ("attr", "min", "max")

    def __init__(self, attr: str, min: float | None = None, max: float | None = None) -> None:
        self.attr, self.min, self.max = attr, min, max

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> list[Problem]:
        value: Any = values.get(self.attr)
        if type(value) not in (int, float):  # bools, expressions and ${...} strings included
            return []
        low, high = self.min, self.max
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                bound = f"between {_num(low)} and {_num(high)}"
            elif low is not None:
                bound = f"at least {_num(low)}"
            else:
                assert high is not None
                bound = f"at most {_num(high)}"
            return [(self.attr, f"must be {bound} (got {_show(value, self.attr in sensitive)})")]
        return []


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class Length(_Rule):
    __slots__ = ("attr", "min", "max")

    def __init__(self, attr: str, min: int | None = None, max: int | None = None) -> None:
        self.attr, self.min, self.max = attr, min, max

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> list[Problem]:
        value: Any = values.get(self.attr)
        if type(value) not in _SIZED or not _literal(value):
            return []
        size = len(value)
        if self.min is not None and size < self.min:
            return [(self.attr, f"must have at least {_count(self.min, value)} (got {size})")]
        if self.max is not None and size > self.max:
            return [(self.attr, f"must have at most {_count(self.max, value)} (got {size})")]
        return []


def _count(bound: int, value: Any) -> str:
    unit = "character" if type(value) is str else "item"
    return f"{bound} {unit}" + ("" if bound == 1 else "s")


class Pattern(_Rule):
    __slots__ = ("attr", "regex", "description", "_compiled")

    def __init__(self, attr: str, regex: str, description: str | None = None) -> None:
        self.attr, self.regex, self.description = attr, regex, description
        self._compiled = re.compile(regex)

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> list[Problem]:
        what = self.description or f"a value matching {self.regex}"
        return [(self.attr, f"has the wrong format: expected {what} "
                            f"(got {_show(item, self.attr in sensitive)})")
                for item in _items(values.get(self.attr))
                if type(item) is str and not is_interpolated(item) and not self._compiled.fullmatch(item)]


class OneOf(_Rule):
    __slots__ = ("attr", "allowed")

    def __init__(self, attr: str, allowed: tuple[Any, ...]) -> None:
        self.attr, self.allowed = attr, allowed

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> list[Problem]:
        return [(self.attr, f"must be one of {', '.join(repr(a) for a in self.allowed)} "
                            f"(got {_show(item, self.attr in sensitive)})")
                for item in _items(values.get(self.attr))
                if _literal(item) and item not in self.allowed]


def _names(attrs: tuple[str, ...]) -> str:
    return ", ".join(attrs[:-1]) + f" or {attrs[-1]}" if len(attrs) > 1 else attrs[0]


class _SetRule(_Rule):
    """A rule about which of several attributes are set."""

    __slots__ = ("attrs", "message", "_names")

    def __init__(self, attrs: tuple[str, ...], message: str | None = None) -> None:
        self.attrs, self.message = attrs, message
        self._names = frozenset(attrs)

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> list[Problem]:
        present = values.keys() & self._names  # set operations run in C: rules run per call
        given = [a for a in self.attrs if a in present] if present else []
        problem = self.violation(given)
        return [] if problem is None else [("", self.message or problem)]

    def violation(self, given: list[str]) -> str | None:
        raise NotImplementedError


class Conflicts(_SetRule):
    __slots__ = ()

    def violation(self, given: list[str]) -> str | None:
        if len(given) > 1:
            return f"set at most one of {_names(self.attrs)} (got {', '.join(given)})"
        return None


class ExactlyOneOf(_SetRule):
    __slots__ = ()

    def violation(self, given: list[str]) -> str | None:
        if len(given) != 1:
            got = ", ".join(given) if given else "none"
            return f"set exactly one of {_names(self.attrs)} (got {got})"
        return None


class AtLeastOneOf(_SetRule):
    __slots__ = ()

    def violation(self, given: list[str]) -> str | None:
        return None if given else f"set at least one of {_names(self.attrs)}"


class RequiredTogether(_SetRule):
    __slots__ = ()

    def violation(self, given: list[str]) -> str | None:
        if given and len(given) != len(self.attrs):
            missing = [a for a in self.attrs if a not in given]
            together = ", ".join(self.attrs[:-1]) + f" and {self.attrs[-1]}"
            return f"{together} must be set together (missing {', '.join(missing)})"
        return None


class Conditional(_Rule):
    """``requires``/``forbids`` attributes when a condition holds."""

    __slots__ = ("attrs", "forbid", "when_set", "unless_set", "when_equals", "defaults",
                 "message", "_names")

    def __init__(self, attrs: tuple[str, ...], forbid: bool = False,
                 when_set: tuple[str, ...] = (), unless_set: tuple[str, ...] = (),
                 when_equals: tuple[tuple[str, Any], ...] = (),
                 defaults: tuple[tuple[str, Any], ...] = (), message: str | None = None) -> None:
        self.attrs, self.forbid, self.message = attrs, forbid, message
        self._names = frozenset(attrs)
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
        return ""  # no condition: the rule always applies

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> list[Problem]:
        # Most calls satisfy the rule whatever the condition: decide that first, cheaply.
        if self.forbid:
            if self._names.isdisjoint(values.keys()):
                return []
        elif self._names <= values.keys():
            return []
        reason = self._condition(values)
        if reason is None:
            return []
        if self.forbid:
            return [(name, self.message or f"must not be set {reason}".rstrip())
                    for name in self.attrs if name in values]
        return [(name, self.message or f"is required {reason}".rstrip())
                for name in self.attrs if name not in values]


def _tf_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)
