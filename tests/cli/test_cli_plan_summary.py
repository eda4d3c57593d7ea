"""Plan summaries are built from `terraform show -json` documents."""

import json

import pytest

from pangea.cli.plan_summary import (
    SENSITIVE,
    UNKNOWN,
    PlanFormatError,
    format_summary,
    mask_outputs,
    outputs_json,
    summarize,
    summary_from_record,
    summary_record,
)


def change(address, *actions):
    return {"address": address, "change": {"actions": list(actions)}}


PLAN = {
    "resource_changes": [
        change("aws_vpc.main", "create"),
        change("aws_subnet.a", "update"),
        change("aws_instance.web", "delete", "create"),
        change("aws_eip.old", "delete"),
        change("aws_s3_bucket.logs", "no-op"),
        change("data.aws_ami.ubuntu", "read"),
        change("aws_instance.blue", "create", "delete"),
    ],
    "output_changes": {
        "vpc_id": {"actions": ["create"], "after": None, "after_unknown": True},
        "password": {"actions": ["update"], "after": "s3cret", "after_sensitive": True},
        "name": {"actions": ["create"], "after": "web", "after_sensitive": False},
        "stable": {"actions": ["no-op"], "after": 1},
        "gone": {"actions": ["delete"], "before": 1},
    },
}


def test_counts_each_kind_of_change():
    summary = summarize(PLAN)
    assert [summary.count(a) for a in ("create", "update", "replace", "delete")] == [1, 1, 2, 1]
    assert summary.resources["replace"] == ["aws_instance.web", "aws_instance.blue"]
    assert summary.has_changes
    assert (
        summary.counts_line()
        == "1 to create, 1 to update, 2 to replace, 1 to delete, 4 outputs changed"
    )


def test_output_values_are_shown_masked_or_marked_unknown():
    shown = {o.name: (o.action, o.shown_value) for o in summarize(PLAN).outputs}
    assert shown == {
        "gone": ("delete", ""),
        "name": ("create", '"web"'),
        "password": ("update", SENSITIVE),
        "vpc_id": ("create", UNKNOWN),
    }


def test_outputs_declared_sensitive_by_the_template_are_masked_even_if_terraform_does_not_say_so():
    plan = {
        "output_changes": {
            "token": {"actions": ["create"], "after": "abc", "after_sensitive": False}
        }
    }
    assert summarize(plan, {"token"}).outputs[0].shown_value == SENSITIVE
    assert "abc" not in "\n".join(format_summary("t", summarize(plan, {"token"})))


def test_no_changes():
    plan = {
        "resource_changes": [change("aws_vpc.main", "no-op")],
        "output_changes": {"x": {"actions": ["no-op"]}},
    }
    summary = summarize(plan)
    assert not summary.has_changes
    assert format_summary("network", summary) == ["network: no changes"]


def test_formatted_lines_list_each_address_once():
    lines = format_summary("network", summarize(PLAN))
    assert lines[0].startswith("network: 1 to create")
    assert "    + aws_vpc.main  (create)" in lines and "  -/+ aws_instance.web  (replace)" in lines
    assert '    + output.name = "web"' in lines
    assert not any("s3cret" in line for line in lines)


def test_unknown_actions_are_an_error_not_a_guess():
    with pytest.raises(PlanFormatError):
        summarize({"resource_changes": [change("x.y", "teleport")]})


def test_mask_outputs():
    raw = {
        "a": {"value": 1, "sensitive": False},
        "b": {"value": "pw", "sensitive": True},
        "c": {"value": "t"},
    }
    assert mask_outputs(raw, {"c"}) == {"a": 1, "b": SENSITIVE, "c": SENSITIVE}


DETAILED = {
    "resource_changes": [
        {
            "address": "aws_docdb_cluster.main",
            "change": {
                "actions": ["update"],
                "before": {"backup_retention_period": 7, "master_password": "old-secret",
                           "tags": {"team": "data"}, "id": "c1"},
                "after": {"backup_retention_period": 14, "master_password": "new-secret",
                          "tags": {"team": "platform", "cost": "db"}, "id": "c1"},
                "after_unknown": {},
                "before_sensitive": {"master_password": True},
                "after_sensitive": {"master_password": True},
            },
        },
        {
            "address": "aws_docdb_cluster_instance.primary",
            "action_reason": "replace_because_cannot_update",
            "change": {
                "actions": ["delete", "create"],
                "before": {"instance_class": "db.r6g.large", "arn": "arn:1", "identifier": "a"},
                "after": {"instance_class": "db.t4g.medium", "identifier": "a"},
                "after_unknown": {"arn": True},
                "before_sensitive": {},
                "after_sensitive": {},
                "replace_paths": [["instance_class"]],
            },
        },
        {
            "address": "aws_timestreamwrite_table.t",
            "change": {
                "actions": ["create"],
                "before": None,
                "after": {"table_name": "x", "retention_properties": [
                    {"magnetic_store_retention_period_in_days": 30}], "arn": None},
                "after_unknown": {"arn": True, "retention_properties": [{}]},
                "before_sensitive": False,
                "after_sensitive": {},
            },
        },
    ],
    "output_changes": {
        "endpoint": {"actions": ["update"], "before": "a.example", "after": "b.example"},
        "url": {"actions": ["update"], "before": "mongodb://pw@a", "after": "mongodb://pw@b",
                "before_sensitive": True, "after_sensitive": True},
    },
}


def test_attribute_diffs_show_before_and_after_with_sensitive_values_masked():
    lines = format_summary("documents", summarize(DETAILED))
    text = "\n".join(lines)
    assert "  ~ aws_docdb_cluster.main  (update in place)" in text
    assert "~ backup_retention_period = 7 -> 14" in text
    assert f"~ master_password = {SENSITIVE} -> {SENSITIVE}" in text
    assert '~ tags.team = "data" -> "platform"' in text and '+ tags.cost = "db"' in text
    assert "id =" not in text  # unchanged attributes are not listed
    assert "secret" not in text


def test_replacement_reason_and_the_attribute_that_forces_it():
    lines = format_summary("documents", summarize(DETAILED))
    assert (
        "  -/+ aws_docdb_cluster_instance.primary  (replace: an argument that cannot be updated "
        "in place changed (instance_class))" in lines
    )
    assert '        ~ instance_class = "db.r6g.large" -> "db.t4g.medium"  # forces replacement' in lines
    assert f'        ~ arn = "arn:1" -> {UNKNOWN}' in lines


def test_creates_list_their_values_and_what_is_known_only_after_apply():
    lines = format_summary("documents", summarize(DETAILED))
    assert '        + table_name = "x"' in lines
    assert "        + retention_properties[0].magnetic_store_retention_period_in_days = 30" in lines
    assert f"        + arn = {UNKNOWN}" in lines


def test_outputs_show_old_and_new_values_and_mask_sensitive_ones():
    lines = format_summary("documents", summarize(DETAILED))
    assert '    ~ output.endpoint = "a.example" -> "b.example"' in lines
    assert f"    ~ output.url = {SENSITIVE} -> {SENSITIVE}" in lines
    assert "mongodb" not in "\n".join(lines)


def test_colour_marks_actions_only_when_asked():
    plain = format_summary("documents", summarize(DETAILED))
    coloured = format_summary("documents", summarize(DETAILED), colour=True)
    assert not any("\x1b[" in line for line in plain)
    assert "  \x1b[33m  ~\x1b[0m aws_docdb_cluster.main  (update in place)" in coloured


def test_plan_json_is_typed_and_masks_sensitive_values():
    document = summarize(DETAILED).as_json()
    json_text = json.dumps(document)
    assert "secret" not in json_text and "mongodb" not in json_text
    assert document["counts"] == {"create": 1, "update": 1, "replace": 1, "delete": 0, "forget": 0}
    url = next(o for o in document["output_changes"] if o["name"] == "url")
    assert url == {"name": "url", "action": "update", "sensitive": True, "before": None,
                   "after": None, "after_unknown": False}
    endpoint = next(o for o in document["output_changes"] if o["name"] == "endpoint")
    assert (endpoint["before"], endpoint["after"]) == ("a.example", "b.example")
    instance = document["resource_changes"][1]
    assert instance["attributes"][1] == {
        "path": "instance_class", "before": '"db.r6g.large"', "after": '"db.t4g.medium"',
        "forces_replacement": True,
    }


def test_outputs_json_keeps_terraforms_shape_with_null_for_sensitive():
    raw = {"n": {"value": 5, "type": "number", "sensitive": False},
           "pw": {"value": "x", "type": "string", "sensitive": True},
           "declared": {"value": {"a": 1}, "type": ["object", {"a": "number"}]}}
    assert outputs_json(raw, {"declared"}) == {
        "declared": {"sensitive": True, "value": None, "type": ["object", {"a": "number"}]},
        "n": {"sensitive": False, "value": 5, "type": "number"},
        "pw": {"sensitive": True, "value": None, "type": "string"},
    }
    assert outputs_json(raw, (), show_sensitive=True)["pw"]["value"] == "x"


def test_a_recorded_summary_reads_back_equal_and_anything_else_is_refused():
    plan = {
        "resource_changes": [
            {"address": "aws_db.main", "action_reason": "replace_because_cannot_update",
             "change": {"actions": ["delete", "create"], "replace_paths": [["engine"]],
                        "before": {"engine": "a", "password": "x", "tags": {"t": "1"}},
                        "after": {"engine": "b", "password": "y", "tags": {"t": "2"}},
                        "after_unknown": {"arn": True},
                        "before_sensitive": {"password": True},
                        "after_sensitive": {"password": True}}},
            change("aws_eip.old", "delete"),
        ],
        "output_changes": {"endpoint": {"actions": ["update"], "before": "a", "after": "b"},
                           "token": {"actions": ["create"], "after": "abc"}},
    }
    summary = summarize(plan, {"token"})
    record = summary_record(summary)
    assert "abc" not in record and '"x"' not in record and '"y"' not in record  # masked
    assert summary_from_record(record) == summary
    assert format_summary("db", summary_from_record(record)) == format_summary("db", summary)
    for bad in ("", "[]", json.dumps({**json.loads(record), "format": 0}),
                json.dumps({**json.loads(record), "outputs": [{"name": 1}]}),
                json.dumps({**json.loads(record), "resources": {"create": "aws_vpc.main"}})):
        with pytest.raises(PlanFormatError):
            summary_from_record(bad)
