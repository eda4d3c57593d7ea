"""`pangea synth --out` output works after the project moves to another directory."""

import json
import shutil
import subprocess

import pytest

from cli_samples import NETWORK_AND_APP


def test_synth_out_holds_no_absolute_path_of_this_machine(project):
    project.write("infra.py", NETWORK_AND_APP)
    result = project.run("synth", "infra.py", "--out", "build/infra")
    assert result.code == 0, result.err
    out = project.root / "build" / "infra"
    texts = [p.read_text() for p in out.rglob("*.tf.json")]
    assert texts and all(str(project.root) not in text for text in texts)
    backend = json.loads((out / "network" / "backend.tf.json").read_text())
    assert backend["terraform"]["backend"]["local"]["path"] == (
        "../../../.pangea/default/.state/network.tfstate"
    )
    main = json.loads((out / "app" / "main.tf.json").read_text())
    remote = main["data"]["terraform_remote_state"]["network"]["config"]["path"]
    assert remote == "../../../.pangea/default/.state/network.tfstate"


@pytest.mark.terraform
def test_synthesized_tree_runs_in_a_moved_copy_of_the_project(tf_project, terraform_binary, tmp_path_factory):
    tf_project.write("infra.py", NETWORK_AND_APP)
    assert tf_project.run("apply", "infra.py", "--auto-approve").code == 0
    assert tf_project.run("synth", "infra.py", "--out", "build/infra").code == 0
    moved = tmp_path_factory.mktemp("elsewhere") / "checkout"
    shutil.copytree(tf_project.root, moved, ignore=shutil.ignore_patterns(".terraform"))
    shutil.rmtree(tf_project.root / ".pangea")  # the original state is gone: only the copy's is left
    workdir = moved / "build" / "infra" / "app"
    env = {"TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1", "PATH": "/usr/bin:/bin"}
    subprocess.run([str(terraform_binary), "init", "-input=false", "-no-color"], cwd=workdir,
                   check=True, capture_output=True, env=env)
    plan = subprocess.run(
        [str(terraform_binary), "plan", "-input=false", "-no-color", "-detailed-exitcode"],
        cwd=workdir, capture_output=True, text=True, env=env,
    )
    # 0: no changes, so the copy found its state and read network's outputs through the
    # relative terraform_remote_state path.
    assert plan.returncode == 0, plan.stdout + plan.stderr
