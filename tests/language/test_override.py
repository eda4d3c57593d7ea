"""override(): a raw JSON path on a generated resource, checked against its schema."""

from __future__ import annotations

import pytest

from pangea import PangeaError, override, terraform_data
from pangea.schema_check import check_config
from pangea_aws import aws_docdb_cluster_parameter_group, aws_timestreamwrite_table


def test_paths_the_typed_layer_does_not_cover(run_template, pinned_lookup) -> None:
    def body():
        group = aws_docdb_cluster_parameter_group(
            "params", family="docdb5.0", parameter=[{"name": "tls", "value": "enabled"}])
        override(group, "parameter[0].apply_method", "pending-reboot")
        override(group, "parameter[1]", {"name": "audit_logs", "value": "enabled"})
        override(group, "lifecycle.precondition", [{"condition": "${true}",
                                                    "error_message": "never"}])
        override(group, "tags.Team", "data")
        table = aws_timestreamwrite_table("t", database_name="metrics", table_name="events")
        override(table, "retention_properties.memory_store_retention_period_in_hours", 24)
        override(table, "retention_properties.magnetic_store_retention_period_in_days", 7)
        data = terraform_data("d")
        override(data, "input", {"free": ["form"]})

    config = run_template(body)
    group = config["resource"]["aws_docdb_cluster_parameter_group"]["params"]
    assert group["parameter"] == [{"apply_method": "pending-reboot", "name": "tls",
                                   "value": "enabled"},
                                  {"name": "audit_logs", "value": "enabled"}]
    assert group["lifecycle"]["precondition"][0]["error_message"] == "never"
    assert group["tags"] == {"Team": "data"}
    assert config["resource"]["aws_timestreamwrite_table"]["t"]["retention_properties"] == {
        "magnetic_store_retention_period_in_days": 7,
        "memory_store_retention_period_in_hours": 24}
    assert config["resource"]["terraform_data"]["d"]["input"] == {"free": ["form"]}
    assert check_config(config, pinned_lookup) == []


def _error(run_template, body) -> str:
    with pytest.raises(PangeaError) as info:
        run_template(body)
    return str(info.value)


def test_unknown_paths_are_errors_with_suggestions(run_template) -> None:
    def group():
        return aws_docdb_cluster_parameter_group("params", family="docdb5.0")

    def typo():
        override(group(), "parmeter[0].name", "x")

    message = _error(run_template, typo)
    assert "aws_docdb_cluster_parameter_group.params: parmeter[0].name" in message
    assert "did you mean parameter" in message

    def nested_typo():
        override(group(), "parameter[0].aply_method", "x")

    assert "did you mean apply_method" in _error(run_template, nested_typo)

    def computed():
        override(group(), "arn", "arn:aws:x")

    assert "arn is computed by the provider" in _error(run_template, computed)

    def wrong_type():
        override(group(), "parameter[0].name", {"not": "a string"})

    assert "expected a string" in _error(run_template, wrong_type)

    def lifecycle_typo():
        override(group(), "lifecycle.prevent_destory", True)

    assert "did you mean prevent_destroy" in _error(run_template, lifecycle_typo)

    def past_the_end():
        override(group(), "parameter[3].name", "x")

    assert "index [3] is past" in _error(run_template, past_the_end)

    def not_a_resource():
        override("aws_x.y", "a", 1)

    assert "takes a resource or data source" in _error(run_template, not_a_resource)


@pytest.mark.parametrize("one_pass", [True, False], ids=["one-pass path", "model path"])
def test_an_override_leaves_the_declared_inputs_as_they_were(
        run_template, monkeypatch, one_pass: bool) -> None:
    """Computed properties fold the arguments as declared; override() changes only the JSON
    (the body the one-pass path stores is not the inputs it hands the reference)."""
    from pangea_aws import aws_docdb_cluster

    if not one_pass:
        monkeypatch.setattr("pangea.declare.plain_body", lambda *args: None)
    seen = {}

    def body():
        cluster = aws_docdb_cluster("c", cluster_identifier="docs", master_username="admin",
                                    manage_master_user_password=True, skip_final_snapshot=True,
                                    port=27017, tags={"team": "data"})
        override(cluster, "port", 27018)
        override(cluster, "tags.team", "ops")
        seen["writer"] = str(cluster.writer_address)
        seen["inputs"] = dict(cluster._inputs)

    config = run_template(body)
    written = config["resource"]["aws_docdb_cluster"]["c"]
    assert written["port"] == 27018 and written["tags"] == {"team": "ops"}
    assert seen["writer"] == "${aws_docdb_cluster.c.endpoint}:27017"
    assert seen["inputs"]["port"] == 27017 and seen["inputs"]["tags"] == {"team": "data"}
