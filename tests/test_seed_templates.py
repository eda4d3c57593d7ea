"""Templates in the seed document's style, corrected to the real schema: they synthesize, their
JSON checks clean against the pinned provider schema (and the generated package's embedded
schemas), and carry the expected values."""

from __future__ import annotations

from pathlib import Path

import pytest

import pangea
from pangea.schema_check import check_config

PROJECT = Path(__file__).resolve().parent.parent

SEED_TEMPLATES = '''
from pangea import output, remote_outputs, template, variable
from pangea_aws import (
    aws_docdb_cluster,
    aws_docdb_cluster_instance,
    aws_docdb_subnet_group,
    aws_memorydb_acl,
    aws_memorydb_cluster,
    aws_memorydb_user,
    aws_ram_principal_association,
    aws_ram_resource_association,
    aws_ram_resource_share,
    aws_timestreamwrite_database,
    aws_timestreamwrite_table,
)

SUBNETS = ["subnet-0a1", "subnet-0b2"]


@template
def documents():
    password = variable("master_password", type="string", sensitive=True)
    subnets = aws_docdb_subnet_group("main", {"name": "docdb-subnets", "subnet_ids": SUBNETS})
    cluster = aws_docdb_cluster("main", {
        "cluster_identifier": "docdb-prod",
        "engine": "docdb",
        "engine_version": "5.0.0",
        "master_username": "docdbadmin",
        "master_password": password,
        "db_subnet_group_name": subnets.name,
        "backup_retention_period": 7,
        "preferred_backup_window": "02:00-03:00",
        "storage_encrypted": True,
        "enabled_cloudwatch_logs_exports": ["audit", "profiler"],
        "final_snapshot_identifier": "docdb-prod-final",
        "tags": {"Environment": "production"},
    })
    for index in range(2):
        aws_docdb_cluster_instance(f"node_{index}", {
            "identifier": f"docdb-prod-{index}",
            "cluster_identifier": cluster.id,
            "instance_class": "db.r6g.large",
        })
    output("endpoint", cluster.endpoint)
    output("reader", f"{cluster.reader_endpoint}:{cluster.port}")


@template
def metrics():
    database = aws_timestreamwrite_database("metrics", database_name="app-metrics",
                                            tags={"Team": "observability"})
    table = aws_timestreamwrite_table(
        "requests",
        database_name=database.database_name,
        table_name="requests",
        retention_properties={"memory_store_retention_period_in_hours": 24,
                              "magnetic_store_retention_period_in_days": 365},
        magnetic_store_write_properties={"enable_magnetic_store_writes": True},
    )
    output("table_arn", table.arn)


@template
def cache():
    user = aws_memorydb_user("app", user_name="app-user", access_string="on ~app:* +@read",
                             authentication_mode={"type": "password",
                                                  "passwords": ["a-long-password-of-20"]})
    acl = aws_memorydb_acl("app", name="app-acl", user_names=[user.user_name])
    cluster = aws_memorydb_cluster("main", name="app-cache", node_type="db.t4g.small",
                                   acl_name=acl.name, num_shards=1, num_replicas_per_shard=1,
                                   tls_enabled=True, snapshot_retention_limit=5)
    output("address", cluster.cluster_endpoint[0].address)


@template
def sharing():
    share = aws_ram_resource_share("db", name="shared-db-subnets",
                                   allow_external_principals=False)
    aws_ram_resource_association("subnet", resource_share_arn=share.arn,
                                 resource_arn="arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0a1")
    aws_ram_principal_association("account", resource_share_arn=share.arn,
                                  principal="123456789012")
    docs = remote_outputs("documents")
    output("docdb", docs.endpoint)
'''


@pytest.fixture(scope="module")
def configs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    path = tmp_path_factory.mktemp("seed") / "seed_templates.py"
    path.write_text(SEED_TEMPLATES)
    return pangea.synth(path)


def test_all_four_templates_synthesize_in_dependency_order(configs) -> None:
    assert list(configs) == ["documents", "metrics", "cache", "sharing"]


@pytest.mark.parametrize("name", ["documents", "metrics", "cache", "sharing"])
def test_json_checks_against_the_pinned_schema(configs, pinned_lookup, name) -> None:
    problems = check_config(configs[name], pinned_lookup)
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("name", ["documents", "metrics", "cache", "sharing"])
def test_json_checks_against_the_generated_schemas(configs, name) -> None:
    problems = check_config(configs[name])
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("name", ["documents", "metrics", "cache", "sharing"])
def test_provider_is_pinned(configs, name) -> None:
    assert configs[name]["terraform"]["required_providers"] == {
        "aws": {"source": "hashicorp/aws", "version": "6.47.0"}}


def test_checker_is_not_vacuous(configs, pinned_lookup) -> None:
    """The same check reports problems once the JSON strays from the schema."""
    import copy

    broken = copy.deepcopy(configs["documents"])
    cluster = broken["resource"]["aws_docdb_cluster"]["main"]
    cluster["master_pasword"] = "x"
    cluster["backup_retention_period"] = "seven"
    del broken["resource"]["aws_docdb_cluster_instance"]["node_0"]["instance_class"]
    messages = [str(p) for p in check_config(broken, pinned_lookup)]
    assert any("master_pasword" in m for m in messages)
    assert any("backup_retention_period" in m for m in messages)
    assert any("instance_class" in m for m in messages)


def test_documentdb_values(configs) -> None:
    doc = configs["documents"]
    cluster = doc["resource"]["aws_docdb_cluster"]["main"]
    assert cluster["master_password"] == "${var.master_password}"
    assert cluster["db_subnet_group_name"] == "${aws_docdb_subnet_group.main.name}"
    assert cluster["backup_retention_period"] == 7 and cluster["storage_encrypted"] is True
    assert cluster["enabled_cloudwatch_logs_exports"] == ["audit", "profiler"]
    assert doc["variable"] == {"master_password": {"type": "string", "sensitive": True}}
    instances = doc["resource"]["aws_docdb_cluster_instance"]
    assert list(instances) == ["node_0", "node_1"]
    assert instances["node_1"] == {"identifier": "docdb-prod-1",
                                   "cluster_identifier": "${aws_docdb_cluster.main.id}",
                                   "instance_class": "db.r6g.large"}
    assert doc["output"]["reader"]["value"] == \
        "${aws_docdb_cluster.main.reader_endpoint}:${aws_docdb_cluster.main.port}"


def test_timestream_values(configs) -> None:
    res = configs["metrics"]["resource"]
    assert res["aws_timestreamwrite_database"]["metrics"] == {
        "database_name": "app-metrics", "tags": {"Team": "observability"}}
    table = res["aws_timestreamwrite_table"]["requests"]
    assert table["database_name"] == "${aws_timestreamwrite_database.metrics.database_name}"
    assert table["retention_properties"] == {"magnetic_store_retention_period_in_days": 365,
                                             "memory_store_retention_period_in_hours": 24}
    assert table["magnetic_store_write_properties"] == {"enable_magnetic_store_writes": True}


def test_memorydb_values(configs) -> None:
    cache = configs["cache"]
    res = cache["resource"]
    assert res["aws_memorydb_acl"]["app"]["user_names"] == ["${aws_memorydb_user.app.user_name}"]
    cluster = res["aws_memorydb_cluster"]["main"]
    assert cluster["acl_name"] == "${aws_memorydb_acl.app.name}"
    assert cluster["tls_enabled"] is True and cluster["num_shards"] == 1
    assert cache["output"]["address"]["value"] == \
        "${aws_memorydb_cluster.main.cluster_endpoint[0].address}"


def test_ram_values(configs) -> None:
    sharing = configs["sharing"]
    res = sharing["resource"]
    assert res["aws_ram_resource_share"]["db"] == {"name": "shared-db-subnets",
                                                  "allow_external_principals": False}
    assert res["aws_ram_principal_association"]["account"] == {
        "principal": "123456789012", "resource_share_arn": "${aws_ram_resource_share.db.arn}"}
    assert res["aws_ram_resource_association"]["subnet"]["resource_share_arn"] == \
        "${aws_ram_resource_share.db.arn}"
    remote = sharing["data"]["terraform_remote_state"]["documents"]
    assert remote["backend"] == "local"
    assert sharing["output"]["docdb"]["value"] == \
        "${data.terraform_remote_state.documents.outputs.endpoint}"


def test_memorydb_rules_catch_seed_mistakes(write_template) -> None:
    """A password user without passwords is refused before Terraform sees it."""
    path = write_template('''
        from pangea import template
        from pangea_aws import aws_memorydb_user

        @template
        def cache():
            aws_memorydb_user("app", user_name="app", access_string="on ~* +@all",
                              authentication_mode={"type": "password"})
    ''')
    with pytest.raises(pangea.ValidationError) as excinfo:
        pangea.synth(path)
    assert "authentication_mode.passwords" in str(excinfo.value)
    assert "authentication_mode of type password needs passwords" in str(excinfo.value)


def test_the_shipped_example_checks_clean(pinned_lookup) -> None:
    example = PROJECT / "examples" / "database_infrastructure.py"
    if not example.exists():
        pytest.skip("examples/database_infrastructure.py is not in this checkout")
    configs = pangea.synth(example)
    assert len(configs) >= 4
    for name, config in configs.items():
        assert check_config(config, pinned_lookup) == [], name
        assert check_config(config) == [], name
