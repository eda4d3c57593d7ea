"""Summarise a saved plan from Terraform's machine-readable ``show -json`` output.

Counts come from ``resource_changes[].change.actions`` and ``output_changes``; nothing is read
from Terraform's human-oriented text. Sensitive output values are never shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable

SENSITIVE = "(sensitive value)"
UNKNOWN = "(known after apply)"

# Terraform writes a replacement as delete+create or create+delete depending on lifecycle.
_ACTIONS: dict[tuple[str, ...], str] = {
    ("no-op",): "no-op",
    ("read",): "read",
    ("create",): "create",
    ("update",): "update",
    ("delete",): "delete",
    ("delete", "create"): "replace",
    ("create", "delete"): "replace",
    ("forget",): "forget",
}
_VERBS = (
    ("create", "to create"),
    ("update", "to update"),
    ("replace", "to replace"),
    ("delete", "to delete"),
)


class PlanFormatError(Exception):
    """The plan JSON is not in a shape pangea understands."""


@dataclass(frozen=True)
class OutputChange:
    name: str
    action: str
    shown_value: str  # already masked when sensitive


@dataclass
class PlanSummary:
    resources: dict[str, list[str]] = field(default_factory=dict)  # action -> addresses
    outputs: list[OutputChange] = field(default_factory=list)

    def count(self, action: str) -> int:
        return len(self.resources.get(action, ()))

    @property
    def resource_changes(self) -> int:
        return sum(self.count(a) for a in ("create", "update", "replace", "delete", "forget"))

    @property
    def has_changes(self) -> bool:
        return self.resource_changes > 0 or bool(self.outputs)

    def counts_line(self) -> str:
        parts = [f"{self.count(action)} {verb}" for action, verb in _VERBS]
        if self.count("forget"):
            parts.append(f"{self.count('forget')} to forget")
        if self.outputs:
            parts.append(
                f"{len(self.outputs)} output{'s' if len(self.outputs) != 1 else ''} changed"
            )
        return ", ".join(parts)


def classify(actions: Iterable[str]) -> str:
    key = tuple(actions)
    try:
        return _ACTIONS[key]
    except KeyError:
        raise PlanFormatError(f"unrecognised plan actions {list(key)!r}") from None


def summarize(plan: dict[str, Any], sensitive_outputs: Iterable[str] = ()) -> PlanSummary:
    """Build the summary of one template's plan (the parsed ``terraform show -json PLAN``)."""
    if not isinstance(plan, dict):
        raise PlanFormatError("plan JSON is not an object")
    masked = set(sensitive_outputs)
    summary = PlanSummary()
    for change in plan.get("resource_changes") or []:
        action = classify(change.get("change", {}).get("actions", []))
        if action not in ("no-op", "read"):
            summary.resources.setdefault(action, []).append(change.get("address", "?"))
    for name, change in sorted((plan.get("output_changes") or {}).items()):
        action = classify(change.get("actions", []))
        if action == "no-op":
            continue
        sensitive = (
            name in masked
            or bool(change.get("after_sensitive"))
            or bool(change.get("before_sensitive"))
        )
        summary.outputs.append(OutputChange(name, action, _shown(change, action, sensitive)))
    return summary


def _shown(change: dict[str, Any], action: str, sensitive: bool) -> str:
    if action == "delete":
        return ""
    if sensitive:
        return SENSITIVE
    if change.get("after_unknown") is True:
        return UNKNOWN
    return json.dumps(change.get("after"), sort_keys=True)


_MARKS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-", "forget": "."}


def format_summary(template: str, summary: PlanSummary) -> list[str]:
    """Human-readable lines for one template, e.g. for ``pangea plan``."""
    if not summary.has_changes:
        return [f"{template}: no changes"]
    lines = [f"{template}: {summary.counts_line()}"]
    for action in ("create", "update", "replace", "delete", "forget"):
        for address in summary.resources.get(action, []):
            lines.append(f"  {_MARKS[action]:>3} {address}")
    for output in summary.outputs:
        mark = _MARKS.get(output.action, "~")
        value = f" = {output.shown_value}" if output.shown_value else ""
        lines.append(f"  {mark:>3} output.{output.name}{value}")
    return lines


def mask_outputs(outputs: dict[str, Any], sensitive_outputs: Iterable[str] = ()) -> dict[str, Any]:
    """``terraform output -json`` values with sensitive ones replaced by a marker."""
    masked = set(sensitive_outputs)
    result = {}
    for name, entry in outputs.items():
        hidden = entry.get("sensitive") or name in masked
        result[name] = SENSITIVE if hidden else entry.get("value")
    return result
