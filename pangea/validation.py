"""The rule registry: every kind of override rule, one class each.

A rule kind holds everything about it in one place:

- its YAML key(s) in an override file and the parsing and validation of its parameters
  (``parse``, run by the generator: ``codegen/inputs/overrides.py``);
- its runtime check (``check``), run when a resource function is called;
- its documentation (``sentence``; ``constraint`` for the argument tables);
- its contribution to generated example values (``example`` / ``example_needs``);
- its default level (``default_level``: "error", or "warning" for what Terraform accepts but
  bites later); a rule in an override file may set ``level``;
- the Python source that rebuilds it in a generated module (``source_code``).

``ATTRIBUTE_KINDS`` read keys of one attribute's settings (``min``/``max``, ``enum``, ...);
``RULE_KINDS`` are the entries of a ``rules:`` list, by YAML key. Adding a kind means adding a
class here and registering it; the loader, the docs, the examples and the bump report follow.

Runtime contract: ``check(values, sensitive)`` returns the ``(path, message)`` problems it finds
in ``values``, the set attributes of one struct by Terraform name (an unset attribute is absent,
never None). A value that is a Terraform expression is never judged: only Terraform knows it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import re

if TYPE_CHECKING:
    from typing import Any, ClassVar, Mapping

from pangea.expr import is_expression, is_interpolated
from pangea.lazy_re import lazy_compile

Problem = tuple[str, str]

ERROR = "error"
WARNING = "warning"
LEVELS = (ERROR, WARNING)


if TYPE_CHECKING:  # a Protocol class costs import time; only type checkers need it
    from typing import Protocol

    class RuleInput(Protocol):
        """What the generator gives ``parse``: error reporting and name resolution."""

        def fail(self, key: str, message: str) -> Exception: ...  # located at file and key
        def text(self, value: Any, key: str) -> str: ...
        def names(self, value: Any, key: str) -> tuple[str, ...]: ...  # attribute/block names
        def default_of(self, name: str) -> tuple[bool, Any]: ...  # (has a documented default, it)
        def fits(self, value: Any, tf_type: Any) -> bool: ...  # a literal of that Terraform type
        def table(self, value: Any, key: str) -> Mapping[str, Any]: ...  # a data file's mapping


class VariableExample:
    """Marker returned by ``example``: no literal can be derived (a pattern), use a variable."""


VARIABLE = VariableExample()


class Rule:
    """Rules are plain slotted classes: generated modules create many of them at import time,
    and dataclasses would compile methods for each class when pangea is imported."""

    __slots__: tuple[str, ...] = ()
    default_level: ClassVar[str] = ERROR
    _positional: ClassVar[tuple[str, ...]] = ()  # constructor arguments, for source_code
    _keywords: ClassVar[tuple[str, ...]] = ()

    def source_code(self) -> str:
        """``Kind(args...)``: the constructor call that rebuilds this rule (generated modules)."""
        parts = [repr(getattr(self, name)) for name in self._positional]
        for name in self._keywords:
            value = getattr(self, name)
            if value is None or value == () or (name == "level" and value == self.default_level):
                continue
            parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __repr__(self) -> str:
        return self.source_code()

    def sentence(self) -> str:
        """The rule in one English sentence, for the docs."""
        raise NotImplementedError

    def passes(self) -> Any:
        """``values -> bool``: true when ``check`` would find nothing (``rules_predicate``)."""
        none: frozenset[str] = frozenset()
        return lambda values: not self.check(values, none)

    def settled_by(self, names: Any) -> bool:
        """True when ``check`` finds nothing whenever exactly these names are set, whatever
        their values (a call shape's rules are then skipped: ``rules_predicate``)."""
        return False


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
    """A value quoted in a message: hidden when sensitive or write-only, cut when long."""
    if sensitive:
        return "(sensitive value hidden)"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _code(name: str) -> str:
    return f"`{name}`"


def _names(attrs: tuple[str, ...], conjunction: str = "or", code: bool = False) -> str:
    shown = [_code(a) for a in attrs] if code else list(attrs)
    return ", ".join(shown[:-1]) + f" {conjunction} {shown[-1]}" if len(shown) > 1 else shown[0]


def _tf_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _bounds_text(low: Any, high: Any) -> str:
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"at least {low}"
    return f"at most {high}"


# -- rules on one attribute --------------------------------------------------------------------

class AttributeRule(Rule):
    """A kind read from the settings of one attribute (``attributes.<name>.<key>``)."""

    __slots__ = ("attr",)
    keys: ClassVar[tuple[str, ...]] = ()  # the attribute settings this kind reads
    example_rank: ClassVar[int] = 9  # lower wins when several kinds propose an example value
    per_item: ClassVar[bool] = False  # on a list or set, the rule judges each element
    attr: str

    @classmethod
    def parse(cls, attr: Any, body: Mapping[str, Any], where: str,
              inp: RuleInput) -> "AttributeRule | None":
        """The rule for ``attr`` (a codegen Attribute) from its settings ``body``, which hold at
        least one of ``keys``; None when the settings only document (no check)."""
        raise NotImplementedError

    def constraint(self, attr: Any) -> str:
        """The cell text in the docs' Constraints column."""
        raise NotImplementedError

    def example(self, kind: str) -> Any:
        """A literal that satisfies the rule for a value of Terraform type ``kind`` (the
        element kind for lists and sets), VARIABLE, or None when the rule has no opinion."""
        return None

    def sentence(self) -> str:
        return f"{_code(self.attr)}: {self.constraint(None)}."


def _bound(value: Any, key: str, inp: RuleInput, *, integer: bool) -> Any:
    if value is None:
        return None
    if integer:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise inp.fail(key, "expected a non-negative integer")
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        raise inp.fail(key, "expected a number")
    return value


class Range(AttributeRule):
    """``min``/``max``: an inclusive numeric range."""

    __slots__ = ("min", "max")
    keys = ("min", "max")
    example_rank = 2
    _positional = ("attr",)
    _keywords = ("min", "max")

    def __init__(self, attr: str, min: float | None = None, max: float | None = None) -> None:
        self.attr, self.min, self.max = attr, min, max

    @classmethod
    def parse(cls, attr: Any, body: Mapping[str, Any], where: str, inp: RuleInput) -> "Range":
        if attr.type.kind != "number":
            raise inp.fail(where, f"min/max apply to numbers; {attr.tf_name} is "
                                  f"{attr.type.short()}")
        low = _bound(body.get("min"), f"{where}.min", inp, integer=False)
        high = _bound(body.get("max"), f"{where}.max", inp, integer=False)
        if low is not None and high is not None and low > high:
            raise inp.fail(where, f"min {low} is greater than max {high}")
        return cls(attr.tf_name, min=low, max=high)

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
                bound = f"at most {_num(high)}"  # type: ignore[arg-type]
            return [(self.attr, f"must be {bound} (got {_show(value, self.attr in sensitive)})")]
        return []

    def constraint(self, attr: Any) -> str:
        return _bounds_text(self.min, self.max)


    def example(self, kind: str) -> Any:
        return self.min if kind == "number" and self.min is not None else None


class Length(AttributeRule):
    """``min_length``/``max_length``: characters of a string, items of a collection."""

    __slots__ = ("min", "max")
    keys = ("min_length", "max_length")
    example_rank = 2
    _positional = ("attr",)
    _keywords = ("min", "max")

    def __init__(self, attr: str, min: int | None = None, max: int | None = None) -> None:
        self.attr, self.min, self.max = attr, min, max

    @classmethod
    def parse(cls, attr: Any, body: Mapping[str, Any], where: str, inp: RuleInput) -> "Length":
        if attr.type.kind not in ("string", "list", "set", "map"):
            raise inp.fail(where, f"min_length/max_length apply to strings and collections; "
                                  f"{attr.tf_name} is {attr.type.short()}")
        low = _bound(body.get("min_length"), f"{where}.min_length", inp, integer=True)
        high = _bound(body.get("max_length"), f"{where}.max_length", inp, integer=True)
        if low is not None and high is not None and low > high:
            raise inp.fail(where, f"min_length {low} is greater than max_length {high}")
        return cls(attr.tf_name, min=low, max=high)

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


    def constraint(self, attr: Any) -> str:
        unit = "characters" if attr is None or attr.type.kind == "string" else "items"
        return f"length {_bounds_text(self.min, self.max)} {unit}"

    def example(self, kind: str) -> Any:
        if kind != "string":
            return None
        size = max(self.min or 0, 7)
        if self.max:
            size = min(size, self.max)
        return ("example" + "x" * size)[:size]


def _count(bound: int, value: Any) -> str:
    unit = "character" if type(value) is str else "item"
    return f"{bound} {unit}" + ("" if bound == 1 else "s")


class Pattern(AttributeRule):
    """``pattern`` (a Python regular expression matching the whole value) with an optional
    ``pattern_description``; on a list or set, every element must match."""

    __slots__ = ("regex", "description", "_compiled")
    keys = ("pattern", "pattern_description")
    example_rank = 1
    per_item = True
    _positional = ("attr", "regex")
    _keywords = ("description",)

    def __init__(self, attr: str, regex: str, description: str | None = None) -> None:
        self.attr, self.regex, self.description = attr, regex, description
        # compiled on first use: a type has many patterns, a template sets few of them
        self._compiled = lazy_compile(regex)

    @classmethod
    def parse(cls, attr: Any, body: Mapping[str, Any], where: str, inp: RuleInput) -> "Pattern":
        if "pattern" not in body:
            raise inp.fail(f"{where}.pattern_description", "given without a pattern")
        pattern = inp.text(body["pattern"], f"{where}.pattern")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise inp.fail(f"{where}.pattern", f"not a valid regular expression: {exc}") from None
        if attr.type.kind not in ("string", "list", "set"):
            raise inp.fail(where, f"pattern applies to strings; {attr.tf_name} is "
                                  f"{attr.type.short()}")
        description = body.get("pattern_description")
        if description is not None:
            description = inp.text(description, f"{where}.pattern_description")
        return cls(attr.tf_name, pattern, description=description)

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> list[Problem]:
        what = self.description or f"a value matching {self.regex}"
        return [(self.attr, f"has the wrong format: expected {what} "
                            f"(got {_show(item, self.attr in sensitive)})")
                for item in _items(values.get(self.attr))
                if type(item) is str and not is_interpolated(item) and not self._compiled.fullmatch(item)]


    def constraint(self, attr: Any) -> str:
        return f"format: {self.description}" if self.description else f"matches `{self.regex}`"

    def example(self, kind: str) -> Any:
        return VARIABLE if kind == "string" else None  # a regular expression is not inverted


class OneOf(AttributeRule):
    """``enum``: the allowed literal values; on a list or set, each element must be one."""

    __slots__ = ("allowed",)
    keys = ("enum",)
    example_rank = 0
    per_item = True
    _positional = ("attr", "allowed")

    def __init__(self, attr: str, allowed: tuple[Any, ...]) -> None:
        self.attr, self.allowed = attr, allowed

    @classmethod
    def parse(cls, attr: Any, body: Mapping[str, Any], where: str, inp: RuleInput) -> "OneOf":
        values = body["enum"]
        kind = attr.type.kind
        item_type = attr.type.elem if kind in ("list", "set") else attr.type
        if item_type.kind not in ("string", "number"):
            raise inp.fail(f"{where}.enum", f"enum applies to strings and numbers (or lists and "
                                            f"sets of them); {attr.tf_name} is {attr.type.short()}")
        if not isinstance(values, list) or not values or not all(
                inp.fits(v, item_type) for v in values):
            raise inp.fail(f"{where}.enum", f"expected a non-empty list of values of "
                                            f"{attr.tf_name}'s type ({item_type.short()})")
        if "default" in body:
            default = body["default"]
            items = default if kind in ("list", "set") and isinstance(default, list) else [default]
            outside = [v for v in items if v not in values]
            if outside:
                raise inp.fail(f"{where}.default", f"{outside[0]!r} is not one of the enum "
                                                   f"values ({', '.join(map(repr, values))})")
        return cls(attr.tf_name, tuple(values))

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> list[Problem]:
        return [(self.attr, f"must be one of {', '.join(repr(a) for a in self.allowed)} "
                            f"(got {_show(item, self.attr in sensitive)})")
                for item in _items(values.get(self.attr))
                if _literal(item) and item not in self.allowed]


    def constraint(self, attr: Any) -> str:
        return "one of " + ", ".join(f"`{v}`" for v in self.allowed)

    def example(self, kind: str) -> Any:
        return self.allowed[0]


# A reference to the ARN of a resource or data source, and nothing else: the type is group 1.
# (Instances of a counted or for_each resource are indexed: aws_subnet.db[0].arn.)
_ARN_REFERENCE = lazy_compile(r"\$\{(?:data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.[A-Za-z_][A-Za-z0-9_-]*"
                              r"(?:\[[^\]\[]+\])?\.arn\}")


class ArnOf(AttributeRule):
    """``arn_of_types``: the attribute takes ARNs of the types a table file lists (its path
    relative to the override directory). A reference to the ``arn`` of a resource or data
    source of another type is refused; an ARN string, and any other expression, are left to
    Terraform and AWS. On a list or set, each element is judged."""

    __slots__ = ("types", "what", "source", "hint", "_types")
    keys = ("arn_of_types",)
    per_item = True
    _positional = ("attr", "types")
    _keywords = ("what", "source", "hint")

    def __init__(self, attr: str, types: tuple[str, ...], what: str | None = None,
                 source: str | None = None, hint: str | None = None) -> None:
        self.attr, self.types, self.what, self.source, self.hint = attr, types, what, source, hint
        self._types = frozenset(types)

    @classmethod
    def parse(cls, attr: Any, body: Mapping[str, Any], where: str, inp: RuleInput) -> "ArnOf":
        key = f"{where}.arn_of_types"
        item_type = attr.type.elem if attr.type.kind in ("list", "set") else attr.type
        if item_type.kind != "string":
            raise inp.fail(key, f"arn_of_types applies to strings (or lists and sets of them); "
                                f"{attr.tf_name} is {attr.type.short()}")
        table = inp.table(body["arn_of_types"], key)
        unknown = sorted(set(map(str, table)) - {"what", "source", "hint", "types"})
        if unknown:
            raise inp.fail(key, f"the table has unknown key(s) {', '.join(unknown)}; allowed: "
                                "hint, source, types, what")
        types = table.get("types")
        if not isinstance(types, dict) or not types or not all(
                isinstance(names, list) and names and all(
                    isinstance(n, str) and re.fullmatch(r"[a-z][a-z0-9]*_[a-z0-9_]+", n)
                    for n in names) for names in types.values()):
            raise inp.fail(key, "the table's types must map each service's type code to a "
                                "non-empty list of Terraform type names")
        texts = {name: inp.text(table[name], f"{key} ({name})")
                 for name in ("what", "source", "hint") if table.get(name) is not None}
        return cls(attr.tf_name, tuple(sorted({n for names in types.values() for n in names})),
                   **texts)

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> list[Problem]:
        problems = []
        for item in _items(values.get(self.attr)):
            match = _ARN_REFERENCE.fullmatch(item) if type(item) is str else None
            if match is None or match.group(1) in self._types:
                continue
            what = self.what or f"one of {', '.join(self.types)}"
            message = (f"refers to the ARN of {item[2:-1].rsplit('.', 1)[0]}, and "
                       f"{match.group(1)} is not {what}, so AWS refuses it at apply")
            if self.hint:
                message += f"; {self.hint}"
            if self.source:
                message += f" (the list: {self.source})"
            problems.append((self.attr, message))
        return problems


    def constraint(self, attr: Any) -> str:
        what = self.what or f"one of {', '.join(f'`{t}`' for t in self.types)}"
        source = f" ([the list]({self.source}))" if self.source else ""
        return f"a reference to an `arn` must be that of {what}{source}"


# -- rules across attributes (entries of a `rules:` list) ----------------------------------------

class CrossRule(Rule):
    """A kind written as an entry of a ``rules:`` list, about several attributes of a struct.

    Every entry may also carry ``message`` (replaces the generated message), ``source`` (a
    citation: the docs link it), ``level`` (error or warning), ``code`` (the id warnings are
    grouped by; default: the key and the attributes) and ``hint`` (how to fix, for warnings).
    """

    __slots__ = ("attrs", "message", "level", "code", "hint", "_names")
    key: ClassVar[str] = ""
    options: ClassVar[tuple[str, ...]] = ()  # YAML keys besides `key` and the common ones
    name_keys: ClassVar[tuple[str, ...]] = ()  # YAML keys whose values list attribute names
    name_map_keys: ClassVar[tuple[str, ...]] = ()  # YAML keys whose mapping keys are names
    common_options: ClassVar[tuple[str, ...]] = ("message", "source", "level", "code", "hint")
    attrs: tuple[str, ...]
    level: str

    def __init__(self, attrs: tuple[str, ...], message: str | None = None,
                 level: str | None = None, code: str | None = None,
                 hint: str | None = None) -> None:
        self.attrs, self.message, self.code, self.hint = attrs, message, code, hint
        self.level = level or self.default_level
        self._names = frozenset(attrs)

    @classmethod
    def parse(cls, entry: Mapping[str, Any], where: str, inp: RuleInput) -> "CrossRule":
        """The rule of one ``rules:`` entry whose kind key is ``cls.key``."""
        raise NotImplementedError

    @classmethod
    def common(cls, entry: Mapping[str, Any], where: str, inp: RuleInput) -> dict[str, Any]:
        """``message``, ``level``, ``code`` and ``hint`` of an entry, checked."""
        found: dict[str, Any] = {}
        for key in ("message", "code", "hint"):
            if entry.get(key) is not None:
                found[key] = inp.text(entry[key], f"{where}.{key}")
        if "level" in entry:
            if entry["level"] not in LEVELS:
                raise inp.fail(f"{where}.level", f"expected {' or '.join(LEVELS)} "
                                                 f"(got {entry['level']!r})")
            found["level"] = entry["level"]
        return found

    def warning_code(self) -> str:
        return self.code or f"{self.key}:{'+'.join(self.attrs)}"

    def reads_values(self) -> bool:
        """Whether ``check`` reads values, not only which names are set (a rule that does
        not is decided once per set of names: ``rules_predicate``)."""
        return True

    def sentence(self) -> str:
        raise NotImplementedError

    def example_needs(self) -> tuple[str, ...]:
        """Names a minimal example must set whatever else is set."""
        return ()

    def example_needs_given(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        """Names a minimal example must set, given the values chosen so far."""
        return ()


class _SetRule(CrossRule):
    """A rule about which of several attributes are set."""

    __slots__ = ()
    _positional = ("attrs",)
    _keywords = ("message", "level", "code", "hint")

    @classmethod
    def parse(cls, entry: Mapping[str, Any], where: str, inp: RuleInput) -> "CrossRule":
        names = inp.names(entry[cls.key], f"{where}.{cls.key}")
        if len(names) < 2:
            raise inp.fail(f"{where}.{cls.key}", "name at least two attributes")
        return cls(names, **cls.common(entry, where, inp))

    def reads_values(self) -> bool:
        return False

    def check(self, values: Mapping[str, Any], sensitive: frozenset[str]) -> list[Problem]:
        present = values.keys() & self._names  # set operations run in C: rules run per call
        given = [a for a in self.attrs if a in present] if present else []
        problem = self.violation(given)
        return [] if problem is None else [("", self.message or problem)]

    def violation(self, given: list[str]) -> str | None:
        raise NotImplementedError


class Conflicts(_SetRule):
    __slots__ = ()

    key = "conflicts"
    name_keys = ("conflicts",)

    def violation(self, given: list[str]) -> str | None:
        if len(given) > 1:
            return f"set at most one of {_names(self.attrs)} (got {', '.join(given)})"
        return None

    def sentence(self) -> str:
        return f"Set at most one of {_names(self.attrs, code=True)}."


class ExactlyOneOf(_SetRule):
    __slots__ = ()

    key = "exactly_one_of"
    name_keys = ("exactly_one_of",)

    def violation(self, given: list[str]) -> str | None:
        if len(given) != 1:
            got = ", ".join(given) if given else "none"
            return f"set exactly one of {_names(self.attrs)} (got {got})"
        return None

    def sentence(self) -> str:
        return f"Set exactly one of {_names(self.attrs, code=True)}."

    def example_needs(self) -> tuple[str, ...]:
        return self.attrs[:1]


class AtLeastOneOf(_SetRule):
    __slots__ = ()

    key = "at_least_one_of"
    name_keys = ("at_least_one_of",)

    def violation(self, given: list[str]) -> str | None:
        return None if given else f"set at least one of {_names(self.attrs)}"

    def sentence(self) -> str:
        return f"Set at least one of {_names(self.attrs, code=True)}."

    def example_needs(self) -> tuple[str, ...]:
        return self.attrs[:1]


class RequiredTogether(_SetRule):
    __slots__ = ()

    key = "required_together"
    name_keys = ("required_together",)

    def violation(self, given: list[str]) -> str | None:
        if given and len(given) != len(self.attrs):
            missing = [a for a in self.attrs if a not in given]
            together = ", ".join(self.attrs[:-1]) + f" and {self.attrs[-1]}"
            return f"{together} must be set together (missing {', '.join(missing)})"
        return None

    def sentence(self) -> str:
        return f"Set {_names(self.attrs, 'and', code=True)} together, or none of them."


_CONDITIONS = ("when_set", "unless_set", "when_equals")


class _Conditional(CrossRule):
    """``requires``/``forbids`` attributes, always or when a condition holds."""

    __slots__ = ("when_set", "unless_set", "when_equals", "defaults", "_defaults")
    options = _CONDITIONS
    name_keys = ("when_set", "unless_set")
    name_map_keys = ("when_equals",)
    forbid: ClassVar[bool] = False
    _positional = ("attrs",)
    _keywords = ("when_set", "unless_set", "when_equals", "defaults", "message", "level", "code",
                 "hint")

    def __init__(self, attrs: tuple[str, ...], when_set: tuple[str, ...] = (),
                 unless_set: tuple[str, ...] = (), when_equals: tuple[tuple[str, Any], ...] = (),
                 defaults: tuple[tuple[str, Any], ...] = (), message: str | None = None,
                 level: str | None = None, code: str | None = None,
                 hint: str | None = None) -> None:
        super().__init__(attrs, message, level, code, hint)
        self.when_set, self.unless_set, self.when_equals = when_set, unless_set, when_equals
        # documented provider defaults of the when_equals attributes: an omitted attribute
        # takes its default, so the condition holds for it too
        self.defaults = defaults
        self._defaults = dict(defaults)

    @classmethod
    def parse(cls, entry: Mapping[str, Any], where: str, inp: RuleInput) -> "CrossRule":
        names = inp.names(entry[cls.key], f"{where}.{cls.key}")
        conditions = [c for c in _CONDITIONS if c in entry]
        if len(conditions) > 1:
            raise inp.fail(where, "use one condition: " + ", ".join(_CONDITIONS))
        found: dict[str, Any] = {}
        if conditions and conditions[0] == "when_equals":
            equals = entry["when_equals"]
            if not isinstance(equals, dict) or not equals:
                raise inp.fail(f"{where}.when_equals", "expected a mapping of attribute: value")
            inp.names(list(equals), f"{where}.when_equals")
            found["when_equals"] = tuple(sorted(equals.items()))
            found["defaults"] = tuple(sorted(
                (name, default) for name in equals
                for has, default in [inp.default_of(name)] if has))
        elif conditions:
            found[conditions[0]] = inp.names(entry[conditions[0]], f"{where}.{conditions[0]}")
        return cls(names, **found, **cls.common(entry, where, inp))

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
                by_default = value is None and name in self._defaults
                if by_default:
                    value = self._defaults[name]
                if not _literal(value) or value != expected:
                    return None
                reasons.append(f"{name} is {_tf_literal(expected)}"
                               + (" (its default when omitted)" if by_default else ""))
            return "when " + " and ".join(reasons)
        return ""  # no condition: the rule always applies

    def _condition_text(self) -> str:
        """The condition for the docs."""
        if self.when_set:
            return f" when {_names(self.when_set, code=True)} is set"
        if self.unless_set:
            return f" unless {_names(self.unless_set, code=True)} is set"
        if self.when_equals:
            parts = []
            for name, expected in self.when_equals:
                text = f"`{name}` is `{_tf_literal(expected)}`"
                if name in self._defaults and self._defaults[name] == expected:
                    text += " (its default)"
                parts.append(text)
            return " when " + " and ".join(parts)
        return ""

    def reads_values(self) -> bool:
        return bool(self.when_equals)

    def settled_by(self, names: Any) -> bool:
        # check()'s first test: the attributes the rule is about are all set (or, for a
        # prohibition, none is)
        return self._names.isdisjoint(names) if self.forbid else self._names <= names

    def passes(self) -> Any:
        """``values -> bool``, true when ``check`` would find nothing; the usual condition
        (one attribute equal to a value) tested without ``check``'s general loop."""
        if len(self.when_equals) != 1:
            return super().passes()
        (name, expected), = self.when_equals
        default, names, forbid = self._defaults.get(name), self._names, self.forbid

        def passes(values: Mapping[str, Any]) -> bool:
            if (names.isdisjoint(values.keys()) if forbid else names <= values.keys()):
                return True
            value = values.get(name, default)  # values never hold None
            return not (_literal(value) and value == expected)

        return passes

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


class Requires(_Conditional):
    __slots__ = ()
    key = "requires"
    name_keys = ("requires", "when_set", "unless_set")

    def sentence(self) -> str:
        verb = "is" if len(self.attrs) == 1 else "are"
        return f"{_names(self.attrs, 'and', code=True)} {verb} required{self._condition_text()}."

    def example_needs(self) -> tuple[str, ...]:
        return () if self.when_set or self.when_equals else self.attrs

    def example_needs_given(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        if self.when_equals and all(values.get(k, self._defaults.get(k)) == v
                                    for k, v in self.when_equals):
            return tuple(n for n in self.attrs if n not in values)
        return ()


class Forbids(_Conditional):
    __slots__ = ()
    key = "forbids"
    name_keys = ("forbids", "when_set", "unless_set")
    forbid = True

    def sentence(self) -> str:
        return f"Do not set {_names(self.attrs, 'or', code=True)}{self._condition_text()}."


# -- the registry ------------------------------------------------------------------------------

ATTRIBUTE_KINDS: tuple[type[AttributeRule], ...] = (Range, Length, Pattern, OneOf, ArnOf)
RULE_KINDS: dict[str, type[CrossRule]] = {
    kind.key: kind
    for kind in (Conflicts, ExactlyOneOf, AtLeastOneOf, RequiredTogether, Requires, Forbids)
}
ATTRIBUTE_RULE_KEYS: frozenset[str] = frozenset(k for kind in ATTRIBUTE_KINDS for k in kind.keys)


def _always(values: Any) -> bool:
    return True


def _never(values: Any) -> bool:
    return False


def rules_predicate(rules: tuple[Rule, ...], names: Any = None) -> Any:
    """One function ``values -> bool``, true when no rule finds a problem, so ``check`` need
    run to word problems only when it says no. ``values`` holds the set attributes only: an
    attribute's rules run only when it is set (a type has dozens of rules, a call sets a few),
    and the rules on which names are set are decided once per set of names. Nothing is
    compiled: a class's predicate compiled from source cost 7-9M instructions at its first
    call, more than a thousand calls of it saved.

    With ``names`` (the names every call of one shape sets), whatever those names alone decide
    is decided now: only the set attributes' rules and the value rules the names leave open
    remain (``_always`` when none does), and ``_never`` comes back when a rule on names fails."""
    if not rules:
        return _always
    by_attr: dict[str, tuple[Rule, ...]] = {}
    presence: list[Rule] = []
    valued: list[Any] = []
    for rule in rules:
        if isinstance(rule, AttributeRule):
            if names is None or rule.attr in names:
                by_attr[rule.attr] = (*by_attr.get(rule.attr, ()), rule)
        elif isinstance(rule, CrossRule) and not rule.reads_values():
            presence.append(rule)
        elif names is None or not rule.settled_by(names):
            valued.append(rule.passes())
    none: frozenset[str] = frozenset()
    if names is not None:
        given = dict.fromkeys(names)  # a rule on names reads no value
        if any(rule.check(given, none) for rule in presence):
            return _never
        presence = []
        if not by_attr:  # the usual end: no rule left, or one value rule
            if not valued:
                return _always
            if len(valued) == 1:
                return valued[0]
    attrs = tuple(by_attr.items())
    seen: dict[tuple[str, ...], bool] = {}

    def passes(values: Any) -> bool:
        for name, attr_rules in attrs:  # few: pydantic-core checks the rest
            if name in values:
                for rule in attr_rules:
                    if rule.check(values, none):
                        return False
        if presence:
            shape = tuple(values)
            ok = seen.get(shape)
            if ok is None:
                ok = not any(rule.check(values, none) for rule in presence)
                if len(seen) < 4096:  # bounded: a program has few call shapes
                    seen[shape] = ok
            if not ok:
                return False
        for rule_passes in valued:
            if not rule_passes(values):
                return False
        return True

    return passes
