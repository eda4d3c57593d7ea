"""Local state that cannot leak or vanish: private files, a backup before apply, a damaged
state refused with how to restore it, a damaged saved plan planned again, and apply saying
plainly when it applies a new plan instead of the saved one. Real Terraform 1.0.3."""

from __future__ import annotations

import json
import stat

import pytest

from cli_samples import NETWORK_AND_APP

pytestmark = pytest.mark.terraform


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_state_plans_and_locks_are_private(tf_project):
    tf_project.write("infra.py", NETWORK_AND_APP)
    assert tf_project.run("plan", "infra.py", "-t", "network").code == 2
    assert tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve").code == 0
    assert tf_project.run("plan", "infra.py", "-t", "network").code == 0
    root = tf_project.root / ".pangea"
    state = root / "default/.state/network.tfstate"
    work = root / "default/network"
    for folder in (root, root / "default", root / "default/.state", work):
        assert mode(folder) == 0o700, folder
    for file in (state, work / ".pangea-lock", work / "pangea.tfplan"):
        assert mode(file) == 0o600, file


def test_older_world_readable_state_is_tightened(tf_project):
    tf_project.write("infra.py", NETWORK_AND_APP)
    assert tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve").code == 0
    state = tf_project.root / ".pangea/default/.state/network.tfstate"
    state.chmod(0o644)
    state.parent.chmod(0o755)
    assert tf_project.run("plan", "infra.py", "-t", "network").code == 0
    assert (mode(state), mode(state.parent)) == (0o600, 0o700)


def test_apply_keeps_a_backup_and_an_empty_state_is_refused_with_how_to_restore(
        tf_project, monkeypatch):
    tf_project.write("infra.py", NETWORK_AND_APP)
    assert tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve").code == 0
    state = tf_project.root / ".pangea/default/.state/network.tfstate"
    before = json.loads(state.read_text())
    monkeypatch.setenv("TEST_CIDR", "10.9.0.0/16")
    second = tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve")
    assert second.code == 0, second.err
    backup = state.with_name("network.tfstate.pangea-backup")
    assert json.loads(backup.read_text())["serial"] == before["serial"]
    assert mode(backup) == 0o600 and f"state backed up to {backup}" in second.err

    state.write_bytes(b"")  # what a SIGKILL while Terraform rewrites the state leaves
    refused = tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve")
    assert refused.code == 3
    assert f"local state {state} is empty (0 bytes)" in refused.err
    assert "will not treat it as empty" in refused.err and "cp " in refused.err
    assert state.read_bytes() == b""  # nothing ran

    garbled = tf_project.run("plan", "infra.py", "-t", "network")
    assert garbled.code == 3 and "is empty" in garbled.err


def test_a_damaged_saved_plan_is_discarded_and_planned_again(tf_project):
    tf_project.write("infra.py", NETWORK_AND_APP)
    assert tf_project.run("plan", "infra.py", "-t", "network").code == 2
    plan = tf_project.root / ".pangea/default/network/pangea.tfplan"
    plan.write_bytes(b"PK\x03\x04 not a plan")
    applied = tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve")
    assert applied.code == 0, applied.err
    assert "the plan saved by `pangea plan` is damaged" in applied.err
    assert "a NEW plan is made and shown below, and applied without asking" in applied.err


def test_apply_says_plainly_when_it_applies_a_new_plan(tf_project, monkeypatch):
    tf_project.write("infra.py", NETWORK_AND_APP)
    assert tf_project.run("plan", "infra.py", "-t", "network").code == 2
    monkeypatch.setenv("TEST_CIDR", "10.9.0.0/16")  # the template changes after `pangea plan`
    applied = tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve")
    assert applied.code == 0, applied.err
    assert ("network: NOT applying the plan saved by `pangea plan`: the template, its values "
            "or its backend changed since `pangea plan`; a NEW plan is made") in applied.err
