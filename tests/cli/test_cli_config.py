"""pangea.yaml: strict validation with file, line and key in every error."""

from pathlib import Path

import pytest

from pangea.cli.config import ConfigError, LocalState, S3State, load_project, parse_config

FULL = """\
default_namespace: development
terraform:
  binary: /opt/tofu/bin/tofu
namespaces:
  development:
    state:
      type: local
      path: state/dev
  production:
    state:
      type: s3
      bucket: acme-state
      key_prefix: pangea/prod
      region: eu-west-1
      dynamodb_table: locks
      encrypt: true
      kms_key_id: alias/state
      role_arn: arn:aws:iam::123456789012:role/deploy
      endpoints:
        s3: http://127.0.0.1:9000
        dynamodb: http://127.0.0.1:9001
      force_path_style: true
      skip_credentials_validation: true
"""


def parse(text: str, tmp_path: Path):
    path = tmp_path / "pangea.yaml"
    path.write_text(text)
    return load_project(tmp_path)


def error_of(text: str, tmp_path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        parse(text, tmp_path)
    return str(info.value)


def test_without_a_file_every_namespace_is_local_under_dot_pangea(tmp_path):
    project = load_project(tmp_path)
    assert project.source is None
    assert project.default_namespace == "default"
    ns = project.namespace("anything")
    assert ns.state == LocalState(tmp_path.resolve() / ".pangea" / "anything" / ".state")


def test_full_file_is_read_into_typed_settings(tmp_path):
    project = parse(FULL, tmp_path)
    assert project.default_namespace == "development"
    assert project.terraform_binary == "/opt/tofu/bin/tofu"
    dev = project.namespace("development").state
    assert dev == LocalState((tmp_path / "state" / "dev").resolve())
    prod = project.namespace("production").state
    assert isinstance(prod, S3State)
    assert (prod.bucket, prod.key_prefix, prod.region) == ("acme-state", "pangea/prod", "eu-west-1")
    assert prod.dynamodb_table == "locks" and prod.encrypt is True
    assert prod.endpoints == {"s3": "http://127.0.0.1:9000", "dynamodb": "http://127.0.0.1:9001"}
    assert prod.key_for("network") == "pangea/prod/network.tfstate"


def test_s3_key_prefix_defaults_to_the_namespace_name(tmp_path):
    project = parse(
        "namespaces:\n  staging:\n    state: {type: s3, bucket: b, region: us-east-1}\n", tmp_path
    )
    assert project.namespace("staging").state.key_for("app") == "staging/app.tfstate"
    assert project.default_namespace == "staging"  # the only declared namespace


def test_unknown_key_names_file_line_key_and_suggests_the_fix(tmp_path):
    message = error_of(
        FULL.replace("      dynamodb_table: locks", "      dynamo_table: locks"), tmp_path
    )
    assert f"{tmp_path / 'pangea.yaml'}:15:" in message
    assert "namespaces.production.state.dynamo_table" in message
    assert "did you mean 'dynamodb_table'" in message


def test_wrong_type_names_line_key_and_what_was_expected(tmp_path):
    message = error_of(FULL.replace("encrypt: true", "encrypt: sometimes"), tmp_path)
    assert ":16:" in message
    assert "namespaces.production.state.encrypt" in message
    assert "expected true or false" in message and "'sometimes'" in message


def test_number_where_a_string_is_expected(tmp_path):
    message = error_of(
        "namespaces:\n  a:\n    state: {type: s3, bucket: 42, region: x}\n", tmp_path
    )
    assert ":3:" in message and "namespaces.a.state.bucket" in message
    assert "expected a string, got an integer (42)" in message


def test_unknown_state_type(tmp_path):
    message = error_of("namespaces:\n  a:\n    state:\n      type: gcs\n", tmp_path)
    assert (
        ":4:" in message and "namespaces.a.state.type" in message and "'local' or 's3'" in message
    )


def test_missing_required_s3_setting(tmp_path):
    message = error_of("namespaces:\n  a:\n    state:\n      type: s3\n      region: x\n", tmp_path)
    assert "namespaces.a.state" in message and "missing 'bucket'" in message


def test_unknown_top_level_key(tmp_path):
    message = error_of("default_namespace: a\nnamespace:\n  a: {}\n", tmp_path)
    assert ":2:" in message and "namespace:" in message and "did you mean 'namespaces'" in message


def test_default_namespace_must_be_declared(tmp_path):
    message = error_of(
        "default_namespace: prod\nnamespaces:\n  dev:\n    state: {type: local}\n", tmp_path
    )
    assert ":1:" in message and "'prod' is not declared" in message and "dev" in message


def test_two_namespaces_may_not_share_a_state_location(tmp_path):
    text = (
        "namespaces:\n  a:\n    state: {type: s3, bucket: b, region: r, key_prefix: same}\n"
        "  b:\n    state: {type: s3, bucket: b, region: r, key_prefix: same}\n"
    )
    message = error_of(text, tmp_path)
    assert ":4:" in message and "same place as namespace 'a'" in message


def test_undeclared_namespace_lists_the_declared_ones(tmp_path):
    project = parse(FULL, tmp_path)
    with pytest.raises(ConfigError) as info:
        project.namespace("prodution")
    message = str(info.value)
    assert "'prodution' is not declared" in message
    assert "development, production" in message and "did you mean 'production'" in message


def test_invalid_yaml_reports_the_line(tmp_path):
    message = error_of("namespaces:\n  a: [unclosed\n  b: 1\n", tmp_path)
    assert "pangea.yaml:" in message and "not valid YAML" in message


def test_duplicate_keys_are_rejected(tmp_path):
    message = error_of("default_namespace: a\ndefault_namespace: b\n", tmp_path)
    assert ":2:" in message and "duplicate key" in message


def test_namespace_names_must_be_safe_for_paths(tmp_path):
    message = error_of("namespaces:\n  ../evil:\n    state: {type: local}\n", tmp_path)
    assert "not a valid name" in message
    with pytest.raises(ConfigError):
        load_project(tmp_path / "elsewhere" if False else tmp_path.parent).namespace("a/b")


def test_relative_local_path_is_relative_to_the_config_file(tmp_path):
    project = parse_config(
        "namespaces:\n  x:\n    state: {type: local, path: st}\n", tmp_path / "sub" / "pangea.yaml"
    )
    assert project.namespace("x").state.directory == (tmp_path / "sub" / "st").resolve()
