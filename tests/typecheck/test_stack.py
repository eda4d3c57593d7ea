"""The database stack of issue 10 (tests/typecheck/stack.py): curated and schema-only AWS types
and random_password validate, synthesize, match the real provider schemas and type-check."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import pytest

import pangea
from pangea.schema_check import check_config, lookup_from_provider_schema

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]


def _lookup(schema: str, source: str):
    doc = json.loads(lzma.decompress((PROJECT / "provider_schema" / schema).read_bytes()))
    return lookup_from_provider_schema(doc, source)


def test_the_stack_synthesizes_and_matches_the_real_schemas() -> None:
    [config] = pangea.synth(HERE / "stack.py").values()
    aws = _lookup("aws-6.47.0.json.xz", "registry.terraform.io/hashicorp/aws")
    random = _lookup("random-3.7.2.json.xz", "registry.terraform.io/hashicorp/random")

    def lookup(kind: str, type_name: str):
        return (random if type_name.startswith("random_") else aws)(kind, type_name)

    assert check_config(config, lookup) == []
    resources = config["resource"]
    for type_name in ("aws_vpc", "aws_subnet", "aws_security_group", "aws_kms_key", "aws_sns_topic",
                      "aws_iam_role", "aws_secretsmanager_secret", "random_password",
                      "aws_docdb_cluster", "aws_neptune_cluster", "aws_memorydb_cluster",
                      "aws_timestreamwrite_database", "aws_licensemanager_license_configuration",
                      "aws_ram_resource_share"):
        assert type_name in resources and lookup("resource", type_name) is not None, type_name
    assert "aws_availability_zones" in config["data"]
    assert resources["aws_docdb_cluster"]["docs"]["master_password"] == (
        "${random_password.docdb.result}")
    assert resources["aws_subnet"]["private_2"]["availability_zone"] == (
        "${data.aws_availability_zones.available.names[2]}")


@pytest.mark.slow
def test_the_stack_type_checks_with_mypy(repo_mypy) -> None:
    errors = repo_mypy.errors_in("stack.py")
    assert errors == [], "\n".join(errors)
