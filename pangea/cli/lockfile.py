"""The dependency lock file ``.terraform.lock.hcl`` beside the templates, meant to be committed.

Terraform writes the lock file into its working directory; pangea's working directories are
private (``.pangea/<namespace>/<template>/``), so pangea copies the project's lock file in
before ``terraform init`` and merges what ``init`` recorded back out after it. Each template
needs only some providers, and ``init`` drops the entries its configuration does not use, so
the project file is the union: one ``provider "..." { ... }`` block per provider address,
the newest one ``init`` wrote winning.
"""

from __future__ import annotations

import re
from pathlib import Path

LOCK_FILE = ".terraform.lock.hcl"
_HEADER = (
    "# This file is maintained automatically by \"terraform init\".\n"
    "# Manual edits may be lost in future updates.\n"
)
_BLOCK = re.compile(r'^provider "([^"]+)" \{\n.*?^\}\n?', re.MULTILINE | re.DOTALL)


def parse_blocks(text: str) -> dict[str, str]:
    """Provider address -> its whole block, as Terraform wrote it."""
    return {m.group(1): m.group(0).rstrip("\n") + "\n" for m in _BLOCK.finditer(text)}


def render(blocks: dict[str, str]) -> str:
    return _HEADER + "".join(f"\n{blocks[address]}" for address in sorted(blocks))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def copy_in(project_lock: Path, workdir: Path) -> None:
    """Give the working directory the project's lock file (before ``terraform init``)."""
    text = _read(project_lock)
    if text:
        (workdir / LOCK_FILE).write_text(text, encoding="utf-8")


def needs_refresh(project_lock: Path, workdir: Path) -> bool:
    """True when the project file pins a provider differently from the working directory's
    (for example after ``git pull`` brought an upgraded lock file): ``init`` must run again."""
    shared = parse_blocks(_read(project_lock))
    local = parse_blocks(_read(workdir / LOCK_FILE))
    return any(address in shared and shared[address] != block for address, block in local.items())


def merge_out(workdir: Path, project_lock: Path) -> bool:
    """Merge the working directory's lock entries into the project file; True if it changed."""
    local = parse_blocks(_read(workdir / LOCK_FILE))
    if not local:
        return False
    before = _read(project_lock)
    merged = {**parse_blocks(before), **local}
    text = render(merged)
    if text == before:
        return False
    tmp = project_lock.with_name(f".{LOCK_FILE}.pangea-tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(project_lock)
    return True
