"""A user's view: pangea installed non-editable into a fresh venv, a template file outside the
repository, and mypy (with the README's settings) and pyright catching every marked mistake."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import build_once, memory_backed_dir
from tests.typecheck.test_pyright import pyright  # noqa: F401  (fixture)

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
USER_FILE = HERE / "user_mistakes.py"
# What a build does not read: environments, caches, earlier builds, the git-ignored schema-only
# tree (the build generates its own).
NOT_SOURCES = (".git", ".venv", ".cache", "build", "*.egg-info", "__pycache__", "schema_only",
               ".pangea")
# What the build needs at its peak (the source copy with setuptools' build tree, pip's
# isolated build environment, the venv), with a margin.
BUILD_ROOM = 2 << 30
README_MYPY = re.compile(r"```toml\n(\[tool\.mypy\]\n.*?)```", re.DOTALL)

pytestmark = pytest.mark.slow


def _statement_of(line: int) -> int:
    """First line of the innermost simple statement holding ``line``: checkers report a mistake
    in a call spread over several lines at the call's first line (mypy) or at the argument."""
    spans = [(node.lineno, node.end_lineno or node.lineno)
             for node in ast.walk(ast.parse(USER_FILE.read_text()))
             if isinstance(node, ast.stmt) and not hasattr(node, "body")]
    holding = [start for start, end in spans if start <= line <= end]
    return max(holding) if holding else line


def _marked() -> set[int]:
    return {_statement_of(n) for n, line in enumerate(USER_FILE.read_text().splitlines(), 1)
            if "# E:" in line}


def _install_into_a_fresh_venv(root: Path) -> None:
    """``root/venv``: a fresh venv whose own pip built pangea and installed it non-editable.

    Built on the memory file system where there is one (``root/venv`` links to it there): the
    venv, setuptools' build tree and pip's unpacking write and delete some 40,000 files, which
    cost this machine's disk about twice the CPU (tests/conftest.py, memory_backed_dir)."""
    work = memory_backed_dir("installed", BUILD_ROOM) or root
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # The README's user path: the fresh venv's own pip builds pangea (isolated build: setuptools
    # and the generator's tools come from the package index) and installs it non-editable.
    # It builds from a private copy of the sources: setuptools builds in the source tree's
    # build/, where two builds at once (another checkout's test run, a developer's own
    # `pip install .`) collide ("File exists: build/bdist.../pangea-0.1.0.dist-info").
    # --no-compile: the checkers read sources, not bytecode; compiling the ~10,000 installed
    # modules was 11 of the install's 19 s of CPU.
    source = work / "source"
    shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-compile",
                              str(source)], capture_output=True, text=True, timeout=1800)
    if install.returncode != 0 and "No matching distribution" in install.stderr:
        pytest.skip(f"installing pangea's build or runtime dependencies failed (no package "
                    f"index?): {install.stderr.strip()[-300:]}")
    assert install.returncode == 0, install.stderr[-2000:]
    # Not an editable install: the package is a real copy, as a user gets it.
    site = subprocess.run([str(python), "-c", "import pangea, pangea_aws; print(pangea.__file__)"],
                          capture_output=True, text=True, cwd=root)
    assert site.returncode == 0 and "site-packages" in site.stdout, site
    shutil.rmtree(source)  # the build tree is not needed any more
    if work != root:
        (root / "venv").symlink_to(env_dir, target_is_directory=True)


@pytest.fixture(scope="module")
def user_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(fresh venv, user directory holding infra.py and the README's mypy settings).

    The venv is built once per test run and shared by the workers (tests/conftest.py,
    build_once); each worker gets its own user directory."""
    env_dir = build_once(tmp_path_factory, "installed-package", _install_into_a_fresh_venv) / "venv"
    user = tmp_path_factory.mktemp("user") / "project"
    user.mkdir()
    (user / "infra.py").write_text(USER_FILE.read_text())
    settings = README_MYPY.search((PROJECT / "README.md").read_text())
    assert settings, "the README recommends mypy settings in a ```toml block"
    (user / "pyproject.toml").write_text(settings.group(1))
    return env_dir, user


def test_mypy_with_the_readme_settings_catches_every_mistake(user_env) -> None:
    env_dir, user = user_env
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--python-executable", str(env_dir / "bin" / "python"),
         "--no-error-summary", "--show-error-codes", "--no-color-output",
         "--cache-dir", str(user / ".mypy_cache"), "infra.py"],
        cwd=user, capture_output=True, text=True, timeout=900)
    assert "Traceback" not in result.stderr, result.stderr
    reported = re.finditer(r"^infra\.py:(\d+): error", result.stdout, re.MULTILINE)
    lines = {_statement_of(int(m.group(1))) for m in reported}
    assert "import-untyped" not in result.stdout and "import-not-found" not in result.stdout
    assert len(_marked()) == 15
    assert lines == _marked(), result.stdout
    # one signature per function, so mypy names the offending argument, never "No overload
    # variant" for a generated function
    for expected in (
            'Unexpected keyword argument "cluster_identifer" for "aws_docdb_cluster"; did you mean '
            '"cluster_identifier"',
            'Argument "backup_retention_period" to "aws_docdb_cluster" has incompatible type "str"',
            'Argument "storage_encrypted" to "aws_docdb_cluster" has incompatible type "str"',
            'Argument "engine" to "aws_docdb_cluster" has incompatible type "Literal[\'mongodb\']"',
            'Argument "backup_retention_period" to "aws_docdb_cluster" has incompatible type '
            '"StrRef"',
            'Argument "deletion_protection" to "aws_docdb_cluster" has incompatible type "StrRef"',
            'Unexpected keyword argument "id" for "aws_docdb_cluster"'):
        assert expected in result.stdout, result.stdout
    assert 'No overload variant of "aws_' not in result.stdout, result.stdout


def test_pyright_catches_every_mistake(user_env, pyright) -> None:  # noqa: F811
    env_dir, user = user_env
    (user / "pyrightconfig.json").write_text(json.dumps({
        "venvPath": str(env_dir.parent), "venv": env_dir.name, "pythonVersion": "3.11",
        "typeCheckingMode": "standard", "reportDeprecated": "error"}))
    result = subprocess.run([str(pyright), "--outputjson", "infra.py"], cwd=user,
                            capture_output=True, text=True, timeout=600)
    report = json.loads(result.stdout)
    errors = {_statement_of(d["range"]["start"]["line"] + 1) for d in report["generalDiagnostics"]
              if d["severity"] == "error"}
    assert len(_marked()) == 15
    assert errors == _marked(), report["generalDiagnostics"]
    messages = "\n".join(d["message"] for d in report["generalDiagnostics"])
    for name in ("backup_retention_period", "storage_encrypted", "engine", "deletion_protection"):
        assert f'parameter "{name}"' in messages, messages
    assert 'No parameter named "cluster_identifer"' in messages and \
        'No parameter named "id"' in messages, messages
