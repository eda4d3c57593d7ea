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

from pangea._core import SchemaValidator
from pangea._core import ValidationError as CoreValidationError
from pangea.expr import Expr, Interpolation, Raw
from pangea.validation import AttributeRule, _never, rules_predicate

if TYPE_CHECKING:
    from pangea.context import TemplateContext
    from pangea.struct import StructModel

_SEQUENCES = (list, tuple)
_NOT_REFS = (Raw, Interpolation)  # expressions whose text the full path checks
_SETS = (set, frozenset)


class Shape:
    """One call shape of a class (the input names a call gives, in order): its validator (None:
    such calls take the full path) and, once a call of it gave no None value, the predicate of
    the rules left open by the names its bodies always hold (``rules_predicate`` with names;
    ``_never`` when those names alone send it to the full path)."""

    __slots__ = ("validator", "passes")

    def __init__(self, validator: SchemaValidator | None) -> None:
        self.validator = validator
        self.passes: Any = None

    def settle(self, found: "Plan", body: dict[str, Any]) -> Any:
        """The predicate for the names of ``body`` (those of every call of this shape that
        gives no None), made once."""
        names = frozenset(body)
        self.passes = (_never if not found.watched.isdisjoint(names)
                       else rules_predicate(found.open_rules, names))
        return self.passes


class Plan:
    """What the one-pass path needs of a class, made at its first call: the typed-dict field
    of each attribute (constraints included), which input names mean which attribute, the
    rules pydantic-core does not check, and one validator per call shape.

    A validator holds only the fields a shape sets (plus required and defaulted ones): a
    type has dozens of attributes, a call sets a few, and pydantic-core looks every field of
    its schema up in the input (29 absent ones cost a DocumentDB cluster call 6k instructions
    of 21k); its patterns are compiled for those fields only."""

    __slots__ = ("fields", "names", "always", "watched", "open_rules", "rules_pass", "shapes",
                 "_whole")
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
        self.open_rules = tuple(rule for rule in cls._rules if id(rule) not in embedded)
        self.rules_pass = rules_predicate(self.open_rules)
        self.shapes: dict[tuple[Any, ...], Shape] = {}
        self._whole: Shape | None = None

    def passes(self, body: dict[str, Any]) -> bool:
        """Whether a body of any names needs nothing the full path would say."""
        return self.watched.isdisjoint(body) and self.rules_pass(body)

    def shape(self, key: tuple[Any, ...]) -> Shape:
        """The Shape of calls giving these input names (kept, up to MAX_SHAPES); its validator
        is None for an unknown name, one attribute given twice, a schema pydantic-core refuses."""
        if len(self.shapes) >= self.MAX_SHAPES:
            if self._whole is None:  # shared by the shapes past the limit: names vary
                self._whole = Shape(self._validator(sorted(self.fields)))
            return self._whole if self._tf_names(key) is not None else Shape(None)
        tf_names = self._tf_names(key)
        found = Shape(None if tf_names is None else
                      self._validator(sorted({*tf_names, *self.always})))  # the JSON's order
        self.shapes[key] = found
        return found

    def _tf_names(self, key: tuple[Any, ...]) -> list[str] | None:
        tf_names = [self.names.get(name) for name in key]
        if None in tf_names or len(set(tf_names)) != len(tf_names):
            return None
        return tf_names  # type: ignore[return-value]

    def _validator(self, chosen: list[str]) -> SchemaValidator | None:
        try:
            return SchemaValidator({"type": "typed-dict", "extra_behavior": "forbid",
                                    "fields": {n: self.fields[n] for n in chosen}})
        except Exception:  # e.g. a pattern Rust refuses after all: Python decides
            return None


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
            if isinstance(rule, AttributeRule):  # each field type takes what it can check
                by_attr.setdefault(rule.attr, []).append(rule)
    embedded: set[int] = set()
    fields: dict[str, Any] = {}
    for py_name, field in sorted(cls._fields.items(), key=lambda item: item[1].alias or item[0]):
        tf_name = field.alias or py_name
        if tf_name in cls._blocks:
            schema: dict[str, Any] = {"type": "any"}
        else:
            schema, used = field.node.constrained(by_attr.get(tf_name, ()))
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


def plain_body(cls: type["StructModel"], ctx: "TemplateContext", address: str,
               data: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON body of ``data`` (Python or Terraform names), sorted; None: take the full path."""
    found = cls.__dict__.get("_body_plan") or plan(cls)
    key = tuple(data)
    shape = found.shapes.get(key) or found.shape(key)
    validator = shape.validator
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
            if found.fields[key]["required"]:
                return None  # a required block (any value here, None too): the full path refuses
            del body[key]
        if not found.passes(body):
            return None
    elif shape is found._whole:  # its calls give different names: nothing to decide once
        if not found.passes(body):
            return None
    elif not (shape.passes or shape.settle(found, body))(body):
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
        return _plain_map(value)
    if kind in _SEQUENCES:
        items = [v if _literal(v) else _own_reference(v, ctx) for v in value]
        return None if None in items else items
    if kind in _SETS:
        if all(_literal(v) for v in value):
            return sorted(value, key=repr)  # as the full path orders a set
        return None
    return None


def _plain_map(value: dict[Any, Any]) -> dict[str, Any] | None:
    """A map of string keys to literals, sorted; None for anything else (an expression, an
    interpolation: the full path checks them)."""
    for key, item in value.items():
        if type(key) is not str or not (
                type(item) is str and "${" not in item or type(item) is int
                or type(item) is bool):
            return None
    return dict(sorted(value.items()))


def _literal(value: Any) -> bool:
    kind = type(value)
    return (kind is str and "${" not in value) or kind is int or kind is bool


def _own_reference(value: Any, ctx: "TemplateContext") -> str | None:
    """``${...}`` of a reference to something this template declares; None for any other
    expression (another template's, a raw one, an interpolation), which the full path checks."""
    if isinstance(value, Expr) and value._owner is ctx and not isinstance(value, _NOT_REFS):
        return "${" + value._expr + "}"
    return None
