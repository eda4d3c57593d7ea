"""make bench-generate: wall time and peak memory of the generator, cold (no format cache).

1. the first target group (`databases`) into a temporary directory;
2. the whole provider (`--all`): every resource type and data source of the pinned schema.

Peak memory is the largest sum of resident memory over the generator's process tree (the
formatter runs in worker processes for --all), sampled every 50 ms from /proc.
Goals (issue 5): target group under 10 s; whole provider under 3 minutes and 1 GiB.
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
SCHEMA_DIR = Path(os.environ.get("SCHEMA_DIR", PROJECT.parent / "shared" / "provider_schema"))


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


def measure(args: list[str]) -> tuple[float, float]:
    """(seconds, peak MiB of the process tree) for one generator run."""
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
    return elapsed, peak / 1024


def main() -> int:
    common = ["--schema-dir", str(SCHEMA_DIR), "--no-format-cache"]
    with tempfile.TemporaryDirectory() as scratch:
        group_s, group_mib = measure(["generate", "--check", *common])
        all_s, all_mib = measure(["generate", "--all", "--out", f"{scratch}/all", *common])
        files = sum(1 for _ in Path(scratch, "all").rglob("*") if _.is_file())
    print(f"target group (databases, --check, cold): {group_s:6.1f} s  peak {group_mib:6.0f} MiB"
          f"   goal < 10 s: {'MET' if group_s < 10 else 'NOT MET'}")
    print(f"whole provider (--all, {files} files, {os.cpu_count()} cores): {all_s:6.1f} s  peak "
          f"{all_mib:6.0f} MiB   goal < 180 s: {'MET' if all_s < 180 else 'NOT MET'}, "
          f"< 1024 MiB: {'MET' if all_mib < 1024 else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
