"""S3 state with DynamoDB locking, against a moto server on 127.0.0.1, with the real Terraform 1.0.3."""

import json
import os
import shutil
import subprocess
import sys
import uuid

import boto3
import pytest
from cli_samples import NETWORK_AND_APP, native_lock_config

pytestmark = pytest.mark.terraform

LOCK_TABLE = "pangea-locks"


@pytest.fixture
def s3_project(tf_project, moto_endpoint, aws_env):
    """A project whose namespaces 'blue' and 'green' keep state in one fresh bucket."""
    bucket = f"state-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket=bucket)
    dynamodb = boto3.client("dynamodb", endpoint_url=moto_endpoint, region_name="us-east-1")
    if LOCK_TABLE not in dynamodb.list_tables()["TableNames"]:
        dynamodb.create_table(
            TableName=LOCK_TABLE,
            KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    namespace = """
          {name}:
            state:
              type: s3
              bucket: {bucket}
              key_prefix: teams/{name}
              region: us-east-1
              dynamodb_table: {table}
              endpoints: {{s3: "{endpoint}", dynamodb: "{endpoint}"}}
              force_path_style: true
              skip_credentials_validation: true
              skip_metadata_api_check: true
              skip_region_validation: true
    """
    text = "default_namespace: blue\nnamespaces:\n" + "".join(
        namespace.format(name=n, bucket=bucket, table=LOCK_TABLE, endpoint=moto_endpoint)
        for n in ("blue", "green")
    )
    tf_project.write("pangea.yaml", text.replace("\n    ", "\n"))
    tf_project.write("infra.py", NETWORK_AND_APP)
    tf_project.bucket, tf_project.s3, tf_project.dynamodb = bucket, s3, dynamodb
    return tf_project


def s3_outputs(project, key):
    body = project.s3.get_object(Bucket=project.bucket, Key=key)["Body"].read()
    return {name: entry["value"] for name, entry in json.loads(body)["outputs"].items()}


def test_state_lands_in_the_bucket_under_each_templates_key(s3_project):
    result = s3_project.run("apply", "infra.py", "--auto-approve")
    assert result.code == 0, result.err
    keys = sorted(
        o["Key"] for o in s3_project.s3.list_objects_v2(Bucket=s3_project.bucket)["Contents"]
    )
    assert keys == ["teams/blue/app.tfstate", "teams/blue/network.tfstate"]
    assert s3_outputs(s3_project, "teams/blue/app.tfstate") == {"cidr_seen": "10.0.0.0/16"}
    assert not (s3_project.root / ".pangea" / "blue" / ".state").exists()
    # Terraform 1.0 records each state's checksum in the lock table: the table was used.
    items = s3_project.dynamodb.scan(TableName=LOCK_TABLE)["Items"]
    lock_ids = {item["LockID"]["S"] for item in items}
    assert f"{s3_project.bucket}/teams/blue/network.tfstate-md5" in lock_ids


def test_a_second_namespace_never_sees_the_first_ones_state(s3_project):
    assert s3_project.run("apply", "infra.py", "--auto-approve").code == 0
    green = s3_project.run("output", "infra.py", "-n", "green", "--json")
    assert green.code == 0, green.err
    assert json.loads(green.out) == {"network": {}, "app": {}}
    plan = s3_project.run("plan", "infra.py", "-n", "green", "-t", "network")
    assert plan.code == 2 and "2 outputs changed" in plan.out


def test_a_held_lock_stops_apply_with_terraforms_lock_error(s3_project):
    key = f"{s3_project.bucket}/teams/blue/network.tfstate"
    info = json.dumps(
        {"ID": "held-by-test", "Operation": "OperationTypeApply", "Who": "someone@elsewhere"}
    )
    s3_project.dynamodb.put_item(
        TableName=LOCK_TABLE, Item={"LockID": {"S": key}, "Info": {"S": info}}
    )
    try:
        result = s3_project.run("apply", "infra.py", "-t", "network", "--auto-approve")
    finally:
        s3_project.dynamodb.delete_item(TableName=LOCK_TABLE, Key={"LockID": {"S": key}})
    assert result.code == 1
    assert "Error acquiring the state lock" in result.err and "held-by-test" in result.err
    listed = s3_project.s3.list_objects_v2(Bucket=s3_project.bucket).get("Contents", [])
    assert "teams/blue/network.tfstate" not in [o["Key"] for o in listed]


@pytest.mark.parametrize("lock_timeout", ["0s", "60s"])
def test_two_concurrent_applies_of_one_template_do_not_corrupt_state(
    s3_project, terraform_binary, lock_timeout
):
    # Two checkouts of the same project (as on two machines) apply the same template at once.
    second = s3_project.root.parent / f"{s3_project.root.name}-copy"
    shutil.copytree(s3_project.root, second)
    env = {**os.environ, "PANGEA_TERRAFORM": str(terraform_binary)}
    cmd = [
        sys.executable,
        "-m",
        "pangea.cli",
        "apply",
        "infra.py",
        "-t",
        "network",
        "--auto-approve",
        "--lock-timeout",
        lock_timeout,
    ]
    runs = [
        subprocess.Popen(
            cmd, cwd=d, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for d in (s3_project.root, second)
    ]
    outcomes = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in runs]
    codes = [code for code, _, _ in outcomes]
    assert 0 in codes, outcomes
    for code, _, err in outcomes:
        if lock_timeout == "0s":  # the loser fails at once with Terraform's lock error
            assert code == 0 or "Error acquiring the state lock" in err, err
        else:  # the loser waits for the lock, then finds nothing left to do or applies again
            # (also when it loses Terraform's lock race, see RELEASED_LOCK_RACE: pangea retries)
            assert code == 0, err
    state = json.loads(
        s3_project.s3.get_object(Bucket=s3_project.bucket, Key="teams/blue/network.tfstate")[
            "Body"
        ].read()
    )
    assert {k: v["value"] for k, v in state["outputs"].items()} == {
        "vpc_cidr": "10.0.0.0/16",
        "db_password": "hunter2-secret",
    }
    # No lock is left behind: a further apply goes through.
    lock_ids = {i["LockID"]["S"] for i in s3_project.dynamodb.scan(TableName=LOCK_TABLE)["Items"]}
    assert f"{s3_project.bucket}/teams/blue/network.tfstate" not in lock_ids
    assert s3_project.run("plan", "infra.py", "-t", "network").code == 0


# What Terraform 1.0.3 prints when its conditional put into the lock table fails (the lock is
# held) and the holder has released the lock before Terraform reads who held it: the read finds
# no item, and Terraform gives up at once whatever -lock-timeout says (hashicorp/terraform#32690).
# Captured from a failing run of the concurrency test above.
RELEASED_LOCK_RACE = """
Error: Error acquiring the state lock

Error message: 2 errors occurred:
\t* ConditionalCheckFailedException: The conditional request failed
\t* unexpected end of JSON input



Terraform acquires a state lock to protect the state from being written
by multiple users at the same time. Please resolve the issue above and try
again. For most commands, you can disable locking with the "-lock=false"
flag, but this is not recommended.
"""


def racing_terraform(directory, terraform_binary, steps):
    """A Terraform that loses the lock race once in each of ``steps``, then behaves normally.

    Every invocation's arguments are logged, one line each, to the returned log file.
    """
    log = directory / "terraform-calls.log"
    (directory / "race-message").write_text(RELEASED_LOCK_RACE)
    wrapper = directory / "terraform"
    wrapper.write_text(f"""#!/bin/sh
echo "$*" >> '{log}'
case " {' '.join(steps)} " in
  *" $1 "*)
    if [ ! -e '{directory}'/"$1.raced" ]; then
      : > '{directory}'/"$1.raced"
      cat '{directory}/race-message' >&2
      exit 1
    fi;;
esac
exec '{terraform_binary}' "$@"
""")
    wrapper.chmod(0o755)
    return wrapper, log


def test_a_lock_released_mid_check_is_waited_for_within_the_lock_timeout(
    s3_project, terraform_binary, monkeypatch, tmp_path_factory
):
    fake_dir = tmp_path_factory.mktemp("racing-terraform")
    wrapper, log = racing_terraform(fake_dir, terraform_binary, ["plan", "apply"])
    monkeypatch.setenv("PANGEA_TERRAFORM", str(wrapper))
    result = s3_project.run(
        "apply", "infra.py", "-t", "network", "--auto-approve", "--lock-timeout", "60s"
    )
    assert result.code == 0, result.err
    assert result.err.count("the state lock was released just as Terraform checked") == 2
    calls = [line.split() for line in log.read_text().splitlines()]
    plans = [c for c in calls if c[0] == "plan"]
    applies = [c for c in calls if c[0] == "apply"]
    assert len(plans) == 2 and len(applies) == 2
    # The first try waits the whole timeout; a retry only what is left of it.
    assert "-lock-timeout=60s" in plans[0] and "-lock-timeout=60s" in applies[0]
    for retried in (plans[1], applies[1]):
        (timeout,) = [a for a in retried if a.startswith("-lock-timeout=")]
        assert timeout.endswith("ms") and 50_000 < int(timeout[len("-lock-timeout=") : -2]) < 60_000
    # The retried apply used the saved plan (it was not discarded by the failed try).
    assert applies[1][-1] == "pangea.tfplan"
    assert s3_outputs(s3_project, "teams/blue/network.tfstate") == {
        "vpc_cidr": "10.0.0.0/16",
        "db_password": "hunter2-secret",
    }


def test_a_lock_released_mid_check_still_fails_at_once_without_a_lock_timeout(
    s3_project, terraform_binary, monkeypatch, tmp_path_factory
):
    fake_dir = tmp_path_factory.mktemp("racing-terraform")
    wrapper, log = racing_terraform(fake_dir, terraform_binary, ["plan"])
    monkeypatch.setenv("PANGEA_TERRAFORM", str(wrapper))
    result = s3_project.run("apply", "infra.py", "-t", "network", "--auto-approve")
    assert result.code == 1
    assert "Error acquiring the state lock" in result.err and "trying again" not in result.err
    assert [line.split()[0] for line in log.read_text().splitlines()].count("plan") == 1


def newer_terraform_on_path():
    from pangea.cli.terraform import TerraformNotFoundError, find_binary

    try:
        found = find_binary(None, None, {"PATH": os.environ.get("PATH", "")})
    except TerraformNotFoundError:
        return None
    return found if found.version >= (1, 10, 0) else None


def test_newer_terraform_uses_the_new_setting_names_and_use_lockfile(
    s3_project, monkeypatch, moto_endpoint
):
    newer = newer_terraform_on_path()
    if newer is None:
        pytest.skip(
            "no Terraform/OpenTofu >= 1.10 on PATH; the s3 settings of newer releases "
            "(endpoints, use_path_style, use_lockfile) are then checked by unit tests only"
        )
    monkeypatch.setenv("PANGEA_TERRAFORM", newer.path)
    s3_project.write("pangea.yaml", native_lock_config(s3_project.bucket, moto_endpoint, "modern"))
    result = s3_project.run("apply", "infra.py", "--auto-approve")
    assert result.code == 0, result.err
    assert s3_outputs(s3_project, "modern/app.tfstate") == {"cidr_seen": "10.0.0.0/16"}
    backend = json.loads((s3_project.root / ".pangea/blue/network/backend.tf.json").read_text())
    assert backend["terraform"]["backend"]["s3"]["use_lockfile"] is True
    assert "endpoints" in backend["terraform"]["backend"]["s3"]
