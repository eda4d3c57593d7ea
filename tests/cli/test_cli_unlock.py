"""`pangea unlock TEMPLATE`: who holds a state lock, confirmation, and releasing a stale one.

The s3 tests hold a lock in the moto DynamoDB table (or the S3 native lock file) the way a
crashed Terraform leaves it; the local tests hold Terraform's lock on the state file from a
live helper process, as a running Terraform does.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import textwrap

import pytest

from cli_samples import NETWORK_AND_APP, native_lock_config
from test_cli_s3_backend import LOCK_TABLE, newer_terraform_on_path, s3_project  # noqa: F401
from test_cli_terminal import PANGEA, run_on_terminal

from pangea.cli.unlock import parse_lock_info, point_to_unlock

# Terraform 1.0.3's message for a DynamoDB lock another run holds (captured from a run).
LOCK_ERROR_1_0 = """
Error: Error acquiring the state lock

Error message: ConditionalCheckFailedException: The conditional request
failed
Lock Info:
  ID:        held-by-test
  Path:      bkt-state/k/net.tfstate
  Operation: OperationTypeApply
  Who:       someone@elsewhere
  Version:   1.0.3
  Created:   2026-12-02 10:00:00 +0000 UTC
  Info:      


Terraform acquires a state lock to protect the state from being written
by multiple users at the same time. Please resolve the issue above and try
again. For most commands, you can disable locking with the "-lock=false"
flag, but this is not recommended.
"""


def test_the_holder_is_read_from_terraforms_lock_error():
    lock = parse_lock_info(LOCK_ERROR_1_0)
    assert (lock.id, lock.who, lock.operation, lock.created, lock.path, lock.version) == (
        "held-by-test", "someone@elsewhere", "OperationTypeApply",
        "2026-12-02 10:00:00 +0000 UTC", "bkt-state/k/net.tfstate", "1.0.3",
    )
    assert lock.info == ""
    assert parse_lock_info("Error: Error acquiring the state lock\n\nno details") is None


def test_terraforms_lock_false_advice_becomes_pangea_unlock():
    text = point_to_unlock(LOCK_ERROR_1_0, "network", "blue")
    assert "-lock=false" not in text
    assert "`pangea unlock network -n blue`" in text
    assert "ID:        held-by-test" in text  # the rest of Terraform's message stays


# -- local state: the lock is an OS lock held by a live process --------------------------------

HOLDER = textwrap.dedent("""
    import fcntl, json, os, sys
    state = sys.argv[1]
    fd = os.open(state, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.lockf(fd, fcntl.LOCK_EX)  # what Terraform's local backend takes (fcntl F_SETLK)
    info = os.path.join(os.path.dirname(state), "." + os.path.basename(state) + ".lock.info")
    with open(info, "w") as out:
        json.dump({"ID": "local-lock-1", "Operation": "OperationTypeApply",
                   "Who": "dev@laptop", "Created": "2026-12-02T10:00:00Z"}, out)
    print("locked", flush=True)
    sys.stdin.read()  # hold the lock until the test closes our stdin
""")


@pytest.fixture
def local_holder(project):
    """Start a process that holds the local state lock of template 'network'; returns a
    function that ends it (the OS then drops the lock, leaving the lock note behind)."""
    state = project.root / ".pangea" / "default" / ".state" / "network.tfstate"
    state.parent.mkdir(parents=True)
    state.write_text('{"version": 4, "serial": 1, "lineage": "x", "outputs": {}, "resources": []}')
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(state)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"

    def end() -> None:
        if proc.poll() is None:
            proc.stdin.close()
            proc.wait(timeout=30)

    yield state, end
    end()


def test_a_local_lock_of_a_live_process_is_explained_not_forced(project, local_holder):
    state, _ = local_holder
    before = state.read_text()
    result = project.run("unlock", "network", "--yes")
    assert result.code == 1, result.err
    assert "locked by a process that is still running on this machine" in result.err
    assert "local-lock-1" in result.err and "dev@laptop" in result.err
    assert "releases it when the process ends" in result.err
    assert "nothing was unlocked" in result.err
    assert state.read_text() == before


def test_a_local_lock_note_left_by_a_dead_process_is_no_lock(project, local_holder):
    _, end = local_holder
    end()  # the holder dies: the OS drops its lock, the note stays
    result = project.run("unlock", "network")
    assert result.code == 0, result.err
    assert "no lock is held on the state of template 'network' in namespace 'default'" in result.out
    assert "local-lock-1 by dev@laptop" in result.out and "next Terraform run replaces it" in result.out


def test_nothing_locked_and_no_state_says_so(project):
    result = project.run("unlock", "network", "-n", "dev")
    assert result.code == 0, result.err
    assert "no lock is held on the state of template 'network' in namespace 'dev'" in result.out
    assert "has no state there yet" in result.out


def test_a_pangea_run_in_progress_is_not_unlocked_under_it(project):
    folder = project.root / ".pangea" / "default" / "network"
    folder.mkdir(parents=True)
    with open(folder / ".pangea-lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running `pangea apply` holds its workspace
        result = project.run("unlock", "network", "--yes")
    assert result.code == 1
    assert "a pangea run on this machine is working on template 'network'" in result.err
    assert project.run("unlock", "network").code == 0  # once it is over


@pytest.mark.parametrize("name", ["../green/net", ".state", "1st"])
def test_unlock_refuses_a_template_name_that_is_not_one(project, name):
    result = project.run("unlock", name, "--yes")
    assert result.code == 3
    assert "is not a valid name" in result.err and "ASCII letters" in result.err
    assert not (project.root / ".pangea").exists()


@pytest.mark.terraform
def test_terraform_refuses_a_live_local_lock_and_points_to_unlock(tf_project, local_holder):
    tf_project.write("infra.py", NETWORK_AND_APP)
    result = tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve")
    assert result.code == 1
    # pangea's lock check and Terraform's lock are the same lock: Terraform sees it held.
    assert "Error acquiring the state lock" in result.err and "local-lock-1" in result.err
    assert "-lock=false" not in result.err
    assert "`pangea unlock network -n default`" in result.err


# -- s3 state: a lock record left in DynamoDB or the bucket -------------------------------------


def hold_dynamodb_lock(project, template="network", lock_id="held-by-test"):
    key = f"{project.bucket}/teams/blue/{template}.tfstate"
    info = {"ID": lock_id, "Operation": "OperationTypeApply", "Who": "ci@crashed-runner",
            "Version": "1.0.3", "Created": "2026-12-02T10:00:00Z", "Path": key, "Info": ""}
    project.dynamodb.put_item(TableName=LOCK_TABLE,
                              Item={"LockID": {"S": key}, "Info": {"S": json.dumps(info)}})
    return key


def lock_ids(project):
    return {i["LockID"]["S"] for i in project.dynamodb.scan(TableName=LOCK_TABLE)["Items"]}



@pytest.mark.terraform
def test_a_stale_dynamodb_lock_is_shown_and_released_after_yes(s3_project):
    assert s3_project.run("apply", "infra.py", "-t", "network", "--auto-approve").code == 0
    key = hold_dynamodb_lock(s3_project)
    blocked = s3_project.run("apply", "infra.py", "-t", "network", "--auto-approve")
    assert blocked.code == 1 and "-lock=false" not in blocked.err
    assert "`pangea unlock network -n blue`" in blocked.err

    kept = s3_project.run("unlock", "network", answer="no\n")
    assert kept.code == 5 and "nothing was unlocked" in kept.err
    assert key in lock_ids(s3_project)
    for shown in ("held-by-test", "ci@crashed-runner", "OperationTypeApply", "2026-12-02 10:00:00"):
        assert shown in kept.out
    assert "Release this lock on template 'network' in namespace 'blue'?" in kept.out

    released = s3_project.run("unlock", "network", answer="yes\n")
    assert released.code == 0, released.err
    assert "released the lock held-by-test" in released.out
    assert key not in lock_ids(s3_project)
    assert s3_project.run("apply", "infra.py", "-t", "network", "--auto-approve").code == 0
    # No scratch directory is left behind.
    assert sorted(p.name for p in (s3_project.root / ".pangea" / "blue").iterdir()) == ["network"]


@pytest.mark.terraform
def test_without_a_terminal_unlock_refuses_unless_yes(s3_project):
    key = hold_dynamodb_lock(s3_project, template="app", lock_id="ci-lock")
    refused = s3_project.run("unlock", "app")
    assert refused.code == 5
    assert "standard input is not a terminal" in refused.err and "--yes" in refused.err
    assert "ci-lock" in refused.out and key in lock_ids(s3_project)

    forced = s3_project.run("unlock", "app", "--yes")
    assert forced.code == 0, forced.err
    assert key not in lock_ids(s3_project)


@pytest.mark.terraform
def test_nothing_locked_in_s3_exits_0(s3_project):
    assert s3_project.run("apply", "infra.py", "-t", "network", "--auto-approve").code == 0
    result = s3_project.run("unlock", "network", "-n", "blue")
    assert result.code == 0, result.err
    assert "no lock is held on the state of template 'network' in namespace 'blue'" in result.out
    assert "no state there yet" not in result.out
    missing = s3_project.run("unlock", "netwrok")
    assert missing.code == 0 and "has no state there yet" in missing.out


@pytest.mark.terraform
def test_unlock_confirms_on_a_real_terminal(s3_project, terraform_binary):
    key = hold_dynamodb_lock(s3_project)
    env = {**os.environ, "PANGEA_TERRAFORM": str(terraform_binary)}
    env.pop("PANGEA_NAMESPACE", None)
    code, out, err = run_on_terminal(s3_project.root, env, "yes\n", "unlock", "network")
    assert code == 0, err
    assert "held-by-test" in out and "Only 'yes' will be accepted" in out
    assert key not in lock_ids(s3_project)
    assert PANGEA.exists()


@pytest.mark.terraform
def test_a_stale_s3_native_lock_file_is_released(s3_project, monkeypatch, moto_endpoint):
    newer = newer_terraform_on_path()
    if newer is None:
        pytest.skip("no Terraform/OpenTofu >= 1.10 on PATH: S3 native lock files need one")
    monkeypatch.setenv("PANGEA_TERRAFORM", newer.path)
    s3_project.write("pangea.yaml", native_lock_config(s3_project.bucket, moto_endpoint, "native"))
    lock_key = "native/network.tfstate.tflock"
    s3_project.s3.put_object(Bucket=s3_project.bucket, Key=lock_key, Body=json.dumps({
        "ID": "lockfile-held", "Operation": "OperationTypeApply", "Who": "ci@crashed-runner",
        "Version": newer.label, "Created": "2026-12-02T10:00:00Z",
        "Path": f"{s3_project.bucket}/native/network.tfstate"}))
    result = s3_project.run("unlock", "network", "--yes")
    assert result.code == 0, result.err
    assert "lockfile-held" in result.out and "ci@crashed-runner" in result.out
    listed = s3_project.s3.list_objects_v2(Bucket=s3_project.bucket).get("Contents", [])
    assert lock_key not in [o["Key"] for o in listed]
    assert s3_project.run("apply", "infra.py", "-t", "network", "--auto-approve").code == 0


def test_a_state_file_that_cannot_be_opened_is_reported_not_a_traceback(project, monkeypatch):
    state = project.root / ".pangea" / "default" / ".state" / "network.tfstate"
    state.parent.mkdir(parents=True)
    state.write_text("{}")
    real_open = os.open

    def refusing_open(path, flags, *rest):
        if str(path) == str(state):  # as for a state owned by another user (root opens all)
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *rest)

    monkeypatch.setattr("pangea.cli.unlock.os.open", refusing_open)
    result = project.run("unlock", "network")
    assert result.code == 1
    assert f"cannot open the state file {state} to check its lock (Permission denied)" in result.err
    assert "nothing was unlocked" in result.err
