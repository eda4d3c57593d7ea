"""Format generated Python with black, fixed settings (independent of any user config)."""

from __future__ import annotations

import black

from codegen.errors import GeneratorError

_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
_STUB_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100, is_pyi=True)


def format_file(path: str, text: str) -> str:
    if path.endswith(".py"):
        mode = _MODE
    elif path.endswith(".pyi"):
        mode = _STUB_MODE
    else:
        return text
    try:
        return black.format_str(text, mode=mode)
    except black.InvalidInput as exc:  # a generator bug: say where, never write it
        raise GeneratorError(f"generated {path} is not valid Python: {exc}") from None


def format_files(files: dict[str, str], jobs: int = 1) -> dict[str, str]:
    """Format every file; with ``jobs`` > 1 the work is spread over processes."""
    if jobs <= 1 or len(files) < 50:
        return {path: format_file(path, text) for path, text in files.items()}
    from concurrent.futures import ProcessPoolExecutor

    paths = sorted(files)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = pool.map(format_file, paths, [files[p] for p in paths], chunksize=16)
        return dict(zip(paths, results))
