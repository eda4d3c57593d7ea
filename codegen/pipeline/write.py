"""Write the generated tree atomically, or compare it with what is on disk (``--check``)."""

from __future__ import annotations

import ctypes
import ctypes.util
import difflib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

_RENAME_EXCHANGE = 2


def read_tree(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            out[path.relative_to(root).as_posix()] = path.read_text()
    return out


def diff_trees(expected: dict[str, str], actual: dict[str, str], label: str,
               max_lines: int = 200) -> list[str]:
    """Readable differences; empty when the trees match."""
    lines: list[str] = []
    for path in sorted(set(expected) | set(actual)):
        old, new = actual.get(path), expected.get(path)
        if old == new:
            continue
        if old is None:
            lines.append(f"missing: {label}/{path} (would be created)")
        elif new is None:
            lines.append(f"stale:   {label}/{path} (no longer generated; would be removed)")
        else:
            lines.append(f"changed: {label}/{path}")
            lines += list(difflib.unified_diff(old.splitlines(), new.splitlines(),
                                               f"{label}/{path} (committed)",
                                               f"{label}/{path} (generated now)", lineterm="",
                                               n=2))
    if len(lines) > max_lines:
        lines = lines[:max_lines] + [f"... ({len(lines) - max_lines} more lines)"]
    return lines


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False when unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def write_tree(root: Path, files: dict[str, str],
               prepare: Callable[[Path], None] | None = None) -> None:
    """Replace ``root`` with exactly ``files``. The new tree is built beside it (``prepare``,
    e.g. the formatter, runs on it there) and swapped in at once, so an interrupted or failed
    run leaves the previous tree whole."""
    root = root.resolve()
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.new-", dir=root.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; the tree it becomes is not
    try:
        for rel, text in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        if prepare is not None:
            prepare(staging)
        if not root.exists():
            staging.rename(root)
            return
        if not _exchange(staging, root):
            old = root.with_name(f".{root.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            root.rename(old)
            staging.rename(root)
            staging = old
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_file_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
