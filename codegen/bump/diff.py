"""`python -m codegen diff OLD NEW`: what a provider version bump changes, and what it means here.

This module loads the inputs (two provider schema documents, targets.yaml, the override files,
the shapes lock) with errors that name the file and key, assembles a `DiffReport`, and hands it
to `schema_diff_report` for Markdown or JSON. The comparison itself is `schema_changes`, the
project consequences `schema_impact`.

Exit status of `main_diff`: 0 no breaking change, 1 breaking changes or breaking project
impact found, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable


from codegen.errors import GeneratorError
from pangea.schema_doc import SchemaDocumentError, parse_document
from codegen.bump.changes import (
    BREAKING,
    KIND_TABLES,
    Change,
    diff_types,
    missing_targets,
)
from codegen.bump.impact import (
    Finding,
    check_overrides,
    check_shapes,
    group_candidates,
    public_name_changes,
)
from codegen.inputs.overrides import OverrideFile, load_override_files
from codegen.inputs.shapes import ShapeLock
from codegen.inputs.targets import Targets, load_targets, verify_schema_file

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TARGETS = PROJECT_ROOT / "provider_schema" / "targets.yaml"
DEFAULT_OVERRIDES = PROJECT_ROOT / "overrides"
DEFAULT_LOCK = PROJECT_ROOT / "provider_schema" / "shapes.lock.json"
DEFAULT_PROVIDER = "registry.terraform.io/hashicorp/aws"
DEFAULT_GROUP = "databases"


class InputError(Exception):
    """A problem with an input file: the message names the file, the key and the fix."""


def default_schema_dir() -> Path:
    env = os.environ.get("PANGEA_SCHEMA_DIR")
    return Path(env) if env else PROJECT_ROOT.parent / "shared" / "provider_schema"


# ---------------------------------------------------------------------------------------------
# Loading


def _read_json(path: Path, what: str) -> Any:
    try:
        with path.open("rb") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read {what}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}; expected {what}"
        ) from None


def load_provider_tables(path: Path, provider: str = DEFAULT_PROVIDER) -> dict[str, dict[str, Any]]:
    """The resource/data/ephemeral tables of one provider from a `providers schema -json` file."""
    doc = _read_json(path, "a provider schema (`terraform providers schema -json` output)")
    return provider_tables(doc, provider, source=str(path))


def provider_tables(
    doc: Any, provider: str = DEFAULT_PROVIDER, source: str = "<document>"
) -> dict[str, dict[str, Any]]:
    """The type tables per kind, read by pangea.schema_doc (either registry's key)."""
    try:
        document = parse_document(doc, provider, source)
    except SchemaDocumentError as exc:
        raise InputError(f"{exc}; regenerate it with `make schema VERSION=...`") from None
    return {kind: dict(document.table(kind)) for kind, _table in KIND_TABLES}


def group_targets(targets: Targets, group: str) -> dict[str, list[str]]:
    """The types of one target group, per kind (helpers' supporting resources included)."""
    chosen = targets.group(group)
    return {"resource": sorted(chosen.all_resources), "data": sorted(chosen.data_sources)}


def load_overrides(directory: Path) -> list[OverrideFile]:
    """The override files, parsed by the generator's own loader (one reader for both)."""
    loaded = load_override_files(directory)
    if loaded.problems:
        raise InputError("\n".join(loaded.problems))
    return list(loaded.files.values())


def load_lock(path: Path) -> dict[str, str]:
    """The recorded block shapes, parsed by the generator's own lock reader."""
    return ShapeLock.load(path).recorded


# ---------------------------------------------------------------------------------------------
# The report


@dataclass
class DiffReport:
    old_label: str
    new_label: str
    selection: dict[str, Any]
    changes: list[Change]
    missing_targets: dict[str, list[str]] = field(default_factory=dict)
    candidates: list[dict[str, str]] = field(default_factory=list)
    override_findings: list[Finding] = field(default_factory=list)
    shape_findings: list[Finding] = field(default_factory=list)
    public_names: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for change in self.changes if change.severity == severity)

    @property
    def has_breaking(self) -> bool:
        findings = self.override_findings + self.shape_findings
        return self.count(BREAKING) > 0 or any(f.severity == BREAKING for f in findings)


def build_report(
    old_tables: dict[str, dict[str, Any]],
    new_tables: dict[str, dict[str, Any]],
    *,
    old_label: str,
    new_label: str,
    targets: dict[str, list[str]] | None,
    group: str | None = None,
    overrides: list[OverrideFile] | None = None,
    lock: dict[str, str] | None = None,
    skipped: list[str] | None = None,
) -> DiffReport:
    """Everything the renderers need. ``targets`` None means every type of every kind.

    Overrides and the lock describe the whole project, so they are checked in full whatever
    the selection; None means "not available" (listed in ``skipped``).
    """
    changes: list[Change] = []
    missing: dict[str, list[str]] = {}
    for kind, _table in KIND_TABLES:
        if targets is None:
            changes += diff_types(kind, old_tables[kind], new_tables[kind], None)
        elif kind in targets:
            changes += diff_types(kind, old_tables[kind], new_tables[kind], targets[kind])
            absent = missing_targets(old_tables[kind], new_tables[kind], targets[kind])
            if absent:
                missing[kind] = absent
    if targets is None:
        selection: dict[str, Any] = {"mode": "all"}
    else:
        selection = {
            "mode": "group",
            "group": group,
            "counts": {k: len(v) for k, v in sorted(targets.items())},
        }
    return DiffReport(
        old_label=old_label,
        new_label=new_label,
        selection=selection,
        changes=sorted(changes),
        missing_targets=missing,
        candidates=group_candidates(targets, old_tables, new_tables) if targets is not None else [],
        override_findings=(
            check_overrides(overrides, old_tables, new_tables) if overrides is not None else []
        ),
        shape_findings=check_shapes(lock, new_tables) if lock is not None else [],
        public_names=public_name_changes(changes, new_tables),
        skipped=sorted(skipped or []),
    )


def schema_label(path: Path) -> str:
    """The file name, plus the provider version when the name carries one (aws-6.0.0.json)."""
    match = re.search(r"-(\d+\.\d+\.\d+[0-9A-Za-z.\-]*)\.json$", path.name)
    return f"{path.name} (v{match.group(1)})" if match else path.name


# ---------------------------------------------------------------------------------------------
# Command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m codegen diff",
        description="Compare two provider schemas (`terraform providers schema -json` output) and "
        "report breaking, notable and additive changes plus their impact on this project. "
        "Exit status: 0 no breaking change, 1 breaking changes found, 2 usage or input error.",
    )
    parser.add_argument(
        "schemas",
        nargs="+",
        metavar="SCHEMA",
        help="OLD.json NEW.json, or only NEW.json with --pinned",
    )
    parser.add_argument(
        "--pinned",
        action="store_true",
        help="use the pinned schema of targets.yaml (sha256-checked, from --schema-dir) as OLD",
    )
    parser.add_argument(
        "--schema-dir",
        type=Path,
        default=None,
        help="where --pinned finds the pinned schema (default: $PANGEA_SCHEMA_DIR or ../shared/provider_schema)",
    )
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--all", action="store_true", help="report every type, not only the group's")
    scope.add_argument(
        "--group",
        default=DEFAULT_GROUP,
        help=f"group of targets.yaml to report (default: {DEFAULT_GROUP})",
    )
    parser.add_argument(
        "--targets",
        type=Path,
        default=DEFAULT_TARGETS,
        help="targets.yaml (default: the project's)",
    )
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    parser.add_argument(
        "--overrides",
        type=Path,
        default=None,
        help="override directory (default: the project's overrides/)",
    )
    parser.add_argument(
        "--lock",
        type=Path,
        default=None,
        help="shapes lock file (default: the project's provider_schema/shapes.lock.json)",
    )
    parser.add_argument(
        "--output", "-o", type=Path, default=None, help="write the report here instead of stdout"
    )
    return parser


def main_diff(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help (0) and on usage errors (2)
        return int(exc.code or 0)
    try:
        text, breaking = _run(args, parser)
    except (InputError, GeneratorError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 1 if breaking else 0


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> tuple[str, bool]:
    from codegen.bump.report import render_json, render_markdown

    expected = 1 if args.pinned else 2
    if len(args.schemas) != expected:
        usage = "NEW.json with --pinned" if args.pinned else "OLD.json NEW.json"
        raise InputError(f"expected {usage}, got {len(args.schemas)} schema argument(s)")

    # --all needs targets.yaml only for the provider source, so it may be absent then.
    needed = not args.all or args.pinned
    targets = load_targets(args.targets) if needed or args.targets.exists() else None
    provider = targets.source if targets is not None else DEFAULT_PROVIDER

    if args.pinned:
        assert targets is not None  # loaded above: --pinned needs the pin
        old_path = (args.schema_dir or default_schema_dir()) / targets.schema_file
        verify_schema_file(targets, old_path)
        new_path = Path(args.schemas[0])
    else:
        old_path, new_path = Path(args.schemas[0]), Path(args.schemas[1])
    old_tables = load_provider_tables(old_path, provider)
    new_tables = load_provider_tables(new_path, provider)

    skipped: list[str] = []
    overrides = _optional_input(
        args.overrides, DEFAULT_OVERRIDES, load_overrides, "override check", skipped, directory=True
    )
    lock = _optional_input(
        args.lock, DEFAULT_LOCK, load_lock, "shape check", skipped, directory=False
    )

    selected = None if args.all or targets is None else group_targets(targets, args.group)
    report = build_report(
        old_tables,
        new_tables,
        old_label=schema_label(old_path),
        new_label=schema_label(new_path),
        targets=selected,
        group=None if args.all else args.group,
        overrides=overrides,
        lock=lock,
        skipped=skipped,
    )
    text = render_json(report) if args.format == "json" else render_markdown(report)
    return text, report.has_breaking


def _optional_input(
    given: Path | None,
    default: Path,
    loader: Callable[[Path], Any],
    check: str,
    skipped: list[str],
    *,
    directory: bool,
) -> Any:
    """An explicitly given path must exist; a missing default only skips that check."""
    path = given if given is not None else default
    exists = path.is_dir() if directory else path.is_file()
    if not exists:
        if given is not None:
            raise InputError(f"{path}: not found (given for the {check})")
        skipped.append(f"{check}: {_display(path)} does not exist")
        return None
    return loader(path)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":  # pragma: no cover - the lead dispatches from codegen/__main__.py
    raise SystemExit(main_diff(sys.argv[1:]))
