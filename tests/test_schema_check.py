"""Tests for `pangea.schema_check`: every rule on a hand-written schema, then the real 6.47.0 one."""

from __future__ import annotations

import copy
import functools
import json
import os
import time
from pathlib import Path

import pytest

from pangea.schema_check import Problem, check_config, lookup_from_provider_schema

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = Path(
    os.environ.get("PANGEA_SCHEMA_DIR", PROJECT_ROOT.parent / "shared" / "provider_schema")
)

WIDGET = {
    "attributes": {
        "name": {"type": "string", "required": True},
        "size": {"type": "number", "optional": True},
        "enabled": {"type": "bool", "optional": True},
        "arn": {"type": "string", "computed": True},
        "id": {"type": "string", "optional": True, "computed": True},
        "tags": {"type": ["map", "string"], "optional": True},
        "zones": {"type": ["set", "string"], "optional": True},
        "ports": {"type": ["list", "number"], "optional": True},
        "pair": {"type": ["tuple", ["string", "number"]], "optional": True},
        "policy": {"type": "dynamic", "optional": True},
        "target": {"type": ["object", {"host": "string", "port": "number"}], "optional": True},
        "loose": {"type": ["object", {"a": "string", "b": "string"}, ["b"]], "optional": True},
        "rules": {
            "nested_type": {
                "nesting_mode": "list",
                "max_items": 2,
                "attributes": {
                    "action": {"type": "string", "required": True},
                    "hits": {"type": "number", "computed": True},
                },
            },
            "optional": True,
        },
        "owner": {
            "nested_type": {
                "nesting_mode": "single",
                "attributes": {"email": {"type": "string", "required": True}},
            },
            "optional": True,
        },
        "labels": {
            "nested_type": {
                "nesting_mode": "map",
                "attributes": {"text": {"type": "string", "optional": True}},
            },
            "optional": True,
        },
    },
    "block_types": {
        "retention": {
            "nesting_mode": "list",
            "min_items": 1,
            "max_items": 1,
            "block": {
                "attributes": {
                    "days": {"type": "number", "required": True},
                    "hours": {"type": "number", "optional": True},
                },
                "block_types": {
                    "archive": {
                        "nesting_mode": "set",
                        "max_items": 2,
                        "block": {"attributes": {"bucket": {"type": "string", "required": True}}},
                    }
                },
            },
        },
        "timeouts": {
            "nesting_mode": "single",
            "block": {"attributes": {"create": {"type": "string", "optional": True}}},
        },
        "listener": {
            "nesting_mode": "map",
            "block": {"attributes": {"port": {"type": "number", "required": True}}},
        },
        "extra": {
            "nesting_mode": "list",
            "block": {"attributes": {"k": {"type": "string", "optional": True}}},
        },
    },
}
LOOKUP_DATA = {
    "attributes": {
        "name": {"type": "string", "required": True},
        "value": {"type": "string", "computed": True},
    }
}


class SmallLookup:
    tables = {"resource": {"aws_widget": WIDGET}, "data": {"aws_lookup": LOOKUP_DATA}}

    def __call__(self, kind, type_name):
        return self.tables[kind].get(type_name)

    def type_names(self, kind):
        return sorted(self.tables[kind])


def _valid_widget():
    return {
        "name": "w",
        "size": 3,
        "enabled": True,
        "id": "given",
        "tags": {"team": "db"},
        "zones": ["a", "b"],
        "ports": [80, "443", "${var.port}"],
        "pair": ["x", 1],
        "policy": {"anything": [1, {"goes": True}]},
        "target": {"host": "h", "port": 5},
        "loose": {"a": "x"},
        "rules": [{"action": "allow"}, {"action": "deny"}],
        "owner": {"email": "a@b"},
        "labels": {"one": {"text": "t"}},
        "retention": [{"days": 7, "archive": [{"bucket": "b1"}, {"bucket": "b2"}]}],
        "timeouts": {"create": "10m"},
        "listener": {"http": {"port": 80}},
        "extra": {"k": "single object form"},
        "count": 2,
        "depends_on": ["aws_widget.other"],
        "lifecycle": {"prevent_destroy": True},
        "//": "a comment",
    }


def _check(resource_body=None, data_body=None, **extra):
    config: dict = {
        "terraform": {},
        "provider": {"aws": {}},
        "output": {"x": {"value": "${aws_widget.w.arn}"}},
    }
    if resource_body is not None:
        config["resource"] = {"aws_widget": {"main": resource_body}}
    if data_body is not None:
        config["data"] = {"aws_lookup": {"q": data_body}}
    config.update(extra)
    return check_config(config, SmallLookup())


def _pairs(problems):
    return [(p.address, p.path) for p in problems]


def test_valid_config_has_no_problems():
    assert (
        _check(_valid_widget(), {"name": "n", "for_each": {"a": "b"}, "provider": "aws.west"}) == []
    )


def test_problem_string_form():
    assert (
        str(Problem("aws_docdb_cluster.main", "a[0].b", "bad"))
        == "aws_docdb_cluster.main: a[0].b: bad"
    )
    assert str(Problem("data.aws_x.y", "", "unknown")) == "data.aws_x.y: unknown"


def test_unknown_types_with_suggestions_and_skipped_types():
    config = {
        "resource": {
            "aws_widgt": {"a": {}},
            "random_id": {"r": {"byte_length": 4}},
            "terraform_data": {"t": {"input": 1}},
        },
        "data": {"aws_lookupp": {"q": {}}, "terraform_remote_state": {"s": {"backend": "s3"}}},
    }
    problems = check_config(config, SmallLookup())
    assert [str(p) for p in problems] == [
        "aws_widgt.a: unknown resource type 'aws_widgt'; did you mean 'aws_widget'?",
        "data.aws_lookupp.q: unknown data source 'aws_lookupp'; did you mean 'aws_lookup'?",
    ]


def test_unknown_attribute_and_block_names_with_suggestions():
    body = _valid_widget()
    body["nmae"] = "x"
    body["retention"][0]["dayz"] = 1
    body["provisioner"] = {"local-exec": {"command": "true"}}  # allowed on resources
    problems = _check(body, {"name": "n", "provisioner": {}})
    assert [str(p) for p in problems] == [
        "aws_widget.main: nmae: unknown attribute or block 'nmae'; did you mean 'name'?",
        "aws_widget.main: retention[0].dayz: unknown attribute or block 'dayz'; did you mean 'days'?",
        "data.aws_lookup.q: provisioner: unknown attribute or block 'provisioner'",
    ]


def test_computed_only_and_missing_required_are_reported_everywhere():
    body = _valid_widget()
    body["arn"] = "arn:aws:x"
    del body["name"]
    body["rules"] = [{"action": None, "hits": 3}]
    body["owner"] = {}
    body["retention"] = {"hours": 1, "archive": {}}
    problems = _check(body, {"value": "v"})
    assert _pairs(problems) == [
        ("aws_widget.main", "arn"),
        ("aws_widget.main", "name"),
        ("aws_widget.main", "owner.email"),
        ("aws_widget.main", "retention[0].archive[0].bucket"),
        ("aws_widget.main", "retention[0].days"),
        ("aws_widget.main", "rules[0].action"),
        ("aws_widget.main", "rules[0].hits"),
        ("data.aws_lookup.q", "name"),
        ("data.aws_lookup.q", "value"),
    ]
    messages = {p.path: p.message for p in problems}
    assert "computed-only" in messages["arn"] and "computed-only" in messages["rules[0].hits"]
    assert messages["retention[0].days"] == "missing required attribute"


def test_block_counts_and_required_blocks():
    body = _valid_widget()
    del body["retention"]
    assert [str(p) for p in _check(body)] == [
        "aws_widget.main: retention: missing required block (at least 1)"
    ]
    body["retention"] = [{"days": 1}, {"days": 2}]
    body["rules"] = [{"action": "a"}] * 3
    assert [(p.path, p.message) for p in _check(body)] == [
        ("retention", "allows at most 1 item(s), got 2"),
        ("rules", "allows at most 2 item(s), got 3"),
    ]
    body["retention"] = []
    assert [(p.path, p.message) for p in _check(body)][0] == (
        "retention",
        "needs at least 1 item(s), got 0",
    )


def test_block_shapes():
    body = _valid_widget()
    body["timeouts"] = "10m"
    body["listener"] = [{"port": 1}]
    body["extra"] = ["not a block"]
    body["retention"] = [{"days": 1, "archive": "b"}]
    assert [str(p) for p in _check(body)] == [
        "aws_widget.main: extra[0]: expected a block object, got string 'not a block'",
        "aws_widget.main: listener: expected an object of label -> block, got an array of 1",
        "aws_widget.main: retention[0].archive: expected a block object or an array of block objects, got string 'b'",
        "aws_widget.main: timeouts: expected one block (a JSON object), got string '10m'",
    ]
    body = _valid_widget()
    body["timeouts"] = [{"create": "1m"}]  # Terraform JSON accepts a one-element array
    body["listener"] = {"http": {"port": "${var.p}"}, "https": {}}
    assert [str(p) for p in _check(body)] == [
        'aws_widget.main: listener["https"].port: missing required attribute'
    ]


def test_dynamic_blocks_are_checked_by_content():
    body = _valid_widget()
    del body["retention"]
    body["dynamic"] = {
        "retention": {
            "for_each": "${var.r}",
            "content": {"days": "${retention.value}", "hourz": 1},
        },
        "nope": {"for_each": [], "content": {}},
    }
    assert _pairs(_check(body)) == [
        ("aws_widget.main", "dynamic.nope"),
        ("aws_widget.main", "dynamic.retention.content.hourz"),
    ]


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", 5),  # number -> string: Terraform converts
        ("name", True),  # bool -> string: Terraform converts
        ("size", "5"),  # numeric string -> number
        ("size", "-1.5e3"),
        ("enabled", "true"),  # "true"/"false" -> bool
        ("size", "${var.size}"),
        ("tags", "${var.tags}"),  # an expression fits any type
        ("target", {"host": "h", "port": None}),  # null is "unset"
        ("zones", None),
    ],
)
def test_values_terraform_converts_are_accepted(field, value):
    body = _valid_widget()
    body[field] = value
    assert _check(body) == []


@pytest.mark.parametrize(
    "field, value, path, message",
    [
        ("name", {"a": 1}, "name", "expected a string, got an object"),
        ("name", ["a"], "name", "expected a string, got an array of 1"),
        ("size", "five", "size", "expected a number, got string 'five'"),
        ("size", True, "size", "expected a number, got bool true"),
        ("enabled", 1, "enabled", "expected true or false, got number 1"),
        ("enabled", "yes", "enabled", "expected true or false, got string 'yes'"),
        ("tags", ["a"], "tags", "expected a map (JSON object), got an array of 1"),
        ("tags", {"team": {"x": 1}}, 'tags["team"]', "expected a string, got an object"),
        ("zones", "a", "zones", "expected a set (JSON array), got string 'a'"),
        ("ports", [80, "http"], "ports[1]", "expected a number, got string 'http'"),
        ("pair", ["x"], "pair", "expected a tuple of 2 element(s), got an array of 1"),
        ("pair", ["x", "y"], "pair[1]", "expected a number, got string 'y'"),
        (
            "target",
            {"host": "h"},
            "target.port",
            "missing object attribute (use null to leave it unset)",
        ),
        (
            "target",
            {"host": "h", "port": 1, "hots": 2},
            "target.hots",
            "unknown object attribute 'hots'",
        ),
        ("loose", {"b": "x"}, "loose.a", "missing object attribute (use null to leave it unset)"),
        ("rules", {"action": "a"}, "rules", "expected an array of objects, got an object"),
        ("owner", "x", "owner", "expected an object, got string 'x'"),
        ("labels", {"one": "t"}, 'labels["one"]', "expected an object, got string 't'"),
    ],
)
def test_values_of_the_wrong_type_are_reported(field, value, path, message):
    body = _valid_widget()
    body[field] = value
    problems = _check(body)
    assert [(p.address, p.path) for p in problems] == [("aws_widget.main", path)]
    assert problems[0].message.startswith(message)


def test_every_problem_is_reported_not_only_the_first():
    bodies = {f"w{i}": {"size": "x"} for i in range(3)}
    problems = check_config({"resource": {"aws_widget": bodies}}, SmallLookup())
    assert len(problems) == 9  # per resource: name, retention, size
    assert {p.address for p in problems} == {"aws_widget.w0", "aws_widget.w1", "aws_widget.w2"}


def test_meta_arguments_and_malformed_sections():
    body = _valid_widget()
    body["count"] = "two"
    body["depends_on"] = "aws_widget.x"
    problems = _check(body, {"name": "n", "count": 1.5})
    assert _pairs(problems) == [
        ("aws_widget.main", "count"),
        ("aws_widget.main", "depends_on"),
        ("data.aws_lookup.q", "count"),
    ]
    assert [str(p) for p in check_config({"resource": []}, SmallLookup())] == [
        "resource: expected an object of type -> name -> body, got an array of 0"
    ]
    assert [
        str(p)
        for p in check_config(
            {"resource": {"aws_widget": {"1bad": _valid_widget(), "x": 3}}}, SmallLookup()
        )
    ] == [
        "aws_widget.1bad: invalid name: use letters, digits, underscores and hyphens, starting with a letter or underscore",
        "aws_widget.x: expected an object body, got number 3",
    ]


def test_names_follow_terraform_identifiers_as_declarations_do():
    # HCL identifiers allow Unicode letters (pangea.names, which every declaration uses): a
    # name Terraform accepts is not refused here either
    config = {"resource": {"aws_widget": {"café": _valid_widget(), "név-2": _valid_widget(),
                                          "a b": _valid_widget(), "-x": _valid_widget()}}}
    assert [str(p) for p in check_config(config, SmallLookup())] == [
        f"aws_widget.{name}: invalid name: use letters, digits, underscores and hyphens, "
        "starting with a letter or underscore" for name in ("-x", "a b")]


def test_plain_function_lookup_without_type_names():
    def lookup(kind, type_name):
        return WIDGET if (kind, type_name) == ("resource", "aws_widget") else None

    problems = check_config(
        {"resource": {"aws_wid": {"a": {}}, "aws_widget": {"b": _valid_widget()}}}, lookup
    )
    assert [str(p) for p in problems] == ["aws_wid.a: unknown resource type 'aws_wid'"]


# ---------------------------------------------------------------------------------------------
# The real provider schema (6.47.0, the pinned version)


@functools.lru_cache(maxsize=None)
def _real_lookup():
    from codegen.inputs.targets import read_schema_bytes

    path = SCHEMA_DIR / "aws-6.47.0.json"
    if not path.is_file():  # the committed, compressed copy
        path = PROJECT_ROOT / "provider_schema" / "aws-6.47.0.json"
    return lookup_from_provider_schema(json.loads(read_schema_bytes(path)))


def test_real_docdb_cluster_and_timestream_table():
    config = {
        "resource": {
            "aws_docdb_cluster": {
                "main": {
                    "cluster_identifier": "app-docs",
                    "engine": "docdb",
                    "master_username": "admin",
                    "master_password": "${var.password}",
                    "backup_retention_period": "7",
                    "storage_encrypted": True,
                    "vpc_security_group_ids": ["sg-1"],
                    "restore_to_point_in_time": [{"restore_type": "copy-on-write"}],
                    "endpoint": "x",
                    "tags": {"team": "db"},
                }
            },
            "aws_timestreamwrite_table": {
                "metrics": {
                    "database_name": "${aws_timestreamwrite_database.db.database_name}",
                    "table_name": "metrics",
                    "retention_properties": {"memory_store_retention_period_in_hours": 24},
                }
            },
        },
        "data": {"aws_docdb_engine_version": {"v": {"version": "5.0.0"}}},
    }
    problems = check_config(config, _real_lookup())
    assert [str(p) for p in problems] == [
        "aws_docdb_cluster.main: endpoint: computed-only attribute: set by the provider, cannot be given as input",
        "aws_docdb_cluster.main: restore_to_point_in_time[0].source_cluster_identifier: missing required attribute",
        "aws_timestreamwrite_table.metrics: retention_properties[0].magnetic_store_retention_period_in_days: missing required attribute",
    ]


def test_real_schema_suggestions_and_limits():
    config = {
        "resource": {
            "aws_docdb_clustr": {"x": {}},
            "aws_docdb_cluster": {
                "y": {
                    "enginee": "docdb",
                    "serverless_v2_scaling_configuration": [
                        {"min_capacity": 0.5, "max_capacity": 8},
                        {"min_capacity": 1, "max_capacity": 2},
                    ],
                }
            },
        }
    }
    assert [str(p) for p in check_config(config, _real_lookup())] == [
        "aws_docdb_cluster.y: enginee: unknown attribute or block 'enginee'; did you mean 'engine'?",
        "aws_docdb_cluster.y: serverless_v2_scaling_configuration: allows at most 1 item(s), got 2",
        "aws_docdb_clustr.x: unknown resource type 'aws_docdb_clustr'; did you mean "
        "'aws_docdb_cluster' or 'aws_docdbelastic_cluster' or 'aws_docdb_global_cluster'?",
    ]


def test_a_thousand_resources_are_checked_quickly():
    lookup = _real_lookup()
    body = {
        "database_name": "db",
        "table_name": "t",
        "retention_properties": [
            {
                "magnetic_store_retention_period_in_days": 30,
                "memory_store_retention_period_in_hours": 24,
            }
        ],
        "magnetic_store_write_properties": [{"enable_magnetic_store_writes": True}],
        "tags": {"a": "b"},
    }
    config = {
        "resource": {
            "aws_timestreamwrite_table": {f"t{i}": copy.deepcopy(body) for i in range(1000)}
        }
    }
    config["resource"]["aws_timestreamwrite_table"]["t500"]["table_name"] = {"bad": 1}
    start = time.perf_counter()
    problems = check_config(config, lookup)
    elapsed = time.perf_counter() - start
    assert [str(p) for p in problems] == [
        "aws_timestreamwrite_table.t500: table_name: expected a string, got an object"
    ]
    assert elapsed < 1.0, f"checking 1,000 resources took {elapsed:.2f}s"


def test_default_lookup_uses_the_registered_packages_schema_modules(monkeypatch):
    """Types of every registered provider are checked through its package's ``_schema``;
    types of providers no package is registered for are left alone."""
    import sys
    import types

    from pangea import providers

    package = types.ModuleType("pangea_widgetco")
    module = types.ModuleType("pangea_widgetco._schema")
    lookup = SmallLookup()
    module.block_schema = lambda kind, name: lookup(kind, name.replace("widgetco_", "aws_"))  # type: ignore[attr-defined]
    module.type_names = lambda kind: [n.replace("aws_", "widgetco_") for n in lookup.type_names(kind)]  # type: ignore[attr-defined]
    package._schema = module  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pangea_widgetco", package)
    monkeypatch.setitem(sys.modules, "pangea_widgetco._schema", module)
    providers.register(providers.Provider("widgetco", "example/widgetco", "1.0.0",
                                          "pangea_widgetco", "widgetco_"))
    try:
        config = {"resource": {"widgetco_widgets": {"a": {}}, "widgetco_widget": {"b": _valid_widget()},
                               "nobody_widget": {"c": {}}}}
        assert [str(p) for p in check_config(config)] == [
            "widgetco_widgets.a: unknown resource type 'widgetco_widgets'; did you mean 'widgetco_widget'?"
        ]
    finally:
        providers.unregister("widgetco")


def test_an_opentofu_schema_document_is_read_under_its_own_registry_key():
    """`tofu providers schema -json` keys the provider registry.opentofu.org/hashicorp/aws."""
    block = {"attributes": {"name": {"type": "string", "required": True}}}
    doc = {"format_version": "1.0", "provider_schemas": {"registry.opentofu.org/hashicorp/aws": {
        "resource_schemas": {"aws_thing": {"version": 0, "block": block}},
        "data_source_schemas": {}}}}
    lookup = lookup_from_provider_schema(doc)
    config = {"resource": {"aws_thing": {"a": {"nme": "x"}}}}
    assert [str(p) for p in check_config(config, lookup)] == [
        "aws_thing.a: name: missing required attribute",
        "aws_thing.a: nme: unknown attribute or block 'nme'; did you mean 'name'?",
    ]


def test_a_document_without_the_provider_names_what_it_has():
    doc = {"provider_schemas": {"registry.opentofu.org/hashicorp/google": {}}}
    with pytest.raises(ValueError, match="registry.opentofu.org/hashicorp/google"):
        lookup_from_provider_schema(doc)


def test_checks_with_one_document_lookup_share_its_typed_blocks_and_judge_alike():
    """A lookup over a document parses a type's block once for every check that uses it (the
    stress check runs one check a type), and a check through it reports what a check through a
    plain lookup of the same raw blocks reports."""
    doc = {"provider_schemas": {"registry.terraform.io/hashicorp/aws": {
        "resource_schemas": {"aws_widget": {"version": 0, "block": WIDGET}},
        "data_source_schemas": {"aws_lookup": {"version": 0, "block": LOOKUP_DATA}}}}}
    lookup = lookup_from_provider_schema(doc)
    assert lookup.block("resource", "aws_widget") is lookup.block("resource", "aws_widget")
    assert lookup.block("resource", "aws_lookup") is None  # a data source, not a resource
    assert lookup.prefixes() == {"aws"}
    bad = {"resource": {"aws_widget": {"a": {"nme": "x"}}, "aws_widgit": {"b": {}},
                        "google_thing": {"c": {}}},
           "data": {"aws_lookup": {"d": {}}}}
    found = [str(p) for p in check_config(bad, lookup)]
    assert found == [str(p) for p in check_config(bad, SmallLookup())]
    assert "aws_widgit.b: unknown resource type 'aws_widgit'; did you mean 'aws_widget'?" in found
    assert not [line for line in found if "google_thing" in line]  # another provider's type
    assert check_config(bad, lookup) == check_config(bad, lookup)
