"""Finding the Terraform/OpenTofu binary, and what happens without one."""

import os
from pathlib import Path

import pytest

from pangea.cli.terraform import TerraformNotFoundError, find_binary


def link(directory: Path, name: str, target: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.symlink_to(target)
    return path


@pytest.mark.terraform
def test_tofu_is_preferred_over_terraform_on_path(tmp_path, terraform_binary):
    tofu = link(tmp_path / "a", "tofu", terraform_binary)
    link(tmp_path / "b", "terraform", terraform_binary)
    found = find_binary(None, None, {"PATH": f"{tmp_path / 'b'}{os.pathsep}{tmp_path / 'a'}"})
    assert found.path == str(tofu)
    assert found.version == (1, 0, 3) and found.product == "Terraform"
    assert found.dialect.modern_s3 is False


@pytest.mark.terraform
def test_terraform_on_path_when_there_is_no_tofu(tmp_path, terraform_binary):
    terraform = link(tmp_path / "b", "terraform", terraform_binary)
    assert find_binary(None, None, {"PATH": str(tmp_path / "b")}).path == str(terraform)


@pytest.mark.terraform
def test_environment_variable_beats_config_which_beats_path(tmp_path, terraform_binary):
    from_env = link(tmp_path / "env", "tf-env", terraform_binary)
    from_cfg = link(tmp_path / "cfg", "tf-cfg", terraform_binary)
    link(tmp_path / "path", "terraform", terraform_binary)
    environ = {"PATH": str(tmp_path / "path"), "PANGEA_TERRAFORM": str(from_env)}
    assert find_binary(str(from_cfg), tmp_path / "pangea.yaml", environ).path == str(from_env)
    del environ["PANGEA_TERRAFORM"]
    assert find_binary(str(from_cfg), tmp_path / "pangea.yaml", environ).path == str(from_cfg)
    # A relative path in pangea.yaml is relative to that file.
    assert find_binary("cfg/tf-cfg", tmp_path / "pangea.yaml", environ).path == str(
        tmp_path / "cfg" / "tf-cfg"
    )


def test_no_binary_anywhere_says_how_to_set_one(tmp_path):
    with pytest.raises(TerraformNotFoundError) as info:
        find_binary(None, None, {"PATH": str(tmp_path)})
    message = str(info.value)
    assert "'tofu'" in message and "'terraform'" in message
    assert "terraform: {binary:" in message and "PANGEA_TERRAFORM" in message


def test_configured_binary_that_does_not_exist_is_named(tmp_path):
    config = tmp_path / "pangea.yaml"
    with pytest.raises(TerraformNotFoundError) as info:
        find_binary("/nowhere/terraform", config, {"PATH": ""})
    assert "/nowhere/terraform" in str(info.value) and str(config) in str(info.value)


def test_a_program_that_is_not_terraform_is_rejected(tmp_path):
    fake = tmp_path / "terraform"
    fake.write_text("#!/bin/sh\necho hello\n")
    fake.chmod(0o755)
    with pytest.raises(TerraformNotFoundError) as info:
        find_binary(None, None, {"PATH": str(tmp_path)})
    assert "does not look like Terraform or OpenTofu" in str(info.value)


def test_a_binary_is_asked_its_version_once_until_it_changes(tmp_path):
    """One process running several commands (tests, the pytest plugin) probes a binary once;
    a binary changed in place is probed again, and a failed probe is not remembered."""
    calls = tmp_path / "calls.log"
    fake = tmp_path / "bin" / "terraform"
    fake.parent.mkdir()

    def install(version_line: str) -> None:
        fake.write_text(f'#!/bin/sh\necho "$1" >> \'{calls}\'\necho "{version_line}"\n')
        fake.chmod(0o755)

    environ = {"PATH": str(fake.parent)}
    install("Terraform v1.5.7")
    assert find_binary(None, None, environ).version == (1, 5, 7)
    assert find_binary(None, None, environ).version == (1, 5, 7)
    assert calls.read_text().split() == ["version"]
    install("OpenTofu v1.11.14")  # upgraded in place
    found = find_binary(None, None, environ)
    assert (found.product, found.version) == ("OpenTofu", (1, 11, 14))
    assert calls.read_text().split() == ["version"] * 2
    install("hello")
    for _ in range(2):
        with pytest.raises(TerraformNotFoundError):
            find_binary(None, None, environ)
    assert calls.read_text().split() == ["version"] * 4


def test_terraform_runs_as_one_process_without_a_crash_catching_parent(tmp_path):
    """Terraform before 1.1 re-runs every command as a child of itself unless TF_FORK=0; the
    command runner and the testing helpers' plan both set it (and stay unattended, offline)."""
    from pangea.cli.terraform import TerraformBinary, TerraformRunner
    from pangea.testing import plan_json

    seen = tmp_path / "env.log"
    fake = tmp_path / "terraform"
    fake.write_text(f"#!/bin/sh\necho \"$1 $TF_FORK $TF_INPUT $CHECKPOINT_DISABLE\" >> '{seen}'\n"
                    "if [ \"$1\" = show ]; then echo '{}'; fi\n")
    fake.chmod(0o755)
    TerraformRunner(TerraformBinary(str(fake), "Terraform", (1, 0, 3))).run(
        "plan", ["plan"], tmp_path)
    assert plan_json({}, terraform=str(fake)) == {}
    assert seen.read_text().splitlines() == [
        "plan 0 0 1", "init 0 0 1", "plan 0 0 1", "show 0 0 1"]


def test_long_steps_report_that_they_are_still_running(tmp_path):
    from pangea.cli.terraform import TerraformBinary, TerraformFailedError, TerraformRunner

    # The runner is generic over the program: `sh` stands in for a slow Terraform step here.
    runner = TerraformRunner(TerraformBinary("/bin/sh", "Terraform", (1, 0, 3)))
    runner.heartbeat_seconds = 0.1
    heard = []
    result = runner.run("apply", ["-c", "sleep 0.45; echo done"], tmp_path, on_wait=heard.append)
    assert result.stdout == "done\n"
    assert len(heard) >= 3 and heard == sorted(heard)
    with pytest.raises(TerraformFailedError) as info:
        runner.run("plan", ["-c", "echo context; echo boom >&2; exit 7"], tmp_path)
    assert info.value.returncode == 7 and info.value.output == "context\nboom"
