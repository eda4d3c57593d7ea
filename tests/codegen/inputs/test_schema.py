"""codegen.inputs.schema: the pinned schema document, scanned once, each type's block decoded
only when a type is built; the same typed objects and the same errors as the full reader."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from codegen.errors import GeneratorError
from codegen.inputs.schema import LazyObject, parse_provider_schema
from codegen.inputs.targets import load_targets, verify_schema_file
from pangea.schema_doc import parse_document

PROJECT = Path(__file__).resolve().parents[3]
AWS = "registry.terraform.io/hashicorp/aws"


def _pinned(pin: str) -> tuple[bytes, str]:
    targets = load_targets(PROJECT / "provider_schema" / pin)
    return verify_schema_file(targets, PROJECT / "provider_schema" / targets.schema_file), \
        targets.source


@pytest.mark.parametrize("pin", ["targets.yaml", "random.yaml", "tls.yaml"])
def test_the_scanned_document_reads_exactly_as_the_full_reader(pin: str) -> None:
    pytest.importorskip("msgspec")
    data, source = _pinned(pin)
    scanned = parse_provider_schema(data, source, pin)
    full = parse_document(data, source, pin)
    for kind in ("resource", "data", "ephemeral"):
        assert list(scanned.kind_table(kind)) == list(full.table(kind))
        for name in scanned.kind_table(kind):
            assert scanned.type_schema(kind, name) == full.type_schema(kind, name), name
    expected = dict(full.provider_config) if full.provider_config is not None else None
    assert scanned.provider_config == expected


def test_only_the_types_built_are_decoded() -> None:
    pytest.importorskip("msgspec")
    data, source = _pinned("targets.yaml")
    schema = parse_provider_schema(data, source, "aws")
    blocks = {name: entry["block"] for name, entry in schema.resources.items()}
    assert all(isinstance(block, LazyObject) for block in blocks.values())
    schema.type_schema("resource", "aws_docdb_cluster")
    decoded = {name for name, block in blocks.items() if block._raw is None}
    assert decoded == {"aws_docdb_cluster"}


def test_without_msgspec_the_standard_library_reads_the_whole_document(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "msgspec", None)  # import msgspec raises ImportError
    data, source = _pinned("random.yaml")
    schema = parse_provider_schema(data, source, "random")
    assert not any(isinstance(e["block"], LazyObject) for e in schema.resources.values())
    assert schema.type_schema("resource", "random_password") == parse_document(
        data, source).type_schema("resource", "random_password")


def _doc(table: object) -> bytes:
    return json.dumps({"format_version": "1.0", "provider_schemas": {AWS: {
        "resource_schemas": table}}}).encode()


@pytest.mark.parametrize("with_msgspec", [True, False])
@pytest.mark.parametrize("data, message", [
    (_doc({"aws_x": {"version": 0, "block": []}}), "resource_schemas.aws_x has no 'block'"),
    (_doc({"aws_x": {"version": 0}}), "resource_schemas.aws_x has no 'block'"),
    (_doc({"aws_x": {"version": 0, "block": None}}), "resource_schemas.aws_x has no 'block'"),
    (_doc([]), "resource_schemas must be an object"),
    (b'{"provider_schemas": {', "not valid JSON"),
    (b'{"nothing": 1}', "no 'provider_schemas' object"),
])
def test_a_broken_document_is_worded_by_the_full_reader(
        data: bytes, message: str, with_msgspec: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if with_msgspec:
        pytest.importorskip("msgspec")
    else:
        monkeypatch.setitem(sys.modules, "msgspec", None)
    with pytest.raises(GeneratorError, match=message) as caught:
        parse_provider_schema(data, AWS, "where.json")
    assert str(caught.value).startswith("where.json: ")


def test_a_lazy_block_is_a_read_only_mapping() -> None:
    pytest.importorskip("msgspec")
    import msgspec

    raw = msgspec.json.decode(b'{"b": {"attributes": {"x": {"type": "string"}}}}',
                              type=dict[str, msgspec.Raw])["b"]
    block = LazyObject(raw)
    assert block._raw is not None  # nothing decoded yet
    assert dict(block) == {"attributes": {"x": {"type": "string"}}}
    assert len(block) == 1 and block.get("missing") is None and block._raw is None
