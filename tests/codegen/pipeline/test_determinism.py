"""Generation is a pure function of its inputs: the same tree whatever the hash seed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codegen.pipeline.write import diff_trees, read_tree

PROJECT = Path(__file__).resolve().parents[3]

# Runs the real pipeline, writing into a temporary tree and a temporary copy of the shape lock
# (the committed lock file is never touched).
SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from codegen.pipeline.generate import Options, generate

    schema_dir, out, lock = map(Path, sys.argv[1:4])
    options = Options(schema_dir=schema_dir, out=out, lock_path=lock)
    code, lines = generate(options)
    print("\\n".join(lines))
    sys.exit(code)
""")


@pytest.fixture(scope="module")
def trees(schema_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("determinism")
    procs = {}
    for seed in ("0", "1"):
        lock = root / f"lock-{seed}.json"
        shutil.copy(PROJECT / "provider_schema" / "shapes.lock.json", lock)
        env = {**os.environ, "PYTHONHASHSEED": seed}
        procs[seed] = subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(schema_dir), str(root / f"out-{seed}"), str(lock)],
            cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for seed, proc in procs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"generation with PYTHONHASHSEED={seed} failed:\n{out}\n{err}"
    return {"root": root, "0": root / "out-0", "1": root / "out-1"}


@pytest.mark.slow
def test_same_tree_with_hash_seeds_0_and_1(trees: dict[str, Path]) -> None:
    a, b = read_tree(trees["0"]), read_tree(trees["1"])
    assert len(a) > 100  # the whole group: modules, stubs, docs, package files
    assert diff_trees(a, b, "generated") == []
    raw_a = {p.relative_to(trees["0"]): p.read_bytes() for p in trees["0"].rglob("*") if p.is_file()}
    raw_b = {p.relative_to(trees["1"]): p.read_bytes() for p in trees["1"].rglob("*") if p.is_file()}
    assert raw_a == raw_b  # byte-identical, file set included


@pytest.mark.slow
def test_same_shape_lock_with_hash_seeds_0_and_1(trees: dict[str, Path]) -> None:
    root = trees["root"]
    assert (root / "lock-0.json").read_bytes() == (root / "lock-1.json").read_bytes()


@pytest.mark.slow
def test_committed_tree_is_what_the_generator_produces(trees: dict[str, Path]) -> None:
    committed = read_tree(PROJECT / "generated", skip=("pangea_aws/schema_only",))
    problems = diff_trees(read_tree(trees["0"]), committed, "generated")
    assert problems == [], "generated/ is stale; run `make generate`:\n" + "\n".join(problems[:60])


def test_generated_json_sections_are_sorted(run_template) -> None:
    """Synthesis output is sorted whatever the declaration order."""
    from pangea_aws import aws_docdb_subnet_group

    def tpl() -> None:
        for name in ("zeta", "alpha", "mid"):
            aws_docdb_subnet_group(name, subnet_ids={"s-2", "s-1", "s-3"})

    config = run_template(tpl)
    groups = config["resource"]["aws_docdb_subnet_group"]
    assert list(groups) == ["alpha", "mid", "zeta"]
    assert groups["alpha"]["subnet_ids"] == ["s-1", "s-2", "s-3"]


SYNTH_TEMPLATE = textwrap.dedent("""
    from pangea import template, output
    from pangea_aws import aws_docdb_cluster, aws_docdb_subnet_group

    @template
    def db():
        group = aws_docdb_subnet_group("g", subnet_ids={"subnet-c", "subnet-a", "subnet-b"},
                                       tags={"z": "1", "a": "2", "m": "3"})
        for name in ("b", "a", "c"):
            aws_docdb_cluster(name, db_subnet_group_name=group.name,
                              vpc_security_group_ids={"sg-2", "sg-1"}, skip_final_snapshot=True,
                              master_username="admin", manage_master_user_password=True)
        output("group", group.arn)
""")


def test_synthesized_json_is_identical_across_hash_seeds(tmp_path: Path) -> None:
    path = tmp_path / "t.py"
    path.write_text(SYNTH_TEMPLATE)
    code = ("import json, sys, pangea; "
            "sys.stdout.write(json.dumps(pangea.synth(sys.argv[1]), indent=1))")
    outputs = []
    for seed in ("0", "1", "2"):
        result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                                text=True, env={**os.environ, "PYTHONHASHSEED": seed}, timeout=60)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    config = json.loads(outputs[0])["db"]
    group = config["resource"]["aws_docdb_subnet_group"]["g"]
    assert group["subnet_ids"] == ["subnet-a", "subnet-b", "subnet-c"]
    assert list(config["resource"]["aws_docdb_cluster"]) == ["a", "b", "c"]
    assert config["resource"]["aws_docdb_cluster"]["a"]["vpc_security_group_ids"] == ["sg-1", "sg-2"]


def test_emission_split_over_forked_workers_equals_one_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A large run emits on every core (codegen.pipeline.generate.emit_types): the files, and
    their order, are exactly what one process emits."""
    from codegen.inputs.targets import load_targets
    from codegen.pipeline import generate
    from codegen.pipeline.provider_package import provider_models

    targets = load_targets(PROJECT / "provider_schema" / "random.yaml")
    schema = generate.load_schema(targets, PROJECT / "provider_schema")
    models = provider_models(targets, schema)
    assert len(models) >= 3
    one = generate.emit_types(models, targets, workers=1)
    monkeypatch.setattr(generate, "PARALLEL_MIN_TYPES", 1)
    for workers in (2, 3):
        split = generate.emit_types(models, targets, workers=workers)
        assert list(split.items()) == list(one.items())
