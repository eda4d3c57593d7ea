"""The seed document's 50 names (provider_schema/seed_names.yaml) as pangea_aws exposes them:
generated functions, aliases of generated functions, helpers that emit real provider
constructs, and names that raise an error saying what to use instead."""

from __future__ import annotations

import importlib
import re
import textwrap
from pathlib import Path

import pytest
import yaml

import pangea
import pangea_aws
from pangea.schema_check import check_config

PROJECT = Path(__file__).resolve().parent.parent
NAMES_FILE = PROJECT / "provider_schema" / "seed_names.yaml"
DOCS = PROJECT / "generated" / "docs"
NAMES: dict[str, dict] = yaml.safe_load(NAMES_FILE.read_text())["names"]


def _of_kind(kind: str) -> list[str]:
    return sorted(n for n, e in NAMES.items() if e["kind"] == kind)


def _words(text: str) -> str:
    return " ".join(text.split())


def _import(name: str):
    """``from pangea_aws import <name>``, exactly as a user writes it."""
    namespace: dict = {}
    exec(f"from pangea_aws import {name}", namespace)
    return namespace[name]


def _check_clean(config: dict, pinned_lookup) -> None:
    for lookup in (pinned_lookup, None):
        problems = check_config(config, lookup)
        assert problems == [], "\n".join(map(str, problems))


# -- the list itself -------------------------------------------------------------------------

def test_there_are_fifty_names_in_the_documented_split() -> None:
    assert len(NAMES) == 50
    counts = {kind: len(_of_kind(kind)) for kind in ("generated", "alias", "helper", "unavailable")}
    assert counts == {"generated": 32, "alias": 6, "helper": 4, "unavailable": 8}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_every_name_is_importable_and_public(name: str) -> None:
    assert name in pangea_aws.__all__
    assert callable(_import(name))


# -- generated -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", _of_kind("generated"))
def test_generated_names_are_the_generated_functions(name: str) -> None:
    module = importlib.import_module(f"pangea_aws.resources.{name}")
    assert _import(name) is getattr(module, name)
    assert (DOCS / f"{name}.md").exists()


# -- aliases ---------------------------------------------------------------------------------

def _target_example(target: str) -> str:
    """The first example of the target's reference page (checked by test_docs_examples)."""
    text = (DOCS / f"{target}.md").read_text()
    section = text.split("\n## Examples\n", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


@pytest.mark.parametrize("name", _of_kind("alias"))
def test_alias_is_the_target_function_and_emits_the_target_type(
        name: str, tmp_path: Path, pinned_lookup) -> None:
    target = NAMES[name]["target"]
    assert _import(name) is _import(target)
    # The target's documented example, with every use of the target spelled as the alias.
    code = re.sub(rf"\b{target}\b", name, _target_example(target))
    assert name in code
    path = tmp_path / "alias_example.py"
    path.write_text(code)
    configs = pangea.synth(path)
    for config in configs.values():
        resources = config.get("resource", {})
        assert name not in resources
        _check_clean(config, pinned_lookup)
    assert any(target in c.get("resource", {}) for c in configs.values())


# -- helpers ---------------------------------------------------------------------------------

HELPERS_TEMPLATE = '''
from pangea import output, template
from pangea_aws import (
    aws_docdb_cluster,
    aws_docdb_cluster_backup,
    aws_memorydb_cluster_endpoint,
    aws_ram_managed_permission,
    aws_ram_resource_share,
    aws_timestream_database,
    aws_timestream_table,
    aws_timestream_table_retention_properties,
)


@template
def helpers():
    cluster = aws_docdb_cluster(
        "main",
        cluster_identifier="orders-docdb",
        master_username="docdbadmin",
        manage_master_user_password=True,
        skip_final_snapshot=True,
    )
    backup = aws_docdb_cluster_backup(
        "orders",
        cluster=cluster,
        iam_role_arn="arn:aws:iam::123456789012:role/aws-backup-service-role",
        vault_name="Default",
        schedule="cron(0 3 ? * * *)",
        delete_after_days=14,
    )
    output("backup_plan_id", backup.plan.id)

    db = aws_timestream_database("metrics", database_name="metrics")
    aws_timestream_table(
        "cpu",
        database_name=db.database_name,
        table_name="cpu",
        retention_properties=aws_timestream_table_retention_properties(
            memory_store_retention_period_in_hours=12,
            magnetic_store_retention_period_in_days=400,
        ),
    )

    endpoint = aws_memorydb_cluster_endpoint("cache", cluster_name="orders-cache")
    output("cache_address", endpoint.address)
    output("cache_port", endpoint.port)

    aws_ram_resource_share(
        "subnets",
        name="shared-subnets",
        permission_arns=[aws_ram_managed_permission("AWSRAMDefaultPermissionSubnet")],
    )
'''


@pytest.fixture(scope="module")
def helpers_config(tmp_path_factory: pytest.TempPathFactory) -> dict:
    path = tmp_path_factory.mktemp("helpers") / "helpers.py"
    path.write_text(HELPERS_TEMPLATE)
    return pangea.synth(path)["helpers"]


def test_helper_names_are_the_functions_of_the_packages_helpers_module() -> None:
    from pangea_aws import helpers

    for name in _of_kind("helper"):
        assert _import(name) is getattr(helpers, NAMES[name]["function"])


def test_helpers_emit_json_that_checks_clean(helpers_config: dict, pinned_lookup) -> None:
    _check_clean(helpers_config, pinned_lookup)


def test_docdb_cluster_backup_declares_a_backup_plan_and_selection(helpers_config: dict) -> None:
    resources = helpers_config["resource"]
    plan = resources["aws_backup_plan"]["orders"]
    rule = plan["rule"][0] if isinstance(plan["rule"], list) else plan["rule"]
    assert rule["schedule"] == "cron(0 3 ? * * *)"
    assert rule["target_vault_name"] == "Default"
    assert rule["lifecycle"] == {"delete_after": 14}
    selection = resources["aws_backup_selection"]["orders"]
    assert selection["plan_id"] == "${aws_backup_plan.orders.id}"
    assert selection["resources"] == ["${aws_docdb_cluster.main.arn}"]
    assert helpers_config["output"]["backup_plan_id"]["value"] == "${aws_backup_plan.orders.id}"


def test_retention_properties_helper_fills_the_table_block(helpers_config: dict) -> None:
    table = helpers_config["resource"]["aws_timestreamwrite_table"]["cpu"]
    assert table["retention_properties"] == {"memory_store_retention_period_in_hours": 12,
                                             "magnetic_store_retention_period_in_days": 400}


def test_memorydb_cluster_endpoint_reads_the_data_source(helpers_config: dict) -> None:
    assert helpers_config["data"]["aws_memorydb_cluster"]["cache"] == {"name": "orders-cache"}
    assert helpers_config["output"]["cache_address"]["value"] == \
        "${data.aws_memorydb_cluster.cache.cluster_endpoint[0].address}"
    assert helpers_config["output"]["cache_port"]["value"] == \
        "${data.aws_memorydb_cluster.cache.cluster_endpoint[0].port}"


def test_ram_managed_permission_is_an_arn(helpers_config: dict) -> None:
    share = helpers_config["resource"]["aws_ram_resource_share"]["subnets"]
    assert share["permission_arns"] == ["arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet"]
    from pangea_aws import aws_ram_managed_permission

    assert aws_ram_managed_permission("AWSRAMPermissionGlueDatabase", partition="aws-cn") == \
        "arn:aws-cn:ram::aws:permission/AWSRAMPermissionGlueDatabase"


BAD_HELPER_CALLS = {
    "backup_of_a_neptune_cluster": (
        '''
        graph = aws_neptune_cluster("graph", cluster_identifier="graph", skip_final_snapshot=True)
        aws_docdb_cluster_backup("graph", cluster=graph, vault_name="Default",
                                 iam_role_arn="arn:aws:iam::123456789012:role/backup")
        ''',
        ["aws_docdb_cluster_backup('graph')", "cluster: must be an aws_docdb_cluster",
         "aws_neptune_cluster.graph"]),
    "backup_with_a_rate_schedule_and_no_retention": (
        '''
        aws_docdb_cluster_backup("docs", cluster="arn:aws:rds:us-east-1:123456789012:cluster:docs",
                                 vault_name="Default", schedule="rate(1 day)", delete_after_days=0,
                                 iam_role_arn="arn:aws:iam::123456789012:role/backup")
        ''',
        ["schedule: must be an AWS Backup cron expression", "'rate(1 day)'",
         "delete_after_days: must be a whole number of days >= 1 (got 0)"]),
    "retention_out_of_range": (
        '''
        aws_timestream_table_retention_properties(memory_store_retention_period_in_hours=0,
                                                  magnetic_store_retention_period_in_days=90)
        ''',
        ["aws_timestream_table_retention_properties()", "memory_store_retention_period_in_hours",
         "between 1 and 8766"]),
    "retention_as_strings": (
        '''
        aws_timestream_table_retention_properties(memory_store_retention_period_in_hours="24",
                                                  magnetic_store_retention_period_in_days=90)
        ''',
        ["memory_store_retention_period_in_hours", "'24'"]),
    "managed_permission_that_is_not_aws_managed": (
        '''
        aws_ram_managed_permission("MyCustomPermission", partition="aws-eu")
        ''',
        ["aws_ram_managed_permission()", "permission_name: must be the name of an AWS-managed "
         "permission, which starts with AWSRAM (got 'MyCustomPermission')",
         "partition: must be one of aws, aws-cn, aws-us-gov (got 'aws-eu')"]),
    "endpoint_with_a_number_for_the_name": (
        '''
        aws_memorydb_cluster_endpoint("cache", cluster_name=42)
        ''',
        ["data.aws_memorydb_cluster.cache: name: must be a string", "(got 42)"]),
}


@pytest.mark.parametrize("case", sorted(BAD_HELPER_CALLS))
def test_bad_helper_input_raises_a_clear_error(case: str, write_template) -> None:
    body, expected = BAD_HELPER_CALLS[case]
    # the functions the body calls, by name: `import *` would import all 1,600 AWS modules
    called = ", ".join(sorted(set(re.findall(r"\b(aws_\w+)\(", body))))
    source = (f"from pangea import template\nfrom pangea_aws import {called}\n\n\n@template\n"
              "def bad():\n" + textwrap.indent(textwrap.dedent(body).strip(), "    ") + "\n")
    path = write_template(source)
    call_line = 7  # the first line of the body
    with pytest.raises(pangea.PangeaError) as excinfo:
        pangea.synth(path)
    message = str(excinfo.value)
    assert "template 'bad'" in message
    assert f"{path}:" in message
    line = int(re.search(rf"{re.escape(str(path))}:(\d+)", message).group(1))
    assert call_line <= line <= call_line + 2, message
    for fragment in expected:
        assert fragment in message, message


# -- unavailable -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", _of_kind("unavailable"))
def test_unavailable_name_raises_saying_what_to_use_instead(name: str, write_template) -> None:
    path = write_template(f'''
        from pangea import template
        from pangea_aws import {name}


        @template
        def seed():
            {name}("seed", {{"name": "from-the-seed"}})
    ''')
    with pytest.raises(pangea.PangeaError) as excinfo:
        pangea.synth(path)
    message = _words(str(excinfo.value))
    entry = NAMES[name]
    assert message.startswith(f"{path}:8: template 'seed': ")
    assert f"{name} does not exist" in message
    assert _words(entry["why"]) in message
    assert "Instead, " + _words(entry["instead"]) in message


def test_unavailable_name_also_raises_outside_a_template() -> None:
    from pangea_aws import aws_timestream_batch_load_task

    with pytest.raises(pangea.PangeaError, match="aws_timestream_batch_load_task does not exist"):
        aws_timestream_batch_load_task("load", {})


def test_mypy_flags_unavailable_names_as_deprecated(repo_mypy) -> None:
    # tests/typecheck/seed_unavailable.py, checked in the session's one mypy run
    errors = repo_mypy.errors_in("seed_unavailable.py")
    assert len(errors) == 1, errors
    assert "[deprecated]" in errors[0]
    assert "aws_licensemanager_report_generator is deprecated" in errors[0]
    assert "does not exist" in errors[0] and "Instead," in errors[0]


def test_mypy_accepts_aliases_as_the_target_function(repo_mypy) -> None:
    """The stub re-exports each alias (``from pangea_aws import alias`` type-checks) as the
    target's own signature: a keyword the target lacks is an error (tests/typecheck/
    seed_aliases.py, checked in the session's one mypy run)."""
    errors = repo_mypy.errors_in("seed_aliases.py")
    [bad] = [n for n, line in enumerate((PROJECT / "tests" / "typecheck" / "seed_aliases.py")
                                        .read_text().splitlines(), 1) if "# E:" in line]
    assert errors and all(f":{bad}: error:" in e for e in errors), errors
    assert any('Unexpected keyword argument "database_nam"' in e for e in errors), errors


# -- the generator checks the names file -----------------------------------------------------

GENERATED = {"aws_docdb_cluster", "aws_timestreamwrite_database"}
HELPERS = {"aws_ram_managed_permission"}


def _load(tmp_path: Path, text: str):
    from codegen.inputs.public_names import load_public_names

    path = tmp_path / "seed_names.yaml"
    path.write_text(textwrap.dedent(text))
    return load_public_names(path, GENERATED, HELPERS)


def test_generator_reads_a_valid_names_file(tmp_path: Path) -> None:
    names = _load(tmp_path, '''
        names:
          aws_docdb_cluster: {kind: generated}
          aws_timestream_database: {kind: alias, target: aws_timestreamwrite_database, why: renamed.}
          aws_ram_managed_permission: {kind: helper, function: aws_ram_managed_permission,
                                       why: AWS defines them., does: returns an ARN.}
          aws_docdb_certificate: {kind: unavailable, why: AWS manages them., instead: pick a CA.}
    ''')
    by_name = {n.name: n for n in names}
    assert by_name["aws_timestream_database"].target == "aws_timestreamwrite_database"
    assert by_name["aws_docdb_certificate"].message == \
        "aws_docdb_certificate does not exist: AWS manages them. Instead, pick a CA."


@pytest.mark.parametrize(("text", "expected"), [
    ('''
     names:
       aws_docdb_cluster_endpoint: {kind: generated}
     ''', "names.aws_docdb_cluster_endpoint: listed as generated but the pinned schema has no such type"),
    ('''
     names:
       aws_timestream_table: {kind: alias, target: aws_timestream_table_v2, why: renamed.}
     ''', "names.aws_timestream_table.target: aws_timestream_table_v2 is not a generated type"),
    ('''
     names:
       aws_docdb_cluster: {kind: unavailable, why: nothing., instead: something else.}
     ''', "names.aws_docdb_cluster: listed as unavailable but the provider now has this type"),
    ('''
     names:
       aws_timestreamwrite_database: {kind: alias, target: aws_docdb_cluster, why: odd.}
     ''', "names.aws_timestreamwrite_database: listed as alias but the provider now has this type"),
    ('''
     names:
       aws_memorydb_cluster_endpoint: {kind: helper, function: no_such_helper, why: x., does: y.}
     ''', "names.aws_memorydb_cluster_endpoint.function: helpers.py has no function no_such_helper"),
], ids=["generated-but-not-in-schema", "alias-target-missing", "real-type-marked-unavailable",
        "real-type-marked-alias", "helper-function-missing"])
def test_generator_refuses_a_wrong_names_file(tmp_path: Path, text: str, expected: str) -> None:
    from codegen.errors import GeneratorError

    with pytest.raises(GeneratorError) as excinfo:
        _load(tmp_path, text)
    assert expected in str(excinfo.value)
    assert "seed_names.yaml" in str(excinfo.value)
