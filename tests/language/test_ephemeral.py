"""Ephemeral resources and write-only arguments: the JSON Terraform 1.11 expects, the
ephemeral resource's arguments checked against the pinned schema, and ephemeral values
refused where Terraform refuses them."""

from __future__ import annotations

import pytest

from pangea import PangeaError, ephemeral, local, output, terraform_data
from pangea.language import schemas
from pangea_aws import aws_docdb_cluster, data_aws_docdb_engine_version


@pytest.fixture
def ephemeral_schemas(pinned_schema):
    """The pinned schema's ephemeral resources, until generated packages carry them."""
    tables = pinned_schema["provider_schemas"]["registry.terraform.io/hashicorp/aws"]
    ephemeral_table = tables["ephemeral_resource_schemas"]

    def lookup(kind: str, type_name: str):
        entry = ephemeral_table.get(type_name) if kind == "ephemeral" else None
        return entry["block"] if entry else None

    schemas.register_lookup(lookup)
    yield
    schemas.unregister_lookup(lookup)


def _cluster(**kwargs):
    return aws_docdb_cluster("docs", cluster_identifier="docs", master_username="admin",
                             skip_final_snapshot=True, **kwargs)


def test_ephemeral_password_into_a_write_only_argument(run_template, ephemeral_schemas,
                                                      pinned_lookup) -> None:
    def body():
        password = ephemeral("aws_secretsmanager_random_password", "db", password_length=32,
                             exclude_punctuation=True)
        _cluster(master_password_wo=password.random_password, master_password_wo_version=1)

    config = run_template(body)
    assert config["ephemeral"] == {"aws_secretsmanager_random_password": {"db": {
        "exclude_punctuation": True, "password_length": 32}}}
    cluster = config["resource"]["aws_docdb_cluster"]["docs"]
    assert cluster["master_password_wo"] == \
        "${ephemeral.aws_secretsmanager_random_password.db.random_password}"
    assert config["terraform"]["required_version"] == ">= 1.11"
    assert config["terraform"]["required_providers"]["aws"]["source"] == "hashicorp/aws"
    from pangea.schema_check import check_config

    assert check_config(config, pinned_lookup) == []


def _error(run_template, body) -> str:
    with pytest.raises(PangeaError) as info:
        run_template(body)
    return str(info.value)


def test_ephemeral_values_only_where_terraform_takes_them(run_template, ephemeral_schemas) -> None:
    def into_ordinary_argument():
        password = ephemeral("aws_secretsmanager_random_password", "db", password_length=32)
        _cluster(master_password=password.random_password)

    message = _error(run_template, into_ordinary_argument)
    assert "aws_docdb_cluster.docs: master_password takes the ephemeral value " \
           "ephemeral.aws_secretsmanager_random_password.db" in message
    assert "use the write-only argument master_password_wo instead" in message

    def through_a_local():
        password = ephemeral("aws_secretsmanager_random_password", "db", password_length=32)
        secret = local("secret", password.random_password)
        terraform_data("keep", input=secret)

    message = _error(run_template, through_a_local)
    assert "terraform_data.keep: input takes the ephemeral value local.secret" in message

    def as_output():
        password = ephemeral("aws_secretsmanager_random_password", "db", password_length=32)
        output("pw", password.random_password, sensitive=True)

    assert "a root module cannot output an ephemeral value" in _error(run_template, as_output)

    def into_data_source():
        password = ephemeral("aws_secretsmanager_random_password", "db", password_length=32)
        data_aws_docdb_engine_version("v", version=password.random_password)

    assert "data.aws_docdb_engine_version.v takes the ephemeral value" in _error(
        run_template, into_data_source)


def test_ephemeral_arguments_checked_against_the_schema(run_template, ephemeral_schemas) -> None:
    def typo():
        ephemeral("aws_secretsmanager_random_password", "db", pasword_length=32)

    message = _error(run_template, typo)
    assert "ephemeral.aws_secretsmanager_random_password.db" in message
    assert "pasword_length" in message and "password_length" in message

    def wrong_type():
        ephemeral("aws_secretsmanager_random_password", "db", password_length="long")

    assert "expected a number" in _error(run_template, wrong_type)

    def required():
        ephemeral("aws_secretsmanager_secret_version", "s")

    assert "secret_id: missing required attribute" in _error(run_template, required)


def test_packaged_schemas_check_without_a_registered_lookup(run_template) -> None:
    """The generated package ships its provider's ephemeral schemas (ephemeral_schemas.json)."""
    def typo():
        ephemeral("aws_secretsmanager_random_password", "db", pasword_length=32)

    assert "did you mean 'password_length'" in _error(run_template, typo)


def test_unknown_ephemeral_type_warns(run_template) -> None:
    def body():
        ephemeral("acme_token", "t", audience="x")

    from pangea.errors import PangeaWarning

    with pytest.warns(PangeaWarning, match="no schema for the ephemeral resource type 'acme_token'"):
        config = run_template(body)
    assert config["ephemeral"] == {"acme_token": {"t": {"audience": "x"}}}
    with pytest.raises(PangeaError, match="an error in strict mode"):
        synthesize_strict(body)


def synthesize_strict(body):
    from pangea.synth import synthesize_templates
    from pangea.template import Template

    return synthesize_templates([Template(body, "t")], file=None, strict=True)


def test_ephemeral_variable(run_template) -> None:
    from pangea import variable

    def body():
        secret = variable("db_password", type="string", sensitive=True, ephemeral=True)
        _cluster(master_password_wo=secret, master_password_wo_version=1)

    config = run_template(body)
    assert config["variable"]["db_password"] == {"ephemeral": True, "sensitive": True,
                                                 "type": "string"}
    assert config["terraform"]["required_version"] == ">= 1.11"

    def misplaced():
        secret = variable("db_password", type="string", ephemeral=True)
        _cluster(master_password=secret)

    message = _error(run_template, misplaced)
    assert "master_password takes the ephemeral value var.db_password" in message


def test_package_ships_every_ephemeral_schema_of_the_pin(pinned_schema) -> None:
    import json
    from pathlib import Path

    import pangea_aws

    shipped = json.loads((Path(pangea_aws.__file__).parent / "ephemeral_schemas.json").read_text())
    table = pinned_schema["provider_schemas"]["registry.terraform.io/hashicorp/aws"][
        "ephemeral_resource_schemas"]
    assert sorted(shipped) == sorted(table)
    assert "description" not in json.dumps(shipped)  # no prose, only what checks need
    password = shipped["aws_secretsmanager_random_password"]["attributes"]
    assert password["random_password"] == {"computed": True, "sensitive": True,
                                           "type": "string"}


def test_other_providers_ephemeral_resources_are_checked(run_template) -> None:
    def body():
        ephemeral("random_password", "pw", length=24, special=False)
        ephemeral("tls_private_key", "key", algorithm="ED25519")

    config = run_template(body)
    assert config["ephemeral"]["random_password"]["pw"] == {"length": 24, "special": False}

    def typo():
        ephemeral("random_password", "pw", lenght=24)

    assert "did you mean 'length'" in _error(run_template, typo)
