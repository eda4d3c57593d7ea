"""make bench-generate: wall time and peak memory of the generator, cold (no format cache).

1. the first target group (`databases`) into a temporary directory;
2. the whole provider (`--all`): every resource type and data source of the pinned schema.

Peak memory is the largest sum of resident memory over the generator's process tree (the
generator and its ruff child), sampled every 50 ms from /proc. CPU seconds are the user+system
time of the process tree, which a loaded machine inflates less than the wall time.
Goals (issue 9): target group under 1 s; whole provider under 20 s and 1 GiB on 2 cores.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = Path(os.environ.get("SCHEMA_DIR", PROJECT / "provider_schema"))


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
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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


def main() -> int:
    common = ["--schema-dir", str(SCHEMA_DIR)]
    with tempfile.TemporaryDirectory() as scratch:
        group_s, group_cpu, group_mib = measure(["generate", "--check", *common])
        all_s, all_cpu, all_mib = measure(["generate", "--all", "--out", f"{scratch}/all", *common])
        files = sum(1 for _ in Path(scratch, "all").rglob("*") if _.is_file())
    load = os.getloadavg()[0]
    print(f"target group (databases, --check, cold): {group_s:6.1f} s wall, {group_cpu:5.1f} s CPU,"
          f" peak {group_mib:5.0f} MiB   goal < 1 s: {'MET' if group_s < 1 else 'NOT MET'}")
    print(f"whole provider (--all, {files} files, {os.cpu_count()} cores): {all_s:6.1f} s wall, "
          f"{all_cpu:5.1f} s CPU, peak {all_mib:5.0f} MiB   goal < 20 s: "
          f"{'MET' if all_s < 20 else 'NOT MET'}, < 1024 MiB: {'MET' if all_mib < 1024 else 'NOT MET'}")
    print(f"(load average at the end: {load:.1f}; other processes on the machine slow the wall time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
