"""examples/database_infrastructure.py, the stack `make example` runs (issue 10, item 6): it
synthesizes with no warning, matches the pinned AWS and random schemas, hard-codes no ID or
ARN, and wires network, platform and databases together through references. The type
checkers' view of it is in tests/typecheck (test_stack.py, test_pyright.py), Terraform's in
tests/language/test_example_validate.py."""

from __future__ import annotations

import io
import json
import lzma
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

import pangea
from pangea.schema_check import check_config, lookup_from_provider_schema

PROJECT = Path(__file__).resolve().parents[1]
EXAMPLE = PROJECT / "examples" / "database_infrastructure.py"
TEMPLATES = ["network", "platform", "documents", "graph", "cache", "time_series",
             "applications"]


@pytest.fixture(scope="module")
def configs() -> dict[str, dict[str, Any]]:
    # strict: a warning (a destroy that would fail, a deprecated argument, ...) is an error
    return pangea.synth(EXAMPLE, strict=True)


def _lookup(schema: str, source: str):
    doc = json.loads(lzma.decompress((PROJECT / "provider_schema" / schema).read_bytes()))
    return lookup_from_provider_schema(doc, source)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _resource(configs: dict[str, Any], template: str, address: str) -> dict[str, Any]:
    type_name, name = address.split(".")
    return configs[template]["resource"][type_name][name]


def test_the_example_synthesizes_strictly_into_its_templates(configs) -> None:
    assert list(configs) == TEMPLATES


def test_every_template_matches_the_pinned_aws_and_random_schemas(configs) -> None:
    aws = _lookup("aws-6.47.0.json.xz", "registry.terraform.io/hashicorp/aws")
    random = _lookup("random-3.7.2.json.xz", "registry.terraform.io/hashicorp/random")

    def lookup(kind: str, type_name: str):
        return (random if type_name.startswith("random_") else aws)(kind, type_name)

    for name, config in configs.items():
        assert check_config(config, lookup) == [], name


def test_issue_10_types_are_all_used(configs) -> None:
    """The "done when" list of issue 10, and the six curated database services."""
    resources = {t for c in configs.values() for t in c.get("resource", {})}
    data = {t for c in configs.values() for t in c.get("data", {})}
    ephemeral = {t for c in configs.values() for t in c.get("ephemeral", {})}
    assert {"aws_vpc", "aws_subnet", "aws_security_group", "aws_kms_key", "aws_sns_topic",
            "aws_iam_role", "aws_secretsmanager_secret", "random_password"} <= resources
    assert "aws_availability_zones" in data
    assert "random_password" in ephemeral
    services = {"docdb": "DocumentDB", "neptune": "Neptune", "memorydb": "MemoryDB",
                "timestreamwrite": "Timestream", "licensemanager": "License Manager",
                "ram": "RAM"}
    used = {prefix for prefix in services for t in resources if t.startswith(f"aws_{prefix}_")}
    assert used == set(services)


# Literal identifiers an example must not carry: resource IDs, account numbers, ARNs whose
# partition is written out (an ARN built from data.aws_partition and a reference is fine).
_HARD_CODED = re.compile(r"\b(?:subnet|vpc|sg|tgw|key)-[0-9a-f]{8,}\b|(?<![\d.])\d{12}(?!\d)"
                         r"|arn:aws[a-z-]*:")


def test_no_hard_coded_ids_or_arns(configs) -> None:
    found = [(name, text) for name, config in configs.items() for text in _strings(config)
             if _HARD_CODED.search(text)]
    assert found == []
    # the pattern catches what the seed's example had
    assert _HARD_CODED.search("subnet-0a1b2c3d4e5f60718")
    assert _HARD_CODED.search("arn:aws:ec2:us-east-1:111122223333:subnet/x")


def test_subnets_spread_over_the_looked_up_zones(configs) -> None:
    for index in range(3):
        subnet = _resource(configs, "network", f"aws_subnet.database_{index}")
        assert subnet["availability_zone"] == (
            f"${{data.aws_availability_zones.available.names[{index}]}}")
        assert subnet["vpc_id"] == "${aws_vpc.main.id}"
    assert configs["network"]["output"]["subnet_ids"]["value"] == [
        f"${{aws_subnet.database_{i}.id}}" for i in range(3)]


def test_each_database_port_is_open_to_the_vpc_only(configs) -> None:
    rules = configs["network"]["resource"]["aws_vpc_security_group_ingress_rule"]
    assert {name: (rule["from_port"], rule["to_port"], rule["cidr_ipv4"],
                   rule["security_group_id"]) for name, rule in rules.items()} == {
        engine: (port, port, "${aws_vpc.main.cidr_block}", f"${{aws_security_group.{engine}.id}}")
        for engine, port in (("documents", 27017), ("graph", 8182), ("cache", 6379))}
    assert "aws_vpc_security_group_egress_rule" not in configs["network"]["resource"]


def test_ram_shares_the_subnets_by_reference(configs) -> None:
    associations = configs["network"]["resource"]["aws_ram_resource_association"]
    assert sorted(a["resource_arn"] for a in associations.values()) == [
        f"${{aws_subnet.database_{i}.arn}}" for i in range(3)]
    assert all(a["resource_share_arn"] == "${aws_ram_resource_share.subnets.arn}"
               for a in associations.values())
    principal = _resource(configs, "network", "aws_ram_principal_association.consumer")
    assert principal["principal"] == "${var.subnet_consumer}"


def test_databases_sit_in_the_network_and_use_the_platform_key_and_topic(configs) -> None:
    net = "${data.terraform_remote_state.network.outputs"
    key = "${data.terraform_remote_state.platform.outputs.key_arn}"
    topic = "${data.terraform_remote_state.platform.outputs.events_topic_arn}"
    groups = {("documents", "aws_docdb_subnet_group.main"),
              ("graph", "aws_neptune_subnet_group.main"),
              ("cache", "aws_memorydb_subnet_group.main")}
    for template, address in groups:
        assert _resource(configs, template, address)["subnet_ids"] == f"{net}.subnet_ids}}"
    docs = _resource(configs, "documents", "aws_docdb_cluster.main")
    assert (docs["kms_key_id"], docs["storage_encrypted"]) == (key, True)
    assert docs["vpc_security_group_ids"] == [f"{net}.documents_security_group_id}}"]
    graph = _resource(configs, "graph", "aws_neptune_cluster.main")
    assert (graph["kms_key_arn"], graph["storage_encrypted"]) == (key, True)
    assert graph["iam_roles"] == [
        "${data.terraform_remote_state.platform.outputs.graph_loader_role_arn}"]
    cache = _resource(configs, "cache", "aws_memorydb_cluster.main")
    assert (cache["kms_key_arn"], cache["sns_topic_arn"], cache["tls_enabled"]) == (
        key, topic, True)
    for template, address in (("documents", "aws_docdb_event_subscription.cluster"),
                              ("graph", "aws_neptune_event_subscription.cluster")):
        assert _resource(configs, template, address)["sns_topic_arn"] == topic
    assert _resource(configs, "time_series", "aws_timestreamwrite_database.metrics")[
        "kms_key_id"] == key


def test_the_documentdb_password_never_reaches_a_state(configs) -> None:
    documents = configs["documents"]
    assert documents["ephemeral"]["random_password"]["master"]["length"] == 32
    password = "${ephemeral.random_password.master.result}"
    cluster = _resource(configs, "documents", "aws_docdb_cluster.main")
    version = _resource(configs, "documents", "aws_secretsmanager_secret_version.master")
    assert (cluster["master_password_wo"], version["secret_string_wo"]) == (password, password)
    assert "master_password" not in cluster and "secret_string" not in version
    assert documents["terraform"]["required_version"] == ">= 1.11"  # write-only arguments
    secret = _resource(configs, "documents", "aws_secretsmanager_secret.master")
    assert secret["kms_key_id"] == "${data.terraform_remote_state.platform.outputs.key_arn}"


def test_the_memorydb_password_is_a_random_password(configs) -> None:
    user = _resource(configs, "cache", "aws_memorydb_user.app")
    assert user["authentication_mode"]["passwords"] == ["${random_password.app.result}"]
    assert configs["cache"]["terraform"]["required_providers"]["random"]["source"] == (
        "hashicorp/random")


def test_make_example_commands_succeed(tmp_path: Path, monkeypatch) -> None:
    """What `make example` runs: list, validate and synth --out, with exit code 0."""
    from pangea.cli import main
    from pangea.cli.console import Console

    monkeypatch.chdir(tmp_path)

    def run(*argv: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), console=Console(out=out, err=err, stdin=io.StringIO("")))
        assert code == 0, err.getvalue()
        return out.getvalue()

    assert run("list", str(EXAMPLE)).split() == TEMPLATES
    assert run("validate", str(EXAMPLE)).splitlines() == [f"{t}: valid" for t in TEMPLATES]
    run("synth", str(EXAMPLE), "--out", "build/example")
    written = sorted(p.name for p in (tmp_path / "build" / "example").iterdir())
    assert written == sorted(TEMPLATES)
    network = json.loads((tmp_path / "build" / "example" / "network" / "main.tf.json").read_text())
    assert "aws_vpc" in network["resource"]
