"""Commands that never run Terraform: list, validate, synth."""

from __future__ import annotations

import os
from pathlib import Path
TYPE_CHECKING = False  # typing is not imported at run time (import cost: pangea._typing)
if TYPE_CHECKING:
    from typing import Any

from pangea.cli.backends import MODERN, BackendDialect, backend_file
from pangea.cli import exit_codes
from pangea.cli.config import S3State
from pangea.cli.console import Console
from pangea.cli.json_text import BACKEND_FILE, MAIN_FILE, render_json
from pangea.cli.session import (
    Session,
    list_templates,
    relative_local_path,
    report_invalid,
    synthesize,
)
from pangea.names import contained_path


def run_list(session: Session, args: Any, console: Console) -> int:
    for name in list_templates(session):
        console.result(name)
    return exit_codes.OK


def run_validate(session: Session, args: Any, console: Console) -> int:
    templates = synthesize(session)
    if report_invalid(session, templates, console, "nothing was run"):
        return exit_codes.INVALID_INPUT
    for item in templates:
        console.result(f"{item.name}: valid")
    return exit_codes.OK


def _dialect(session: Session) -> BackendDialect:
    """Backend settings for the binary that will read them; the newest ones when none is installed."""
    from pangea.cli.terraform import TerraformNotFoundError, find_binary

    try:
        return find_binary(session.project.terraform_binary, session.project.source).dialect
    except TerraformNotFoundError:
        return MODERN


def run_synth(session: Session, args: Any, console: Console) -> int:
    """Print or write each template's JSON. Local state paths are relative to where Terraform
    runs (each template's directory under --out, else the working directory), so the output
    holds no absolute path of this machine and works wherever the project is checked out."""
    # Only the s3 backend's settings differ between binaries: a local state needs no
    # `terraform version` probe (a child process costing more than the synthesis).
    probe = args.out is not None and isinstance(session.namespace.state, S3State)
    dialect = _dialect(session) if probe else MODERN
    out = None
    if args.out is not None:
        out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    # Every template directory sits at out/<template>: one base serves them all.
    state_base = (out / "_") if out is not None else Path.cwd()
    templates = synthesize(session, dialect, state_base=state_base)
    if report_invalid(session, templates, console, "nothing was written"):
        return exit_codes.INVALID_INPUT
    if args.out is None:
        # Templates stay in dependency order; keys inside each configuration are sorted.
        if session.templates and len(templates) == 1:
            text = render_json(templates[0].config)
        else:
            text = render_json({t.name: t.config for t in templates}, sort_top=False)
        console.result(text[:-1])
        return exit_codes.OK
    assert out is not None
    files = {
        item.name: {
            MAIN_FILE: render_json(item.config),
            BACKEND_FILE: render_json(_portable_backend(session, item.name, dialect, out / item.name)),
        }
        for item in templates
    }
    _write_tree(out, files)
    for name in files:
        console.result(f"wrote {contained_path(out, name, MAIN_FILE)}")
    return exit_codes.OK


def _portable_backend(
    session: Session, template: str, dialect: BackendDialect, directory: Path
) -> dict[str, Any]:
    document = backend_file(session.namespace, template, dialect)
    backend = document["terraform"]["backend"]
    if "local" in backend:
        backend["local"] = relative_local_path(backend["local"], directory)
    return document


def _write_tree(out: Path, files: dict[str, dict[str, str]]) -> None:
    """Write every template directory, each swapped in whole, so no half-written output remains."""
    targets = {template: contained_path(out, template) for template in files}
    out.mkdir(parents=True, exist_ok=True)
    for template, contents in files.items():
        staging = _staging_dir(out, template)
        try:
            for filename, text in contents.items():
                (staging / filename).write_text(text, encoding="utf-8")
            target = targets[template]
            if target.is_dir():
                # Keep files we did not write there (e.g. a .terraform directory); replace ours.
                for filename in contents:
                    os.replace(staging / filename, target / filename)
            else:
                os.replace(staging, target)
        finally:
            _remove(staging)


def _staging_dir(out: Path, template: str) -> Path:
    """A new private directory beside the template's (tempfile.mkdtemp, without importing
    tempfile and random for one name: this folder is the user's own, not a shared /tmp)."""
    attempt = 0
    while True:
        staging = out / f".{template}.{os.getpid()}-{attempt}"
        try:
            os.mkdir(staging, 0o700)
            return staging
        except FileExistsError:
            attempt += 1


def _remove(staging: Path) -> None:
    """Remove the staging directory: empty once its files moved in place, else (a failed
    write) with what it holds."""
    try:
        os.rmdir(staging)
    except FileNotFoundError:  # moved in place whole
        pass
    except OSError:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
