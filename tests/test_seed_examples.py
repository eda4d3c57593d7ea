"""The seed document's example snippets.

Two halves:

- ``examples/seed/*.py`` are the snippets translated to Python and corrected to the real
  provider schema (6.47.0). Every file synthesizes, every template's JSON checks clean against
  the pinned schema file and the generated package's schemas, and carries the values the
  corrections are about.
- The seed's snippets written *verbatim* (the seed's names and values, dict style) are kept
  below as template sources. Those the real schema rejects must make pangea raise a
  ``PangeaError`` that names file:line, template, address and attribute path and says what is
  wrong; those the schema accepts must synthesize clean.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any, Callable

import pytest

import pangea
from pangea.schema_check import check_config

PROJECT = Path(__file__).resolve().parent.parent
SEED_DIR = PROJECT / "examples" / "seed"
SEED_FILES = sorted(SEED_DIR.glob("*.py"))


def _resources(config: dict, type_name: str) -> dict[str, dict]:
    return config.get("resource", {}).get(type_name, {})


def _output(config: dict, name: str) -> Any:
    return config["output"][name]["value"]


# -- the corrected translations --------------------------------------------------------------

@pytest.fixture(scope="module")
def synthesized() -> dict[str, dict[str, dict]]:
    """``{file stem: {template: json}}`` for every file in examples/seed."""
    return {path.stem: pangea.synth(path) for path in SEED_FILES}


def test_every_seed_snippet_has_a_translation() -> None:
    assert {p.stem for p in SEED_FILES} >= {
        "database_cluster_patterns", "multi_environment_database", "time_series_pipeline",
        "graph_recommendations", "memory_cache_layer", "cross_service_data_flow",
        "multi_account_sharing", "license_compliance", "testing_validation",
        "parallel_database_setup", "database_monitoring"}


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_translation_documents_its_source_and_corrections(path: Path) -> None:
    doc = ast.get_docstring(ast.parse(path.read_text()))
    assert doc, f"{path.name} has no module docstring"
    assert re.search(r'Seed section ".+"', doc), f"{path.name} does not cite its seed section"
    assert "Corrections:" in doc or "no corrections were needed" in doc, path.name


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_translation_synthesizes_and_checks_clean(path: Path, synthesized, pinned_lookup) -> None:
    configs = synthesized[path.stem]
    assert configs, f"{path.name} has no template"
    for name, config in configs.items():
        assert config.get("resource"), f"{path.name}: template {name!r} declares nothing"
        assert config["terraform"]["required_providers"]["aws"]["version"] == "6.47.0"
        for lookup in (pinned_lookup, None):
            problems = check_config(config, lookup)
            assert problems == [], f"{path.name}: template {name!r}:\n" + "\n".join(
                map(str, problems))


def check_database_cluster_patterns(configs: dict) -> None:
    config = configs["database_cluster_patterns"]
    cluster = _resources(config, "aws_docdb_cluster")["main"]
    assert cluster["engine_version"] == "4.0.0"
    assert cluster["master_password"] == "${var.docdb_master_password}"
    assert config["variable"]["docdb_master_password"]["sensitive"] is True
    assert cluster["final_snapshot_identifier"] == "app-docdb-prod-final"
    assert cluster["deletion_protection"] is True
    instances = _resources(config, "aws_docdb_cluster_instance")
    assert {n: i["availability_zone"] for n, i in instances.items()} == {
        "primary": "us-east-1a", "replica": "us-east-1b"}
    assert {i["cluster_identifier"] for i in instances.values()} == {"${aws_docdb_cluster.main.id}"}
    assert sorted(config["output"]) == ["arn", "cluster_members", "endpoint", "hosted_zone_id",
                                        "id", "port", "reader_endpoint"]
    assert _output(config, "hosted_zone_id") == "${aws_docdb_cluster.main.hosted_zone_id}"


def check_multi_environment_database(configs: dict) -> None:
    config = configs["production_database"]
    assert _resources(config, "aws_docdb_global_cluster")["global"]["engine_version"] == "4.0.0"
    clusters = _resources(config, "aws_docdb_cluster")
    for cluster in clusters.values():
        assert "source_region" not in cluster
        assert cluster["engine_version"] == "${aws_docdb_global_cluster.global.engine_version}"
        assert cluster["global_cluster_identifier"] == "${aws_docdb_global_cluster.global.id}"
        assert cluster["storage_encrypted"] is True
    assert clusters["primary"]["master_username"] == "docdbadmin"
    assert "master_username" not in clusters["replica"]
    assert clusters["replica"]["region"] == "us-west-2"
    assert "region" not in clusters["primary"]
    assert clusters["replica"]["depends_on"] == ["aws_docdb_cluster_instance.primary"]
    instances = _resources(config, "aws_docdb_cluster_instance")
    assert instances["replica"]["region"] == "us-west-2"
    assert instances["replica"]["cluster_identifier"] == "${aws_docdb_cluster.replica.id}"


def check_time_series_pipeline(configs: dict) -> None:
    config = configs["metrics_infrastructure"]
    resources = config["resource"]
    # The seed's alias names produce the provider's types.
    assert sorted(resources) == ["aws_timestreamquery_scheduled_query",
                                 "aws_timestreamwrite_database", "aws_timestreamwrite_table"]
    query = resources["aws_timestreamquery_scheduled_query"]["hourly_rollup"]
    assert query["execution_role_arn"].startswith("arn:aws:iam::123456789012:role/")
    assert query["schedule_configuration"] == [{"schedule_expression": "rate(1 hour)"}]
    for block in ("notification_configuration", "error_report_configuration",
                  "target_configuration"):
        assert isinstance(query[block], list) and len(query[block]) == 1, block
    assert '"${aws_timestreamwrite_database.metrics.database_name}".' \
           '"${aws_timestreamwrite_table.app_metrics.table_name}"' in query["query_string"]
    assert "@scheduled_runtime" in query["query_string"] and "ago(24h)" not in query["query_string"]
    target = query["target_configuration"][0]["timestream_configuration"][0]
    assert target["table_name"] == "${aws_timestreamwrite_table.app_metrics_hourly.table_name}"
    assert target["dimension_mapping"] == [{"name": "host", "dimension_value_type": "VARCHAR"}]
    measures = target["multi_measure_mappings"][0]["multi_measure_attribute_mapping"]
    assert [m["source_column"] for m in measures] == ["avg_cpu", "max_memory"]
    raw = resources["aws_timestreamwrite_table"]["app_metrics"]
    assert raw["retention_properties"] == {"memory_store_retention_period_in_hours": 24,
                                           "magnetic_store_retention_period_in_days": 90}


def check_graph_recommendations(configs: dict) -> None:
    config = configs["recommendation_engine"]
    cluster = _resources(config, "aws_neptune_cluster")["recommendations"]
    assert cluster["iam_database_authentication_enabled"] is True
    assert cluster["final_snapshot_identifier"] == "recommendation-graph-final"
    instances = _resources(config, "aws_neptune_cluster_instance")
    assert instances["analytics"]["promotion_tier"] == 1
    assert instances["analytics"]["instance_class"] == "db.r5.2xlarge"
    assert instances["primary"]["cluster_identifier"] == \
        "${aws_neptune_cluster.recommendations.cluster_identifier}"
    assert _output(config, "gremlin_endpoint") == (
        "wss://${aws_neptune_cluster_instance.primary.address}:"
        "${aws_neptune_cluster_instance.primary.port}/gremlin")


def check_memory_cache_layer(configs: dict) -> None:
    config = configs["caching_layer"]
    user = _resources(config, "aws_memorydb_user")["cache_user"]
    assert user["user_name"] == "cache-user"
    assert user["authentication_mode"] == {"type": "password",
                                           "passwords": ["${var.cache_user_password}"]}
    acl = _resources(config, "aws_memorydb_acl")["app_cache"]
    assert acl["user_names"] == ["${aws_memorydb_user.cache_user.user_name}"]
    cluster = _resources(config, "aws_memorydb_cluster")["main"]
    assert cluster["acl_name"] == "${aws_memorydb_acl.app_cache.name}"
    assert (cluster["engine"], cluster["engine_version"]) == ("redis", "6.2")
    assert (cluster["num_shards"], cluster["num_replicas_per_shard"]) == (2, 1)


def check_cross_service_data_flow(configs: dict) -> None:
    config = configs["data_platform"]
    assert sorted(config["resource"]) == [
        "aws_docdb_cluster", "aws_memorydb_acl", "aws_memorydb_cluster", "aws_memorydb_user",
        "aws_neptune_cluster", "aws_timestreamwrite_database"]
    docdb = _resources(config, "aws_docdb_cluster")["documents"]
    assert docdb["manage_master_user_password"] is True and "master_password" not in docdb
    assert docdb["master_username"] == "platformadmin"
    cache = _resources(config, "aws_memorydb_cluster")["cache"]
    assert cache["acl_name"] == "${aws_memorydb_acl.platform.name}"
    assert _resources(config, "aws_memorydb_user")["platform"]["authentication_mode"] == \
        {"type": "iam"}
    assert _output(config, "documents_secret_arn") == \
        "${try(aws_docdb_cluster.documents.master_user_secret[0].secret_arn, null)}"


def check_multi_account_sharing(configs: dict) -> None:
    config = configs["shared_database_services"]
    associations = _resources(config, "aws_ram_resource_association")
    assert len(associations) == 3
    for association in associations.values():
        assert re.fullmatch(r"arn:aws:ec2:us-east-1:111122223333:subnet/subnet-[0-9a-f]{17}",
                            association["resource_arn"]), association
        assert association["resource_share_arn"] == "${aws_ram_resource_share.databases.arn}"
    assert "aws_docdb_subnet_group" not in str(associations)
    share = _resources(config, "aws_ram_resource_share")["databases"]
    assert share["allow_external_principals"] is False
    assert share["permission_arns"] == [
        "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet"]
    subnet_group = _resources(config, "aws_docdb_subnet_group")["shared"]
    assert all(re.fullmatch(r"subnet-[0-9a-f]{17}", s) for s in subnet_group["subnet_ids"])


def check_license_compliance(configs: dict) -> None:
    config = configs["license_management"]
    assert sorted(config["resource"]) == ["aws_licensemanager_association",
                                          "aws_licensemanager_license_configuration"]
    licenses = _resources(config, "aws_licensemanager_license_configuration")["oracle"]
    assert licenses["license_counting_type"] == "vCPU" and licenses["license_count"] == 100
    assert all(rule.startswith("#") and "=" in rule for rule in licenses["license_rules"])
    association = _resources(config, "aws_licensemanager_association")["oracle_ami"]
    assert association["resource_arn"].startswith("arn:aws:ec2:us-east-1::image/ami-")
    assert association["license_configuration_arn"] == \
        "${aws_licensemanager_license_configuration.oracle.arn}"
    assert _output(config, "license_configuration_arn") == \
        "${aws_licensemanager_license_configuration.oracle.arn}"


def check_testing_validation(configs: dict) -> None:
    assert list(configs) == ["test"]
    config = configs["test"]
    cluster = _resources(config, "aws_docdb_cluster")["test"]
    assert cluster["cluster_identifier"] == "test-cluster"
    assert cluster["master_username"] == "testuser"
    assert cluster["skip_final_snapshot"] is True
    assert _output(config, "cluster_endpoint") == "${aws_docdb_cluster.test.endpoint}"
    assert _output(config, "cluster_arn") == "${aws_docdb_cluster.test.arn}"


def check_parallel_database_setup(configs: dict) -> None:
    config = configs["parallel_database_setup"]
    resources = config["resource"]
    assert sorted(resources) == [
        "aws_docdb_cluster_parameter_group", "aws_docdb_subnet_group",
        "aws_memorydb_parameter_group", "aws_memorydb_subnet_group",
        "aws_neptune_cluster_parameter_group", "aws_neptune_subnet_group"]
    # Nothing refers to anything else, so Terraform can create all six at once.
    assert "${" not in str(resources)
    assert "depends_on" not in str(resources)
    families = {t: next(iter(r.values()))["family"] for t, r in resources.items()
                if "parameter_group" in t}
    assert families == {"aws_docdb_cluster_parameter_group": "docdb5.0",
                        "aws_neptune_cluster_parameter_group": "neptune1.3",
                        "aws_memorydb_parameter_group": "memorydb_redis7"}
    subnets = {tuple(next(iter(r.values()))["subnet_ids"]) for t, r in resources.items()
               if t.endswith("subnet_group")}
    assert len(subnets) == 1 and len(next(iter(subnets))) == 3


def check_database_monitoring(configs: dict) -> None:
    config = configs["database_monitoring"]
    docdb = _resources(config, "aws_docdb_event_subscription")["docdb_events"]
    neptune = _resources(config, "aws_neptune_event_subscription")["neptune_events"]
    assert docdb["event_categories"] == ["failover", "failure", "maintenance"]
    assert "event_categories" not in neptune
    assert docdb["sns_topic_arn"] == neptune["sns_topic_arn"] == \
        "arn:aws:sns:us-east-1:123456789012:database-alerts"
    assert docdb["source_type"] == neptune["source_type"] == "db-cluster"


VALUE_CHECKS: dict[str, Callable[[dict], None]] = {
    "database_cluster_patterns": check_database_cluster_patterns,
    "multi_environment_database": check_multi_environment_database,
    "time_series_pipeline": check_time_series_pipeline,
    "graph_recommendations": check_graph_recommendations,
    "memory_cache_layer": check_memory_cache_layer,
    "cross_service_data_flow": check_cross_service_data_flow,
    "multi_account_sharing": check_multi_account_sharing,
    "license_compliance": check_license_compliance,
    "testing_validation": check_testing_validation,
    "parallel_database_setup": check_parallel_database_setup,
    "database_monitoring": check_database_monitoring,
}


def test_every_translation_has_value_checks() -> None:
    assert set(VALUE_CHECKS) == {p.stem for p in SEED_FILES}


@pytest.mark.parametrize("stem", sorted(VALUE_CHECKS))
def test_translation_values(stem: str, synthesized) -> None:
    VALUE_CHECKS[stem](synthesized[stem])


# -- the seed's snippets, verbatim -----------------------------------------------------------
# Ruby symbols become strings, `key: value` hashes become dicts, heredocs f-strings; nothing
# else is changed. Where the seed has no template around a snippet, one is added.

def _line(source: str, fragment: str) -> int:
    """Line number of ``fragment`` in ``source`` as write_template writes it (dedented)."""
    import textwrap

    lines = textwrap.dedent(source).splitlines()
    found = [n for n, line in enumerate(lines, 1) if fragment in line]
    assert len(found) == 1, (fragment, found)
    return found[0]


FINAL = ("skip_final_snapshot is false (its default), so destroying the cluster will fail: the "
         "provider needs final_snapshot_identifier to take the final snapshot")
FINAL_HINT = ("set final_snapshot_identifier, or skip_final_snapshot = true to destroy without a "
              "snapshot")


def _raises(write_template, source: str) -> tuple[Path, pangea.PangeaError]:
    path = write_template(source)
    with pytest.raises(pangea.PangeaError) as excinfo:
        pangea.synth(path)
    return path, excinfo.value


MULTI_ENVIRONMENT = '''
    from pangea import template
    from pangea_aws import aws_docdb_cluster, aws_docdb_global_cluster


    @template
    def production_database():
        # DocumentDB cluster with global tables
        docdb_global = aws_docdb_global_cluster("global", {
            "global_cluster_identifier": "app-docdb-global",
            "engine": "docdb",
            "storage_encrypted": True,
        })

        # Primary region cluster
        primary_cluster = aws_docdb_cluster("primary", {
            "cluster_identifier": "app-docdb-us-east-1",
            "global_cluster_identifier": docdb_global.id,
            "engine_version": "4.0.0",
            "backup_retention_period": 30,
        })

        # Cross-region replica
        replica_cluster = aws_docdb_cluster("replica", {
            "cluster_identifier": "app-docdb-us-west-2",
            "global_cluster_identifier": docdb_global.id,
            "source_region": "us-east-1",
        })
'''


def test_verbatim_multi_environment_final_snapshot_is_a_warning_not_an_error(
        write_template) -> None:
    """The seed's primary cluster omits skip_final_snapshot (default false) and any final
    snapshot name: Terraform plans and applies it, only a destroy fails, so it is a warning;
    the first error is the replica's source_region."""
    path, error = _raises(write_template, MULTI_ENVIRONMENT)
    assert isinstance(error, pangea.ValidationError)
    assert "aws_docdb_cluster.replica: source_region" in str(error)
    assert "primary" not in str(error)


def test_verbatim_multi_environment_names_the_unknown_source_region(write_template) -> None:
    """With final snapshot names added, the replica's source_region is the next problem."""
    source = MULTI_ENVIRONMENT.replace(
        '"backup_retention_period": 30,',
        '"backup_retention_period": 30,\n            "final_snapshot_identifier": "primary-final",')
    source = source.replace('"source_region": "us-east-1",',
                            '"source_region": "us-east-1",\n            "skip_final_snapshot": True,')
    path, error = _raises(write_template, source)
    line = _line(source, 'replica_cluster = aws_docdb_cluster("replica"')
    assert isinstance(error, pangea.ValidationError)
    assert str(error) == (
        f"{path}:{line}: template 'production_database': aws_docdb_cluster.replica: "
        "source_region: is not an argument of this type; did you mean region?")


TIME_SERIES = '''
    from pangea import template
    from pangea_aws import (
        aws_timestream_database,
        aws_timestream_scheduled_query,
        aws_timestream_table,
    )


    @template
    def metrics_infrastructure():
        # Timestream database for metrics
        metrics_db = aws_timestream_database("metrics", {
            "database_name": "application-metrics",
        })

        # Table with optimized retention
        metrics_table = aws_timestream_table("app_metrics", {
            "database_name": metrics_db.database_name,
            "table_name": "app-performance",
            "retention_properties": {
                "memory_store_retention_period_in_hours": 24,
                "magnetic_store_retention_period_in_days": 90,
            },
        })

        # Scheduled query for aggregations
        aws_timestream_scheduled_query("hourly_rollup", {
            "name": "hourly-performance-rollup",
            "query_string": f"""SELECT
      BIN(time, 1h) as hour,
      AVG(cpu_utilization) as avg_cpu,
      MAX(memory_usage) as max_memory
    FROM "{metrics_db.database_name}"."{metrics_table.table_name}"
    WHERE time > ago(24h)
    GROUP BY BIN(time, 1h)
    """,
            "schedule_configuration": {
                "schedule_expression": "rate(1 hour)",
            },
        })
'''


def test_verbatim_scheduled_query_names_what_is_missing_and_misshapen(write_template) -> None:
    path, error = _raises(write_template, TIME_SERIES)
    line = _line(TIME_SERIES, 'aws_timestream_scheduled_query("hourly_rollup"')
    message = str(error)
    assert message.startswith(f"{path}:{line}: template 'metrics_infrastructure': "
                              "aws_timestreamquery_scheduled_query.hourly_rollup: ")
    assert "  - execution_role_arn: is required (a string)" in message
    assert ("  - schedule_configuration: must be a list of blocks (dicts) or a Terraform "
            "expression (got {'schedule_expression': 'rate(1 hour)'})") in message
    # the blocks the seed lacks are named in the same message (rules across attributes need
    # only which arguments are present)
    assert "  - target_configuration: target_configuration is required" in message
    assert sorted(path for path, _ in error.problems) == [
        "error_report_configuration", "execution_role_arn", "notification_configuration",
        "schedule_configuration", "target_configuration"]


def test_verbatim_scheduled_query_then_names_the_missing_required_blocks(write_template) -> None:
    """With the argument and the block shape fixed, the required blocks the seed lacks are
    what is left."""
    source = re.sub(
        r'"schedule_configuration": \{(\s*"schedule_expression": "rate\(1 hour\)",\s*)\}',
        r'"execution_role_arn": "arn:aws:iam::123456789012:role/timestream-scheduled-query", '
        r'"schedule_configuration": [{\1}]',
        TIME_SERIES)
    assert source != TIME_SERIES
    path, error = _raises(write_template, source)
    line = _line(source, 'aws_timestream_scheduled_query("hourly_rollup"')
    assert str(error) == (
        f"{path}:{line}: template 'metrics_infrastructure': "
        "aws_timestreamquery_scheduled_query.hourly_rollup: 3 problems:\n"
        "  - notification_configuration: notification_configuration is required\n"
        "  - error_report_configuration: error_report_configuration is required\n"
        "  - target_configuration: target_configuration is required")


CROSS_SERVICE = '''
    from pangea import template
    from pangea_aws import (
        aws_docdb_cluster,
        aws_memorydb_cluster,
        aws_neptune_cluster,
        aws_timestream_database,
    )


    @template
    def data_platform():
        # Time series for real-time metrics
        timestream_db = aws_timestream_database("platform", {
            "database_name": "data-platform",
        })

        # Document store for semi-structured data
        docdb_cluster = aws_docdb_cluster("documents", {
            "cluster_identifier": "platform-documents",
            "storage_encrypted": True,
        })

        # Graph database for relationships
        neptune_cluster = aws_neptune_cluster("knowledge_graph", {
            "cluster_identifier": "platform-knowledge-graph",
        })

        # Memory cache for performance
        memorydb_cluster = aws_memorydb_cluster("cache", {
            "name": "platform-cache",
            "node_type": "db.r6g.large",
        })
'''


def test_verbatim_cross_service_docdb_cluster_lacks_credentials(write_template) -> None:
    """One run reports both invalid clusters of the snippet (DocumentDB, then MemoryDB)."""
    path, error = _raises(write_template, CROSS_SERVICE)
    assert isinstance(error, pangea.CollectedErrors)
    assert [e.address for e in error.errors] == ["aws_docdb_cluster.documents",
                                                 "aws_memorydb_cluster.cache"]
    line = _line(CROSS_SERVICE, 'docdb_cluster = aws_docdb_cluster("documents"')
    message = str(error.errors[0])
    assert message.startswith(f"{path}:{line}: template 'data_platform': "
                              "aws_docdb_cluster.documents: 2 problems:")
    assert ("  - master_username: master_username is required for a new cluster") in message
    assert "  - master_password: a new cluster needs a master password" in message
    assert FINAL not in str(error)  # a warning, reported only when the errors are fixed


def test_verbatim_cross_service_memorydb_cluster_lacks_acl_name(write_template) -> None:
    """The same snippet's MemoryDB cluster on its own: a single error keeps its exact
    message."""
    source = re.sub(r"    # Document store.*?(?=    # Memory)", "", CROSS_SERVICE, flags=re.DOTALL)
    assert "aws_docdb_cluster(" not in source and "aws_neptune_cluster(" not in source
    path, error = _raises(write_template, source)
    line = _line(source, 'memorydb_cluster = aws_memorydb_cluster("cache"')
    assert str(error) == (f"{path}:{line}: template 'data_platform': aws_memorydb_cluster.cache: "
                          "acl_name: is required (a string)")


LICENSE_MANAGEMENT = '''
    from pangea import template
    from pangea_aws import (
        aws_licensemanager_association,
        aws_licensemanager_license_configuration,
        aws_licensemanager_report_generator,
    )


    @template
    def license_management():
        # Oracle database license configuration
        oracle_licenses = aws_licensemanager_license_configuration("oracle", {
            "name": "Oracle Database Standard Edition",
            "license_counting_type": "vCPU",
            "license_count": 100,
            "license_count_hard_limit": True,
            "license_rules": [
                "ALLOW_OUTBOUND_MOBILITY",
                "ALLOW_HYPERVISOR_AFFINITY",
            ],
        })

        # Associate with RDS instances
        aws_licensemanager_association("oracle_rds", {
            "license_configuration_arn": oracle_licenses.arn,
            "resource_arn": "arn:aws:rds:us-east-1:123456789012:db:oracle-prod",
        })

        # Automated compliance reporting
        aws_licensemanager_report_generator("compliance", {
            "license_manager_report_generator_name": "monthly-compliance-report",
            "type": ["LicenseConfigurationSummaryReport"],
            "report_context": {
                "license_configuration_arns": [oracle_licenses.arn],
            },
            "report_frequency": "MONTH",
            "s3_bucket_name": "compliance-reports-bucket",
        })
'''


def test_verbatim_license_rules_have_the_wrong_format(write_template) -> None:
    path, collected = _raises(write_template, LICENSE_MANAGEMENT)
    assert isinstance(collected, pangea.CollectedErrors)
    assert [e.address for e in collected.errors] == [
        "aws_licensemanager_license_configuration.oracle",
        "aws_licensemanager_report_generator.compliance"]  # one run reports both
    error = collected.errors[0]
    line = _line(LICENSE_MANAGEMENT, "oracle_licenses = aws_licensemanager_license_configuration(")
    message = str(error)
    assert message.startswith(f"{path}:{line}: template 'license_management': "
                              "aws_licensemanager_license_configuration.oracle: 2 problems:")
    for rule in ("ALLOW_OUTBOUND_MOBILITY", "ALLOW_HYPERVISOR_AFFINITY"):
        assert (f"  - license_rules: has the wrong format: expected #ruleName=value with a "
                f"License Manager rule name") in message
        assert f"(got '{rule}')" in message
    assert [p for p, _ in error.problems] == ["license_rules", "license_rules"]


def test_verbatim_report_generator_says_it_does_not_exist(write_template) -> None:
    """The snippet with its license rules in the right format reaches the report generator."""
    source = LICENSE_MANAGEMENT.replace('"ALLOW_OUTBOUND_MOBILITY"', '"#minimumVcpus=2"').replace(
        '"ALLOW_HYPERVISOR_AFFINITY"', '"#honorVcpuOptimization=True"')
    path, error = _raises(write_template, source)
    line = _line(source, 'aws_licensemanager_report_generator("compliance"')
    message = " ".join(str(error).split())
    assert message.startswith(f"{path}:{line}: template 'license_management': "
                              "aws_licensemanager_report_generator.compliance: "
                              "aws_licensemanager_report_generator does not exist: ")
    assert "the Terraform AWS provider has no resource for them" in message
    assert "Instead, create the report generator with the CreateLicenseManagerReportGenerator " \
           "API or the console" in message


PARALLEL_SETUP = '''
    from pangea import template
    from pangea_aws import (
        aws_docdb_cluster_parameter_group,
        aws_docdb_subnet_group,
        aws_memorydb_parameter_group,
        aws_memorydb_subnet_group,
        aws_neptune_cluster_parameter_group,
        aws_neptune_subnet_group,
    )


    @template
    def parallel_database_setup():
        # These can be created in parallel
        docdb_subnet_group = aws_docdb_subnet_group("docdb", {...})
        neptune_subnet_group = aws_neptune_subnet_group("neptune", {...})
        memorydb_subnet_group = aws_memorydb_subnet_group("memorydb", {...})

        # Parameter groups can also be created in parallel
        docdb_params = aws_docdb_cluster_parameter_group("docdb", {...})
        neptune_params = aws_neptune_cluster_parameter_group("neptune", {...})
        memorydb_params = aws_memorydb_parameter_group("memorydb", {...})
'''


def test_verbatim_elided_arguments_are_refused(write_template) -> None:
    """``{...}`` is valid Python (a set holding Ellipsis), so the seed's elision runs; pangea
    refuses it at each of the six calls, all reported by one run."""
    path, collected = _raises(write_template, PARALLEL_SETUP)
    assert isinstance(collected, pangea.CollectedErrors)
    assert len(collected.errors) == 6
    assert all("arguments must be a dict or" in str(e) and str(e).endswith("(got set)")
               for e in collected.errors)
    error = collected.errors[0]
    line = _line(PARALLEL_SETUP, 'aws_docdb_subnet_group("docdb", {...})')
    assert str(error) == (
        f"{path}:{line}: template 'parallel_database_setup': aws_docdb_subnet_group.docdb: "
        "arguments must be a dict or AwsDocdbSubnetGroupArgs (got set)")


MULTI_ACCOUNT = '''
    from pangea import template
    from pangea_aws import (
        aws_docdb_subnet_group,
        aws_ram_principal_association,
        aws_ram_resource_association,
        aws_ram_resource_share,
    )


    @template
    def shared_database_services():
        # Shared database resources
        shared_subnet_group = aws_docdb_subnet_group("shared", {
            "name": "shared-docdb-subnets",
            "subnet_ids": [
                "subnet-12345",
                "subnet-67890",
                "subnet-abcde",
            ],
        })

        # RAM resource share
        db_share = aws_ram_resource_share("databases", {
            "name": "shared-database-resources",
            "allow_external_principals": False,
        })

        # Associate subnet group with share
        aws_ram_resource_association("subnet_group", {
            "resource_arn": shared_subnet_group.arn,
            "resource_share_arn": db_share.arn,
        })

        # Share with organization accounts
        aws_ram_principal_association("dev_account", {
            "principal": "123456789012",
            "resource_share_arn": db_share.arn,
        })
'''


def test_verbatim_multi_account_is_refused_because_ram_cannot_share_subnet_groups(
        write_template, pinned_lookup) -> None:
    """The seed shares a DocumentDB subnet group through RAM. Its JSON would be schema-valid
    (the schema cannot say which types RAM shares), but AWS refuses the association at
    apply: pangea refuses it from its table of RAM-shareable types
    (overrides/tables/aws_ram_shareable.yaml), naming the call, the attribute and the fix."""
    path, error = _raises(write_template, MULTI_ACCOUNT)
    line = _line(MULTI_ACCOUNT, 'aws_ram_resource_association("subnet_group"')
    assert str(error).startswith(f"{path}:{line}: template 'shared_database_services': "
                                 "aws_ram_resource_association.subnet_group: resource_arn: ")
    assert "aws_docdb_subnet_group is not a resource type AWS RAM can share" in str(error)
    assert "share the subnets of its subnet group (aws_subnet)" in str(error)
    # the refusal comes from the table: the provider schema alone accepts the association
    association = {"resource_arn": "${aws_docdb_subnet_group.shared.arn}",
                   "resource_share_arn": "${aws_ram_resource_share.databases.arn}"}
    config = {"resource": {"aws_ram_resource_association": {"subnet_group": association}}}
    assert check_config(config, pinned_lookup) == []


# Seed snippets the real schema accepts: verbatim, they synthesize and check clean.

VALID_VERBATIM = {
    "database_cluster_patterns": '''
        from pangea import template
        from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance


        @template  # the seed has these calls outside any template
        def database_cluster_patterns():
            # Primary cluster with instances
            cluster = aws_docdb_cluster("main", {
                "cluster_identifier": "app-docdb-prod",
                "engine_version": "4.0.0",
                "master_username": "admin",
                "master_password": "secure-password",
                "backup_retention_period": 7,
                "storage_encrypted": True,
                "deletion_protection": True,
            })

            # Add instances to cluster
            aws_docdb_cluster_instance("primary", {
                "identifier": "app-docdb-primary",
                "cluster_identifier": cluster.id,
                "instance_class": "db.r5.large",
                "availability_zone": "us-east-1a",
            })

            aws_docdb_cluster_instance("replica", {
                "identifier": "app-docdb-replica",
                "cluster_identifier": cluster.id,
                "instance_class": "db.r5.large",
                "availability_zone": "us-east-1b",
            })
    ''',
    "recommendation_engine": '''
        from pangea import template
        from pangea_aws import aws_neptune_cluster, aws_neptune_cluster_instance


        @template
        def recommendation_engine():
            # Neptune cluster for graph analytics
            graph_cluster = aws_neptune_cluster("recommendations", {
                "cluster_identifier": "recommendation-graph",
                "engine": "neptune",
                "backup_retention_period": 7,
                "iam_database_authentication_enabled": True,
            })

            # Primary instance for writes
            aws_neptune_cluster_instance("primary", {
                "identifier": "recommendation-primary",
                "cluster_identifier": graph_cluster.cluster_identifier,
                "instance_class": "db.r5.xlarge",
                "engine": "neptune",
            })

            # Read replica for analytics
            aws_neptune_cluster_instance("analytics", {
                "identifier": "recommendation-analytics",
                "cluster_identifier": graph_cluster.cluster_identifier,
                "instance_class": "db.r5.2xlarge",
                "promotion_tier": 1,
            })
    ''',
    "caching_layer": '''
        from pangea import template
        from pangea_aws import aws_memorydb_acl, aws_memorydb_cluster


        @template
        def caching_layer():
            # MemoryDB cluster with authentication
            cache_acl = aws_memorydb_acl("app_cache", {
                "name": "app-cache-acl",
                "user_names": ["cache-user"],
            })

            cache_cluster = aws_memorydb_cluster("main", {
                "name": "app-cache-cluster",
                "node_type": "db.r6g.large",
                "num_shards": 2,
                "num_replicas_per_shard": 1,
                "acl_name": cache_acl.name,
                "tls_enabled": True,
                "engine_version": "6.2",
            })
    ''',
    "test": '''
        from pangea import output, template
        from pangea_aws import aws_docdb_cluster


        @template
        def test():
            cluster = aws_docdb_cluster("test", {
                "cluster_identifier": "test-cluster",
                "master_username": "testuser",
                "master_password": "testpassword123",
                "skip_final_snapshot": True,
            })

            # Outputs for validation
            output("cluster_endpoint", cluster.endpoint)

            output("cluster_arn", cluster.arn)
    ''',
    "database_monitoring": '''
        from pangea import template
        from pangea_aws import aws_docdb_event_subscription, aws_neptune_event_subscription


        @template
        def database_monitoring():
            # Event subscriptions for all database services
            aws_docdb_event_subscription("docdb_events", {
                "name": "docdb-production-events",
                "sns_topic_arn": "arn:aws:sns:us-east-1:123456789012:database-alerts",
                "source_type": "db-cluster",
                "event_categories": ["failover", "failure", "maintenance"],
            })

            aws_neptune_event_subscription("neptune_events", {
                "name": "neptune-production-events",
                "sns_topic_arn": "arn:aws:sns:us-east-1:123456789012:database-alerts",
                "source_type": "db-cluster",
            })
    ''',
}


# Schema-valid, but their clusters omit skip_final_snapshot (default false) and a final
# snapshot name, so destroying them would fail: Terraform accepts them, pangea warns.
NEEDS_FINAL_SNAPSHOT = {
    "database_cluster_patterns": ("aws_docdb_cluster.main", 'cluster = aws_docdb_cluster("main"'),
    "recommendation_engine": ("aws_neptune_cluster.recommendations",
                              'graph_cluster = aws_neptune_cluster("recommendations"'),
}


@pytest.mark.parametrize("name", sorted(NEEDS_FINAL_SNAPSHOT))
def test_seed_clusters_without_a_final_snapshot_name_warn(name: str, write_template,
                                                          pinned_lookup) -> None:
    source = VALID_VERBATIM[name]
    address, fragment = NEEDS_FINAL_SNAPSHOT[name]
    path = write_template(source)
    result = pangea.synthesize(path)
    assert check_config(result.templates[name].config, pinned_lookup) == []
    (warning,) = result.diagnostics
    assert warning == pangea.Diagnostic(
        pangea.Level.WARNING, FINAL, "final-snapshot", str(path), _line(source, fragment), name,
        address, "final_snapshot_identifier", FINAL_HINT)
    with pytest.raises(pangea.StrictModeError) as excinfo:
        pangea.synth(path, strict=True)
    assert str(excinfo.value) == (
        f"{path}:{_line(source, fragment)}: template {name!r}: {address}: "
        f"final_snapshot_identifier: {FINAL} (warning final-snapshot, an error in strict mode)"
        f"\n  hint: {FINAL_HINT}")


@pytest.mark.parametrize("name", sorted(set(VALID_VERBATIM) - set(NEEDS_FINAL_SNAPSHOT)))
def test_schema_valid_seed_snippets_synthesize_verbatim(name: str, write_template,
                                                        pinned_lookup) -> None:
    configs = pangea.synth(write_template(VALID_VERBATIM[name]))
    assert list(configs) == [name]
    assert configs[name]["resource"]
    assert check_config(configs[name], pinned_lookup) == []
