"""Render a `DiffReport` as Markdown (for people) or JSON (for tools).

Both renderings are deterministic: every list is sorted before it gets here, dictionaries are
written with sorted keys, and nothing depends on hash order, time or absolute paths.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from codegen.bump.changes import ADDITIVE, BREAKING, NOTABLE, SEVERITY_ORDER, Change

if TYPE_CHECKING:
    from codegen.bump.diff import DiffReport

JSON_FORMAT = 1

# In Markdown, one identical change in at least this many types (e.g. 6.0's new `region`
# argument) is printed once with a count instead of once per type; JSON keeps every entry.
_COLLAPSE_AT = 5
_EXAMPLES_SHOWN = 5

_KIND_TITLES = {"resource": "resource", "data": "data source", "ephemeral": "ephemeral resource"}
_KIND_ORDER = ("resource", "data", "ephemeral")
_SECTION_TITLES = {
    BREAKING: "Breaking changes",
    NOTABLE: "Notable changes (not breaking)",
    ADDITIVE: "Additive changes",
}


def render_json(report: DiffReport) -> str:
    doc = {
        "format": JSON_FORMAT,
        "old": report.old_label,
        "new": report.new_label,
        "selection": report.selection,
        "summary": _summary(report),
        "changes": [change.to_json() for change in report.changes],
        "missing_targets": report.missing_targets,
        "impact": {
            "overrides": [f.to_json() for f in report.override_findings],
            "shapes": [f.to_json() for f in report.shape_findings],
            "public_names": report.public_names,
            "group_candidates": report.candidates,
        },
        "skipped": report.skipped,
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _summary(report: DiffReport) -> dict[str, Any]:
    findings = report.override_findings + report.shape_findings
    return {
        "breaking": report.count(BREAKING),
        "notable": report.count(NOTABLE),
        "additive": report.count(ADDITIVE),
        "impact_breaking": sum(1 for f in findings if f.severity == BREAKING),
        "impact_notable": sum(1 for f in findings if f.severity == NOTABLE),
        "has_breaking": report.has_breaking,
    }


def render_markdown(report: DiffReport) -> str:
    lines = [f"# Provider schema diff: {report.old_label} -> {report.new_label}", ""]
    lines.append(f"Selection: {_selection_text(report.selection)}.")
    summary = _summary(report)
    lines.append(
        f"Summary: {summary['breaking']} breaking, {summary['notable']} notable, "
        f"{summary['additive']} additive; project impact: {summary['impact_breaking']} breaking, "
        f"{summary['impact_notable']} notable."
    )
    lines.append("")
    for severity in SEVERITY_ORDER:
        lines += _changes_section(severity, [c for c in report.changes if c.severity == severity])
    lines += _impact_section(report)
    return "\n".join(lines).rstrip("\n") + "\n"


def _selection_text(selection: dict[str, Any]) -> str:
    if selection.get("mode") == "all":
        return "all types"
    counts = selection.get("counts", {})
    parts = [f"{counts.get('resource', 0)} resources", f"{counts.get('data', 0)} data sources"]
    return f"group `{selection.get('group')}` ({', '.join(parts)})"


def _changes_section(severity: str, changes: list[Change]) -> list[str]:
    lines = [f"## {_SECTION_TITLES[severity]} ({len(changes)})", ""]
    if not changes:
        return lines + ["None.", ""]

    # Identical (kind, path, code, message) across many types: print once with a count.
    same: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for change in changes:
        same[(change.kind, change.dotted_path, change.code, change.message)].append(
            change.type_name
        )
    collapsed = {key for key, types in same.items() if len(types) >= _COLLAPSE_AT and key[1]}
    for key in sorted(collapsed):
        kind, path, _code, message = key
        types = sorted(same[key])
        shown = ", ".join(f"`{t}`" for t in types[:_EXAMPLES_SHOWN])
        more = f" and {len(types) - _EXAMPLES_SHOWN} more" if len(types) > _EXAMPLES_SHOWN else ""
        lines.append(f"- `{path}` in {len(types)} {_KIND_TITLES[kind]}s ({shown}{more}): {message}")
    if collapsed:
        lines.append("")

    by_type: dict[tuple[str, str], list[Change]] = defaultdict(list)
    for change in changes:
        if (change.kind, change.dotted_path, change.code, change.message) not in collapsed:
            by_type[(change.kind, change.type_name)].append(change)
    # Types whose only change is the type itself (removed, added, deprecated): one line each.
    whole_type: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (kind, type_name), items in list(by_type.items()):
        if len(items) == 1 and not items[0].path:
            whole_type[(kind, items[0].message)].append(type_name)
            del by_type[(kind, type_name)]
    for kind, message in sorted(whole_type, key=lambda k: (_KIND_ORDER.index(k[0]), k[1])):
        names = ", ".join(f"`{t}`" for t in sorted(whole_type[(kind, message)]))
        lines.append(f"- {_KIND_TITLES[kind]}s, {message}: {names}")
    for kind, type_name in sorted(by_type):
        lines.append(f"- {_KIND_TITLES[kind]} `{type_name}`")
        for change in by_type[(kind, type_name)]:
            where = f"`{change.dotted_path}`: " if change.path else ""
            lines.append(f"  - {where}{change.message}")
    return lines + [""]


def _impact_section(report: DiffReport) -> list[str]:
    lines = ["## Impact on this project", ""]

    lines += ["### Overrides", ""]
    lines += _findings(
        report.override_findings, "No override names a missing or read-only attribute."
    )

    lines += ["### Block shapes (shapes.lock.json)", ""]
    lines += _findings(report.shape_findings, "Every locked block shape still fits.")

    lines += ["### Public Python names that disappear", ""]
    if report.public_names:
        for record in report.public_names:
            names = ", ".join(f"`{n}`" for n in record["removed_names"])
            hint = (
                f" (possibly replaced by `{record['possible_replacement']}`)"
                if record["possible_replacement"]
                else ""
            )
            where = f".{record['path']}" if record["path"] else ""
            lines.append(f"- `{record['type']}{where}`: {names}{hint}")
    else:
        lines.append("None.")
    lines.append("")

    if report.selection.get("mode") == "group":
        lines += ["### New types matching the group's service prefixes (candidates to add)", ""]
        if report.candidates:
            for record in report.candidates:
                lines.append(
                    f"- {_KIND_TITLES[record['kind']]} `{record['type']}` (prefix `{record['prefix']}`)"
                )
        else:
            lines.append("None.")
        lines.append("")
        if report.missing_targets:
            lines += ["### Group types present in neither schema", ""]
            for kind in sorted(report.missing_targets):
                names = ", ".join(f"`{t}`" for t in report.missing_targets[kind])
                lines.append(f"- {_KIND_TITLES[kind]}s: {names}")
            lines.append("")

    if report.skipped:
        lines += ["### Skipped checks", ""]
        lines += [f"- {text}" for text in report.skipped]
        lines.append("")
    return lines


def _findings(findings: list, empty: str) -> list[str]:
    if not findings:
        return [empty, ""]
    lines = []
    for finding in findings:
        key = f" `{finding.key}`" if finding.key else ""
        lines.append(f"- **{finding.severity}** `{finding.location}`{key}: {finding.message}")
    return lines + [""]
