"""The common resource call, validated and made JSON in one pass.

pydantic-core validates the arguments into a plain dict keyed by Terraform name (a
``typed-dict`` schema built from the same field nodes as the class's ``model`` schema, its
fields in Terraform-name order, so the dict comes out sorted as the JSON wants it). A model
would also fill every unset field with None, and the body would then be rebuilt from it;
here only what was given is touched.

This path only skips work, it never decides anything on its own: whenever a call is not the
plain case (a block, a value that is not a plain literal or this template's own reference, a
problem or a warning to word, an attribute that warns when set), it returns None and the
caller takes the full path (model + ``TemplateContext.json_struct``), which accepts the same
calls, writes the same body and words every message. Both paths read the same field nodes,
so what one accepts the other does too; tests compare their bodies.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from typing import Any

import math

from pangea._core import SchemaValidator
from pangea._core import ValidationError as CoreValidationError
from pangea.expr import Expr, Interpolation, Raw
from pangea.rust_pattern import rust_pattern
from pangea.types import _EXPR, _INTERP, NUM, STR, Mapping, Node, Sequence, _union
from pangea.validation import Length, OneOf, Pattern, Range, rules_predicate

if TYPE_CHECKING:
    from pangea.context import TemplateContext
    from pangea.struct import StructModel

_SEQUENCES = (list, tuple)
_NOT_REFS = (Raw, Interpolation)  # expressions whose text the full path checks
_SETS = (set, frozenset)
_UNBUILT = object()


class Plan:
    """What the one-pass path needs of a class, made at its first call: the typed-dict field
    of each attribute (constraints included), which input names mean which attribute, the
    predicate of the rules pydantic-core does not check, and one validator per call shape.

    A validator holds only the fields a shape sets (plus required and defaulted ones): a
    type has dozens of attributes, a call sets a few, and pydantic-core looks every field of
    its schema up in the input (29 absent ones cost a DocumentDB cluster call 6k instructions
    of 21k); its patterns are compiled for those fields only."""

    __slots__ = ("fields", "names", "always", "watched", "rules_pass", "shapes", "_whole")
    MAX_SHAPES = 256  # a program has few call shapes per type; past this, one whole validator

    def __init__(self, cls: type["StructModel"]) -> None:
        self.fields, embedded = typed_dict_fields(cls)
        self.names: dict[Any, str] = {}
        for py_name, field in cls._fields.items():
            tf_name = field.alias or py_name
            self.names[py_name] = self.names[tf_name] = tf_name
        self.always = tuple(name for name, entry in self.fields.items()
                            if entry["required"] or entry["schema"]["type"] == "default")
        # a block, or an attribute that warns when set (deprecated, managed by the provider)
        self.watched = frozenset(cls._deprecated) | cls._managed | frozenset(cls._blocks)
        self.rules_pass = rules_predicate(
            tuple(rule for rule in cls._rules if id(rule) not in embedded))
        self.shapes: dict[tuple[Any, ...], SchemaValidator | None] = {}
        self._whole: SchemaValidator | None = None

    def validator(self, shape: tuple[Any, ...]) -> SchemaValidator | None:
        """The validator for inputs with these keys; None: the call takes the full path
        (an unknown name, one attribute given twice, a schema pydantic-core refuses)."""
        tf_names = [self.names.get(key) for key in shape]
        if None in tf_names or len(set(tf_names)) != len(tf_names):
            return None
        chosen = sorted({*tf_names, *self.always})  # Terraform-name order: the JSON's
        if len(self.shapes) >= self.MAX_SHAPES:
            chosen = sorted(self.fields)
            if self._whole is not None:
                return self._whole
        try:
            validator = SchemaValidator({"type": "typed-dict", "extra_behavior": "forbid",
                                         "fields": {n: self.fields[n] for n in chosen}})
        except Exception:  # e.g. a pattern Rust refuses after all: Python decides
            validator = None
        if len(self.shapes) < self.MAX_SHAPES:
            self.shapes[shape] = validator
        elif validator is not None:
            self._whole = validator
        return validator


def plan(cls: type["StructModel"]) -> Plan:
    """The class's Plan, made at its first call and kept on the class."""
    found = cls.__dict__.get("_body_plan")
    if found is None:
        found = cls._body_plan = Plan(cls)  # type: ignore[attr-defined]
    return found


def typed_dict_fields(cls: type["StructModel"], constraints: bool = True,
                      ) -> tuple[dict[str, Any], set[int]]:
    """Each attribute's typed-dict field, keyed by Terraform name in sorted order, its Python
    name accepted as an alias; with ``constraints``, carrying the attribute rules pydantic-core
    can check itself. Returns the fields and the ids of the rules they carry.

    A block's value is accepted as anything here: a call that sets a block always takes the
    full path, which validates it."""
    by_attr: dict[str, list[Any]] = {}
    if constraints:
        for rule in cls._rules:
            if isinstance(rule, (Length, Range, Pattern, OneOf)):
                by_attr.setdefault(rule.attr, []).append(rule)
    embedded: set[int] = set()
    fields: dict[str, Any] = {}
    for py_name, field in sorted(cls._fields.items(), key=lambda item: item[1].alias or item[0]):
        tf_name = field.alias or py_name
        if tf_name in cls._blocks:
            schema: dict[str, Any] = {"type": "any"}
        else:
            schema, used = constrained(field.node, by_attr.get(tf_name, ()))
            embedded.update(id(rule) for rule in used)
        entry: dict[str, Any] = {"type": "typed-dict-field", "required": field.required}
        if not field.required:
            schema = {"type": "nullable", "schema": schema}
            if field.default is not None:
                schema = {"type": "default", "schema": schema, "default": field.default}
        entry["schema"] = schema
        if field.alias is not None:
            entry["validation_alias"] = [[tf_name], [py_name]]
        fields[tf_name] = entry
    return fields, embedded


def constrained(node: Node, rules: Any) -> tuple[dict[str, Any], list[Any]]:
    """``node``'s schema with what ``rules`` (one attribute's) it can carry: lengths, numeric
    ranges, string enums and patterns Rust reads alike (pangea.rust_pattern). Interpolated
    strings and expressions still pass, as the rules let them. (schema, rules carried)."""
    if not rules:
        return node.core(), []
    if node is STR or (isinstance(node, Sequence) and node.item is STR):
        # a Length of a list counts its items, not each string's characters
        text, used = _text_constraints(
            [rule for rule in rules if node is STR or not isinstance(rule, Length)])
        choice = ({"type": "literal", **text} if "expected" in text
                  else {"type": "str", "strict": True, **text})
        text_schema = _union(choice, _INTERP, _EXPR) if used else STR.core()
        if node is STR:
            return text_schema, used
        sizes, sized = _sizes(rules)
        return node.core(item=text_schema, sizes=sizes), used + sized
    if node is NUM:
        ranges = [r for r in rules if isinstance(r, Range)][:1]
        if not ranges:
            return node.core(), []
        low, high = ranges[0].min, ranges[0].max
        bounds = {key: value for key, value in (("ge", low), ("le", high)) if value is not None}
        # an int's bounds must be ints: 0.5 <= n is 1 <= n for an int n
        whole = {key: value for key, value in (("ge", None if low is None else math.ceil(low)),
                                               ("le", None if high is None else math.floor(high)))
                 if value is not None}
        return _union({"type": "int", "strict": True, **whole},
                      {"type": "float", "strict": True, **bounds}, _EXPR, _INTERP), ranges
    if isinstance(node, (Sequence, Mapping)):
        sizes, sized = _sizes(rules)
        return node.core(sizes=sizes), sized
    return node.core(), []


def _text_constraints(rules: Any) -> tuple[dict[str, Any], list[Any]]:
    """Constraints of a string: an enum alone (a literal), else a length and a pattern."""
    enums = [r for r in rules if isinstance(r, OneOf)]
    if enums:
        allowed = enums[0].allowed
        if all(type(value) is str for value in allowed):
            return {"expected": list(allowed)}, [enums[0]]
        return {}, []
    out: dict[str, Any] = {}
    used: list[Any] = []
    for rule in rules:
        if isinstance(rule, Length) and "min_length" not in out and "max_length" not in out:
            out.update({key: value for key, value in (("min_length", rule.min),
                                                      ("max_length", rule.max))
                        if value is not None})
            used.append(rule)
        elif isinstance(rule, Pattern) and "pattern" not in out:
            pattern = rust_pattern(rule.regex)
            if pattern is not None:
                out["pattern"] = pattern
                used.append(rule)
    return out, used


def _sizes(rules: Any) -> tuple[dict[str, Any], list[Any]]:
    """A collection's item-count bounds, from its first Length rule."""
    for rule in rules:
        if isinstance(rule, Length):
            return {key: value for key, value in (("min_length", rule.min),
                                                  ("max_length", rule.max))
                    if value is not None}, [rule]
    return {}, []


def plain_body(cls: type["StructModel"], ctx: "TemplateContext", address: str,
               data: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON body of ``data`` (Python or Terraform names), sorted; None: take the full path."""
    found = plan(cls)
    shape = tuple(data)
    validator = found.shapes.get(shape, _UNBUILT)
    if validator is _UNBUILT:
        validator = found.validator(shape)
    if validator is None:
        return None
    try:
        values = validator.validate_python(data)
    except CoreValidationError:
        return None
    # the validated dict becomes the body: most values are JSON already, and each Python
    # step here costs every resource call (only a value that is not is replaced)
    body = values
    interpolated = absent = None
    for key, value in values.items():
        kind = type(value)
        if kind is str:
            if "${" in value:
                interpolated = [*(interpolated or ()), value]
        elif kind is int or kind is bool:
            continue
        elif value is None:
            absent = [*(absent or ()), key]
        elif isinstance(value, Expr) and value._owner is ctx and not isinstance(value, _NOT_REFS):
            body[key] = "${" + value._expr + "}"  # a reference to this template's own object
        else:
            value = _plain(value, ctx)
            if value is None:
                return None
            body[key] = value
    if absent:  # None given for an attribute: as if it were not
        for key in absent:
            del body[key]
    if (found.watched and not found.watched.isdisjoint(body)) or not found.rules_pass(body):
        return None
    if interpolated:  # checked when the template ends, as the full path records them
        ctx._interpolations.extend((address, text) for text in interpolated)
    return body


def _plain(value: Any, ctx: "TemplateContext") -> Any:
    """A value other than a str/int/bool as JSON, or None when it needs the full path."""
    kind = type(value)
    if kind is float:
        return value if value - value == 0 else None  # inf and nan are not JSON
    if isinstance(value, Expr):
        return _own_reference(value, ctx)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not (
                    type(item) is str and "${" not in item or type(item) is int
                    or type(item) is bool):
                return None
        return dict(sorted(value.items()))
    if kind in _SEQUENCES:
        items = [v if _literal(v) else _own_reference(v, ctx) for v in value]
        return None if None in items else items
    if kind in _SETS:
        if all(_literal(v) for v in value):
            return sorted(value, key=repr)  # as the full path orders a set
        return None
    return None


def _literal(value: Any) -> bool:
    kind = type(value)
    return (kind is str and "${" not in value) or kind is int or kind is bool


def _own_reference(value: Any, ctx: "TemplateContext") -> str | None:
    """``${...}`` of a reference to something this template declares; None for any other
    expression (another template's, a raw one, an interpolation), which the full path checks."""
    if isinstance(value, Expr) and value._owner is ctx and not isinstance(value, _NOT_REFS):
        return "${" + value._expr + "}"
    return None
