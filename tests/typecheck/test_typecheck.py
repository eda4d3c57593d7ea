"""What a type checker (mypy) says about user code and about the generated package."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
UPDATE = os.environ.get("PANGEA_UPDATE_SNAPSHOT") == "1"


_CACHE: list[Path] = []


def mypy(*args: str, tmp_path: Path) -> tuple[int, list[str]]:
    """Run mypy; return its exit code and its ``error:`` lines, paths relative to HERE.

    mypy cannot follow setuptools' editable-install import hook, so the generated package is
    found through MYPYPATH (as a user's site-packages copy would be). The runs share one cache
    (the first of the session is cold): `import pangea_aws` makes mypy read the stub of every
    type, about a minute cold on this machine and seconds warm (README, known limits)."""
    env = {**os.environ, "MYPYPATH": str(PROJECT / "generated")}
    if not _CACHE:
        _CACHE.append(tmp_path / "mypy-cache")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(_CACHE[0]),
         "--no-error-summary", "--hide-error-context", "--no-pretty", "--show-error-codes",
         "--no-color-output", "--follow-imports=silent", *args],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=900)
    assert "Traceback" not in result.stderr, result.stderr
    lines = []
    for line in result.stdout.splitlines():
        if ": error:" in line:
            line = line.replace(str(HERE) + os.sep, "").replace("tests/typecheck/", "")
            lines.append(line)
    return result.returncode, lines


def _marked_lines(path: Path) -> set[int]:
    return {n for n, line in enumerate(path.read_text().splitlines(), 1) if "# E:" in line}


def _error_lines(errors: list[str]) -> set[int]:
    return {int(m.group(1)) for e in errors if (m := re.match(r"[^:]+:(\d+):", e))}


@pytest.fixture(scope="module")
def misuse_errors(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    code, errors = mypy("tests/typecheck/misuse.py", tmp_path=tmp_path_factory.mktemp("mypy"))
    assert code == 1
    return errors


@pytest.mark.slow
def test_every_misuse_is_reported(misuse_errors: list[str]) -> None:
    marked = _marked_lines(HERE / "misuse.py")
    reported = _error_lines(misuse_errors)
    assert marked - reported == set(), f"misuse lines mypy does not report: {sorted(marked - reported)}"
    assert reported - marked == set(), f"errors on lines not marked as misuse: {sorted(reported - marked)}"


@pytest.mark.slow
def test_misuse_errors_match_the_snapshot(misuse_errors: list[str]) -> None:
    snapshot = HERE / "misuse.expected"
    text = "\n".join(misuse_errors) + "\n"
    if UPDATE:
        snapshot.write_text(text)
    expected = snapshot.read_text()
    import difflib

    diff = "\n".join(difflib.unified_diff(expected.splitlines(), text.splitlines(),
                                          "misuse.expected", "mypy now", lineterm=""))
    assert text == expected, ("mypy's errors for misuse.py changed (if intended, rerun with "
                              f"PANGEA_UPDATE_SNAPSHOT=1 and review):\n{diff}")


@pytest.mark.slow
def test_unknown_reference_attribute_is_a_type_error(tmp_path: Path) -> None:
    code, errors = mypy("tests/typecheck/misuse_refs.py", tmp_path=tmp_path)
    marked = _marked_lines(HERE / "misuse_refs.py")
    assert _error_lines(errors) == marked, (
        "mypy accepts unknown attributes of typed references (StructRef.__getattr__ is "
        f"visible to type checkers); errors: {errors}")
    assert any("has no attribute \"endpont\"" in e for e in errors)


@pytest.mark.slow
def test_correct_usage_type_checks_clean(tmp_path: Path) -> None:
    code, errors = mypy("tests/typecheck/correct.py", tmp_path=tmp_path)
    assert errors == [] and code == 0


@pytest.mark.slow
def test_generated_package_type_checks(tmp_path: Path) -> None:
    # the committed part; the schema-only modules are checked through their stubs (above)
    code, errors = mypy("-m", "pangea_aws", "-p", "pangea_aws.resources", "-p", "pangea_aws.data",
                        tmp_path=tmp_path)
    assert errors == [] and code == 0, "\n".join(errors)
