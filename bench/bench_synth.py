"""Synthesis benchmark: pangea against a plain-Python baseline, whole processes.

    make bench                       # or: .venv/bin/python bench/bench_synth.py [--runs 5] [--profile]

The workload is a 1,000-resource template: 500 DocumentDB clusters, each with one instance
referencing it. Each run is a fresh Python process that builds the Terraform JSON and writes
it to a file. The baseline builds the identical dict by hand and dumps it; both outputs are
compared, so the two sides do the same job. Reported: median wall time of each side and their
ratio, peak memory (ru_maxrss of each child process), and the time to import pangea_aws.
Goals (issue 2): within 3x of the baseline's wall time, under 60 MiB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

N = 500
TIME_GOAL = 3.0
MEMORY_GOAL_MIB = 60.0

TEMPLATE = textwrap.dedent(f"""
    from pangea import template
    from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance

    @template
    def fleet():
        for i in range({N}):
            cluster = aws_docdb_cluster(
                f"c{{i}}",
                cluster_identifier=f"docdb-{{i}}",
                engine_version="5.0.0",
                master_username="docdbadmin",
                manage_master_user_password=True,
                backup_retention_period=7,
                storage_encrypted=True,
                skip_final_snapshot=True,
                tags={{"Environment": "bench", "Index": str(i)}},
            )
            aws_docdb_cluster_instance(
                f"i{{i}}",
                identifier=f"docdb-{{i}}-0",
                cluster_identifier=cluster.id,
                instance_class="db.r6g.large",
            )
""")

# The child reports its own peak RSS (KiB on Linux) after writing the JSON.
PANGEA_CHILD = textwrap.dedent("""
    import json, resource, sys
    import pangea
    config = pangea.synth(sys.argv[1])
    with open(sys.argv[2], "w") as handle:
        json.dump(config, handle, indent=2)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""")

BASELINE_CHILD = textwrap.dedent(f"""
    import json, resource, sys
    resources = {{"aws_docdb_cluster": {{}}, "aws_docdb_cluster_instance": {{}}}}
    for i in range({N}):
        resources["aws_docdb_cluster"][f"c{{i}}"] = {{
            "backup_retention_period": 7,
            "cluster_identifier": f"docdb-{{i}}",
            "engine_version": "5.0.0",
            "manage_master_user_password": True,
            "master_username": "docdbadmin",
            "skip_final_snapshot": True,
            "storage_encrypted": True,
            "tags": {{"Environment": "bench", "Index": str(i)}},
        }}
        resources["aws_docdb_cluster_instance"][f"i{{i}}"] = {{
            "cluster_identifier": "${{aws_docdb_cluster.c" + str(i) + ".id}}",
            "identifier": f"docdb-{{i}}-0",
            "instance_class": "db.r6g.large",
        }}
    doc = {{"fleet": {{
        "resource": {{t: dict(sorted(v.items())) for t, v in sorted(resources.items())}},
        "terraform": {{"required_providers": {{"aws": {{"source": "hashicorp/aws",
                                                        "version": "6.47.0"}}}}}},
    }}}}
    with open(sys.argv[2], "w") as handle:
        json.dump(doc, handle, indent=2)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""")

IMPORT_CHILD = textwrap.dedent("""
    import time
    start = time.perf_counter()
    import pangea_aws
    middle = time.perf_counter()
    pangea_aws.aws_docdb_cluster, pangea_aws.aws_docdb_cluster_instance
    end = time.perf_counter()
    print(middle - start, end - middle)
""")


# Children run as a user's Python does: bytecode caching on. A shell or CI environment with
# PYTHONDONTWRITEBYTECODE would otherwise make every run recompile pangea and the generated
# modules from source (and measure that instead).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_child(code: str, *args: str) -> tuple[float, float, str]:
    """(wall seconds of the whole process, peak RSS in MiB, stdout)."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                            env=CHILD_ENV)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{result.stderr}")
    lines = result.stdout.strip().splitlines()
    rss_mib = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else float("nan")
    return wall, rss_mib, result.stdout


def profile(template: Path, top: int) -> None:
    import cProfile
    import io
    import pstats

    import pangea

    profiler = cProfile.Profile()
    profiler.enable()
    config = pangea.synth(template)
    json.dumps(config, indent=2)
    profiler.disable()
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(top)
        text = out.getvalue()
        print(f"\n--- cProfile of the pangea run, top {top} by {key} ---")
        print(text[text.index("   ncalls"):].rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile summary")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="pangea-bench-") as tmp:
        root = Path(tmp)
        template = root / "fleet.py"
        template.write_text(TEMPLATE)
        # warm the bytecode caches once so every measured run starts alike
        run_child(PANGEA_CHILD, str(template), str(root / "warm.json"))
        pangea_runs, baseline_runs, imports = [], [], []
        for i in range(args.runs):  # interleaved, so drift affects both sides alike
            pangea_runs.append(run_child(PANGEA_CHILD, str(template), str(root / "pangea.json")))
            baseline_runs.append(run_child(BASELINE_CHILD, str(template), str(root / "base.json")))
            imports.append(tuple(map(float, run_child(IMPORT_CHILD)[2].split())))
        same = json.loads((root / "pangea.json").read_text()) == json.loads(
            (root / "base.json").read_text())
        resources = sum(len(v) for v in json.loads(
            (root / "pangea.json").read_text())["fleet"]["resource"].values())

        p_wall = statistics.median(r[0] for r in pangea_runs)
        b_wall = statistics.median(r[0] for r in baseline_runs)
        p_rss = max(r[1] for r in pangea_runs)
        b_rss = max(r[1] for r in baseline_runs)
        imp = statistics.median(i[0] for i in imports)
        first_use = statistics.median(i[1] for i in imports)
        ratio = p_wall / b_wall

        print(f"pangea synthesis benchmark: {resources} resources, {args.runs} runs each, "
              f"median whole-process wall time (Python {sys.version.split()[0]}, "
              f"{os.cpu_count()} CPUs)")
        print(f"  identical JSON from both sides: {'yes' if same else 'NO'}")
        print(f"  baseline (plain dict + json.dump): {b_wall * 1000:8.1f} ms   "
              f"peak RSS {b_rss:6.1f} MiB")
        print(f"  pangea   (synth + json.dump):      {p_wall * 1000:8.1f} ms   "
              f"peak RSS {p_rss:6.1f} MiB")
        print(f"  ratio pangea / baseline: {ratio:.2f}x  "
              f"(runs: {', '.join(f'{r[0] * 1000:.0f}' for r in pangea_runs)} ms vs "
              f"{', '.join(f'{r[0] * 1000:.0f}' for r in baseline_runs)} ms)")
        print(f"  import pangea_aws: {imp * 1000:.1f} ms; first use of the two type modules: "
              f"{first_use * 1000:.1f} ms")
        time_ok = ratio <= TIME_GOAL
        memory_ok = p_rss < MEMORY_GOAL_MIB
        print(f"  goal: within {TIME_GOAL:g}x of the baseline: "
              f"{'MET' if time_ok else 'NOT MET'} ({ratio:.2f}x)")
        print(f"  goal: under {MEMORY_GOAL_MIB:g} MiB peak: "
              f"{'MET' if memory_ok else 'NOT MET'} ({p_rss:.1f} MiB)")
        if args.profile:
            sys.path.insert(0, str(root))
            profile(template, args.top)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
