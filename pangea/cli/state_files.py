"""Local state that cannot leak or vanish quietly.

State, plans and locks are private (files 0600 in folders 0700; Terraform runs with umask 077).
Before each local apply the state is copied aside, and a state file that is empty or not
readable JSON is refused with how to restore it: Terraform would take a zero-byte file for no
state at all and plan every resource anew.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
PRIVATE_UMASK = 0o077
BACKUP_SUFFIX = ".pangea-backup"  # pangea's copy, made before each apply
TERRAFORM_BACKUP_SUFFIX = ".backup"  # Terraform's own copy of the previous state


class DamagedStateError(Exception):
    """A local state file exists but cannot be used; ``str()`` says how to restore it."""


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700 folders; tighten it if it exists."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    if path.is_dir() and (path.stat().st_mode & 0o777) != PRIVATE_DIR:
        os.chmod(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> None:
    """Make an existing file 0600 (files written by older versions were 0644)."""
    try:
        if (path.stat().st_mode & 0o777) != PRIVATE_FILE:
            os.chmod(path, PRIVATE_FILE)
    except FileNotFoundError:
        pass


def state_problem(path: Path) -> str | None:
    """Why the local state file at ``path`` cannot be used, or None (absent is fine)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if not data.strip():
        return "is empty (0 bytes)" if not data else "holds only whitespace"
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        return f"is not valid JSON ({exc})"
    if not isinstance(document, dict) or "version" not in document:
        return "is not a Terraform state (no \"version\")"
    return None


def check_state(path: Path) -> None:
    """Refuse a damaged local state with how to restore it; tighten its permissions."""
    problem = state_problem(path)
    if problem is None:
        for candidate in (path, backup_path(path), terraform_backup_path(path)):
            private_file(candidate)
        return
    raise DamagedStateError(
        f"local state {path} {problem}; pangea will not treat it as empty (Terraform would "
        f"then plan every resource anew). {restore_advice(path)}"
    )


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def terraform_backup_path(path: Path) -> Path:
    return path.with_name(path.name + TERRAFORM_BACKUP_SUFFIX)


def restore_advice(path: Path) -> str:
    usable = [p for p in (backup_path(path), terraform_backup_path(path))
              if p.is_file() and state_problem(p) is None]
    if not usable:
        return ("No usable backup is beside it; restore the file from your own copy, or move "
                "it away if this template really has no resources yet.")
    usable.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    newest = usable[0]
    return (f"Restore the newest backup and run again: cp {newest} {path}"
            + (f" (also kept: {', '.join(str(p) for p in usable[1:])})" if usable[1:] else ""))


def backup_before_apply(path: Path) -> Path | None:
    """Copy the state aside (0600) before an apply changes it; None when there is none yet."""
    if not path.is_file() or state_problem(path) is not None:
        return None
    target = backup_path(path)
    staging = target.with_name(f".{target.name}.tmp")
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as out, open(path, "rb") as source:
            shutil.copyfileobj(source, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(staging, target)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    return target
