"""What a provider bump means for this project, beyond the raw schema changes.

- overrides that name attributes or blocks the new schema lacks (the generator would reject
  them) or that constrain an attribute which can no longer be set;
- block shapes recorded in ``provider_schema/shapes.lock.json`` that the new schema no longer
  supports (a "single" block whose max_items is no longer 1, and the reverse);
- public Python names that disappear (removed types, attributes and blocks);
- new types whose names share a prefix with the group's types (candidates to add).

Every function takes already-loaded data and returns sorted, JSON-friendly records.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Iterable

from codegen import naming
from codegen.bump.changes import BREAKING, NOTABLE, Change
from codegen.inputs.overrides import OverrideFile
from pangea.schema_doc import Attribute, Block, BlockType, parse_block

@dataclass(frozen=True, order=True)
class Finding:
    """One project-level consequence of the bump, located by file and key."""

    category: str  # "override" | "shape"
    location: str  # override file name or lock key
    key: str  # dotted key inside the file ("" for the whole file/entry)
    severity: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {
            "category": self.category,
            "location": self.location,
            "key": self.key,
            "severity": self.severity,
            "message": self.message,
        }


# ---------------------------------------------------------------------------------------------
# Overrides


def _resolve(
    block: Block | None, path: tuple[str, ...]
) -> tuple[str, Attribute | BlockType] | None:
    """("attribute"|"block", typed schema entry) at ``path`` inside a type's block, or None."""
    found = block.find(path) if block is not None else None
    if found is None:
        return None
    return ("attribute" if isinstance(found, Attribute) else "block"), found


def _block(type_schema: dict[str, Any] | None) -> Block | None:
    return parse_block(type_schema.get("block", {})) if type_schema is not None else None


def check_overrides(
    overrides: Iterable[OverrideFile],
    old_tables: dict[str, dict[str, Any]],
    new_tables: dict[str, dict[str, Any]],
) -> list[Finding]:
    """Findings for the parsed override files (codegen.inputs.overrides)."""
    findings: list[Finding] = []
    for file in sorted(overrides, key=lambda f: f.path.name):
        file_name, type_name = file.path.name, file.type_name
        new_type = new_tables[file.kind].get(type_name)
        old_type = old_tables[file.kind].get(type_name)
        if new_type is None:
            when = "removed by this bump" if old_type is not None else "absent from both schemas"
            findings.append(
                Finding(
                    "override",
                    file_name,
                    "",
                    BREAKING,
                    f"{type_name} does not exist in the new schema ({when}); delete or rename the file",
                )
            )
            continue
        old_block, new_block = _block(old_type), _block(new_type)
        for ref in file.references():
            findings.extend(
                _check_reference(file_name, ref.key, ref.path, ref.expected, old_block, new_block)
            )
    return sorted(set(findings))


def _check_reference(
    file_name: str,
    key: str,
    path: tuple[str, ...],
    expected: str,
    old_block: Block | None,
    new_block: Block | None,
) -> list[Finding]:
    dotted = ".".join(path)
    now = _resolve(new_block, path)
    before = _resolve(old_block, path)
    if now is None:
        when = "removed by this bump" if before is not None else "absent from the old schema too"
        return [
            Finding(
                "override",
                file_name,
                key,
                BREAKING,
                f"names `{dotted}`, which the new schema does not have ({when}); remove or rename the entry",
            )
        ]
    what, entry = now
    if expected != "either" and what != expected:
        return [
            Finding(
                "override",
                file_name,
                key,
                BREAKING,
                f"`{dotted}` is a {what} in the new schema but is listed under {expected}s; move the entry",
            )
        ]
    # Overrides may document computed attributes; only a bump that takes away an input
    # invalidates rules written for it.
    was_input = before is not None and isinstance(before[1], Attribute) and before[1].is_input
    if expected == "attribute" and was_input and isinstance(entry, Attribute) and not entry.is_input:
        return [
            Finding(
                "override",
                file_name,
                key,
                NOTABLE,
                f"`{dotted}` became computed-only in this bump: rules that constrain its input value no longer apply",
            )
        ]
    return []


# ---------------------------------------------------------------------------------------------
# Block shapes from the lock file


def check_shapes(lock: dict[str, str], new_tables: dict[str, dict[str, Any]]) -> list[Finding]:
    """Lock entries whose recorded Python shape no longer matches the new schema."""
    findings: list[Finding] = []
    parsed: dict[tuple[str, str], Block | None] = {}  # one parse per type
    for lock_key in sorted(lock):
        shape = lock[lock_key]
        kind, type_name, *path = lock_key.split(".")
        type_schema = new_tables.get(kind, {}).get(type_name)
        if type_schema is None:
            findings.append(
                Finding(
                    "shape",
                    lock_key,
                    "",
                    NOTABLE,
                    f"type {type_name} is gone; drop the stale entry",
                )
            )
            continue
        if (kind, type_name) not in parsed:
            parsed[kind, type_name] = _block(type_schema)
        found = _resolve(parsed[kind, type_name], tuple(path))
        if found is None or not isinstance(found[1], BlockType):
            findings.append(
                Finding("shape", lock_key, "", NOTABLE, "block is gone; drop the stale entry")
            )
            continue
        block_type = found[1]
        mode = block_type.nesting_mode
        limit = block_type.max_items
        if mode not in ("list", "set"):
            findings.append(
                Finding(
                    "shape",
                    lock_key,
                    "",
                    BREAKING,
                    f"locked as {shape}, but the block's nesting is now {mode}",
                )
            )
        elif shape == "single" and limit != 1:
            findings.append(
                Finding(
                    "shape",
                    lock_key,
                    "",
                    BREAKING,
                    f"locked as single (one object), but max_items is now {limit or 'unlimited'}: the Python shape cannot hold several items and generation stops; after review accept the list shape (a public API change) with `make generate ACCEPT_SHAPE_CHANGES=1`",
                )
            )
        elif shape == "list" and limit == 1:
            findings.append(
                Finding(
                    "shape",
                    lock_key,
                    "",
                    NOTABLE,
                    "locked as list, but max_items is now 1: the generator keeps the list (still valid); `make generate ACCEPT_SHAPE_CHANGES=1` would switch to one object, a public API change",
                )
            )
    return findings


# ---------------------------------------------------------------------------------------------
# Public names


def public_name_changes(
    changes: list[Change], new_tables: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Public Python names that disappear, with a likely replacement when one is close.

    Resources and data sources only (ephemeral resources are not generated). A removed type
    loses its function and both classes; a removed input (or block) loses its ``Args``
    field; a removed top-level attribute also loses its ``Ref`` property.
    """
    added_by_parent: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
    for change in changes:
        if change.code in (
            "attribute_added",
            "required_attribute_added",
            "block_added",
            "required_block_added",
        ):
            parent = (change.kind, change.type_name, change.path[:-1])
            added_by_parent.setdefault(parent, []).append(change.path[-1])

    records = []
    for change in changes:
        if change.kind not in ("resource", "data"):
            continue
        data_source = change.kind == "data"
        if change.code == "type_removed":
            names = [
                naming.function_name(change.type_name, data_source=data_source),
                naming.args_class(change.type_name, data_source=data_source),
                naming.ref_class(change.type_name, data_source=data_source),
            ]
            pool = sorted(new_tables[change.kind])
            gone = change.type_name
        elif change.code in ("attribute_removed", "block_removed"):
            python_path = ".".join(naming.python_name(part) for part in change.path)
            names = []
            if change.code == "block_removed" or change.old != "computed":
                names.append(
                    f"{naming.args_class(change.type_name, data_source=data_source)}.{python_path}"
                )
            if change.code == "attribute_removed" and len(change.path) == 1:
                names.append(
                    f"{naming.ref_class(change.type_name, data_source=data_source)}.{python_path}"
                )
            pool = sorted(
                added_by_parent.get((change.kind, change.type_name, change.path[:-1]), [])
            )
            gone = change.path[-1]
        else:
            continue
        close = difflib.get_close_matches(gone, pool, n=1, cutoff=0.8)
        records.append(
            {
                "kind": change.kind,
                "type": change.type_name,
                "path": change.dotted_path,
                "removed_names": names,
                "possible_replacement": close[0] if close else None,
            }
        )
    return records


# ---------------------------------------------------------------------------------------------
# Candidates for the group


def service_prefix(type_name: str) -> str:
    """``aws_docdb_cluster`` -> ``aws_docdb_``: the provider's per-service naming prefix."""
    parts = type_name.split("_")
    return "_".join(parts[:2]) + "_" if len(parts) > 2 else type_name + "_"


def group_candidates(
    targets: dict[str, list[str]],
    old_tables: dict[str, dict[str, Any]],
    new_tables: dict[str, dict[str, Any]],
) -> list[dict[str, str]]:
    """Types new in this bump whose service prefix matches a type of the group."""
    prefixes = sorted({service_prefix(name) for names in targets.values() for name in names})
    candidates = []
    for kind in sorted(new_tables):
        chosen = set(targets.get(kind, []))
        for type_name in sorted(set(new_tables[kind]) - set(old_tables.get(kind, {}))):
            if type_name in chosen:
                continue
            matching = [p for p in prefixes if type_name.startswith(p)]
            if matching:
                candidates.append({"kind": kind, "type": type_name, "prefix": matching[-1]})
    return candidates
