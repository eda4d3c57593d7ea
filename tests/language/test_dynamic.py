"""dynamic(...) block values on generated resources: content typed against the block's
schema, Terraform's dynamic JSON, checked against the pinned schema (terraform validate runs
them in test_provider_validate.py)."""

from __future__ import annotations

import pytest

from pangea import PangeaError, dynamic, variable
from pangea.schema_check import check_config
from pangea_aws import aws_docdb_cluster_parameter_group, aws_timestreamwrite_table


def _group(**kwargs):
    return aws_docdb_cluster_parameter_group("params", family="docdb5.0", **kwargs)


def test_dynamic_block_json(run_template, pinned_lookup) -> None:
    def body():
        settings = variable("settings", type="map(string)",
                            default={"tls": "enabled", "ttl_monitor": "disabled"})
        _group(parameter=[
            {"name": "audit_logs", "value": "enabled"},        # a literal block ...
            dynamic(for_each=settings,                          # ... and a dynamic one
                    content=lambda p: {"name": p.key, "value": p.value,
                                       "apply_method": "pending-reboot"}),
        ])

    config = run_template(body)
    group = config["resource"]["aws_docdb_cluster_parameter_group"]["params"]
    assert group["parameter"] == [{"name": "audit_logs", "value": "enabled"}]
    assert group["dynamic"] == {"parameter": {
        "for_each": "${var.settings}",
        "content": {"apply_method": "pending-reboot", "name": "${parameter.key}",
                    "value": "${parameter.value}"}}}
    assert check_config(config, pinned_lookup) == []


def test_named_iterator_and_single_block(run_template, pinned_lookup) -> None:
    def body():
        retention = variable("retention", type="list(object({memory = number, magnetic = number}))",
                             default=[{"memory": 24, "magnetic": 7}])
        aws_timestreamwrite_table(
            "t", database_name="metrics", table_name="events",
            retention_properties=dynamic(
                for_each=retention, iterator="r",
                content=lambda r: {"memory_store_retention_period_in_hours": r.value.memory,
                                   "magnetic_store_retention_period_in_days": r.value.magnetic}))

    config = run_template(body)
    table = config["resource"]["aws_timestreamwrite_table"]["t"]
    assert "retention_properties" not in table
    assert table["dynamic"]["retention_properties"]["iterator"] == "r"
    assert table["dynamic"]["retention_properties"]["content"] == {
        "magnetic_store_retention_period_in_days": "${r.value.magnetic}",
        "memory_store_retention_period_in_hours": "${r.value.memory}"}
    assert check_config(config, pinned_lookup) == []


def _error(run_template, body) -> str:
    with pytest.raises(PangeaError) as info:
        run_template(body)
    return str(info.value)


def test_content_is_typed_against_the_block(run_template) -> None:
    def unknown_key():
        _group(parameter=dynamic(for_each=["a"], content=lambda p: {"nmae": p.value,
                                                                     "value": "x"}))

    message = _error(run_template, unknown_key)
    assert "aws_docdb_cluster_parameter_group.params" in message
    assert "parameter (dynamic).content.nmae" in message and "did you mean name" in message
    assert "parameter (dynamic).content.name: is required" in message

    def bad_rule():
        _group(parameter=dynamic(for_each=["a"], content={"name": "x", "value": "y",
                                                          "apply_method": "later"}))

    assert "parameter (dynamic).content.apply_method" in _error(run_template, bad_rule)

    def on_an_attribute():
        _group(tags=dynamic(for_each=["a"], content={}))

    assert "tags is an argument, not a nested block" in _error(run_template, on_an_attribute)

    def scalar_for_each():
        _group(parameter=dynamic(for_each="abc", content={"name": "a", "value": "b"}))

    assert "must be a collection" in _error(run_template, scalar_for_each)

    def not_a_dict():
        _group(parameter=dynamic(for_each=["a"], content=lambda p: [p.value]))

    assert "must return a dict" in _error(run_template, not_a_dict)
