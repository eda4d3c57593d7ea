"""Intermediate model -> one Markdown page per type and an index page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence

from codegen.pipeline.docstrings import NOT_DESCRIBED
from codegen.pipeline.examples import example_code
from codegen.model import Attribute, Block, Example, Struct, TypeModel
from codegen.pipeline.render import render
from pangea import validation


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _default(attr: Attribute) -> str:
    if not attr.has_default:
        return ""
    shown = f"`{json.dumps(attr.default)}`"
    return shown + (" (written to the JSON)" if attr.default_emitted else " (provider default)")


def _flags(attr: Attribute) -> str:
    flags = []
    if attr.sensitive:
        flags.append("sensitive")
    if attr.write_only:
        flags.append("write-only")
    if attr.deprecated:
        flags.append("**deprecated**")
    return ", ".join(flags)


@dataclass
class Row:
    name: str
    type: str
    requirement: str
    default: str
    constraints: str
    description: str


def argument_rows(struct: Struct) -> list[Row]:
    rows = []
    for attr in struct.offered():
        name = f"`{attr.tf_name}`" + (f" (`{attr.py_name}=`)" if attr.py_name != attr.tf_name else "")
        extra = _flags(attr)
        description = (attr.description or f"*{NOT_DESCRIBED}*") + (
            f" {attr.notes}" if attr.notes else "")
        if extra:
            description = f"({extra}) {description}"
        rows.append(Row(name, f"`{attr.type.short()}`", attr.requirement, _default(attr),
                        _cell("; ".join(attr.constraints)), _cell(description)))
    for block in struct.blocks:
        name = f"`{block.tf_name}`" + (f" (`{block.py_name}=`)" if block.py_name != block.tf_name else "")
        rows.append(Row(name, f"block ({block.count_text()})",
                        "required" if block.required else "optional", "",
                        "", _cell((block.description or f"*{NOT_DESCRIBED}*")
                                  + f" See [{block.struct.path}](#{_anchor(block)})")))
    return rows


def _anchor(block: Block) -> str:
    return "block-" + block.struct.path.replace(".", "-").replace("_", "-")


@dataclass
class BlockSection:
    title: str
    anchor: str
    shape: str
    rows: list[Row]
    rules: list[str]


def block_sections(struct: Struct) -> list[BlockSection]:
    out = []
    for block in struct.blocks:
        shape = {"object": "one dict", "single": "one dict (Terraform stores a one-item list)",
                 "list": "a list of dicts", "set": "a list of dicts (a set in Terraform)",
                 "map": "a dict of label -> dict"}[block.shape]
        out.append(BlockSection(block.struct.path, _anchor(block), shape,
                                argument_rows(block.struct), rule_sentences(block.struct)))
        out += block_sections(block.struct)
    return out


def attribute_rows(model: TypeModel) -> list[tuple[str, str, str]]:
    rows = []
    for attr in model.struct.attributes:
        notes = ["computed"] if attr.computed_only else []
        rows.append((f"`{attr.py_name}`", f"`{attr.type.ref_stub()}`",
                     _cell("; ".join(notes + ([attr.description] if attr.description else [])))))
    for block in model.struct.blocks:
        rows.append((f"`{block.py_name}`", f"`{block.ref_stub()}`", "nested block"))
    for prop in model.computed:
        rows.append((f"`{prop.name}`", f"`{prop.ref_stub()}`",
                     _cell("pangea computed property; " + prop.description)))
    return rows


def examples(model: TypeModel) -> list[Example]:
    if model.examples:
        return model.examples
    return [Example(title="Minimal (generated from the required arguments)",
                    code=example_code(model))]


def managed_note(struct: Struct) -> str:
    """Which attributes the provider sets itself (not offered as arguments), or ""."""
    names = [f"`{a.tf_name}`" for a in struct.inputs() if a.managed]
    if not names:
        return ""
    one = len(names) == 1
    return (f"{' and '.join(names)} {'is' if one else 'are'} set by the provider and not "
            f"offered as {'an argument' if one else 'arguments'} (read {'it' if one else 'them'} "
            "from the reference). Terraform accepts a value, so pangea takes one with a "
            "`provider-managed` warning.")


def description_below_summary(model: TypeModel) -> str:
    """The type's description without what its summary line already says."""
    text = model.description.strip()
    if model.summary:
        return "" if text == model.summary.strip() else text
    return "\n".join(text.splitlines()[1:]).strip()  # the summary is its first line


def emit_doc(model: TypeModel, version: str, url: str = "") -> str:
    return render(
        "doc.md.jinja", model=model, version=version, url=url,
        description=description_below_summary(model),
        managed=managed_note(model.struct), arguments=argument_rows(model.struct),
        blocks=block_sections(model.struct), attributes=attribute_rows(model),
        examples=examples(model), rules=rule_sentences(model.struct))


def rule_sentences(struct: Struct) -> list[str]:
    """The rules across arguments of a struct, as English sentences (rules on one argument are
    in its Constraints cell)."""
    return [spec.sentence() for spec in struct.rules
            if isinstance(spec.rule, validation.CrossRule)]


def service_of(type_name: str) -> str:
    """The service a type belongs to, for grouping: the word after the provider prefix
    (``aws_docdb_cluster`` -> ``docdb``). The schema names no services; Terraform's type names
    start with them by convention."""
    parts = type_name.split("_")
    return parts[1] if len(parts) > 2 else parts[-1]


def emit_index(models: list[TypeModel], version: str, public_names: Sequence[Any] = (),
               schema_only: Sequence[Any] = ()) -> str:
    entries = [(m.type_name, m.kind, m.function_name, m.doc_path, True,
                _cell(m.display_summary)) for m in models]
    entries += [(t.type_name, t.kind, t.function_name, t.page, False, "") for t in schema_only]
    services: dict[str, list[tuple[str, str, str, str]]] = {}
    for type_name, kind, function, page, curated, summary in sorted(
            entries, key=lambda e: (service_of(e[0]), e[1] == "data", e[0])):
        link = page[len("docs/"):] if page.startswith("docs/") else f"../{page}"
        services.setdefault(service_of(type_name), []).append(
            (kind, f"[`{function}`]({link})", "curated" if curated else "schema", summary))
    counts = {"resource": sum(1 for e in entries if e[1] == "resource"),
              "data": sum(1 for e in entries if e[1] == "data"),
              "curated": sum(1 for e in entries if e[4])}
    names = []
    for entry in public_names:
        if entry.kind == "generated":
            what, why = f"generates [`{entry.name}`]({entry.name}.md)", "the provider has this type"
        elif entry.kind == "alias":
            what, why = f"alias of [`{entry.target}`]({entry.target}.md)", entry.why
        elif entry.kind == "helper":
            what, why = f"helper: {entry.does}", entry.why
        else:
            what, why = f"raises an error; instead, {entry.instead}", entry.why
        names.append((entry.name, entry.kind, _cell(what), _cell(why), entry.source))
    return render("index.md.jinja", services=sorted(services.items()), counts=counts,
                  version=version, names=names)


def emit_provider_index(models: list[TypeModel], targets: Any) -> str:
    """The index of a whole-provider package: every type, grouped by service, pages beside it."""
    services: dict[str, list[tuple[str, str, str, str]]] = {}
    for model in sorted(models, key=lambda m: (service_of(m.type_name), m.kind == "data",
                                               m.type_name)):
        services.setdefault(service_of(model.type_name), []).append(
            (model.kind, f"[`{model.function_name}`]({model.doc_name}.md)",
             "curated" if model.curated else "schema", _cell(model.display_summary)))
    counts = {"resource": sum(1 for m in models if m.kind == "resource"),
              "data": sum(1 for m in models if m.kind == "data")}
    return render("provider_index.md.jinja", services=sorted(services.items()), counts=counts,
                  targets=targets)
