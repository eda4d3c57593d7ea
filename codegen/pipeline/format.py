"""Format generated Python with black, fixed settings (independent of any user config).

black is most of the generator's run time, so results are cached by content: the key is the
black version, the mode and the unformatted text, the value black's output. A warm run of
`make generate` or `make check-generated` then formats nothing. ``cache_dir=None`` disables it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import black

from codegen.errors import GeneratorError

_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
_STUB_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100, is_pyi=True)
DEFAULT_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "black"


def _mode_for(path: str) -> black.Mode | None:
    if path.endswith(".py"):
        return _MODE
    if path.endswith(".pyi"):
        return _STUB_MODE
    return None


def _key(mode: black.Mode, text: str) -> str:
    digest = hashlib.sha256(f"{black.__version__}\0{mode!r}\0".encode())
    digest.update(text.encode())
    return digest.hexdigest()


def format_file(path: str, text: str, cache_dir: Path | None = None) -> str:
    mode = _mode_for(path)
    if mode is None:
        return text
    cached = None
    if cache_dir is not None:
        cached = cache_dir / _key(mode, text)
        if cached.exists():
            return cached.read_text()
    try:
        result = black.format_str(text, mode=mode)
    except black.InvalidInput as exc:  # a generator bug: say where, never write it
        raise GeneratorError(f"generated {path} is not valid Python: {exc}") from None
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        tmp.write_text(result)
        os.replace(tmp, cached)
    return result


def _format_item(item: tuple[str, str, Path | None]) -> str:
    return format_file(*item)


def format_files(files: dict[str, str], jobs: int = 1,
                 cache_dir: Path | None = DEFAULT_CACHE) -> dict[str, str]:
    """Format every file; with ``jobs`` > 1 the work is spread over processes."""
    paths = sorted(files)
    items = [(p, files[p], cache_dir) for p in paths]
    if jobs <= 1 or len(files) < 50:
        return {p: _format_item(i) for p, i in zip(paths, items)}
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return dict(zip(paths, pool.map(_format_item, items, chunksize=16)))
