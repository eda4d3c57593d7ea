"""Writing the generated tree: all or nothing, no stale files, and a readable --check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codegen.pipeline import write as write_mod
from codegen.pipeline.write import diff_trees, read_tree, write_tree

PROJECT = Path(__file__).resolve().parents[3]
OLD = {"pkg/__init__.py": "old = 1\n", "pkg/mod.py": "x = 1\n", "pkg/gone.py": "stale\n"}
NEW = {"pkg/__init__.py": "new = 2\n", "pkg/mod.py": "x = 2\n", "pkg/added.py": "y = 1\n"}


def _leftovers(parent: Path, name: str) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name != name)


def test_write_creates_the_tree(tmp_path: Path) -> None:
    write_tree(tmp_path / "out", NEW)
    assert read_tree(tmp_path / "out") == NEW
    assert _leftovers(tmp_path, "out") == []


def test_rewrite_replaces_the_tree_and_removes_stale_files(tmp_path: Path) -> None:
    root = tmp_path / "out"
    write_tree(root, OLD)
    write_tree(root, NEW)
    assert read_tree(root) == NEW
    assert not (root / "pkg" / "gone.py").exists()
    assert _leftovers(tmp_path, "out") == []  # no staging or backup directory left behind


def test_unchanged_files_are_linked_from_the_previous_tree_changed_ones_written(
        tmp_path: Path) -> None:
    root = tmp_path / "out"
    write_tree(root, OLD)
    before = {rel: (root / rel).stat().st_ino for rel in OLD}
    (root / "pkg" / "__init__.py").write_text("hand edited\n")  # bytes differ now
    outside = tmp_path / "outside.py"
    outside.write_text("x = 2\n")  # NEW's text of pkg/mod.py, behind a symlink
    (root / "pkg" / "mod.py").unlink()
    (root / "pkg" / "mod.py").symlink_to(outside)
    new = {**NEW, "pkg/gone.py": "stale\n"}  # gone.py unchanged from OLD
    write_tree(root, new)
    assert read_tree(root) == new
    assert (root / "pkg" / "gone.py").stat().st_ino == before["pkg/gone.py"]  # linked
    assert (root / "pkg" / "gone.py").stat().st_nlink == 1  # the previous tree is gone
    for rel in ("pkg/__init__.py", "pkg/mod.py"):  # rewritten, never a link to the symlink
        assert not (root / rel).is_symlink()
        assert (root / rel).stat().st_ino not in (before[rel], outside.stat().st_ino)
    assert outside.read_text() == "x = 2\n" and outside.stat().st_nlink == 1


def test_with_a_prepare_step_nothing_is_linked(tmp_path: Path) -> None:
    root = tmp_path / "out"
    write_tree(root, OLD)
    inode = (root / "pkg" / "gone.py").stat().st_ino
    write_tree(root, OLD, prepare=lambda staging: None)  # texts are not final: write them all
    assert read_tree(root) == OLD
    assert (root / "pkg" / "gone.py").stat().st_ino != inode


def test_rewrite_without_renameat2_also_replaces(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(write_mod, "_exchange", lambda a, b: False)
    root = tmp_path / "out"
    write_tree(root, OLD)
    write_tree(root, NEW)
    assert read_tree(root) == NEW
    assert _leftovers(tmp_path, "out") == []


def test_interrupted_write_leaves_the_old_tree(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "out"
    write_tree(root, OLD)
    original = Path.write_bytes
    written = []

    def failing_write(self: Path, data: bytes, *args, **kwargs):
        if len(written) == 1:
            raise KeyboardInterrupt  # the user pressed ^C halfway through
        written.append(self)
        return original(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(KeyboardInterrupt):
        write_tree(root, NEW)
    monkeypatch.undo()
    assert written, "the write was not interrupted halfway"
    assert read_tree(root) == OLD
    assert _leftovers(tmp_path, "out") == []  # the half-written staging tree is removed


def test_failure_at_the_swap_leaves_the_old_tree(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "out"
    write_tree(root, OLD)

    def broken_exchange(a: Path, b: Path) -> bool:
        raise OSError("disk full")

    monkeypatch.setattr(write_mod, "_exchange", broken_exchange)
    with pytest.raises(OSError):
        write_tree(root, NEW)
    assert read_tree(root) == OLD
    assert _leftovers(tmp_path, "out") == []


def test_diff_trees_is_readable() -> None:
    lines = diff_trees(NEW, OLD, "generated")
    text = "\n".join(lines)
    assert "missing: generated/pkg/added.py (would be created)" in lines
    assert "stale:   generated/pkg/gone.py (no longer generated; would be removed)" in lines
    assert "changed: generated/pkg/mod.py" in lines
    assert "-x = 1" in text and "+x = 2" in text
    assert diff_trees(NEW, dict(NEW), "generated") == []


def test_diff_trees_is_bounded() -> None:
    big_old = {"f.py": "\n".join(f"a{i}" for i in range(1000))}
    big_new = {"f.py": "\n".join(f"b{i}" for i in range(1000))}
    lines = diff_trees(big_new, big_old, "g", max_lines=50)
    assert len(lines) == 51 and lines[-1].startswith("... (")


@pytest.mark.slow
def test_check_reports_a_readable_diff_and_fails(schema_dir: Path, tmp_path: Path) -> None:
    from codegen.pipeline.generate import Options, generate

    out = tmp_path / "generated"
    shutil.copytree(PROJECT / "generated", out,
                    ignore=shutil.ignore_patterns("__pycache__", "schema_only"))
    lock = tmp_path / "shapes.lock.json"
    shutil.copy(PROJECT / "provider_schema" / "shapes.lock.json", lock)
    target = out / "pangea_aws" / "resources" / "aws_docdb_cluster.py"
    target.write_text(target.read_text().replace("def aws_docdb_cluster(", "def hand_edited(", 1))
    (out / "pangea_aws" / "resources" / "leftover.py").write_text("# stale\n")
    (out / "docs" / "aws_memorydb_acl.md").unlink()
    before = read_tree(out)

    options = Options(schema_dir=schema_dir, out=out, lock_path=lock, check=True)
    code, lines = generate(options)
    text = "\n".join(lines)
    assert code == 1
    assert "is stale; run `make generate`" in text
    assert "changed: generated/pangea_aws/resources/aws_docdb_cluster.py" in text
    assert "-def hand_edited(" in text and "+def aws_docdb_cluster(" in text
    assert "stale:   generated/pangea_aws/resources/leftover.py" in text
    assert "missing: generated/docs/aws_memorydb_acl.md" in text
    assert read_tree(out) == before  # --check never writes


@pytest.mark.slow
def test_check_via_the_command_line_fails_with_exit_code_1(schema_dir: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "generated"
    out.mkdir()
    (out / "junk.txt").write_text("x\n")
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "generate", "--schema-dir", str(schema_dir),
         "--out", str(out), "--check"], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "stale:   generated/junk.txt" in result.stderr
    assert "missing: generated/pangea_aws/__init__.py" in result.stderr
    assert (out / "junk.txt").exists() and not (out / "pangea_aws").exists()


# -- staging trees left by a killed run ----------------------------------------------------------

HOLD_STAGING = """
import sys, time
from pathlib import Path
from codegen.pipeline.write import _locked_staging
staging, fd = _locked_staging(Path(sys.argv[1]))
(staging / "half.py").write_text("x = 1\\n")
print(staging, flush=True)
time.sleep(120)
"""


def test_a_killed_run_leaves_a_staging_tree_the_next_run_removes(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    root = tmp_path / "out"
    write_tree(root, OLD)
    writer = subprocess.Popen([sys.executable, "-c", HOLD_STAGING, str(root)], cwd=PROJECT,
                              stdout=subprocess.PIPE, text=True)
    try:
        staging = Path(writer.stdout.readline().strip())
        assert staging.name.startswith(".out.new-") and staging.is_dir()
        assert write_mod.remove_stale_staging(root) == []  # in use by a live run: kept
        assert staging.is_dir()
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
    assert staging.is_dir()  # what `make generate` killed with SIGKILL leaves behind
    write_tree(root, NEW)
    assert not staging.exists()
    assert read_tree(root) == NEW
    assert _leftovers(tmp_path, "out") == []


def test_only_our_own_staging_trees_are_removed(tmp_path: Path) -> None:
    root = tmp_path / "out"
    ours = tmp_path / ".out.new-ab_cd123"
    (ours / "pkg").mkdir(parents=True)
    keep = {
        ".out.new-short": "dir",  # not mkdtemp's suffix
        ".out.new-abcd12345": "dir",
        ".other.new-abcd1234": "dir",  # beside another output
        ".out.new-file0000": "file",
        ".out.new-link0000": "link",  # a symlink to someone's data
    }
    data = tmp_path / "precious"
    data.mkdir()
    (data / "keep.txt").write_text("mine\n")
    for name, what in keep.items():
        if what == "dir":
            (tmp_path / name).mkdir()
        elif what == "file":
            (tmp_path / name).write_text("x\n")
        else:
            (tmp_path / name).symlink_to(data, target_is_directory=True)
    assert write_mod.remove_stale_staging(root) == [ours]
    assert not ours.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*keep, "precious"])
    assert (data / "keep.txt").read_text() == "mine\n"


def test_a_locked_staging_tree_is_left_alone(tmp_path: Path) -> None:
    import fcntl
    import os

    root = tmp_path / "out"
    busy = tmp_path / ".out.new-busy0000"
    busy.mkdir()
    fd = os.open(busy, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert write_mod.remove_stale_staging(root) == []
        assert busy.is_dir()
    finally:
        os.close(fd)
    assert write_mod.remove_stale_staging(root) == [busy]


def test_staging_trees_are_ignored_by_git() -> None:
    import subprocess

    names = [".generated.new-ab_cd123/", ".generated.old/", "provider_schema/.shapes.lock.json.tmp"]
    result = subprocess.run(["git", "check-ignore", "--no-index", *names], cwd=PROJECT,
                            capture_output=True, text=True)
    assert result.stdout.split() == names
