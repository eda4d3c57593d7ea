"""Format generated Python with ``ruff format``, fixed settings (independent of any user config).

One ruff process formats every file of a run in place: in the staging tree of a first build
before it is swapped in (``format_tree``), or in a scratch copy (``format_files``, on
/dev/shm when it has room) for ``--check`` and for a regeneration, which then links every
file that did not change from the previous tree (codegen/pipeline/write.py); ruff spreads
the work over the cores itself. black did the same job about 100 times slower (README,
design notes). ``.pyi`` files get ruff's stub style; every other file passes through
unchanged. The ruff version is pinned in pyproject.toml, so the output is the same on every
machine."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from codegen.errors import GeneratorError

LINE_LENGTH = 100
TARGET_VERSION = "py311"
_SUFFIXES = (".py", ".pyi")


def ruff_binary() -> str:
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError:
        raise GeneratorError("ruff is not installed; the generator formats its output with it "
                             "(pip install -e '.[dev]', or make install)") from None
    return str(find_ruff_bin())


def _command(root: Path) -> list[str]:
    return [ruff_binary(), "format", "--isolated", "--no-cache", "--quiet", "--extend-exclude=*.md",
            f"--line-length={LINE_LENGTH}", f"--target-version={TARGET_VERSION}", str(root)]


def format_tree(root: Path) -> None:
    """Format every ``.py``/``.pyi`` file under ``root`` in place (one ruff process)."""
    result = subprocess.run(_command(root), capture_output=True, text=True)
    if result.returncode != 0:  # a generator bug: say where, never write it
        detail = result.stderr.replace(str(root) + "/", "").strip()
        raise GeneratorError(f"generated Python is not valid (ruff format):\n{detail}")


def _scratch_parent(size: int) -> str | None:
    """Where ``format_files`` writes its scratch copy of ``size`` bytes: a memory file system
    when there is one with room to spare (creating and removing hundreds of small files on a
    disk costs more than ruff itself), else the usual temporary directory."""
    shm = "/dev/shm"
    try:
        usable = os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK)
        stats = os.statvfs(shm) if usable else None
    except OSError:
        return None
    if stats is None or stats.f_bavail * stats.f_frsize < 2 * size + (64 << 20):
        return None
    return shm


def format_files(files: dict[str, str]) -> dict[str, str]:
    """The same files, Python sources and stubs formatted; other files as given."""
    python = sorted(p for p in files if p.endswith(_SUFFIXES))
    if not python:
        return dict(files)
    size = sum(len(files[rel]) for rel in python)
    with tempfile.TemporaryDirectory(prefix="pangea-format-", dir=_scratch_parent(size)) as scratch:
        root = Path(scratch)
        for rel in python:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[rel])
        format_tree(root)
        formatted = {rel: (root / rel).read_text() for rel in python}
    return {path: formatted.get(path, text) for path, text in files.items()}


def format_file(path: str, text: str) -> str:
    """One file, formatted as ``format_files`` would (tests and examples)."""
    return format_files({path: text})[path]
