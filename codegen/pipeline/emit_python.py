"""Intermediate model -> the text of one generated module (.py) and its stub (.pyi).

Every decision (annotations, defaults, order, names) is made here in Python; the templates
only lay the prepared strings out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from codegen.model import Attribute, Struct, TypeModel
from codegen.pipeline.docstrings import docstring_literal, function_docstring
from codegen.pipeline.format import LINE_LENGTH
from codegen.pipeline.render import render
from pangea import validation

META_STUB = (
    "depends_on: Sequence[ResourceRef | str] | None = ...",
    "count: int | NumExpr | None = ...",
    "for_each: Mapping[str, Any] | Sequence[str] | AbstractSet[str] | Expr | None = ...",
    "provider: ProviderRef | str | None = ...",
    "lifecycle: Lifecycle | None = ...",
)
META_STUB_DATA = META_STUB[:4]


def post_order(struct: Struct) -> list[Struct]:
    """Structs below ``struct`` with children before parents (classes must exist before use)."""
    out: list[Struct] = []

    def visit(node: Struct) -> None:
        for child in _direct_children(node):
            visit(child)
        out.append(node)

    visit(struct)
    return out


def _direct_children(struct: Struct) -> list[Struct]:
    children = [s for a in struct.attributes for s in a.type.structs()]
    children += [b.struct for b in struct.blocks]
    return children


def _input_structs(struct: Struct) -> set[int]:
    """ids of the structs that users pass values for (models are generated only for those)."""
    found: set[int] = {id(struct)}
    for attr in struct.inputs():
        for child in attr.type.structs():
            found |= _input_structs(child)
    for block in struct.blocks:
        found |= _input_structs(block.struct)
    return found


def wrap_annotation(annotation: str, column: int, after: str) -> str:
    """``annotation`` starting at ``column`` and followed by ``after``; parenthesized when the
    line would be too long, so the formatter splits it one union member per line (as black
    does; ruff keeps parentheses it is given but does not add them to annotations)."""
    if column + len(annotation) + len(after) > LINE_LENGTH and " | " in annotation:
        return f"({annotation})"
    return annotation


@dataclass
class Field:
    """One argument, with its pydantic line and its stub forms."""

    py_name: str
    tf_name: str
    runtime: str
    stub: str
    required: bool
    default: Any = None
    has_default: bool = False

    def model_line(self) -> str:
        """The entry of the generated ``_fields`` table."""
        options = [self.runtime]
        if self.required:
            options.append("required=True")
        if self.py_name != self.tf_name:
            options.append(f"alias={self.tf_name!r}")
        if self.has_default:
            options.append(f"default={self.default!r}")
        return f"{self.py_name!r}: F({', '.join(options)}),"

    def stub_model_line(self) -> str:
        return f"{self.py_name}: {self.stub}" + ("" if self.required else " | None")

    def stub_param(self, indent: int, *, optional: bool = False) -> str:
        """The stub parameter; ``indent`` is its column (8 in ``__init__``, 4 in functions).
        ``optional``: a required argument may be left out too (the function's one signature
        also takes the arguments as a dict); it still refuses None."""
        annotation = self.stub + ("" if self.required else " | None")
        default = "" if self.required and not optional else " = ..."
        return f"{self.py_name}: " + wrap_annotation(
            annotation, indent + len(self.py_name) + 2, default + ",") + default

    def typed_dict_item(self) -> str:
        return f"{self.tf_name!r}: " + (f"Required[{self.stub}]" if self.required else self.stub)


def fields(struct: Struct, *, offered: bool = False) -> list[Field]:
    """The arguments of a struct: every input Terraform accepts (the runtime's table), or with
    ``offered`` only those stubs offer (no provider-managed attribute)."""
    out = []
    for attr in (struct.offered() if offered else struct.inputs()):
        literal = enum_literal(struct, attr)
        out.append(Field(attr.py_name, attr.tf_name, attr.type.runtime(), attr.type.stub(literal),
                         attr.required, attr.default,
                         attr.has_default and attr.default_emitted))
    for block in struct.blocks:
        out.append(Field(block.py_name, block.tf_name, block.runtime(), block.stub(),
                         block.required))
    # required first, then by name: a stable order that reads well in signatures
    return sorted(out, key=lambda f: (not f.required, f.py_name))


def enum_literal(struct: Struct, attr: Attribute) -> str | None:
    """``Literal[...]`` of the values an enum rule (``pangea.validation.OneOf``) allows for
    ``attr`` (or for each element of a list or set), or None: no enum, or numbers that are not
    all integers (a float cannot be a Literal)."""
    leaf = attr.type.elem if attr.type.kind in ("list", "set") else attr.type
    for spec in struct.rules:
        rule = spec.rule
        if not isinstance(rule, validation.OneOf) or rule.attr != attr.tf_name:
            continue
        if leaf.kind == "string" and all(isinstance(v, str) for v in rule.allowed):
            return "Literal[" + ", ".join(json.dumps(v) for v in rule.allowed) + "]"
        if leaf.kind == "number" and all(type(v) is int for v in rule.allowed):
            return "Literal[" + ", ".join(str(v) for v in rule.allowed) + "]"
    return None


def _types_table(struct: Struct) -> dict[str, str]:
    table = {a.tf_name: a.type.describe() for a in struct.inputs()}
    table.update({b.tf_name: b.describe() for b in struct.blocks})
    return dict(sorted(table.items()))


def _deprecated_table(struct: Struct) -> dict[str, str]:
    table = {a.tf_name: _first_line(a.description) for a in struct.inputs() if a.deprecated}
    table.update({b.tf_name: "" for b in struct.blocks if b.deprecated})
    return dict(sorted(table.items()))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


@dataclass
class ModelClass:
    name: str
    base: str
    doc: str
    tables: list[str]
    lines: list[str]
    stub_lines: list[str]
    typed_dict: str
    init_params: list[str]

    @property
    def init_signature(self) -> str:
        return ", ".join(["self", "*", *self.init_params]) if self.init_params else "self"


def model_class(struct: Struct, top: bool) -> ModelClass:
    items = fields(struct)
    offered = fields(struct, offered=True)
    tf_names = {f.py_name: f.tf_name for f in items if f.py_name != f.tf_name}
    blocks = {b.tf_name: b.struct.model_name for b in struct.blocks}
    blocks.update({a.tf_name: s.model_name for a in struct.inputs() for s in a.type.structs()})
    tables = []
    if tf_names:
        tables.append(f"_tf_names = {tf_names!r}")
    tables.append(f"_types = {_types_table(struct)!r}")
    if blocks:
        tables.append("_blocks = {" + ", ".join(f"{k!r}: {v}" for k, v in sorted(blocks.items()))
                      + "}")
    if struct.rules:
        tables.append("_rules = (" + ", ".join(r.render() for r in struct.rules) + ",)")
    # Write-only values (never stored) are secrets too: masked wherever a message could show them.
    sensitive = sorted(a.tf_name for a in struct.inputs() if a.sensitive or a.write_only)
    if sensitive:
        tables.append(f"_sensitive = frozenset({sensitive!r})")
    deprecated = _deprecated_table(struct)
    if deprecated:
        tables.append(f"_deprecated = {deprecated!r}")
    computed_only = sorted(a.tf_name for a in struct.attributes if a.computed_only)
    if computed_only:
        tables.append(f"_computed_only = frozenset({computed_only!r})")
    managed = sorted(a.tf_name for a in struct.inputs() if a.managed)
    if managed:
        tables.append(f"_managed = frozenset({managed!r})")
    kind = "object" if struct.is_object_type else "block"
    doc = (f"Arguments of {'the ' + struct.path + ' ' + kind if struct.path else 'this type'}."
           if not top else "Validated arguments (Terraform names in the JSON).")
    typed_items = ", ".join(f.typed_dict_item() for f in offered)
    typed_dict = (f"{struct.dict_name} = TypedDict({struct.dict_name!r}, {{{typed_items}}}, "
                  "total=False)")
    return ModelClass(
        name=struct.model_name, base="StructModel", doc=doc, tables=tables,
        lines=[f.model_line() for f in items], stub_lines=[f.stub_model_line() for f in offered],
        typed_dict=typed_dict, init_params=[f.stub_param(8) for f in offered])


@dataclass
class RefClass:
    name: str
    base: str
    lines: list[str]
    stub_props: list[tuple[str, str]]


def ref_class(struct: Struct, model: TypeModel | None) -> RefClass:
    lines, props = [], []
    for attr in struct.attributes:
        lines.append(f"{attr.py_name} = Attr({attr.tf_name!r}, {attr.type.ref_factory()})")
        props.append((attr.py_name, attr.type.ref_stub()))
    for block in struct.blocks:
        lines.append(f"{block.py_name} = Attr({block.tf_name!r}, {block.ref_factory()})")
        props.append((block.py_name, block.ref_stub()))
    if model is not None:
        for prop in model.computed:
            if prop.expression is not None:
                spec = f"expression={prop.expression!r}, kind={prop.kind!r}"
            else:
                spec = f"format={prop.format!r}"
            lines.append(f"{prop.name} = Computed({prop.name!r}, {spec})")
            props.append((prop.name, prop.ref_stub()))
    return RefClass(struct.ref_name, "ResourceRef" if model is not None else "StructRef",
                    lines, props)


def checker_schema(struct: Struct) -> dict[str, Any]:
    """The block in Terraform's schema notation, without prose, for pangea.schema_check."""
    attrs: dict[str, Any] = {}
    for attr in struct.attributes:
        entry: dict[str, Any] = {}
        if attr.nested_mode is not None:
            inner = attr.type.obj if attr.type.kind == "object" else attr.type.elem.obj
            entry["nested_type"] = {"nesting_mode": attr.nested_mode,
                                    "attributes": checker_schema(inner)["attributes"]}
        else:
            entry["type"] = attr.type.compact()
        for flag in ("required", "optional", "computed", "sensitive", "write_only", "deprecated"):
            if getattr(attr, flag):
                entry[flag] = True
        attrs[attr.tf_name] = entry
    out: dict[str, Any] = {"attributes": attrs}
    blocks = {}
    for block in struct.blocks:
        entry = {"nesting_mode": block.mode, "block": checker_schema(block.struct)}
        if block.min_items:
            entry["min_items"] = block.min_items
        if block.max_items is not None:
            entry["max_items"] = block.max_items
        blocks[block.tf_name] = entry
    if blocks:
        out["block_types"] = blocks
    return out


def emit_schema(model: TypeModel) -> str:
    """The checker schema as compact, sorted JSON (data beside the module, not code)."""
    return json.dumps(checker_schema(model.struct), sort_keys=True, separators=(",", ":")) + "\n"


TYPE_NAMES = ("ANY", "BOOL", "NUM", "STR", "F", "block", "block_list", "block_map", "list_of",
              "map_of", "obj", "set_of", "tuple_of")
REF_NAMES = ("AnyRef", "Attr", "BoolRef", "Computed", "ListRef", "MapRef", "NumRef", "ResourceRef",
             "SetRef", "StrRef", "StructRef", "collection")


_WORD = re.compile(r"\w+")


def used_names(candidates: tuple[str, ...], lines: list[str]) -> list[str]:
    """The candidates that the generated lines use (so each module imports only those)."""
    words = set(_WORD.findall("\n".join(lines)))
    return [name for name in candidates if name in words]


def emit_module(model: TypeModel, provider_version: str, docs_url: str = "") -> tuple[str, str]:
    """``(module source, stub source)`` for one type; ``docs_url`` is its registry page."""
    structs = post_order(model.struct)
    inputs = _input_structs(model.struct)
    models = [model_class(s, s is model.struct) for s in structs if id(s) in inputs]
    refs = [ref_class(s, model if s is model.struct else None) for s in structs]
    model_lines = [line for cls in models for line in (*cls.lines, *cls.tables)]
    ref_lines = [f"({cls.base})" for cls in refs] + [line for cls in refs for line in cls.lines]
    top_fields = fields(model.struct, offered=True)
    summary = model.display_summary
    context = dict(
        model=model,
        provider_version=provider_version,
        models=models,
        refs=refs,
        kw_params=[f.stub_param(4, optional=True) for f in top_fields],
        # positional-only, so its name only has to differ from every keyword parameter
        name_param="_resource_name" if any(f.py_name == "resource_name" for f in top_fields)
        else "resource_name",
        attrs_annotation=wrap_annotation(
            f"{model.struct.dict_name} | {model.struct.model_name} | None", 4 + len("attrs: "),
            " = None,"),
        type_imports=used_names(TYPE_NAMES, model_lines),
        ref_imports=used_names(REF_NAMES, ref_lines),
        uses_rules=any("v." in line for line in model_lines),
        meta_params=META_STUB_DATA if model.kind == "data" else META_STUB,
        summary=summary,
        docstring=docstring_literal(
            function_docstring(model, summary, provider_version, docs_url), 4),
    )
    return render("module.py.jinja", **context), render("module.pyi.jinja", **context)
