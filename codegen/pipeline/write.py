"""Write the generated tree atomically, or compare it with what is on disk (``--check``)."""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Callable

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux: no locking, so no stale-tree cleanup
    fcntl = None  # type: ignore[assignment]

_RENAME_EXCHANGE = 2
# mkdtemp's random suffix: 8 characters from this alphabet.
_STAGING_SUFFIX = r"[a-z0-9_]{8}"


def read_tree(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file under ``root`` by relative path, except under the directories ``skip``
    (pruned, never walked: the install-time tree beside the committed one has 11,000 files)."""
    if not root.exists():
        return {}
    out = {}
    skipped = set(skip)
    for directory, subdirs, names in os.walk(root):
        rel_dir = os.path.relpath(directory, root).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        subdirs[:] = [d for d in subdirs
                      if d != "__pycache__" and prefix + d not in skipped]
        for name in names:
            path = os.path.join(directory, name)
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as handle:
                    out[prefix + name] = handle.read()
    return dict(sorted(out.items()))


def diff_trees(expected: dict[str, str], actual: dict[str, str], label: str,
               max_lines: int = 200) -> list[str]:
    """Readable differences; empty when the trees match."""
    import difflib  # only a stale tree is diffed

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
    import ctypes  # here, not at the top: a run that writes nothing does not load it

    try:
        # the C library is already loaded into Python: look it up there, not with
        # ctypes.util.find_library, which runs ldconfig (0.2 s of a small run)
        renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except OSError:  # pragma: no cover - no dynamic loader
        renameat2 = None
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def staging_prefix(root: Path) -> str:
    """The name prefix of the staging trees built beside ``root`` (``.generated.new-``)."""
    return f".{root.name}.new-"


def remove_stale_staging(root: Path) -> list[Path]:
    """Remove staging trees a killed run left beside ``root``; returns what was removed.

    Only directories named exactly like ours (prefix plus mkdtemp's suffix), not symlinks,
    and only when no live run holds them: a writer keeps an exclusive lock on its staging
    directory until it is gone, and the kernel drops the lock when that process dies.
    """
    if fcntl is None or not root.parent.is_dir():
        return []
    pattern = re.compile(re.escape(staging_prefix(root)) + _STAGING_SUFFIX)
    removed = []
    for path in sorted(root.parent.iterdir()):
        if not pattern.fullmatch(path.name) or path.is_symlink() or not path.is_dir():
            continue
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            continue  # gone meanwhile, or not ours to open
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # a live run is writing it
            continue
        try:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        finally:
            os.close(fd)
    return removed


def _locked_staging(root: Path) -> tuple[Path, int | None]:
    """A new staging directory beside ``root``, locked against another run's cleanup."""
    while True:
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(root), dir=root.parent))
        if fcntl is None:
            return staging, None
        fd = os.open(staging, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            still_ours = os.stat(staging, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:  # another run's cleanup took it before we locked it
            still_ours = False
        if still_ours:
            return staging, fd
        os.close(fd)


def write_tree(root: Path, files: dict[str, str],
               prepare: Callable[[Path], None] | None = None, keep: tuple[str, ...] = ()) -> None:
    """Replace ``root`` with exactly ``files``. The new tree is built beside it (``prepare``,
    e.g. the formatter, runs on it there) and swapped in at once, so an interrupted or failed
    run leaves the previous tree whole; staging trees left by a killed run are removed first.
    The directories ``keep`` (relative to ``root``, written by another run) move over from
    the previous tree unchanged. Without ``prepare`` the texts are final, so a file whose
    bytes are already those of the previous tree's file is hard-linked from it, not written
    (a regeneration changes few files, and writing files is most of a small run's time)."""
    root = root.resolve()
    root.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(root)
    staging, lock_fd = _locked_staging(root)
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; the tree it becomes is not
    try:
        write_files(staging, files, reuse=root if prepare is None else None)
        if prepare is not None:
            prepare(staging)
        for rel in keep:
            kept = root / rel
            if kept.is_dir() and not (staging / rel).exists():
                (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                kept.rename(staging / rel)
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
        if lock_fd is not None:
            os.close(lock_fd)


def write_files(root: Path, files: dict[str, str], reuse: Path | None = None) -> None:
    """Write ``files`` (relative paths, UTF-8) under ``root``, a new directory, making each
    directory once (a whole provider is 9,000 files in a few directories). A file whose
    bytes equal those of the same regular file under ``reuse`` is hard-linked from there."""
    made: set[Path] = set()
    for rel in sorted(files):
        target = root / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        data = files[rel].encode("utf-8")
        if reuse is not None and _link_if_same(reuse / rel, target, data):
            continue
        target.write_bytes(data)


def _link_if_same(previous: Path, target: Path, data: bytes) -> bool:
    try:
        if not stat.S_ISREG(os.lstat(previous).st_mode) or previous.read_bytes() != data:
            return False
        os.link(previous, target, follow_symlinks=False)
    except OSError:  # absent, unreadable, or a file system without hard links
        return False
    return True


def write_file_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
