"""Synthesis benchmark: pangea against a plain-Python baseline, whole processes.

    make bench                       # or: .venv/bin/python bench/bench_synth.py [--runs 5] [--profile]

The workload is a template of N DocumentDB clusters, each with one instance referencing it
(1,000 and 10,000 resources). Each run is a fresh Python process that builds the Terraform JSON
and writes it to a file. The baseline builds the identical dict by hand and dumps it; both
outputs are compared, so the two sides do the same job. Also measured against the same
baseline: the `pangea synth --out` and `pangea validate` commands, and (when it is installed,
e.g. by the dev extra) terrascript 0.9, an untyped generator, on the same template. Reported:
median wall time of each side and the ratios, peak memory (ru_maxrss of each child process),
and the time to import pangea_aws. Goals (issue 9): 1,000 resources within 1.5x of the
baseline, 10,000 within 2x, faster than terrascript; `synth --out` and `validate` within 2x.
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

SIZES = (500, 5000)  # clusters; each has one instance, so 1,000 and 10,000 resources
GOALS = {500: 1.5, 5000: 2.0}
CLI_GOAL = 2.0
MEMORY_GOAL_MIB = 60.0


def template(n: int) -> str:
    return textwrap.dedent(f"""
        from pangea import template
        from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance

        @template
        def fleet():
            for i in range({n}):
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

BASELINE_CHILD = textwrap.dedent("""
    import json, resource, sys
    n = int(sys.argv[3])
    resources = {"aws_docdb_cluster": {}, "aws_docdb_cluster_instance": {}}
    for i in range(n):
        resources["aws_docdb_cluster"][f"c{i}"] = {
            "backup_retention_period": 7,
            "cluster_identifier": f"docdb-{i}",
            "engine_version": "5.0.0",
            "manage_master_user_password": True,
            "master_username": "docdbadmin",
            "skip_final_snapshot": True,
            "storage_encrypted": True,
            "tags": {"Environment": "bench", "Index": str(i)},
        }
        resources["aws_docdb_cluster_instance"][f"i{i}"] = {
            "cluster_identifier": "${aws_docdb_cluster.c" + str(i) + ".id}",
            "identifier": f"docdb-{i}-0",
            "instance_class": "db.r6g.large",
        }
    doc = {"fleet": {
        "resource": {t: dict(sorted(v.items())) for t, v in sorted(resources.items())},
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws",
                                                    "version": "6.47.0"}}},
    }}
    with open(sys.argv[2], "w") as handle:
        json.dump(doc, handle, indent=2)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""")

# terrascript 0.9 (untyped: any keyword is accepted, nothing is checked) on the same template.
TERRASCRIPT_CHILD = textwrap.dedent("""
    import json, resource, sys
    import terrascript
    import terrascript.resource as r
    n = int(sys.argv[3])
    config = terrascript.Terrascript()
    for i in range(n):
        cluster = r.aws_docdb_cluster(
            f"c{i}",
            cluster_identifier=f"docdb-{i}",
            engine_version="5.0.0",
            master_username="docdbadmin",
            manage_master_user_password=True,
            backup_retention_period=7,
            storage_encrypted=True,
            skip_final_snapshot=True,
            tags={"Environment": "bench", "Index": str(i)},
        )
        config += cluster
        config += r.aws_docdb_cluster_instance(
            f"i{i}",
            identifier=f"docdb-{i}-0",
            cluster_identifier="${" + str(cluster.id) + "}",
            instance_class="db.r6g.large",
        )
    with open(sys.argv[2], "w") as handle:
        json.dump({"fleet": config}, handle, indent=2)
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


CPU: dict[int, float] = {}  # id(result tuple) -> CPU seconds of that child (user + system)


def run_child(code: str, *args: str, command: list[str] | None = None,
              cwd: Path | None = None) -> tuple[float, float, str]:
    """(wall seconds of the whole process, peak RSS in MiB, stdout). ``command`` runs instead
    of ``python -c code`` (its peak RSS is then unknown). The child's CPU time is kept in
    ``CPU``: on a shared machine it is the steadier figure."""
    argv = command if command is not None else [sys.executable, "-c", code, *args]
    before = os.times()
    start = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, text=True, env=CHILD_ENV, cwd=cwd)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system)
    if result.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{result.stderr}")
    lines = result.stdout.strip().splitlines()
    rss_mib = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else float("nan")
    measured = (wall, rss_mib, result.stdout)
    CPU[id(measured)] = cpu
    return measured


def has_terrascript() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import terrascript.resource"],
                           capture_output=True, env=CHILD_ENV)
    return probe.returncode == 0


def median_ms(runs: list[tuple[float, float, str]]) -> float:
    return statistics.median(r[0] for r in runs) * 1000


def median_cpu_ms(runs: list[tuple[float, float, str]]) -> float:
    return statistics.median(CPU[id(r)] for r in runs) * 1000


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
    pangea_command = str(Path(sys.executable).with_name("pangea"))
    terrascript = has_terrascript()
    all_same, goals = True, []

    print(f"pangea synthesis benchmark: {args.runs} runs of each, interleaved; median "
          f"whole-process wall time (Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory(prefix="pangea-bench-") as tmp:
        root = Path(tmp)
        for n in SIZES:
            source = root / f"fleet{n}.py"
            source.write_text(template(n))
            out = {side: root / f"{side}{n}.json" for side in ("pangea", "base", "terrascript")}
            # warm the bytecode caches once so every measured run starts alike
            run_child(PANGEA_CHILD, str(source), str(root / "warm.json"))
            runs: dict[str, list[tuple[float, float, str]]] = {
                "baseline": [], "pangea": [], "terrascript": [], "synth --out": [],
                "validate": []}
            for _ in range(args.runs):  # interleaved, so drift affects every side alike
                runs["pangea"].append(run_child(PANGEA_CHILD, str(source), str(out["pangea"])))
                runs["baseline"].append(run_child(BASELINE_CHILD, str(source), str(out["base"]),
                                                  str(n)))
                if terrascript:
                    runs["terrascript"].append(run_child(
                        TERRASCRIPT_CHILD, str(source), str(out["terrascript"]), str(n)))
                if n == SIZES[0]:
                    runs["synth --out"].append(run_child("", command=[
                        pangea_command, "synth", source.name, "--out", "build"], cwd=root))
                    runs["validate"].append(run_child("", command=[
                        pangea_command, "validate", source.name], cwd=root))
            same = json.loads(out["pangea"].read_text()) == json.loads(out["base"].read_text())
            all_same = all_same and same
            resources = sum(len(v) for v in json.loads(
                out["pangea"].read_text())["fleet"]["resource"].values())
            base = median_ms(runs["baseline"])
            base_cpu = median_cpu_ms(runs["baseline"])
            print(f"\n{resources:,} resources (identical JSON from pangea and the baseline: "
                  f"{'yes' if same else 'NO'})")
            for side, label in (("baseline", "baseline (plain dict + json.dump)"),
                                ("pangea", "pangea.synth + json.dump"),
                                ("terrascript", "terrascript 0.9 (untyped) + json.dump"),
                                ("synth --out", "pangea synth FILE --out DIR"),
                                ("validate", "pangea validate FILE")):
                if not runs[side]:
                    continue
                wall = median_ms(runs[side])
                cpu = median_cpu_ms(runs[side])
                peak = max(r[1] for r in runs[side])
                memory = f"   peak RSS {peak:6.1f} MiB" if peak == peak else ""
                ratio = "" if side == "baseline" else f" {wall / base:5.2f}x"
                cpu_ratio = "" if side == "baseline" else f" {cpu / base_cpu:5.2f}x"
                print(f"  {label:40s} wall {wall:7.1f} ms{ratio:7s}  CPU {cpu:7.1f} ms"
                      f"{cpu_ratio:7s}{memory}")
            ratio = median_ms(runs["pangea"]) / base
            goals.append((f"{resources:,} resources within {GOALS[n]:g}x of the baseline",
                          ratio <= GOALS[n], f"{ratio:.2f}x"))
            if runs["terrascript"]:
                peer = median_ms(runs["terrascript"])
                goals.append((f"{resources:,} resources faster than terrascript",
                              median_ms(runs["pangea"]) < peer,
                              f"{median_ms(runs['pangea']):.0f} ms vs {peer:.0f} ms"))
            for side in ("synth --out", "validate"):
                if runs[side]:
                    cli = median_ms(runs[side]) / base
                    goals.append((f"`pangea {side}` within {CLI_GOAL:g}x of the baseline",
                                  cli <= CLI_GOAL, f"{cli:.2f}x"))
            if n == SIZES[0]:
                peak = max(r[1] for r in runs["pangea"])
                goals.append((f"under {MEMORY_GOAL_MIB:g} MiB peak", peak < MEMORY_GOAL_MIB,
                              f"{peak:.1f} MiB"))
        if not terrascript:
            print("\n  terrascript is not installed (pip install -e '.[dev]'): peer not measured")
        imports = [tuple(map(float, run_child(IMPORT_CHILD)[2].split())) for _ in range(args.runs)]
        print(f"\n  import pangea_aws: {statistics.median(i[0] for i in imports) * 1000:.1f} ms; "
              f"first use of the two type modules: "
              f"{statistics.median(i[1] for i in imports) * 1000:.1f} ms")
        print()
        for text, met, figure in goals:
            print(f"  goal: {text}: {'MET' if met else 'NOT MET'} ({figure})")
        if args.profile:
            sys.path.insert(0, str(root))
            profile(root / f"fleet{SIZES[0]}.py", args.top)
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
