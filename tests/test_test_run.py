"""The test run's own machinery (tests/conftest.py): expensive fixtures built once per run,
and `--dist loadgroup` keeping each xdist group on one worker."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, build_once


class _Factory:
    """The one method of pytest.TempPathFactory that build_once uses."""

    def __init__(self, base: Path) -> None:
        self.base = base

    def getbasetemp(self) -> Path:
        return self.base


def test_build_once_builds_once_for_concurrent_workers(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")  # a worker's base is a subdirectory
    builds: list[Path] = []
    results: list[Path] = []

    def build(directory: Path) -> None:
        builds.append(directory)
        time.sleep(0.3)  # the other thread arrives while this one builds
        (directory / "artefact").write_text("built")

    def worker(name: str) -> None:
        results.append(build_once(_Factory(tmp_path / f"popen-{name}"), "thing", build))

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("gw0", "gw1")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert builds == [tmp_path / "shared-thing"]
    assert results == [tmp_path / "shared-thing"] * 2
    assert (tmp_path / "shared-thing" / "artefact").read_text() == "built"


def test_a_failed_build_is_tried_again_by_the_next_worker(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)  # one process: its own base

    def broken(directory: Path) -> None:
        (directory / "half").write_text("")
        raise RuntimeError("build failed")

    with pytest.raises(RuntimeError, match="build failed"):
        build_once(_Factory(tmp_path), "thing", broken)
    built = build_once(_Factory(tmp_path), "thing", lambda d: (d / "artefact").write_text("ok"))
    assert sorted(p.name for p in built.iterdir()) == ["artefact"]  # no half-built leftovers


GROUPED_SUITE = """
import os
from pathlib import Path

import pytest

RAN = Path(__file__).parent / "ran"


@pytest.mark.xdist_group("one")
@pytest.mark.parametrize("i", range(6))
def test_grouped(i):
    (RAN / f"grouped-{i}").write_text(os.environ["PYTEST_XDIST_WORKER"])


@pytest.mark.parametrize("i", range(6))
def test_free(i):
    (RAN / f"free-{i}").write_text(os.environ["PYTEST_XDIST_WORKER"])
"""


def test_loadgroup_keeps_a_group_on_one_worker(tmp_path: Path) -> None:
    """pytest-xdist 3.8.0's own loadgroup splits groups under pytest 9.2 (its node-id suffix is
    ignored); the project's scheduler must not."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_grouped.py").write_text(textwrap.dedent(GROUPED_SUITE))
    (tmp_path / "ran").mkdir()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("PYTEST_XDIST_WORKER", None)
    env.pop("PYTEST_ADDOPTS", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.conftest", "-p", "no:cacheprovider",
         "-n", "2", "--dist", "loadgroup", "--basetemp", str(tmp_path / "base"), "."],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    workers = {p.name: p.read_text() for p in (tmp_path / "ran").iterdir()}
    assert len(workers) == 12
    assert len({w for name, w in workers.items() if name.startswith("grouped-")}) == 1, workers


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_memory_backed_dir_is_removed_at_exit_and_orphans_by_the_next_run(
        tmp_path: Path, monkeypatch) -> None:
    from tests import conftest

    monkeypatch.setattr(conftest, "MEMORY_FS", tmp_path)
    orphan = tmp_path / f"pangea-test-{_dead_pid()}-installed-x"
    alive = tmp_path / f"pangea-test-{os.getppid()}-installed-y"  # a live process's
    other = tmp_path / "pangea-test-notapid-z"
    for path in (orphan, alive, other):
        (path / "venv").mkdir(parents=True)
    registered: list[tuple] = []
    monkeypatch.setattr(conftest.atexit, "register", lambda *call, **kw: registered.append(call))

    made = conftest.memory_backed_dir("installed", room=1)

    assert made is not None and made.parent == tmp_path and made.is_dir()
    assert made.name.startswith(f"pangea-test-{os.getpid()}-installed-")
    assert not orphan.exists() and alive.exists() and other.exists()
    assert registered == [(conftest.shutil.rmtree, made)]


def test_no_memory_backed_dir_without_room_or_file_system(tmp_path: Path, monkeypatch) -> None:
    from tests import conftest

    monkeypatch.setattr(conftest, "MEMORY_FS", tmp_path)
    assert conftest.memory_backed_dir("installed", room=1 << 60) is None
    monkeypatch.setattr(conftest, "MEMORY_FS", tmp_path / "missing")
    assert conftest.memory_backed_dir("installed", room=1) is None
    assert list(tmp_path.iterdir()) == []
