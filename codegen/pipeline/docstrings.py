"""The docstring of each generated function: what an editor shows on hover.

The type's summary, its registry page at the pinned version, and for each argument the stub
offers its description (or a plain statement that the provider schema has none), its
constraints in words, its default and its flags. Built here; the stub template only places it.
"""

from __future__ import annotations

import json
import textwrap

from codegen.model import Attribute, Block, Struct, TypeModel

TERRAFORM_REGISTRY = "registry.terraform.io"
NOT_DESCRIBED = "Not described by the provider schema."
WIDTH = 92  # the text's width; the stub indents it by 4


def registry_url(source: str, version: str, model: TypeModel, type_prefix: str) -> str:
    """The type's page on the Terraform registry at ``version``, or "" for a provider whose
    source names another registry (its pages are not at a URL we can build).

    ``registry.terraform.io/hashicorp/aws`` and ``aws_docdb_cluster`` ->
    ``https://registry.terraform.io/providers/hashicorp/aws/6.47.0/docs/resources/docdb_cluster``
    """
    parts = source.split("/")
    host = parts[0] if len(parts) == 3 else TERRAFORM_REGISTRY
    if host != TERRAFORM_REGISTRY or len(parts) < 2:
        return ""
    namespace, name = parts[-2], parts[-1]
    page = model.type_name[len(type_prefix):] if model.type_name.startswith(type_prefix) \
        else model.type_name
    section = "data-sources" if model.kind == "data" else "resources"
    return f"https://{TERRAFORM_REGISTRY}/providers/{namespace}/{name}/{version}/docs/{section}/{page}"


def default_text(attr: Attribute) -> str:
    if not attr.has_default:
        return ""
    where = "written to the JSON" if attr.default_emitted else "the provider's default"
    return f"Default {json.dumps(attr.default)} ({where})."


def attribute_text(attr: Attribute) -> str:
    """One argument in words: description, requirement, constraints, default, flags."""
    parts = [_sentence(attr.description) or NOT_DESCRIBED]
    if attr.required:
        parts.append("Required.")
    if attr.constraints:
        parts.append(constraints_text(attr))
    parts.append(default_text(attr))
    flags = [flag for flag, on in (("Sensitive", attr.sensitive), ("write-only", attr.write_only),
                                   ("deprecated by the provider", attr.deprecated)) if on]
    if flags:
        parts.append(_sentence(", ".join(flags)).capitalize())
    return " ".join(p for p in parts if p)


def constraints_text(attr: Attribute) -> str:
    """``Constraints: 1 to 35.``: the override rules on this one argument, in words."""
    return _sentence("Constraints: " + "; ".join(attr.constraints)) if attr.constraints else ""


BLOCK_SHAPES = {"object": "one dict", "single": "one dict", "list": "a list of dicts",
                "set": "a list of dicts", "map": "a dict of label -> dict"}


def block_text(block: Block) -> str:
    parts = [_sentence(block.description) or NOT_DESCRIBED,
             f"Nested block ({block.count_text()}), given as {BLOCK_SHAPES[block.shape]}."]
    if block.deprecated:
        parts.append("Deprecated by the provider.")
    return " ".join(parts)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if text and text[-1] not in ".!?":
        text += "."
    return text


def argument_lines(struct: Struct) -> list[str]:
    """``name: text`` for every argument the stub offers, in the signature's order (required
    first, then by name), wrapped with a hanging indent."""
    entries: list[tuple[bool, str, str]] = []
    for attr in struct.offered():
        entries.append((attr.required, attr.py_name, attribute_text(attr)))
    for block in struct.blocks:
        entries.append((block.required, block.py_name, block_text(block)))
    lines: list[str] = []
    for _, name, text in sorted(entries, key=lambda e: (not e[0], e[1])):
        lines += textwrap.wrap(f"{name}: {text}", WIDTH, subsequent_indent="    ",
                               break_long_words=False, break_on_hyphens=False)
    return lines


def function_docstring(model: TypeModel, summary: str, version: str, url: str) -> str:
    """The docstring's text (no quotes, no indentation)."""
    kind = "data source" if model.kind == "data" else "resource"
    lines = textwrap.wrap(_sentence(summary), WIDTH, break_long_words=False,
                          break_on_hyphens=False)
    lines += ["", f"Terraform {kind} {model.type_name} ({model.provider_title} provider {version})."]
    if url:
        lines.append(f"Docs: {url}")
    arguments = argument_lines(model.struct)
    if arguments:
        lines += ["", "Args:", *("    " + line for line in arguments)]
    return "\n".join(lines)


def docstring_literal(text: str, indent: int) -> str:
    """``text`` as a triple-quoted literal whose continuation lines sit at ``indent``."""
    body = text.replace("\\", "\\\\").replace('"""', '""\\"')
    pad = " " * indent
    lines = [(pad + line) if line else "" for line in body.split("\n")]
    return '"""' + "\n".join(lines)[indent:] + "\n" + pad + '"""'
