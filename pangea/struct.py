"""Base of the generated argument and block classes, validated by pydantic-core.

A generated class lists its fields (``_fields``: Python name -> :class:`pangea.types.F`) and
tables that drive conversion to JSON and error messages. Its pydantic-core validator is built
from those the first time the class validates anything, and produces instances of the class
itself (the ``model`` schema), exactly as pydantic's BaseModel does; the BaseModel layer is left
out because building its classes costs more than a whole synthesis (README, design notes).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from typing import Any, ClassVar, Self

from pangea._core import SchemaValidator
from pangea._core import ValidationError as CoreValidationError

from pangea.errors import ValidationError
from pangea.types import F
from pangea.validation import rules_predicate


class StructModel:
    """Arguments of a type, a block or an object: validated on construction, immutable.

    Tables: ``_fields``; ``_tf_names`` (Python name -> Terraform name where they differ);
    ``_types`` (Terraform name -> human type description); ``_blocks`` (Terraform name ->
    nested model); ``_rules``; ``_sensitive``; ``_deprecated`` (name -> provider's message);
    ``_computed_only`` (attributes that cannot be set); ``_managed`` (attributes the provider
    sets itself: accepted, with a warning).
    """

    # pydantic-core's model validator sets these (and __dict__) on every instance it builds
    __slots__ = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__",
                 "__pydantic_private__")
    __pydantic_fields_set__: set[str]
    _fields: ClassVar[dict[str, F]] = {}
    _tf_names: ClassVar[dict[str, str]] = {}
    _types: ClassVar[dict[str, str]] = {}
    _blocks: ClassVar[dict[str, type["StructModel"]]] = {}
    _rules: ClassVar[tuple[Any, ...]] = ()
    _sensitive: ClassVar[frozenset[str]] = frozenset()
    _deprecated: ClassVar[dict[str, str]] = {}
    _computed_only: ClassVar[frozenset[str]] = frozenset()
    _managed: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, **data: Any) -> None:
        self._validate_into(data, self, type(self).__name__)

    @classmethod
    def model_validate(cls, data: Any, *, address: str | None = None) -> Self:
        """Validate a dict (Terraform or Python names) or an instance; raise a pangea
        ValidationError naming ``address`` (default: the class name) and each path."""
        return cls._validate_into(data, None, address or cls.__name__)

    @classmethod
    def _validate_into(cls, data: Any, instance: "StructModel | None", address: str) -> Any:
        try:
            return cls.__validator__().validate_python(data, self_instance=instance)
        except CoreValidationError as exc:
            problems = translate(exc, cls)
            reported = {path for path, _ in problems}
            # Rules across attributes need only which arguments are present: report them in
            # the same message, so one run shows everything to fix.
            problems += [p for p in cls._cross_rule_problems(data) if p[0] not in reported]
            raise ValidationError(address, problems, locate=True) from None

    @classmethod
    def _cross_rule_problems(cls, data: Any) -> list[tuple[str, str]]:
        if not isinstance(data, dict):
            return []
        values = {cls._tf_names.get(k, k): v for k, v in data.items() if v is not None}
        return [problem for rule in cls.__rule_index__()[1] if rule.level != "warning"
                for problem in rule.check(values, cls._sensitive)]

    @classmethod
    def __validator__(cls) -> SchemaValidator:
        validator = cls.__dict__.get("_validator")
        if validator is None:
            validator = SchemaValidator(cls.__core_schema__())
            cls._validator = validator  # type: ignore[attr-defined]
        return validator

    @classmethod
    def __core_schema__(cls) -> dict[str, Any]:
        fields = {}
        for py_name, field in cls._fields.items():
            schema = field.node.core()
            if not field.required:
                schema = {"type": "default", "schema": {"type": "nullable", "schema": schema},
                          "default": field.default}
            entry: dict[str, Any] = {"type": "model-field", "schema": schema}
            if field.alias is not None:
                entry["validation_alias"] = [[field.alias], [py_name]]
            fields[py_name] = entry
        return {"type": "model", "cls": cls, "schema": {
            "type": "model-fields", "fields": fields, "extra_behavior": "forbid",
            "model_name": cls.__name__}}

    def __set_fields__(self) -> Any:
        """Python names of the fields that hold a value: those given, plus defaults that are
        written to the JSON. (Iterating every field of a large type costs more.)"""
        given = self.__pydantic_fields_set__
        emitted = type(self).__emitted_defaults__()
        return given | emitted if emitted else given

    @classmethod
    def __emitted_defaults__(cls) -> frozenset[str]:
        found = cls.__dict__.get("_emitted")
        if found is None:
            found = frozenset(n for n, f in cls._fields.items() if f.default is not None)
            cls._emitted = found  # type: ignore[attr-defined]
        return found

    @classmethod
    def __rule_index__(cls) -> tuple[dict[str, tuple[Any, ...]], tuple[Any, ...]]:
        """Rules on one attribute, by its Terraform name, and rules across attributes; only
        the rules of attributes that are set need to run."""
        found = cls.__dict__.get("_rule_index")
        if found is None:
            single: dict[str, list[Any]] = {}
            cross = []
            for rule in cls._rules:
                attr = getattr(rule, "attr", None)
                if attr is None:
                    cross.append(rule)
                else:
                    single.setdefault(attr, []).append(rule)
            found = ({k: tuple(v) for k, v in single.items()}, tuple(cross))
            cls._rule_index = found  # type: ignore[attr-defined]
        return found

    @classmethod
    def __fast_check__(cls) -> Any:
        """The class's rules as one predicate (``pangea.validation.rules_predicate``): true
        when none of them finds a problem, so their messages are worded only when it is not."""
        found = cls.__dict__.get("_fast_check")
        if found is None:
            found = rules_predicate(tuple(cls._rules))
            cls._fast_check = found  # type: ignore[attr-defined]
        return found

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; build a new one instead")

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={'<sensitive>' if self._tf_names.get(k, k) in self._sensitive else repr(v)}"
                          for k, v in self.__dict__.items() if v is not None)
        return f"{type(self).__name__}({shown})"

    def model_dump(self) -> dict[str, Any]:
        """The set values by Terraform name, nested models as dicts."""
        return {self._tf_names.get(k, k): _dump(v) for k, v in self.__dict__.items()
                if v is not None}


def _dump(value: Any) -> Any:
    if isinstance(value, StructModel):
        return value.model_dump()
    if isinstance(value, (list, tuple)):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


# -- pydantic-core errors -> (path, message) in Terraform names -----------------------------

def translate(exc: CoreValidationError, model: type[StructModel]) -> list[tuple[str, str]]:
    """One ``(path, message)`` per attribute path, in Terraform names."""
    grouped: dict[str, tuple[type[StructModel], str, list[Any]]] = {}
    for error in exc.errors(include_url=False):
        path, owner, leaf = _walk_loc(error["loc"], model, error["type"])
        grouped.setdefault(path, (owner, leaf, []))[2].append(error)
    # A value that fails every member of a union yields one error per member; when one of them
    # reaches deeper into the value, that is the useful one.
    deeper = [p for p in grouped if p]
    return [(path, _message(owner, leaf, errors)) for path, (owner, leaf, errors) in grouped.items()
            if not any(d != path and d.startswith((path + ".", path + "[")) for d in deeper)]


def _walk_loc(loc: tuple[Any, ...], model: type[StructModel],
              error_type: str) -> tuple[str, type[StructModel], str]:
    """Follow an error location through nested models, skipping union member tags (a model's
    class name, 'list[...]', 'is-instance[Expr]', ...)."""
    path, leaf = "", ""
    owner: type[StructModel] | None = model
    leaf_model = model
    for index, part in enumerate(loc):
        if isinstance(part, int):
            path += f"[{part}]"
            continue
        if owner is None:
            break
        if part == owner.__name__:
            continue
        tf_name = _tf_name(owner, part)
        if tf_name is None:
            rest = [p for p in loc[index + 1:] if p != owner.__name__]
            following = rest[0] if rest else None
            if error_type == "extra_forbidden" and following is None:
                tf_name = part  # the unknown name itself
            elif isinstance(following, str) and _tf_name(owner, following) is not None:
                path += f"[{part!r}]"  # a label of a map of blocks
                continue
            else:
                continue  # a union member tag
        path = f"{path}.{tf_name}" if path else tf_name
        leaf_model, leaf = owner, tf_name
        owner = owner._blocks.get(tf_name)
    return path, leaf_model, leaf


def _tf_name(model: type[StructModel], name: str) -> str | None:
    if name in model._types:
        return name
    return model._tf_names.get(name)


def _message(model: type[StructModel], leaf: str, errors: list[Any]) -> str:
    kinds = {e["type"] for e in errors}
    if "missing" in kinds:
        return f"is required ({model._types.get(leaf, 'value')})"
    if "extra_forbidden" in kinds:
        return _unknown(model, leaf)
    shown = "(sensitive value hidden)" if leaf in model._sensitive else short_repr(errors[0].get("input"))
    if leaf in model._blocks and kinds & {"model_type", "dict_type", "model_attributes_type"}:
        return f"must be a block: a dict of its arguments (got {shown})"
    expected = model._types.get(leaf, "a valid value")
    return f"must be {expected} or a Terraform expression (got {shown})"


def _unknown(model: type[StructModel], name: str) -> str:
    if name in model._computed_only:
        return (f"is computed by the provider and cannot be set; read it from the reference "
                f"instead (e.g. ref.{name})")
    known = sorted(model._types)
    import difflib  # imported only when there is a mistake to explain
    close = difflib.get_close_matches(name, known, n=3)
    if close:
        return f"is not an argument of this type; did you mean {', '.join(close)}?"
    return f"is not an argument of this type; arguments are: {', '.join(known)}"


def short_repr(value: Any) -> str:
    """A value as shown in error messages: its repr, cut at 80 characters."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
