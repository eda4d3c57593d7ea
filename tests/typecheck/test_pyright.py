"""What pyright says about user code: the same misuse files as the mypy tests.

pyright comes from the npm registry (pinned below) and is cached in .cache/pyright. Where
npm is missing or the install fails, the tests are skipped and say why.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import cache_lock

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
PYRIGHT_VERSION = "1.1.414"
CACHE = PROJECT / ".cache" / "pyright" / PYRIGHT_VERSION


@pytest.fixture(scope="session")
def pyright() -> Path:
    with cache_lock("pyright"):
        return _install_pyright()


def _install_pyright() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "pyright"
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("pyright tests need npm (Node.js) to install pyright; npm is not on PATH")
    CACHE.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [npm, "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", "--silent",
         f"pyright@{PYRIGHT_VERSION}"], capture_output=True, text=True, timeout=600)
    if result.returncode != 0 or not binary.exists():
        pytest.skip(f"could not install pyright {PYRIGHT_VERSION} with npm: "
                    f"{(result.stderr or result.stdout).strip()[-300:]}")
    return binary


def run_pyright(pyright: Path, tmp_path: Path, *files: Path) -> list[tuple[str, int, str]]:
    """(file name, line, message) of every error pyright reports for ``files``."""
    config = {
        "extraPaths": [str(PROJECT), str(PROJECT / "generated")],
        "pythonVersion": "3.11",
        "typeCheckingMode": "basic",
        "reportDeprecated": "error",
    }
    (tmp_path / "pyrightconfig.json").write_text(json.dumps(config))
    for file in files:
        if file.parent != tmp_path:
            shutil.copy(file, tmp_path / file.name)
    result = subprocess.run(
        [str(pyright), "--outputjson", "--pythonpath", sys.executable, *(f.name for f in files)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    assert report["summary"]["filesAnalyzed"] == len(files), report["summary"]
    return [(Path(d["file"]).name, d["range"]["start"]["line"] + 1, d["message"])
            for d in report["generalDiagnostics"] if d["severity"] == "error"]


def _marked_lines(path: Path) -> set[int]:
    return {n for n, line in enumerate(path.read_text().splitlines(), 1) if "# E:" in line}


@pytest.mark.parametrize("name", ["misuse.py", "misuse_refs.py"])
def test_pyright_reports_every_marked_misuse_and_nothing_else(pyright, tmp_path, name) -> None:
    errors = run_pyright(pyright, tmp_path, HERE / name)
    assert {line for _, line, _ in errors} == _marked_lines(HERE / name), errors


def test_correct_usage_is_clean_under_pyright(pyright, tmp_path) -> None:
    assert run_pyright(pyright, tmp_path, HERE / "correct.py") == []


def test_pyright_flags_a_name_that_exists_nowhere(pyright, tmp_path) -> None:
    source = tmp_path / "unavailable.py"
    source.write_text("from pangea_aws import aws_docdb_certificate\n\n"
                      "aws_docdb_certificate('ca')\n")
    errors = run_pyright(pyright, tmp_path, source)
    # pyright reports the deprecated name where it is imported and where it is called
    assert [(line, "aws_docdb_certificate does not exist" in message)
            for _, line, message in errors] == [(1, True), (3, True)], errors


def test_the_example_stack_is_clean_under_pyright(pyright, tmp_path) -> None:
    """Issue 10's stack, examples/database_infrastructure.py: curated and schema-only AWS
    types, data sources, an ephemeral resource and random_password."""
    assert run_pyright(pyright, tmp_path, PROJECT / "examples" / "database_infrastructure.py") == []


def test_a_schema_only_type_misused_is_a_type_error(pyright, tmp_path) -> None:
    source = tmp_path / "vpc_misuse.py"
    source.write_text(
        "from pangea_aws import aws_vpc, data_aws_availability_zones\n"
        "from pangea_random import random_password\n"
        "vpc = aws_vpc('main', cidr_block=10)\n"
        "aws_vpc('other', cidr_blok='10.0.0.0/16')\n"
        "vpc.no_such_attribute\n"
        "data_aws_availability_zones('az', state=True)\n"
        "random_password('p', length='32')\n")
    lines = sorted({line for _, line, _ in run_pyright(pyright, tmp_path, source)})
    assert lines == [3, 4, 5, 6, 7]
