"""provider(...) settings are checked against the provider's configuration schema."""

import json
from pathlib import Path

import pytest

import pangea
from codegen.inputs.schema import parse_provider_schema
from codegen.inputs.targets import load_targets
from codegen.pipeline.generate import provider_config
from pangea import provider, template
from pangea.provider_config import check_provider_settings

ROOT = Path(__file__).resolve().parents[1]


def synth_provider(**settings):
    @template
    def net():
        provider("aws", **settings)

    return net()


def test_a_misspelt_setting_is_an_error_with_a_suggestion():
    with pytest.raises(pangea.ValidationError) as caught:
        synth_provider(regoin="eu-west-1")
    message = str(caught.value)
    assert "template 'net'" in message and "provider.aws: regoin" in message
    assert "did you mean 'region'?" in message
    assert "test_provider_config.py" in message  # the user's line


def test_wrong_types_and_nested_block_names_are_all_reported():
    problems = check_provider_settings(
        "aws", {"max_retries": "many", "assume_role": {"role_arn": "arn", "sesion_name": "x"}}
    )
    assert [(p.path, p.message.split(";")[0]) for p in problems] == [
        ("assume_role[0].sesion_name", "unknown attribute or block 'sesion_name'"),
        ("max_retries", "expected a number, got string 'many'"),
    ]


def test_valid_settings_expressions_and_any_endpoint_name_pass():
    config = synth_provider(
        region="eu-west-1",
        alias="eu",
        default_tags={"tags": {"team": "data"}},
        max_retries=pangea.tf("var.retries"),
        allowed_account_ids=["123456789012"],
        # endpoints gain service names with most releases: names are not checked
        endpoints={"s3": "http://127.0.0.1:9000", "some_future_service": "http://x"},
        skip_credentials_validation=True,
        user_agent=["pangea-test"],
    )
    body = config["provider"]["aws"][0]
    assert body["region"] == "eu-west-1" and body["alias"] == "eu"
    assert check_provider_settings("aws", {"endpoints": {"s3": 5}})[0].path == "endpoints.s3"


def test_an_unknown_provider_name_has_no_schema_and_is_not_checked():
    assert check_provider_settings("nonexistent", {"anything": 1}) == []


def test_the_aws_data_file_cites_its_sources_and_drops_removed_endpoints():
    data = json.loads((ROOT / "provider_schema/provider_config/aws.json").read_text())
    comment = " ".join(data["_comment"])
    assert "5.100.0" in comment and "version-6-upgrade" in comment
    endpoints = data["block"]["block_types"]["endpoints"]["block"]["attributes"]
    assert "s3" in endpoints and "opsworks" not in endpoints and "worklink" not in endpoints
    assert {"region", "assume_role"} <= set(data["block"]["attributes"]) | set(
        data["block"]["block_types"]
    )


def test_the_generator_prefers_the_schema_documents_own_provider_block(tmp_path):
    targets = load_targets(ROOT / "provider_schema/targets.yaml")
    block = {"attributes": {"project": {"type": "string", "optional": True}}}
    doc = {
        "format_version": "1.0",
        "provider_schemas": {
            targets.source: {
                "provider": {"version": 0, "block": block},
                "resource_schemas": {},
                "data_source_schemas": {},
            }
        },
    }
    schema = parse_provider_schema(json.dumps(doc), targets.source, "doc.json")
    assert provider_config(schema, targets, tmp_path) == {"block": block}
    without = parse_provider_schema(
        json.dumps({"provider_schemas": {targets.source: {}}}), targets.source, "doc.json"
    )
    assert provider_config(without, targets, tmp_path) is None  # no data file there
    from_file = provider_config(without, targets, ROOT / "provider_schema/provider_config")
    assert from_file is not None and from_file["open_blocks"] == ["endpoints"]
