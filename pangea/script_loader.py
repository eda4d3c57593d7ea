"""Run a user's template file the way ``python infra.py`` runs a script: nothing is written
beside it, whatever the user's Python settings.

Importing the file with the standard loader would write ``__pycache__/`` beside the user's
template (unless PYTHONDONTWRITEBYTECODE is set), fail quietly in a read-only folder, and
leave a cache that names pangea's private module. So the loader reads the source itself.

Compiling it is not free, though: the first ``compile()`` of a process builds Python's AST
classes, about 10 million instructions (3 ms) before the file's own cost, a tenth of a
1,000-resource synthesis. The code is therefore kept in pangea's own cache directory, outside
the user's tree: an entry holds the resolved path, the complete source and the code, and it is
used only when both match byte for byte, so an edit (even one keeping size and time) can never
replay old code. PYTHONDONTWRITEBYTECODE is honoured (nothing is written); a cache directory
that another user could write to is not used; any problem with the cache means compiling, as
without it. Modules the template imports follow Python's usual rules, as under ``python
infra.py``.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import marshal
import os
import sys
from types import CodeType

MAX_ENTRIES = 256  # a write beyond this removes the older half


class ScriptLoader(importlib.machinery.SourceFileLoader):
    """A source loader that never reads or writes bytecode beside the file (only the base
    class's get_code does either)."""

    def get_code(self, fullname: str) -> CodeType:
        path = self.get_filename(fullname)
        return code_of(self.get_data(path), path)


def script_spec(module_name: str, path: str) -> importlib.machinery.ModuleSpec | None:
    """The import spec for a template file, loaded by :class:`ScriptLoader`."""
    return importlib.util.spec_from_file_location(
        module_name, path, loader=ScriptLoader(module_name, path))


def code_of(source: bytes, path: str) -> CodeType:
    """The code of ``source`` (the file at ``path``): from the cache when it holds exactly
    this source at this path, else compiled and kept for the next run."""
    entry = _entry_path(path)
    if entry is not None:
        code = _read(entry, source, path)
        if code is not None:
            return code
    code = compile(source, path, "exec", dont_inherit=True)
    if entry is not None and not sys.dont_write_bytecode:
        _write(entry, source, path, code)
    return code


def cache_dir() -> str:
    """``$PANGEA_CACHE_DIR``, else ``$XDG_CACHE_HOME/pangea``, else ``~/.cache/pangea``;
    templates' code lives in its ``templates`` folder."""
    root = os.environ.get("PANGEA_CACHE_DIR")
    if not root:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"),
                                                                ".cache")
        root = os.path.join(base, "pangea")
    return os.path.join(root, "templates")


def _entry_path(path: str) -> str | None:
    """The entry file for the template at ``path``, in a folder only this user can write to
    (made so when missing); None when there is no such folder."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return None  # no owner to compare (Windows): no cache
    folder = cache_dir()
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        return None
    if info.st_uid != getuid() or info.st_mode & 0o022:
        return None  # another user could plant code there
    return os.path.join(folder, f"{_path_key(path):016x}.code")


# The largest prime below 2**64: a path's bytes as a number, reduced, name its entry.
_KEY_MODULUS = 2**64 - 59


def _path_key(path: str) -> int:
    """A stable name for a template path: one entry per template, overwritten when it is
    edited. Not zlib.crc32: loading zlib's extension cost more than the rest of a cache
    hit. Two paths that share a key only overwrite each other's entry (an entry holds its
    path and source, compared on every read)."""
    return int.from_bytes(os.fsencode(path), "little") % _KEY_MODULUS


def _read(entry: str, source: bytes, path: str) -> CodeType | None:
    try:
        with open(entry, "rb") as handle:
            data = handle.read()
        magic = importlib.util.MAGIC_NUMBER
        if not data.startswith(magic):
            return None  # another Python's bytecode
        stored_path, stored_source, code = marshal.loads(data[len(magic):])
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if stored_path != path or stored_source != source or not isinstance(code, CodeType):
        return None
    return code


def _write(entry: str, source: bytes, path: str, code: CodeType) -> None:
    temporary = f"{entry}.{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as handle:
            handle.write(importlib.util.MAGIC_NUMBER + marshal.dumps((path, source, code)))
        os.replace(temporary, entry)  # readers see a whole entry or none
        _prune(os.path.dirname(entry))
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _prune(folder: str) -> None:
    """Keep the folder small: past MAX_ENTRIES, the older half goes."""
    entries = [e for e in os.scandir(folder) if e.name.endswith(".code")]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda e: e.stat().st_mtime)
    for old in entries[:len(entries) // 2]:
        try:
            os.unlink(old.path)
        except OSError:
            pass
