"""Tests for the provider schema diff (`python -m codegen diff`).

Small hand-written schemas pin down each classification rule; the shared provider schemas
(5.100.0, 6.0.0, 6.25.0, 6.47.0) check findings that were verified by reading the files.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.bump.changes import ADDITIVE, BREAKING, NOTABLE, diff_types
from codegen.bump.diff import (
    PROJECT_ROOT,
    build_report,
    group_targets,
    load_provider_tables,
    load_targets,
    main_diff,
)
from codegen.bump.report import render_json, render_markdown
from codegen.bump.impact import check_overrides, check_shapes
from codegen.inputs.overrides import OverrideFile, override_target

SCHEMA_DIR = Path(
    os.environ.get("PANGEA_SCHEMA_DIR", PROJECT_ROOT.parent / "shared" / "provider_schema")
)


# ---------------------------------------------------------------------------------------------
# Hand-written schemas


def _type(attributes=None, block_types=None, version=0):
    return {
        "version": version,
        "block": {"attributes": attributes or {}, "block_types": block_types or {}},
    }


def _tables(resources=None, data=None):
    return {"resource": resources or {}, "data": data or {}, "ephemeral": {}}


OLD_THING = _type(
    attributes={
        "name": {"type": "string", "required": True},
        "size": {"type": "number", "optional": True},
        "mode": {"type": "string", "optional": True},
        "tags": {"type": ["map", "string"], "optional": True},
        "token": {"type": "string", "optional": True, "description": "old text"},
        "arn": {"type": "string", "computed": True},
        "status": {"type": ["list", ["object", {"a": "string"}]], "computed": True},
        "gone": {"type": "string", "optional": True},
        "label": {"type": "string", "optional": True},
    },
    block_types={
        "settings": {
            "nesting_mode": "list",
            "max_items": 1,
            "block": {"attributes": {"flag": {"type": "bool", "optional": True}}},
        },
        "rules": {
            "nesting_mode": "set",
            "block": {"attributes": {"x": {"type": "string", "optional": True}}},
        },
        "limits": {"nesting_mode": "list", "max_items": 5, "block": {}},
        "old_block": {"nesting_mode": "single", "block": {}},
    },
)


def _new_thing():
    new = copy.deepcopy(OLD_THING)
    attrs = new["block"]["attributes"]
    blocks = new["block"]["block_types"]
    attrs["size"] = {"type": "string", "optional": True}  # type changed
    attrs["mode"] = {"type": "string", "required": True}  # optional -> required
    attrs["tags"] = {"type": ["map", "string"], "computed": True}  # input -> computed-only
    attrs["token"] = {
        "type": "string",
        "optional": True,
        "sensitive": True,
        "description": "new text",
    }
    attrs["status"] = {
        "type": ["list", ["object", {"a": "string", "b": "number"}]],
        "computed": True,
    }
    attrs["label"] = {"type": "string", "optional": True, "deprecated": True}
    del attrs["gone"]
    attrs["zone"] = {"type": "string", "required": True}  # new required
    attrs["extra"] = {"type": "string", "optional": True}  # new optional
    blocks["settings"]["block"]["attributes"]["level"] = {"type": "number", "required": True}
    blocks["rules"]["min_items"] = 1  # min raised
    blocks["limits"]["max_items"] = 2  # max lowered
    blocks["old_block"]["nesting_mode"] = "list"  # nesting changed
    blocks["fresh"] = {  # new optional block; its required attribute is not a separate change
        "nesting_mode": "list",
        "block": {"attributes": {"inner": {"type": "string", "required": True}}},
    }
    blocks["needed"] = {"nesting_mode": "list", "min_items": 1, "block": {}}
    return new


def _codes(changes):
    return {(c.dotted_path, c.code, c.severity) for c in changes}


def test_each_kind_of_change_is_classified():
    changes = diff_types("resource", {"aws_thing": OLD_THING}, {"aws_thing": _new_thing()}, None)
    assert _codes(changes) == {
        ("size", "attribute_type_changed", BREAKING),
        ("mode", "became_required", BREAKING),
        ("tags", "became_computed_only", BREAKING),
        ("token", "sensitive_changed", NOTABLE),
        ("status", "object_type_widened", ADDITIVE),
        ("label", "deprecated", NOTABLE),
        ("gone", "attribute_removed", BREAKING),
        ("zone", "required_attribute_added", BREAKING),
        ("extra", "attribute_added", ADDITIVE),
        ("settings.level", "required_attribute_added", BREAKING),
        ("rules", "min_items_raised", BREAKING),
        ("limits", "max_items_lowered", BREAKING),
        ("old_block", "nesting_changed", BREAKING),
        ("fresh", "block_added", ADDITIVE),
        ("needed", "required_block_added", BREAKING),
    }


def test_relaxations_are_notable_not_breaking():
    old = _type(
        attributes={
            "a": {"type": "string", "required": True},
            "b": {"type": "string", "optional": True},
        },
        block_types={"blk": {"nesting_mode": "list", "min_items": 1, "max_items": 1, "block": {}}},
    )
    new = _type(
        attributes={
            "a": {"type": "string", "optional": True},
            "b": {"type": "string", "optional": True, "computed": True},
        },
        block_types={"blk": {"nesting_mode": "list", "block": {}}},
        version=1,
    )
    changes = diff_types("resource", {"t": old}, {"t": new}, None)
    assert _codes(changes) == {
        ("", "schema_version_changed", NOTABLE),
        ("a", "became_optional", NOTABLE),
        ("b", "became_computed", NOTABLE),
        ("blk", "min_items_lowered", NOTABLE),
        ("blk", "max_items_raised", NOTABLE),
    }


def test_description_only_changes_are_ignored():
    old = _type(attributes={"a": {"type": "string", "optional": True, "description": "x"}})
    new = _type(
        attributes={
            "a": {
                "type": "string",
                "optional": True,
                "description": "y",
                "description_kind": "markdown",
            }
        }
    )
    assert diff_types("resource", {"t": old}, {"t": new}, None) == []


def test_input_object_gaining_a_field_is_breaking():
    old = _type(attributes={"r": {"type": ["set", ["object", {"a": "string"}]], "optional": True}})
    new = _type(
        attributes={
            "r": {"type": ["set", ["object", {"a": "string", "b": "string"}]], "optional": True}
        }
    )
    (change,) = diff_types("resource", {"t": old}, {"t": new}, None)
    assert (change.code, change.severity) == ("attribute_type_changed", BREAKING)
    assert "object attribute `b` added" in change.message


def test_nested_type_attributes_are_compared_recursively():
    def nested(mode, attrs):
        return {"nested_type": {"nesting_mode": mode, "attributes": attrs}, "optional": True}

    old = _type(attributes={"n": nested("list", {"x": {"type": "string", "optional": True}})})
    new = _type(
        attributes={
            "n": nested(
                "set",
                {
                    "x": {"type": "number", "optional": True},
                    "y": {"type": "string", "required": True},
                },
            )
        }
    )
    assert _codes(diff_types("resource", {"t": old}, {"t": new}, None)) == {
        ("n", "nesting_changed", BREAKING),
        ("n.x", "attribute_type_changed", BREAKING),
        ("n.y", "required_attribute_added", BREAKING),
    }


def test_type_to_equivalent_nested_type_is_only_a_representation_change():
    old = _type(attributes={"n": {"type": ["list", ["object", {"x": "string"}]], "optional": True}})
    new = _type(
        attributes={
            "n": {
                "nested_type": {
                    "nesting_mode": "list",
                    "attributes": {"x": {"type": "string", "optional": True}},
                },
                "optional": True,
            }
        }
    )
    assert _codes(diff_types("resource", {"t": old}, {"t": new}, None)) == {
        ("n", "representation_changed", NOTABLE)
    }


def test_type_level_changes_and_selection():
    old = {"aws_a": _type(), "aws_b": _type()}
    new = {"aws_b": _type(), "aws_c": _type()}
    assert _codes(diff_types("data", old, new, None)) == {
        ("", "type_removed", BREAKING),
        ("", "type_added", ADDITIVE),
    }
    only_c = diff_types("data", old, new, ["aws_c", "aws_missing"])
    assert [(c.type_name, c.code) for c in only_c] == [("aws_c", "type_added")]


# ---------------------------------------------------------------------------------------------
# Project impact with hand-written inputs


def test_overrides_naming_missing_or_misplaced_names_are_reported():
    old = _tables({"aws_thing": OLD_THING})
    new = _tables({"aws_thing": _new_thing()})
    overrides = {
        "aws_thing.yaml": {
            "type": "aws_thing",
            "attributes": {
                "gone": {"max_length": 5},
                "name": {},
                "tags": {"min_length": 1},
                "settings": {},
            },
            "blocks": {"settings": {"attributes": {"flag": {}, "nope": {}}}},
            "rules": [
                {"conflicts": ["name", "gone"]},
                {"requires": ["size"], "when_equals": {"ghost": 1}},
            ],
        },
        "data.aws_vanished.yaml": {"type": "aws_vanished"},
    }
    files = [
        OverrideFile(Path(name), *override_target(name), doc) for name, doc in overrides.items()
    ]
    found = {(f.location, f.key, f.severity) for f in check_overrides(files, old, new)}
    assert found == {
        ("aws_thing.yaml", "attributes.gone", BREAKING),
        ("aws_thing.yaml", "attributes.settings", BREAKING),  # a block listed as an attribute
        ("aws_thing.yaml", "attributes.tags", NOTABLE),  # became computed-only in this bump
        ("aws_thing.yaml", "blocks.settings.attributes.nope", BREAKING),
        ("aws_thing.yaml", "rules[0].conflicts", BREAKING),
        ("aws_thing.yaml", "rules[1].when_equals", BREAKING),
        ("data.aws_vanished.yaml", "", BREAKING),
    }


def test_locked_shapes_are_checked_against_the_new_schema():
    new = _tables({"aws_thing": _new_thing()})
    lock = {
        "resource.aws_thing.settings": "single",  # still max_items 1: fine
        "resource.aws_thing.limits": "single",  # now max 2: the single shape no longer fits
        "resource.aws_thing.rules": "list",  # still unlimited: fine
        "resource.aws_thing.old_block": "list",  # was single, now list without limit: fine
        "resource.aws_thing.missing": "list",
        "data.aws_other.blk": "single",
    }
    found = {(f.location, f.severity) for f in check_shapes(lock, new)}
    assert found == {
        ("resource.aws_thing.limits", BREAKING),
        ("resource.aws_thing.missing", NOTABLE),
        ("data.aws_other.blk", NOTABLE),
    }
    new["resource"]["aws_thing"]["block"]["block_types"]["rules"]["max_items"] = 1
    (finding,) = check_shapes({"resource.aws_thing.rules": "list"}, new)
    assert finding.severity == NOTABLE and "max_items is now 1" in finding.message


def test_public_names_and_candidates_in_the_report():
    old = _tables({"aws_svc_thing": OLD_THING, "aws_svc_old": _type()})
    new = _tables({"aws_svc_thing": _new_thing(), "aws_svc_new": _type(), "aws_other_x": _type()})
    report = build_report(
        old,
        new,
        old_label="old.json",
        new_label="new.json",
        targets={"resource": ["aws_svc_thing", "aws_svc_old"], "data": ["aws_svc_nowhere"]},
        group="g",
    )
    assert report.has_breaking
    names = {r["path"] or r["type"]: r["removed_names"] for r in report.public_names}
    assert names == {
        "aws_svc_old": ["aws_svc_old", "AwsSvcOldArgs", "AwsSvcOldRef"],
        "gone": ["AwsSvcThingArgs.gone", "AwsSvcThingRef.gone"],
    }
    assert report.candidates == [{"kind": "resource", "type": "aws_svc_new", "prefix": "aws_svc_"}]
    assert report.missing_targets == {"data": ["aws_svc_nowhere"]}
    doc = json.loads(render_json(report))
    assert doc["summary"]["breaking"] == 11 and doc["summary"]["has_breaking"] is True
    markdown = render_markdown(report)
    assert "`AwsSvcThingArgs.gone`" in markdown and "`aws_svc_new`" in markdown


# ---------------------------------------------------------------------------------------------
# Command line


def _write_schema(path: Path, resources: dict) -> Path:
    doc = {
        "format_version": "1.0",
        "provider_schemas": {
            "registry.terraform.io/hashicorp/aws": {"resource_schemas": resources}
        },
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _cli_inputs(tmp_path: Path):
    old = _write_schema(tmp_path / "old.json", {"aws_thing": OLD_THING})
    new = _write_schema(tmp_path / "new.json", {"aws_thing": _new_thing()})
    same = _write_schema(tmp_path / "same.json", {"aws_thing": OLD_THING})
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    lock = tmp_path / "lock.json"
    lock.write_text(json.dumps({"format": 1, "blocks": {"resource.aws_thing.settings": "single"}}))
    common = ["--all", "--overrides", str(overrides), "--lock", str(lock)]
    return old, new, same, common


def test_exit_status_and_formats(tmp_path, capsys):
    old, new, same, common = _cli_inputs(tmp_path)
    assert main_diff([str(old), str(same), *common]) == 0
    assert "## Breaking changes (0)" in capsys.readouterr().out
    assert main_diff([str(old), str(new), *common, "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["breaking"] == 10
    assert {c["code"] for c in doc["changes"] if c["path"] == "gone"} == {"attribute_removed"}


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "not found"),
        ("{not json", "not valid JSON (line 1"),
        ('{"format_version": "1.0"}', "no 'provider_schemas' object"),
        (
            '{"provider_schemas": {"registry.terraform.io/x/y": {}}}',
            "provider 'registry.terraform.io/hashicorp/aws' not in the document",
        ),
    ],
)
def test_bad_schema_input_is_a_clear_error(tmp_path, capsys, content, expected):
    old, _new, _same, common = _cli_inputs(tmp_path)
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content)
    assert main_diff([str(old), str(bad), *common]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}: ") and expected in err and "Traceback" not in err


def test_bad_lock_and_usage_errors(tmp_path, capsys):
    old, new, _same, common = _cli_inputs(tmp_path)
    lock = tmp_path / "bad-lock.json"
    lock.write_text(json.dumps({"format": 1, "blocks": {"resource.aws_thing.settings": "one"}}))
    assert main_diff([str(old), str(new), "--all", "--lock", str(lock)]) == 2
    assert "expected 'single' or 'list'" in capsys.readouterr().err
    assert main_diff([str(old)]) == 2
    assert "expected OLD.json NEW.json" in capsys.readouterr().err
    assert main_diff([str(old), str(new), "--format", "html"]) == 2
    assert main_diff([str(old), str(new), "--group", "nonexistent"]) == 2
    assert "no target group 'nonexistent'" in capsys.readouterr().err


def test_output_is_identical_across_hash_seeds(tmp_path):
    old, new, _same, common = _cli_inputs(tmp_path)
    code = (
        "import sys; from codegen.bump.diff import main_diff; sys.exit(main_diff(sys.argv[1:]))"
    )
    outputs = set()
    for seed in ("0", "1", "12345"):
        for fmt in ("markdown", "json"):
            env = dict(os.environ, PYTHONHASHSEED=seed)
            result = subprocess.run(
                [sys.executable, "-c", code, str(old), str(new), *common, "--format", fmt],
                capture_output=True,
                text=True,
                env=env,
                cwd=PROJECT_ROOT,
            )
            assert result.returncode == 1, result.stderr
            outputs.add((fmt, result.stdout))
    assert len(outputs) == 2


# ---------------------------------------------------------------------------------------------
# The shared provider schemas


@functools.lru_cache(maxsize=None)
def _real(version: str):
    path = SCHEMA_DIR / f"aws-{version}.json"
    if not path.is_file():
        pytest.skip(f"shared provider schema {path} not available")
    return load_provider_tables(path)


@functools.lru_cache(maxsize=None)
def _real_report(old: str, new: str, group: bool):
    targets = None
    if group:
        path = PROJECT_ROOT / "provider_schema" / "targets.yaml"
        targets = group_targets(load_targets(path), "databases")
    return build_report(
        _real(old),
        _real(new),
        old_label=old,
        new_label=new,
        targets=targets,
        group="databases" if group else None,
    )


def _find(report, kind, type_name, path=""):
    return {
        c.code
        for c in report.changes
        if (c.kind, c.type_name, c.dotted_path) == (kind, type_name, path)
    }


def test_major_bump_5_100_to_6_0_all_types():
    report = _real_report("5.100.0", "6.0.0", False)
    removed = sorted(
        c.type_name for c in report.changes if c.code == "type_removed" and c.kind == "resource"
    )
    assert len(removed) == 20
    assert "aws_simpledb_domain" in removed and "aws_worklink_fleet" in removed
    assert sum(1 for name in removed if name.startswith("aws_opsworks_")) == 17
    assert _find(report, "data", "aws_redshift_service_account") == {"type_removed"}
    assert _find(report, "resource", "aws_instance", "cpu_core_count") == {"attribute_removed"}
    assert _find(report, "resource", "aws_cur_report_definition", "s3_prefix") == {
        "became_required"
    }
    assert _find(report, "resource", "aws_redshift_cluster", "encrypted") == {
        "attribute_type_changed"
    }
    assert _find(report, "resource", "aws_cloudfront_response_headers_policy", "etag") == {
        "became_computed_only"
    }
    assert _find(
        report, "resource", "aws_macie2_classification_export_configuration", "s3_destination"
    ) == {"min_items_raised"}
    assert _find(
        report, "resource", "aws_bedrock_model_invocation_logging_configuration", "logging_config"
    ) == {"nesting_changed"}
    assert _find(report, "resource", "aws_auditmanager_assessment", "roles") == {
        "attribute_became_block"
    }
    assert _find(report, "resource", "aws_ssmincidents_replication_set", "region") == {
        "min_items_lowered",
        "deprecated",
    }
    assert _find(report, "resource", "aws_docdb_cluster", "region") == {"attribute_added"}
    assert _find(report, "resource", "aws_evidently_project") == {"deprecated"}
    names = {tuple(r["removed_names"]) for r in report.public_names}
    assert ("AwsInstanceArgs.cpu_core_count", "AwsInstanceRef.cpu_core_count") in names
    assert ("aws_simpledb_domain", "AwsSimpledbDomainArgs", "AwsSimpledbDomainRef") in names
    assert report.has_breaking


def test_major_bump_5_100_to_6_0_for_the_databases_group():
    report = _real_report("5.100.0", "6.0.0", True)
    # Verified in the files: the group's types only gained the new `region` argument.
    assert {(c.path, c.code) for c in report.changes} == {(("region",), "attribute_added")}
    # 38 of the group's resources, its 2 supporting AWS Backup resources, 15 data sources.
    assert len(report.changes) == 38 + 2 + 15
    assert report.missing_targets == {
        "resource": [
            "aws_ram_permission",
            "aws_ram_resource_share_associations_exclusive",
            "aws_timestreaminfluxdb_db_cluster",
        ]
    }
    assert not report.has_breaking


def test_minor_bump_6_0_to_6_25():
    group = _real_report("6.0.0", "6.25.0", True)
    assert {(c.type_name, c.dotted_path, c.code) for c in group.changes} == {
        ("aws_timestreaminfluxdb_db_cluster", "", "type_added"),
        ("aws_docdb_cluster", "network_type", "attribute_added"),
        ("aws_docdb_cluster", "serverless_v2_scaling_configuration", "block_added"),
        ("aws_docdb_subnet_group", "supported_network_types", "attribute_added"),
        # supporting resources of the group (AWS Backup, used by aws_docdb_cluster_backup)
        ("aws_backup_plan", "scan_setting", "block_added"),
        ("aws_backup_plan", "rule.scan_action", "block_added"),
        ("aws_backup_plan", "rule.target_logically_air_gapped_backup_vault_arn", "attribute_added"),
    }
    everything = _real_report("6.0.0", "6.25.0", False)
    assert _find(everything, "resource", "aws_ssoadmin_account_assignment", "target_type") == {
        "became_required"
    }
    assert _find(
        everything, "resource", "aws_guardduty_detector_feature", "additional_configuration"
    ) == {"nesting_changed"}
    assert _find(
        everything, "resource", "aws_spot_instance_request", "network_interface.network_card_index"
    ) == {"became_computed_only"}
    assert _find(everything, "data", "aws_opensearch_domain", "off_peak_window_options") == {
        "block_became_attribute"
    }
    assert _find(everything, "resource", "aws_fsx_openzfs_volume", "user_and_group_quotas") == {
        "max_items_raised"
    }
    assert _find(
        everything,
        "resource",
        "aws_cognito_risk_configuration",
        "account_takeover_risk_configuration.notify_configuration",
    ) == {"min_items_lowered"}
    assert not any(c.code == "type_removed" for c in everything.changes)


def test_minor_bump_6_25_to_6_47():
    group = _real_report("6.25.0", "6.47.0", True)
    assert not group.has_breaking
    added_types = sorted(c.type_name for c in group.changes if c.code == "type_added")
    assert added_types == ["aws_ram_permission", "aws_ram_resource_share_associations_exclusive"]
    assert _find(group, "resource", "aws_ram_resource_share", "resource_share_configuration") == {
        "block_added"
    }
    assert _find(group, "data", "aws_memorydb_cluster", "ip_discovery") == {"attribute_added"}
    everything = _real_report("6.25.0", "6.47.0", False)
    assert _find(
        everything, "resource", "aws_lakeformation_opt_in", "resource_data.lf_tag.value"
    ) == {"attribute_removed"}
    assert _find(
        everything, "resource", "aws_lakeformation_opt_in", "resource_data.lf_tag.values"
    ) == {"required_attribute_added"}
    assert _find(
        everything, "resource", "aws_networkmanager_connect_peer", "bgp_options.peer_asn"
    ) == {
        "attribute_type_changed",  # number -> string
        "became_computed",  # optional -> optional+computed
    }
    assert _find(everything, "resource", "aws_ce_cost_category", "split_charge_rule.targets") == {
        "attribute_type_changed"
    }
    assert _find(
        everything,
        "resource",
        "aws_bedrock_model_invocation_logging_configuration",
        "logging_config.s3_config.bucket_name",
    ) == {"became_required"}


def test_group_candidates_on_real_schemas():
    # With a group that lacks the two RAM types new in 6.47.0, they are proposed.
    targets = {"resource": ["aws_ram_resource_share"], "data": []}
    report = build_report(
        _real("6.25.0"), _real("6.47.0"), old_label="a", new_label="b", targets=targets, group="g"
    )
    assert [c["type"] for c in report.candidates] == [
        "aws_ram_permission",
        "aws_ram_resource_share_associations_exclusive",
    ]


def test_lock_written_for_the_old_schema_on_real_bumps():
    """A lock recording every list/set block of the group as the generator would."""
    old, new = _real("6.0.0"), _real("6.25.0")
    lock = {}
    for kind in ("resource", "data"):
        for type_name, schema in old[kind].items():
            if not type_name.startswith(("aws_docdb_", "aws_opensearch_domain")):
                continue
            for path, block_type in _blocks(schema["block"]):
                if block_type["nesting_mode"] in ("list", "set"):
                    lock[".".join((kind, type_name, *path))] = (
                        "single" if block_type.get("max_items") == 1 else "list"
                    )
    findings = check_shapes(lock, new)
    # off_peak_window_options (list, max_items 1) of the data source became an attribute in
    # 6.25.0; every docdb block keeps its shape.
    assert len(lock) > 5
    assert [(f.location, f.severity) for f in findings] == [
        ("data.aws_opensearch_domain.off_peak_window_options", NOTABLE),
    ]


def _blocks(block, path=()):
    for name, block_type in sorted(block.get("block_types", {}).items()):
        yield path + (name,), block_type
        yield from _blocks(block_type["block"], path + (name,))


def test_pinned_mode_checks_the_sha(tmp_path, capsys):
    _real("6.47.0")
    new = SCHEMA_DIR / "aws-6.47.0.json"
    args = ["--pinned", "--schema-dir", str(SCHEMA_DIR), str(new), "--format", "json"]
    assert (
        main_diff(args + ["--overrides", str(tmp_path), "--lock", str(_empty_lock(tmp_path))]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["changes"] == [] and doc["old"] == doc["new"] == "aws-6.47.0.json (v6.47.0)"
    fake_dir = tmp_path / "schemas"
    fake_dir.mkdir()
    _write_schema(fake_dir / "aws-6.47.0.json", {})
    assert main_diff(["--pinned", "--schema-dir", str(fake_dir), str(new)]) == 2
    assert "does not match the pin" in capsys.readouterr().err


def _empty_lock(tmp_path: Path) -> Path:
    path = tmp_path / "empty-lock.json"
    path.write_text('{"format": 1, "blocks": {}}')
    return path


def test_opentofu_provider_address_is_accepted(tmp_path):
    doc = {
        "provider_schemas": {
            "registry.opentofu.org/hashicorp/aws": {"resource_schemas": {"aws_thing": OLD_THING}}
        }
    }
    path = tmp_path / "tofu.json"
    path.write_text(json.dumps(doc))
    assert sorted(load_provider_tables(path)["resource"]) == ["aws_thing"]
