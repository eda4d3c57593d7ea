"""The language features read provider schemas through the typed reader (pangea.schema_doc)
and the public checks of pangea.schema_check, never raw schema dicts or the checker's
internals (issue 8: one schema reader)."""

from __future__ import annotations

import ast
from pathlib import Path

from pangea.language import schemas
from pangea.schema_check import check_attribute_value, check_body
from pangea.schema_doc import Attribute, Block, parse_block

LANGUAGE = Path(__file__).resolve().parents[2] / "pangea" / "language"
RAW = {"attributes": {"name": {"type": "string", "required": True},
                      "password_wo": {"type": "string", "optional": True, "write_only": True},
                      "sizes": {"type": ["list", "number"], "optional": True}}}


def test_the_language_modules_use_no_checker_internals() -> None:
    for path in sorted(LANGUAGE.glob("*.py")):
        names = {node.attr if isinstance(node, ast.Attribute) else node.name
                 for node in ast.walk(ast.parse(path.read_text()))
                 if isinstance(node, (ast.Attribute, ast.alias))}
        assert "_Checker" not in names, path.name


def test_block_parses_a_schema_once_and_again_when_the_lookup_changes() -> None:
    first = dict(RAW)
    second = {"attributes": {"other": {"type": "string", "optional": True}}}
    current = [first]

    def lookup(kind: str, type_name: str):
        return current[0] if (kind, type_name) == ("resource", "acme_thing") else None

    schemas.register_lookup(lookup)
    try:
        block = schemas.block("resource", "acme_thing")
        assert isinstance(block, Block) and block.attributes["password_wo"].write_only
        assert schemas.block("resource", "acme_thing") is block  # parsed once
        current[0] = second
        assert set(schemas.block("resource", "acme_thing").attributes) == {"other"}
        assert schemas.block("resource", "acme_nothing") is None
    finally:
        schemas.unregister_lookup(lookup)


def test_check_body_and_check_attribute_value_report_with_address_and_path() -> None:
    block = parse_block(RAW)
    problems = check_body("ephemeral.acme_thing.x", block, {"nmae": "a", "count": 1},
                          ("count",))
    assert [(p.address, p.path) for p in problems] == [
        ("ephemeral.acme_thing.x", "nmae"), ("ephemeral.acme_thing.x", "name")]
    assert "did you mean 'name'?" in problems[0].message
    sizes = block.attributes["sizes"]
    assert [str(p) for p in check_attribute_value("acme_thing.x", "sizes", sizes, ["a"])] == [
        "acme_thing.x: sizes[0]: expected a number, got string 'a'"]
    assert check_attribute_value("acme_thing.x", "sizes", sizes, [1, "${var.n}"]) == []
    assert check_attribute_value("acme_thing.x", "free", Attribute("free", None), {"a": 1}) == []
