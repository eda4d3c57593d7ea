"""Plan summaries are built from `terraform show -json` documents."""

import pytest

from pangea.cli.plan_summary import (
    SENSITIVE,
    UNKNOWN,
    PlanFormatError,
    format_summary,
    mask_outputs,
    summarize,
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
    assert "    + aws_vpc.main" in lines and "  -/+ aws_instance.web" in lines
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
