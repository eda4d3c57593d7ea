"""make bench-generate: wall time, CPU time and peak memory of the generator, cold.

    make bench-generate          # or: .venv/bin/python bench/bench_generate.py [--runs 3]

Each measurement is a new generator process (cold: nothing of ours is cached between runs;
the OS page cache and Python's own bytecode are, as on any machine that ran it once):

1. the target group (`databases`), median of ``--runs``: `make generate` into an empty
   scratch directory (a first build) and over a copy of the current tree (a regeneration:
   unchanged files are linked, not written), and `make check-generated` (`--check`);
2. the whole provider (`--all`): every resource type and data source of the pinned schema;
3. the install-time build (`--schema-only`, what `make install` and the wheel build run).

Peak memory is the largest sum of resident memory over the generator's process tree (the
generator and its ruff child), sampled every 50 ms from /proc. CPU seconds are the user+system
time of the process tree, which a loaded machine inflates less than the wall time.
Goals (issue 9): target group under 1 s; whole provider under 20 s and 1 GiB on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = Path(os.environ.get("SCHEMA_DIR", PROJECT / "provider_schema"))
# Children run as a user's Python does: bytecode caching on (a shell with
# PYTHONDONTWRITEBYTECODE would make every run recompile the generator).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _tree_rss_kib(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as handle:
                pages = int(handle.read().split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack += children.get(pid, [])
    return total


def measure(args: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB of the process tree) for one generator run."""
    before = os.times()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "codegen", *args], cwd=PROJECT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=CHILD_ENV)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"generator failed ({process.returncode}):\n{out}\n{err}")
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system
                                                           - before.children_system)
    return elapsed, cpu, peak / 1024


def _median(runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
            max(r[2] for r in runs))


def _line(label: str, figures: tuple[float, float, float], goal_s: float | None,
          goal_mib: float | None = None) -> str:
    wall, cpu, mib = figures
    text = f"{label}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, peak {mib:5.0f} MiB"
    if goal_s is not None:
        text += f"   goal < {goal_s:g} s: {'MET' if wall < goal_s else 'NOT MET'}"
    if goal_mib is not None:
        text += f", < {goal_mib:g} MiB: {'MET' if mib < goal_mib else 'NOT MET'}"
    return text


def _files(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each group measurement")
    parser.add_argument("--group-only", action="store_true",
                        help="skip the whole-provider and install-time builds")
    args = parser.parse_args(argv)
    common = ["--schema-dir", str(SCHEMA_DIR)]
    lines = []
    with tempfile.TemporaryDirectory() as scratch:
        write = _median([measure(["generate", "--out", f"{scratch}/group{i}", *common])
                         for i in range(args.runs)])
        files = _files(Path(scratch, "group0"))
        lines.append(_line(f"target group, make generate ({files} files, cold)", write, 1))
        # what `make generate` does in a checkout: regenerate an existing, current tree
        regen = Path(scratch, "regenerate")
        shutil.copytree(PROJECT / "generated", regen,
                        ignore=shutil.ignore_patterns("schema_only", "__pycache__"))
        again = _median([measure(["generate", "--out", str(regen), *common])
                         for _ in range(args.runs)])
        lines.append(_line("target group, make generate over the current tree (cold)", again, 1))
        check = _median([measure(["generate", "--check", *common]) for _ in range(args.runs)])
        lines.append(_line("target group, make check-generated (cold)", check, 1))
        if not args.group_only:
            whole = measure(["generate", "--all", "--out", f"{scratch}/all", *common])
            files = _files(Path(scratch, "all"))
            lines.append(_line(f"whole provider (--all, {files} files, {os.cpu_count()} cores)",
                               whole, 20, 1024))
            install = measure(["generate", "--schema-only", "--out", f"{scratch}/schema_only",
                               *common])
            files = _files(Path(scratch, "schema_only"))
            lines.append(_line(f"install-time build (--schema-only, {files} files)", install,
                               None))
    for line in lines:
        print(line)
    print(f"(median of {args.runs} runs for the group; load average at the end: "
          f"{os.getloadavg()[0]:.1f}; other processes on the machine slow the wall time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
