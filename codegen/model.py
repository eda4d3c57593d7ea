"""The intermediate model: what one generated module is made of.

Built from the provider schema (``build.py``), enriched by overrides (``overrides.py``) and
rendered by the emitters. Following mypy-boto3-builder, the model renders its own type
annotations and reference factories, so templates only place strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PRIMITIVE_RUNTIME = {"string": "STR", "number": "NUM", "bool": "BOOL", "dynamic": "ANY"}
# A parameter takes a literal or an expression that may have its type: every expression for a
# string (Terraform converts numbers and bools), NumExpr/BoolExpr for numbers and bools, so a
# string reference there is a type error while untyped expressions pass (pangea.expr).
PRIMITIVE_STUB = {"string": "str | Expr", "number": "int | float | NumExpr",
                  "bool": "bool | BoolExpr", "dynamic": "Any"}
PRIMITIVE_EXPR = {"string": "Expr", "number": "NumExpr", "bool": "BoolExpr"}
PRIMITIVE_REF = {"string": "StrRef", "number": "NumRef", "bool": "BoolRef", "dynamic": "AnyRef"}
COLLECTION_REF = {"list": "ListRef", "set": "SetRef", "map": "MapRef", "tuple": "ListRef"}


@dataclass
class TfType:
    """A Terraform (cty) type; ``struct`` describes an object type's attributes."""

    kind: str  # string number bool dynamic list set map object tuple
    element: "TfType | None" = None
    items: tuple["TfType", ...] = ()
    struct: "Struct | None" = None

    @property
    def elem(self) -> "TfType":
        """The element type of a list, set or map."""
        assert self.element is not None, f"{self.kind} has no element type"
        return self.element

    @property
    def obj(self) -> "Struct":
        """The attributes of an object type."""
        assert self.struct is not None, f"{self.kind} is not an object type"
        return self.struct

    # -- generated .py (field type nodes of pangea.types) -------------------------------
    def runtime(self) -> str:
        if self.kind in PRIMITIVE_RUNTIME:
            return PRIMITIVE_RUNTIME[self.kind]
        if self.kind in ("list", "set", "map"):
            return f"{self.kind}_of({self.elem.runtime()})"
        if self.kind == "tuple":
            return f"tuple_of({', '.join(i.runtime() for i in self.items)})"
        if self.kind == "object":
            return f"obj({self.obj.model_name})"
        raise ValueError(self.kind)

    # -- .pyi (what type checkers see) --------------------------------------------------
    def stub(self, literal: str | None = None) -> str:
        """The annotation; ``literal`` (``Literal[...]``) replaces the Python type of the
        primitive values (the type's own, or its elements' for a list or set)."""
        if self.kind in PRIMITIVE_STUB:
            if literal is not None and self.kind in PRIMITIVE_EXPR:
                return f"{literal} | {PRIMITIVE_EXPR[self.kind]}"
            return PRIMITIVE_STUB[self.kind]
        if self.kind == "list":
            return f"Sequence[{self.elem.stub(literal)}] | Expr"
        if self.kind == "set":
            inner = self.elem.stub(literal)
            return f"Sequence[{inner}] | AbstractSet[{inner}] | Expr"
        if self.kind == "map":
            return f"Mapping[str, {self.elem.stub()}] | Expr"
        if self.kind == "tuple":
            return f"tuple[{', '.join(i.stub() for i in self.items)}] | Expr"
        if self.kind == "object":
            return f"{self.obj.dict_name} | {self.obj.model_name} | Expr"
        raise ValueError(self.kind)

    # -- references ---------------------------------------------------------------------
    def ref_factory(self) -> str:
        """Arguments after the name in ``Attr(name, ...)``."""
        if self.kind in PRIMITIVE_REF:
            return PRIMITIVE_REF[self.kind]
        if self.kind == "object":
            return self.obj.ref_name
        if self.kind == "tuple":
            return "ListRef"
        return f"{COLLECTION_REF[self.kind]}, {self.elem.item_factory()}"

    def item_factory(self) -> str:
        """A callable ``(expr, owner) -> ref`` for elements of a collection."""
        if self.kind in ("list", "set", "map"):
            return f"collection({COLLECTION_REF[self.kind]}, {self.elem.item_factory()})"
        if self.kind == "tuple":
            return "ListRef"
        return self.ref_factory()

    def ref_stub(self) -> str:
        if self.kind in PRIMITIVE_REF:
            return PRIMITIVE_REF[self.kind]
        if self.kind == "object":
            return self.obj.ref_name
        if self.kind == "tuple":
            return "ListRef[AnyRef]"
        return f"{COLLECTION_REF[self.kind]}[{self.elem.ref_stub()}]"

    # -- people -------------------------------------------------------------------------
    def describe(self) -> str:
        if self.kind in ("string", "number", "bool"):
            return {"string": "a string", "number": "a number", "bool": "a bool"}[self.kind]
        if self.kind == "dynamic":
            return "any value"
        if self.kind in ("list", "set"):
            return f"a {self.kind} of {self.elem.short()}"
        if self.kind == "map":
            return f"a map of {self.elem.short()}"
        if self.kind == "tuple":
            return "a tuple (" + ", ".join(i.short() for i in self.items) + ")"
        return "an object"

    def short(self) -> str:
        if self.kind in ("list", "set", "map"):
            return f"{self.kind}({self.elem.short()})"
        if self.kind == "tuple":
            return "tuple(" + ", ".join(i.short() for i in self.items) + ")"
        return self.kind

    def compact(self) -> Any:
        """The cty type in Terraform's JSON notation (for the embedded checker schema)."""
        if self.kind in PRIMITIVE_REF:
            return self.kind
        if self.kind in ("list", "set", "map"):
            return [self.kind, self.elem.compact()]
        if self.kind == "tuple":
            return ["tuple", [i.compact() for i in self.items]]
        attrs = {a.tf_name: a.type.compact() for a in self.obj.attributes}
        optional = [a.tf_name for a in self.obj.attributes if not a.required]
        return ["object", attrs, optional] if optional else ["object", attrs]

    def structs(self) -> list["Struct"]:
        """Object structs reachable from this type."""
        if self.kind == "object":
            return [self.obj]
        if self.element is not None:
            return self.elem.structs()
        return [s for i in self.items for s in i.structs()]


@dataclass(frozen=True)
class RuleSpec:
    """A validation rule: an instance of a rule kind of the registry (``pangea.validation``),
    with the citation its override entry gives (for the docs)."""

    rule: Any
    source: str = ""

    @property
    def kind(self) -> str:
        return type(self.rule).__name__

    def render(self) -> str:
        """The Python that rebuilds the rule in a generated module."""
        return f"v.{self.rule.source_code()}"

    def sentence(self) -> str:
        """The rule in English for the docs, with its level, message and source link."""
        rule = self.rule
        text = rule.sentence()
        if getattr(rule, "level", "error") == "warning":
            text = f"**Warning** (Terraform accepts it, but it fails later): {text}"
        message = getattr(rule, "message", None)
        if message:
            text += f" Reported as: {message.rstrip('.')}."
        hint = getattr(rule, "hint", None)
        if hint:
            text += f" Fix: {hint.rstrip('.')}."
        if self.source:
            text += f" [Source]({self.source})"
        return text


@dataclass
class Attribute:
    tf_name: str
    py_name: str
    type: TfType
    required: bool = False
    optional: bool = False
    computed: bool = False
    sensitive: bool = False
    write_only: bool = False
    deprecated: bool = False
    description: str = ""
    nested_mode: str | None = None  # set for nested_type attributes
    # from overrides
    default: Any = None
    has_default: bool = False
    default_emitted: bool = False
    notes: str = ""
    source: str = ""
    constraints: list[str] = field(default_factory=list)  # human text for the docs
    # set by the provider itself (a resource's id, tags_all): Terraform accepts a value, so the
    # runtime takes it with a warning, but stubs and docs do not offer it as an argument
    managed: bool = False

    @property
    def is_input(self) -> bool:
        return self.required or self.optional

    @property
    def offered(self) -> bool:
        """An argument stubs and docs offer: an input the provider does not manage itself."""
        return self.is_input and not self.managed

    @property
    def computed_only(self) -> bool:
        return self.computed and not self.is_input

    @property
    def requirement(self) -> str:
        if self.required:
            return "required"
        if self.optional and self.computed:
            return "optional (computed if unset)"
        if self.optional:
            return "optional"
        return "computed"


@dataclass
class Block:
    tf_name: str
    py_name: str
    mode: str  # single group list set map
    min_items: int
    max_items: int | None
    shape: str  # object (single/group), single (max_items=1 list/set), list, set, map
    struct: "Struct"
    deprecated: bool = False
    description: str = ""

    @property
    def required(self) -> bool:
        return self.min_items >= 1 and self.shape != "map"

    def runtime(self) -> str:
        model = self.struct.model_name
        return {"object": f"block({model})", "single": f"block({model})",
                "list": f"block_list({model})", "set": f"block_list({model})",
                "map": f"block_map({model})"}[self.shape]

    def stub(self) -> str:
        one = f"{self.struct.dict_name} | {self.struct.model_name}"
        if self.shape in ("object", "single"):
            return one
        if self.shape == "map":
            return f"Mapping[str, {one}]"
        return f"Sequence[{one}]"

    def ref_factory(self) -> str:
        ref = self.struct.ref_name
        if self.shape == "object":
            return ref
        if self.shape == "single":
            return f"{ref}, first=True"
        return f"{COLLECTION_REF[self.shape]}, {ref}"

    def ref_stub(self) -> str:
        ref = self.struct.ref_name
        if self.shape in ("object", "single"):
            return ref
        return f"{COLLECTION_REF[self.shape]}[{ref}]"

    def describe(self) -> str:
        if self.shape in ("object", "single"):
            return "a block (one dict)"
        if self.shape == "map":
            return "a map of blocks (label -> dict)"
        return "a list of blocks (dicts)"

    def count_text(self) -> str:
        if self.shape in ("object", "single"):
            return "exactly one" if self.required else "at most one"
        low, high = self.min_items, self.max_items
        if high is None:
            return f"at least {low}" if low else "any number"
        return f"{low} to {high}"


@dataclass
class Struct:
    """Attributes and blocks of a type, a nested block or an object type."""

    model_name: str
    ref_name: str
    dict_name: str
    path: str  # Terraform path from the type, '' for the type itself
    attributes: list[Attribute] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    rules: list[RuleSpec] = field(default_factory=list)
    description: str = ""
    is_object_type: bool = False

    def inputs(self) -> list[Attribute]:
        """Every attribute Terraform accepts a value for (what the runtime validates)."""
        return [a for a in self.attributes if a.is_input]

    def offered(self) -> list[Attribute]:
        """The inputs stubs and docs offer (without the provider-managed ones)."""
        return [a for a in self.attributes if a.offered]

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.tf_name == name), None)

    def block(self, name: str) -> Block | None:
        return next((b for b in self.blocks if b.tf_name == name), None)

    def children(self) -> list["Struct"]:
        """Every struct below this one (blocks and object types), depth first."""
        out: list[Struct] = []
        for attr in self.attributes:
            for struct in attr.type.structs():
                out += [struct, *struct.children()]
        for block in self.blocks:
            out += [block.struct, *block.struct.children()]
        return out


@dataclass
class ComputedProperty:
    name: str
    kind: str  # string number bool list(string)
    format: str | None
    expression: str | None
    description: str = ""

    def ref_stub(self) -> str:
        if self.expression is not None:
            return {"string": "StrRef", "number": "NumRef", "bool": "BoolRef"}.get(self.kind, "AnyRef")
        return "str | Expr"


@dataclass
class Example:
    title: str
    code: str
    description: str = ""


# Subpackage of the types generated from the schema alone, built at install time (not committed)
SCHEMA_ONLY = "schema_only"


@dataclass(frozen=True)
class SchemaOnlyType:
    """A type built at install time, as the committed package and docs index name it."""

    kind: str
    type_name: str
    function_name: str
    module: str
    page: str


@dataclass
class TypeModel:
    kind: str  # resource | data
    type_name: str
    function_name: str
    module: str  # dotted path under pangea_aws
    struct: Struct
    schema_version: int = 0
    summary: str = ""
    description: str = ""
    sources: list[str] = field(default_factory=list)
    computed: list[ComputedProperty] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    deprecated: bool = False
    deprecation_message: str = ""
    # False for a type generated from the schema alone (no override file)
    curated: bool = True
    page: str = ""  # the docs page when not docs/<doc_name>.md (see doc_path)
    package: str = "pangea_aws"  # the generated package holding the type
    provider_title: str = "AWS"  # how docs name the provider ("AWS provider 6.47.0")

    @property
    def display_summary(self) -> str:
        """The one-line summary every page and docstring starts with: the override's, else the
        schema description's first line, else a sentence saying the schema has none."""
        if self.summary:
            return self.summary
        first = self.description.strip().splitlines()[0].strip() if self.description.strip() else ""
        if first:
            return first
        kind = "data source" if self.kind == "data" else "resource"
        return (f"The {self.provider_title} provider's {self.type_name} {kind} (the provider "
                "schema does not describe it).")

    @property
    def address_prefix(self) -> str:
        return f"data.{self.type_name}" if self.kind == "data" else self.type_name

    @property
    def doc_name(self) -> str:
        return f"data.{self.type_name}" if self.kind == "data" else self.type_name

    @property
    def doc_path(self) -> str:
        """The docs page, relative to the output directory (generated/)."""
        return self.page or f"docs/{self.doc_name}.md"
