"""pangea.schema_doc: the one reader of Terraform's schema notation."""

from __future__ import annotations

import json

import pytest

from pangea.schema_doc import (
    Attribute,
    BlockType,
    SchemaDocumentError,
    parse_block,
    parse_document,
    provider_key,
)

BLOCK = {
    "description": " A thing. ",
    "attributes": {
        "name": {"type": "string", "required": True},
        "arn": {"type": "string", "computed": True},
        "rules": {"optional": True, "nested_type": {"nesting_mode": "list", "max_items": 0,
                                                    "attributes": {"action": {"type": "string",
                                                                              "required": True}}}},
    },
    "block_types": {
        "settings": {"nesting_mode": "list", "max_items": 1, "block": {
            "attributes": {"mode": {"type": "string", "optional": True}},
            "block_types": {"inner": {"nesting_mode": "set", "min_items": 1, "block": {}}}}},
    },
}


def document(key: str) -> dict:
    return {"format_version": "1.0", "provider_schemas": {key: {
        "resource_schemas": {"aws_thing": {"version": 2, "block": BLOCK}},
        "data_source_schemas": {}}}}


def test_find_walks_blocks_and_nested_attributes_alike():
    block = parse_block(BLOCK)
    assert block.description == "A thing."
    name = block.find(("name",))
    assert isinstance(name, Attribute) and name.required and name.is_input
    assert not block.attributes["arn"].is_input
    action = block.find(["rules", "action"])
    assert isinstance(action, Attribute) and action.type == "string"
    assert block.attributes["rules"].nested.max_items is None  # 0 means no limit
    inner = block.find(("settings", "inner"))
    assert isinstance(inner, BlockType) and inner.nesting_mode == "set" and inner.min_items == 1
    assert block.find(("settings", "gone")) is None
    assert block.find(("name", "deeper")) is None  # a plain attribute has no level below


def test_walk_lists_every_member_with_its_path_in_name_order():
    paths = [".".join(path) for path, _ in parse_block(BLOCK).walk()]
    assert paths == ["arn", "name", "rules", "rules.action", "settings", "settings.inner",
                     "settings.mode"]


@pytest.mark.parametrize("key", ["registry.terraform.io/hashicorp/aws",
                                 "registry.opentofu.org/hashicorp/aws"])
def test_either_registry_key_is_the_same_provider(key):
    for source in ("registry.terraform.io/hashicorp/aws", "hashicorp/aws",
                   "registry.opentofu.org/hashicorp/aws"):
        parsed = parse_document(json.dumps(document(key)), source, "doc.json")
        assert parsed.key == key
        thing = parsed.type_schema("resource", "aws_thing")
        assert thing is not None and thing.version == 2
        assert parsed.type_schema("resource", "aws_thing") is thing  # parsed once
        assert parsed.type_schema("data", "aws_thing") is None
        assert parsed.type_names("resource") == ["aws_thing"]


def test_a_document_holding_both_registries_is_ambiguous():
    providers = {"registry.terraform.io/hashicorp/aws": {},
                 "registry.opentofu.org/hashicorp/aws": {}}
    assert provider_key(providers, "hashicorp/aws") is None
    assert provider_key(providers, "registry.opentofu.org/hashicorp/aws") == (
        "registry.opentofu.org/hashicorp/aws")


@pytest.mark.parametrize("text, message", [
    ("{nope", "doc.json: not valid JSON"),
    ('{"a": 1}', "doc.json: not a provider schema document (no 'provider_schemas' object)"),
    (json.dumps(document("registry.terraform.io/hashicorp/google")),
     "doc.json: provider 'hashicorp/aws' not in the document "
     "(has: registry.terraform.io/hashicorp/google)"),
    (json.dumps({"provider_schemas": {"hashicorp/aws": {"resource_schemas": []}}}),
     "doc.json: resource_schemas must be an object"),
    (json.dumps({"provider_schemas": {"hashicorp/aws": {"resource_schemas": {"aws_x": {}}}}}),
     "doc.json: resource_schemas.aws_x has no 'block'"),
])
def test_a_bad_document_is_refused_naming_the_file(text, message):
    with pytest.raises(SchemaDocumentError) as caught:
        parse_document(text, "hashicorp/aws", "doc.json")
    assert str(caught.value).startswith(message)
