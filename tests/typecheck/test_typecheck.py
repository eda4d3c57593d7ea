"""What a type checker (mypy) says about user code and about the generated package.

The files are checked in the session's one mypy run (`repo_mypy`, tests/conftest.py): mypy
reads the stub of every AWS type once per run, about 45 s of CPU cold."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
UPDATE = os.environ.get("PANGEA_UPDATE_SNAPSHOT") == "1"


def _marked_lines(path: Path) -> set[int]:
    return {n for n, line in enumerate(path.read_text().splitlines(), 1) if "# E:" in line}


def _error_lines(errors: list[str]) -> set[int]:
    return {int(m.group(1)) for e in errors if (m := re.match(r"[^:]+:(\d+):", e))}


@pytest.fixture
def misuse_errors(repo_mypy) -> list[str]:
    errors = repo_mypy.errors_in("misuse.py")
    assert errors
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
def test_unknown_reference_attribute_is_a_type_error(repo_mypy) -> None:
    errors = repo_mypy.errors_in("misuse_refs.py")
    marked = _marked_lines(HERE / "misuse_refs.py")
    assert _error_lines(errors) == marked, (
        "mypy accepts unknown attributes of typed references (StructRef.__getattr__ is "
        f"visible to type checkers); errors: {errors}")
    assert any("has no attribute \"endpont\"" in e for e in errors)


@pytest.mark.slow
def test_correct_usage_type_checks_clean(repo_mypy) -> None:
    assert repo_mypy.errors_in("correct.py") == []


@pytest.mark.slow
def test_generated_package_type_checks(repo_mypy) -> None:
    # the committed part (`-m pangea_aws -p pangea_aws.resources -p pangea_aws.data` in the
    # run); the schema-only modules are checked through their stubs (above)
    errors = repo_mypy.errors_outside_the_case_files()
    assert errors == [], "\n".join(errors)
