"""Summarise a saved plan from Terraform's machine-readable ``show -json`` output.

Everything comes from ``resource_changes`` (actions, before/after values, which paths force a
replacement, why) and ``output_changes``; nothing is read from Terraform's human-oriented
text. A value Terraform marks sensitive (``before_sensitive``/``after_sensitive``), and every
output the template declares sensitive, is shown as ``(sensitive value)`` and never printed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
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
# Terraform's action_reason values (plans/planproto), in words.
_REASONS = {
    "replace_because_tainted": "it is tainted",
    "replace_because_cannot_update": "an argument that cannot be updated in place changed",
    "replace_by_request": "replacement was requested (-replace)",
    "replace_by_triggers": "replace_triggered_by changed",
    "delete_because_no_resource_config": "it is no longer in the template",
    "delete_because_wrong_repetition": "count/for_each changed its form",
    "delete_because_count_index": "its count index is out of range",
    "delete_because_each_key": "its for_each key is gone",
    "delete_because_no_module": "its module is gone",
    "delete_because_no_move_target": "its moved target is gone",
    "read_because_config_unknown": "its arguments are known only after apply",
    "read_because_dependency_pending": "a dependency has changes pending",
}


class PlanFormatError(Exception):
    """The plan JSON is not in a shape pangea understands."""


@dataclass(frozen=True)
class AttributeChange:
    path: str  # "tags.team", "retention_properties[0].magnetic_store_retention_period_in_days"
    before: str | None  # rendered, masked; None: absent
    after: str | None  # rendered, masked, or UNKNOWN; None: removed
    forces_replacement: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "before": self.before,
            "after": self.after,
            "forces_replacement": self.forces_replacement,
        }


@dataclass(frozen=True)
class ResourceChange:
    address: str
    action: str
    attributes: tuple[AttributeChange, ...] = ()
    reason: str = ""  # why, in words ("" when Terraform gives none)

    def as_json(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "action": self.action,
            "reason": self.reason or None,
            "attributes": [a.as_json() for a in self.attributes],
        }


@dataclass(frozen=True)
class OutputChange:
    name: str
    action: str
    shown_value: str  # the new value, already masked; "" when deleted
    before: str | None = None  # the old value, masked; None when there was none

    def as_json(self) -> dict[str, Any]:
        sensitive = SENSITIVE in (self.shown_value, self.before)
        return {
            "name": self.name,
            "action": self.action,
            "sensitive": sensitive,
            "before": None if sensitive else _json_or_none(self.before),
            "after": None if sensitive or self.action == "delete" else _json_or_none(self.shown_value),
            "after_unknown": self.shown_value == UNKNOWN,
        }


def _json_or_none(text: str | None) -> Any:
    if text is None or text == UNKNOWN:
        return None
    return json.loads(text)


@dataclass
class PlanSummary:
    resources: dict[str, list[str]] = field(default_factory=dict)  # action -> addresses
    outputs: list[OutputChange] = field(default_factory=list)
    changes: list[ResourceChange] = field(default_factory=list)

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

    def as_json(self) -> dict[str, Any]:
        """The plan as JSON for ``pangea plan --json``: values masked exactly as on screen."""
        counts = {action: self.count(action) for action, _ in _VERBS}
        counts["forget"] = self.count("forget")
        return {
            "has_changes": self.has_changes,
            "counts": counts,
            "resource_changes": [c.as_json() for c in self.changes],
            "output_changes": [o.as_json() for o in self.outputs],
        }


RECORD_FORMAT = 1  # of PlanSummary.to_record(); a record in another format is not read


def _strings(value: Any) -> bool:
    return isinstance(value, str) or value is None


def _attribute_from(data: Any) -> AttributeChange:
    change = AttributeChange(
        data["path"], data["before"], data["after"], data["forces_replacement"]
    )
    if not (isinstance(change.path, str) and _strings(change.before) and _strings(change.after)
            and isinstance(change.forces_replacement, bool)):
        raise TypeError("attribute change")
    return change


def _resource_from(data: Any) -> ResourceChange:
    change = ResourceChange(
        data["address"], data["action"],
        tuple(_attribute_from(a) for a in data["attributes"]), data["reason"],
    )
    if not all(isinstance(v, str) for v in (change.address, change.action, change.reason)):
        raise TypeError("resource change")
    return change


def _output_from(data: Any) -> OutputChange:
    change = OutputChange(data["name"], data["action"], data["shown_value"], data["before"])
    if not (isinstance(change.name, str) and isinstance(change.action, str)
            and isinstance(change.shown_value, str) and _strings(change.before)):
        raise TypeError("output change")
    return change


def summary_record(summary: PlanSummary) -> str:
    """The summary as text to keep beside its saved plan (values already masked), so
    ``apply`` can show it without loading every provider again for ``show -json``."""
    return json.dumps({
        "format": RECORD_FORMAT,
        "resources": summary.resources,
        "outputs": [asdict(o) for o in summary.outputs],
        "changes": [asdict(c) for c in summary.changes],
    }, sort_keys=True)


def summary_from_record(text: str) -> PlanSummary:
    """The summary ``summary_record`` wrote; PlanFormatError for anything else."""
    try:
        data = json.loads(text)
        if data["format"] != RECORD_FORMAT:
            raise TypeError("format")
        resources = dict(data["resources"])
        for action, addresses in resources.items():
            if not (isinstance(action, str) and isinstance(addresses, list)
                    and all(isinstance(a, str) for a in addresses)):
                raise TypeError("resources")
        return PlanSummary(
            resources,
            [_output_from(o) for o in data["outputs"]],
            [_resource_from(c) for c in data["changes"]],
        )
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise PlanFormatError(f"not a plan summary record ({exc})") from None


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
        body = change.get("change", {})
        action = classify(body.get("actions", []))
        if action in ("no-op", "read"):
            continue
        address = change.get("address", "?")
        summary.resources.setdefault(action, []).append(address)
        summary.changes.append(_resource_change(address, action, body, change))
    for name, change in sorted((plan.get("output_changes") or {}).items()):
        action = classify(change.get("actions", []))
        if action == "no-op":
            continue
        sensitive = (
            name in masked
            or bool(change.get("after_sensitive"))
            or bool(change.get("before_sensitive"))
        )
        before = None
        if action in ("update", "delete") and "before" in change:
            before = SENSITIVE if sensitive else _render(change.get("before"))
        summary.outputs.append(
            OutputChange(name, action, _shown(change, action, sensitive), before)
        )
    return summary


def _shown(change: dict[str, Any], action: str, sensitive: bool) -> str:
    if action == "delete":
        return ""
    if sensitive:
        return SENSITIVE
    if change.get("after_unknown") is True:
        return UNKNOWN
    return _render(change.get("after"))


def _render(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


# -- attribute diffs ---------------------------------------------------------------------------


def _resource_change(
    address: str, action: str, body: dict[str, Any], change: dict[str, Any]
) -> ResourceChange:
    reason = _REASONS.get(change.get("action_reason", ""), "")
    if action in ("delete", "forget"):
        return ResourceChange(address, action, (), reason)
    replace_paths = [_path_text(p) for p in body.get("replace_paths") or [] if isinstance(p, list)]
    attributes: list[AttributeChange] = []
    _diff(
        body.get("before") if action != "create" else None,
        body.get("after"),
        body.get("after_unknown"),
        body.get("before_sensitive"),
        body.get("after_sensitive"),
        "",
        attributes,
    )
    marked = tuple(
        AttributeChange(
            a.path,
            a.before,
            a.after,
            any(a.path == p or a.path.startswith((p + ".", p + "[")) for p in replace_paths),
        )
        for a in attributes
    )
    if action == "replace" and replace_paths and not reason:
        reason = "forces replacement: " + ", ".join(replace_paths)
    elif action == "replace" and replace_paths:
        reason = f"{reason} ({', '.join(replace_paths)})"
    return ResourceChange(address, action, marked, reason)


def _path_text(parts: list[Any]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _child(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _sub(mark: Any, key: Any) -> Any:
    """The part of a sensitive/unknown mark structure that applies to ``key``."""
    if mark is True:
        return True
    if isinstance(mark, dict) and isinstance(key, str):
        return mark.get(key)
    if isinstance(mark, list) and isinstance(key, int) and key < len(mark):
        return mark[key]
    return None


def _diff(
    before: Any,
    after: Any,
    unknown: Any,
    before_sensitive: Any,
    after_sensitive: Any,
    path: str,
    out: list[AttributeChange],
) -> None:
    if before_sensitive is True or after_sensitive is True:
        if before != after or unknown is True:
            out.append(
                AttributeChange(
                    path,
                    SENSITIVE if before is not None else None,
                    UNKNOWN if unknown is True else (SENSITIVE if after is not None else None),
                )
            )
        return
    if unknown is True:
        out.append(AttributeChange(path, None if before is None else _render(before), UNKNOWN))
        return
    composite = (dict, list)
    if isinstance(before, composite) or isinstance(after, composite) or isinstance(unknown, composite):
        keys: list[Any]
        if isinstance(before, dict) or isinstance(after, dict) or isinstance(unknown, dict):
            b = before if isinstance(before, dict) else {}
            a = after if isinstance(after, dict) else {}
            u = unknown if isinstance(unknown, dict) else {}
            keys = sorted(set(b) | set(a) | set(u))
            get_b, get_a = b.get, a.get
        else:
            b_list = before if isinstance(before, list) else []
            a_list = after if isinstance(after, list) else []
            u_list = unknown if isinstance(unknown, list) else []
            keys = list(range(max(len(b_list), len(a_list), len(u_list))))

            def get_b(i: int) -> Any:
                return b_list[i] if i < len(b_list) else None

            def get_a(i: int) -> Any:
                return a_list[i] if i < len(a_list) else None

        for key in keys:
            _diff(
                get_b(key),
                get_a(key),
                _sub(unknown, key),
                _sub(before_sensitive, key),
                _sub(after_sensitive, key),
                _child(path, key),
                out,
            )
        return
    if before != after:
        out.append(
            AttributeChange(
                path,
                None if before is None else _render(before),
                None if after is None else _render(after),
            )
        )


# -- text ----------------------------------------------------------------------------------------

_MARKS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-", "forget": "."}
_COLOURS = {"create": "32", "update": "33", "replace": "35", "delete": "31", "forget": "36"}
_NOTES = {
    "create": "create",
    "update": "update in place",
    "replace": "replace",
    "delete": "destroy",
    "forget": "forget (removed from state, not destroyed)",
}


def _paint(text: str, action: str, colour: bool) -> str:
    return f"\x1b[{_COLOURS[action]}m{text}\x1b[0m" if colour and action in _COLOURS else text


def _attribute_line(attr: AttributeChange, colour: bool) -> str:
    if attr.before is None:
        mark, action, value = "+", "create", f"{attr.after}"
    elif attr.after is None:
        mark, action, value = "-", "delete", f"{attr.before} -> null"
    else:
        mark, action, value = "~", "update", f"{attr.before} -> {attr.after}"
    note = "  # forces replacement" if attr.forces_replacement else ""
    return f"        {_paint(mark, action, colour)} {attr.path} = {value}{note}"


def format_summary(
    template: str, summary: PlanSummary, colour: bool = False, details: bool = True
) -> list[str]:
    """Human-readable lines for one template: counts, each change with its attribute diffs
    (``details``), and output changes with their old value."""
    if not summary.has_changes:
        return [f"{template}: no changes"]
    lines = [f"{template}: {summary.counts_line()}"]
    by_address = {c.address: c for c in summary.changes}
    for action in ("create", "update", "replace", "delete", "forget"):
        for address in summary.resources.get(action, []):
            mark = _paint(f"{_MARKS[action]:>3}", action, colour)
            change = by_address.get(address)
            note = _NOTES[action]
            if change is not None and change.reason:
                note = f"{note}: {change.reason}"
            lines.append(f"  {mark} {address}" + (f"  ({note})" if details else ""))
            if details and change is not None:
                lines.extend(_attribute_line(a, colour) for a in change.attributes)
    for output in summary.outputs:
        mark = _paint(f"{_MARKS.get(output.action, '~'):>3}", output.action, colour)
        if output.action == "update" and output.before is not None:
            value = f" = {output.before} -> {output.shown_value}"
        elif output.action == "delete" and output.before is not None:
            value = f" = {output.before}"
        else:
            value = f" = {output.shown_value}" if output.shown_value else ""
        lines.append(f"  {mark} output.{output.name}{value}")
    return lines


def mask_outputs(outputs: dict[str, Any], sensitive_outputs: Iterable[str] = ()) -> dict[str, Any]:
    """``terraform output -json`` values with sensitive ones replaced by a marker (text use)."""
    masked = set(sensitive_outputs)
    result = {}
    for name, entry in outputs.items():
        hidden = entry.get("sensitive") or name in masked
        result[name] = SENSITIVE if hidden else entry.get("value")
    return result


def outputs_json(
    outputs: dict[str, Any], sensitive_outputs: Iterable[str] = (), show_sensitive: bool = False
) -> dict[str, Any]:
    """``terraform output -json``'s own shape, ``{name: {"value", "type", "sensitive"}}``, with
    the value of a sensitive output set to null unless ``show_sensitive``: the JSON stays
    typed (no marker string where a number or object belongs)."""
    masked = set(sensitive_outputs)
    result: dict[str, Any] = {}
    for name, entry in sorted(outputs.items()):
        sensitive = bool(entry.get("sensitive")) or name in masked
        item: dict[str, Any] = {
            "sensitive": sensitive,
            "value": entry.get("value") if show_sensitive or not sensitive else None,
        }
        if "type" in entry:
            item["type"] = entry["type"]
        result[name] = item
    return result
