"""Shared fixtures: the pinned provider schema, template files, and modules generated from
small hand-written schemas."""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import gc
import importlib.util
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterator

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = Path(
    os.environ.get("PANGEA_SCHEMA_DIR", PROJECT_ROOT.parent / "shared" / "provider_schema")
)
PINNED_SCHEMA_FILE = "aws-6.47.0.json"
AWS_SOURCE = "registry.terraform.io/hashicorp/aws"


COMMITTED_SCHEMAS = PROJECT_ROOT / "provider_schema"

# pangea keeps templates' compiled code in a cache folder (pangea.script_loader): the tests,
# and the commands they start, use one of their own, not the user's
# (made by the first process of a run, which removes it when it exits; workers inherit it)
if "PANGEA_CACHE_DIR" not in os.environ:
    os.environ["PANGEA_CACHE_DIR"] = tempfile.mkdtemp(prefix="pangea-test-cache-")
    atexit.register(shutil.rmtree, os.environ["PANGEA_CACHE_DIR"], ignore_errors=True)


@pytest.fixture(scope="session")
def schema_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the pinned schemas as plain JSON: PANGEA_SCHEMA_DIR or ../shared
    when they have them, else the committed provider_schema/*.json.xz decompressed once."""
    if (SCHEMA_DIR / PINNED_SCHEMA_FILE).exists():
        return SCHEMA_DIR
    import lzma

    out = tmp_path_factory.mktemp("provider_schema")
    for packed in sorted(COMMITTED_SCHEMAS.glob("*.json.xz")):
        (out / packed.name[:-len(".xz")]).write_bytes(lzma.decompress(packed.read_bytes()))
    return out


@pytest.fixture(scope="session")
def pinned_schema(schema_dir: Path) -> dict[str, Any]:
    """The pinned `terraform providers schema -json` document, loaded once."""
    with open(schema_dir / PINNED_SCHEMA_FILE) as handle:
        return json.load(handle)


@pytest.fixture(scope="session")
def pinned_lookup(pinned_schema: dict[str, Any]):
    from pangea.schema_check import lookup_from_provider_schema

    return lookup_from_provider_schema(pinned_schema)


@pytest.fixture
def write_template(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a template file (dedented source) and return its path."""

    def write(source: str, name: str = "templates.py") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(source))
        return path

    return write


# -- modules generated from small schemas ---------------------------------------------------

_counter = itertools.count()


def generate_source(block: dict[str, Any], type_name: str = "aws_test_thing", *,
                    kind: str = "resource", formatted: bool = False) -> tuple[str, str, Any]:
    """``(module source, stub source, TypeModel)`` for a type whose schema block is ``block``."""
    from codegen.pipeline.build import build_type
    from codegen.pipeline.emit_python import emit_module
    from codegen.inputs.shapes import ShapeLock

    model = build_type(kind, type_name, {"version": 0, "block": block}, ShapeLock(None))
    py, pyi = emit_module(model, "0.0.0-test")
    if formatted:
        from codegen.pipeline.format import format_file

        py, pyi = format_file("m.py", py), format_file("m.pyi", pyi)
    return py, pyi, model


def schema_sidecar(model: Any) -> str | None:
    """The ``.schema.json`` written beside a module, when the generator emits one."""
    try:
        from codegen.pipeline.emit_python import emit_schema
    except ImportError:  # the schema is embedded in the module
        return None
    return emit_schema(model)


def load_generated(source: str, directory: Path, schema: str | None = None) -> ModuleType:
    """Write generated module text (and its schema sidecar) into ``directory`` and import it
    under a unique name."""
    name = f"_pangea_test_generated_{next(_counter)}"
    path = directory / f"{name}.py"
    path.write_text(source)
    if schema is not None:
        path.with_suffix(".schema.json").write_text(schema)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves annotations through sys.modules
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


@pytest.fixture
def generated_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., ModuleType]:
    """``generated_module(block, type_name=..., kind=...)`` -> the imported generated module.

    Its directory counts as pangea's own code (like pangea_aws), so errors and warnings are
    located at the caller's line, as they are for the real generated package."""
    from pangea import errors

    directory = tmp_path / "generated"
    directory.mkdir()
    internal = errors._internal_dirs
    monkeypatch.setattr(errors, "_internal_dirs", lambda: (*internal(), str(directory) + os.sep))
    loaded: list[str] = []

    def make(block: dict[str, Any], type_name: str = "aws_test_thing", *,
             kind: str = "resource") -> ModuleType:
        source, _, model = generate_source(block, type_name, kind=kind)
        module = load_generated(source, directory, schema_sidecar(model))
        loaded.append(module.__name__)
        return module

    yield make
    for name in loaded:
        sys.modules.pop(name, None)


def _run_template(body: Callable[[], Any], name: str = "t") -> dict[str, Any]:
    from pangea.template import Template

    return Template(body, name)()


@pytest.fixture
def run_template() -> Callable[..., dict[str, Any]]:
    """``run_template(function, name="t")``: run a function as a template, return its JSON."""
    return _run_template


@pytest.fixture
def emit_sources() -> Callable[..., tuple[str, str, Any]]:
    """``emit_sources(block, type_name, kind=..., formatted=...)`` -> (py, pyi, TypeModel)."""
    return generate_source


# -- test-run organisation ------------------------------------------------------------------

CACHE = PROJECT_ROOT / ".cache"  # git-ignored: empty in a fresh clone (CI), kept between runs

# `make test` runs the suite on every core with pytest-xdist (`-n auto --dist loadgroup`).
# A few session fixtures are expensive (a cold mypy run and a pyright run over every AWS stub;
# a fresh venv with pangea built and installed in it). They are built once per test run,
# whatever the number of workers (`build_once`), and the tests that use one are one xdist
# group, so one worker runs them all instead of another waiting for the build. Slow tests are handed out first, so the
# long chains overlap the many short tests instead of trailing them (README, design notes:
# test time).
SHARED_FIXTURE_GROUPS = {"repo_mypy": "mypy-repository", "repo_pyright": "pyright-repository",
                         "user_env": "installed-package",
                         # one moto server (a worker's session fixture) instead of one a worker
                         "moto_endpoint": "moto-server"}
# Longest first (CPU seconds, cold): build, install, mypy and pyright about 40; the mypy run 18;
# pyright 10.
GROUP_ORDER = ("installed-package", "mypy-repository", "pyright-repository")


def _run_dir(factory: pytest.TempPathFactory) -> Path:
    """The directory every process of this test run shares: the run's base temporary directory
    (an xdist worker's own is a subdirectory of it)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _cost(item: pytest.Item) -> tuple[int, int]:
    """Order of hand-out: the shared-fixture groups, longest chain first, then the other slow
    tests, then the rest."""
    mark = item.get_closest_marker("xdist_group")
    if mark is not None and mark.args and mark.args[0] in GROUP_ORDER:
        return 0, GROUP_ORDER.index(mark.args[0])
    return (1 if mark is not None or item.get_closest_marker("slow") is not None else 2), 0


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        names = getattr(item, "fixturenames", ())
        group = next((g for f, g in SHARED_FIXTURE_GROUPS.items() if f in names), None)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=_cost)  # stable
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is not None:  # tell the controller's scheduler the groups (below)
        groups = {item.nodeid: mark.args[0] if mark.args else mark.kwargs.get("name", "default")
                  for item in items if (mark := item.get_closest_marker("xdist_group"))}
        (_run_dir(config._tmp_path_factory) / f"xdist-groups-{worker}.json").write_text(json.dumps(groups))


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection imported and built (every generated module the tests import, the
    parametrized items) lives until the run ends: the cycle collector's full passes need not
    walk it again and again (gc.freeze; about a second of CPU a worker)."""
    gc.freeze()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup` that keeps each `xdist_group` on one worker.

    pytest-xdist 3.8.0 marks a test's group by appending `@group` to its node id in the worker,
    which pytest 9.2's structured node ids ignore (pytest-xdist issue 1386), so every group was
    split. Here the workers write their groups to the run's directory during collection, before
    they report it, and the controller's scheduler reads them back."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    run_dir = _run_dir(config._tmp_path_factory)
    # hand the groups out in collection order (pytest_collection_modifyitems sorts it), not
    # largest group first
    config.option.loadscopereorder = False

    class SharedFixtureScheduling(LoadScopeScheduling):  # type: ignore[misc]
        _groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self._groups is None:
                self._groups = {}
                for path in sorted(run_dir.glob("xdist-groups-*.json")):
                    self._groups.update(json.loads(path.read_text()))
            group = self._groups.get(nodeid)
            return f"@group:{group}" if group is not None else nodeid

    return SharedFixtureScheduling(config, log)


def build_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], None]) -> Path:
    """The directory ``name`` shared by every process of this test run, filled by
    ``build(directory)`` once: the first worker that needs it builds it under a file lock, the
    others wait for it and reuse it. A build that fails (or skips) leaves no mark, so the next
    worker tries again and reports its own outcome."""
    root = _run_dir(tmp_path_factory)
    directory = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        built = root / f"shared-{name}.built"
        if not built.exists():
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir()
            build(directory)
            built.touch()
    return directory


# A memory file system, where a test that writes and deletes thousands of files (the
# installed-package build: a venv, setuptools' build tree, the wheel's ~10,000 files) pays much
# less than on this machine's disk (measured: that pip install took 20 s of CPU there against
# 37-40 s on ext4 mounted with `discard`; README, design notes: test time).
MEMORY_FS = Path("/dev/shm")
_MEMORY_DIR_PREFIX = "pangea-test-"


def memory_backed_dir(name: str, room: int) -> Path | None:
    """A new directory on the memory file system, when there is one with ``room`` bytes to
    spare, removed when this process exits; None otherwise (use the usual temporary directory).
    Its name carries this process's id, so directories left by a killed run are removed by the
    next one (only those whose process is gone)."""
    try:
        usable = MEMORY_FS.is_dir() and os.access(MEMORY_FS, os.W_OK | os.X_OK)
        stats = os.statvfs(MEMORY_FS) if usable else None
    except OSError:
        return None
    if stats is None or stats.f_bavail * stats.f_frsize < room:
        return None
    _remove_orphaned_memory_dirs()
    directory = Path(tempfile.mkdtemp(prefix=f"{_MEMORY_DIR_PREFIX}{os.getpid()}-{name}-",
                                      dir=MEMORY_FS))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return directory


def _remove_orphaned_memory_dirs() -> None:
    for path in MEMORY_FS.glob(f"{_MEMORY_DIR_PREFIX}*-*"):
        pid = path.name[len(_MEMORY_DIR_PREFIX):].split("-", 1)[0]
        try:
            if not pid.isdigit() or path.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:  # its process is gone: left by a killed run
            shutil.rmtree(path, ignore_errors=True)
        except OSError:  # alive (another user's process), or not ours to look at
            continue


@contextlib.contextmanager
def cache_lock(name: str) -> Iterator[None]:
    """An exclusive lock under .cache/locks: two test processes (xdist workers) filling the
    same cache entry (Terraform, pyright) take turns, and the second finds it filled."""
    locks = CACHE / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


# -- one mypy run for every in-repository type-check case -----------------------------------

TYPECHECK = PROJECT_ROOT / "tests" / "typecheck"
# The user-code cases of tests/typecheck/ and tests/test_seed_names.py, plus the committed
# generated modules: mypy reads the stub of every AWS type once per run (`import pangea_aws`;
# about 18 s of CPU cold, README known limits), so they are checked together, in one run.
MYPY_FILES = ("misuse.py", "misuse_refs.py", "correct.py", "seed_unavailable.py",
              "seed_aliases.py")
# Shipped examples, by path: `make example`'s stack must type-check clean (issue 10).
MYPY_EXAMPLES = ("examples/database_infrastructure.py",)
# What `-m pangea_aws -p pangea_aws.resources -p pangea_aws.data` selects, as paths (mypy takes
# files or modules, not both): the package stub and every module of the two subpackages, a
# stub where there is one (mypy prefers it in both modes).
MYPY_GENERATED = ("generated/pangea_aws/__init__.pyi", "generated/pangea_aws/resources",
                  "generated/pangea_aws/data")


@dataclass(frozen=True)
class MypyRun:
    code: int
    errors: tuple[str, ...]  # every "error:" line; paths relative to the project

    def errors_in(self, name: str) -> list[str]:
        """The errors of ``tests/typecheck/<name>``, as ``name:line: error: ...``."""
        prefix = f"tests/typecheck/{name}:"
        return [line[len("tests/typecheck/"):] for line in self.errors if line.startswith(prefix)]

    def errors_in_file(self, path: str) -> list[str]:
        """The errors of the file at ``path`` (relative to the project), as mypy prints them."""
        return [line for line in self.errors if line.startswith(f"{path}:")]

    def errors_outside_the_case_files(self) -> list[str]:
        """The errors located anywhere but the case files and examples (the generated
        modules)."""
        cases = tuple(f"tests/typecheck/{name}:" for name in MYPY_FILES) + tuple(
            f"{path}:" for path in MYPY_EXAMPLES)
        return [line for line in self.errors if not line.startswith(cases)]


def run_mypy(*args: str, cache_dir: Path = CACHE / "mypy") -> MypyRun:
    """Run mypy in the project with its own settings (`[tool.mypy]`: `mypy_path = "generated"`,
    since mypy cannot follow setuptools' editable-install hook; deprecated names reported).

    The cache lives in .cache/mypy: a fresh clone (CI) runs cold, a second local run is warm."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache_dir),
         "--no-error-summary", "--hide-error-context", "--no-pretty", "--show-error-codes",
         "--no-color-output", "--follow-imports=silent", *args],
        cwd=PROJECT_ROOT, env={**os.environ, "MYPYPATH": str(PROJECT_ROOT / "generated")},
        capture_output=True, text=True, timeout=1800)
    assert "Traceback" not in result.stderr, result.stderr
    return MypyRun(result.returncode,
                   tuple(line for line in result.stdout.splitlines() if ": error:" in line))


@pytest.fixture(scope="session")
def repo_mypy(tmp_path_factory: pytest.TempPathFactory) -> MypyRun:
    """mypy's verdict on every in-repository case file and the committed generated modules,
    from one run per test run, shared by the workers (the cases contain deliberate errors, so
    it exits 1)."""
    def build(directory: Path) -> None:
        run = run_mypy("--enable-error-code", "deprecated",
                       *(f"tests/typecheck/{name}" for name in MYPY_FILES), *MYPY_EXAMPLES,
                       *MYPY_GENERATED)
        (directory / "run.json").write_text(json.dumps({"code": run.code,
                                                         "errors": list(run.errors)}))

    saved = json.loads((build_once(tmp_path_factory, "repo-mypy", build) / "run.json").read_text())
    run = MypyRun(saved["code"], tuple(saved["errors"]))
    assert run.code == 1, f"mypy exited {run.code}:\n" + "\n".join(run.errors)
    return run
