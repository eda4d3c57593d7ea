"""What pyright says about user code: the same misuse files as the mypy tests.

pyright comes from the npm registry (pinned below) and is cached in .cache/pyright. Where
npm is missing or the install fails, the tests are skipped and say why.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import build_once, cache_lock

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


# The cases pyright checks in one run per test run (`repo_pyright`): the misuse and correct-use
# files, the example stack, and two snippets written for the run.
CASE_FILES = (HERE / "misuse.py", HERE / "misuse_refs.py", HERE / "correct.py",
              PROJECT / "examples" / "database_infrastructure.py")
SNIPPETS = {
    # a name that exists nowhere
    "unavailable.py": "from pangea_aws import aws_docdb_certificate\n\n"
                      "aws_docdb_certificate('ca')\n",
    # schema-only types and a random type, misused
    "vpc_misuse.py": "from pangea_aws import aws_vpc, data_aws_availability_zones\n"
                     "from pangea_random import random_password\n"
                     "vpc = aws_vpc('main', cidr_block=10)\n"
                     "aws_vpc('other', cidr_blok='10.0.0.0/16')\n"
                     "vpc.no_such_attribute\n"
                     "data_aws_availability_zones('az', state=True)\n"
                     "random_password('p', length='32')\n",
}


@pytest.fixture(scope="session")
def repo_pyright(pyright: Path, tmp_path_factory: pytest.TempPathFactory) -> RepoPyright:
    """pyright's errors in every case file, from one run per test run, shared by the workers:
    each run reads the stubs of every AWS type (about 3.5 s of CPU), the files themselves are
    checked one by one."""
    def build(directory: Path) -> None:
        for name, source in SNIPPETS.items():
            (directory / name).write_text(source)
        errors = run_pyright(pyright, directory, *CASE_FILES, *(directory / n for n in SNIPPETS))
        (directory / "errors.json").write_text(json.dumps(errors))

    saved = json.loads((build_once(tmp_path_factory, "repo-pyright", build)
                        / "errors.json").read_text())
    return RepoPyright(tuple((name, line, message) for name, line, message in saved))


@dataclass(frozen=True)
class RepoPyright:
    errors: tuple[tuple[str, int, str], ...]  # (file name, line, message)

    def errors_in(self, name: str) -> list[tuple[str, int, str]]:
        return [error for error in self.errors if error[0] == name]


@pytest.mark.parametrize("name", ["misuse.py", "misuse_refs.py"])
def test_pyright_reports_every_marked_misuse_and_nothing_else(repo_pyright, name) -> None:
    errors = repo_pyright.errors_in(name)
    assert {line for _, line, _ in errors} == _marked_lines(HERE / name), errors


def test_correct_usage_is_clean_under_pyright(repo_pyright) -> None:
    assert repo_pyright.errors_in("correct.py") == []


def test_pyright_flags_a_name_that_exists_nowhere(repo_pyright) -> None:
    errors = repo_pyright.errors_in("unavailable.py")
    # pyright reports the deprecated name where it is imported and where it is called
    assert [(line, "aws_docdb_certificate does not exist" in message)
            for _, line, message in errors] == [(1, True), (3, True)], errors


def test_the_example_stack_is_clean_under_pyright(repo_pyright) -> None:
    """Issue 10's stack, examples/database_infrastructure.py: curated and schema-only AWS
    types, data sources, an ephemeral resource and random_password."""
    assert repo_pyright.errors_in("database_infrastructure.py") == []


def test_a_schema_only_type_misused_is_a_type_error(repo_pyright) -> None:
    lines = sorted({line for _, line, _ in repo_pyright.errors_in("vpc_misuse.py")})
    assert lines == [3, 4, 5, 6, 7]
