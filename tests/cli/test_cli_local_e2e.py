"""End to end with the real Terraform 1.0.3 and local state: plan, apply, output, destroy."""

import json

import pytest

from cli_samples import NETWORK_AND_APP

pytestmark = pytest.mark.terraform


def state_outputs(path):
    return {name: entry["value"] for name, entry in json.loads(path.read_text())["outputs"].items()}


def test_first_plan_on_a_new_project_works_and_reports_changes(tf_project):
    tf_project.write("infra.py", NETWORK_AND_APP)
    result = tf_project.run("plan", "infra.py")
    assert result.code == 2, result.err
    assert (
        "network: 0 to create, 0 to update, 0 to replace, 0 to delete, 2 outputs changed"
        in result.out
    )
    assert '+ output.vpc_cidr = "10.0.0.0/16"' in result.out
    assert "+ output.db_password = (sensitive value)" in result.out
    assert "hunter2-secret" not in result.out + result.err
    # app reads network's outputs, which do not exist before the first apply.
    assert "app: not planned yet: it reads outputs of 'network'" in result.out
    assert (
        "[1/2] network (default): plan" in result.err and "[2/2] app (default): plan" in result.err
    )
    workdir = tf_project.root / ".pangea" / "default" / "network"
    assert json.loads((workdir / "backend.tf.json").read_text()) == {
        "terraform": {
            "backend": {
                "local": {"path": str(tf_project.root / ".pangea/default/.state/network.tfstate")}
            }
        }
    }
    assert (workdir / "main.tf.json").is_file() and (workdir / "pangea.tfplan").is_file()


def test_apply_creates_one_state_per_template_and_outputs_flow_across(tf_project):
    tf_project.write("infra.py", NETWORK_AND_APP)
    result = tf_project.run("apply", "infra.py", "--auto-approve")
    assert result.code == 0, result.err
    state_dir = tf_project.root / ".pangea" / "default" / ".state"
    assert state_outputs(state_dir / "network.tfstate") == {
        "vpc_cidr": "10.0.0.0/16",
        "db_password": "hunter2-secret",
    }
    assert state_outputs(state_dir / "app.tfstate") == {"cidr_seen": "10.0.0.0/16"}
    assert '  cidr_seen = "10.0.0.0/16"' in result.out
    assert "  db_password = (sensitive value)" in result.out
    assert "hunter2-secret" not in result.out + result.err

    again = tf_project.run("plan", "infra.py")
    assert again.code == 0, again.err
    assert "network: no changes" in again.out and "app: no changes" in again.out

    shown = tf_project.run("output", "infra.py", "--json")
    assert shown.code == 0, shown.err
    # Terraform's own shape; a sensitive value is null, never a marker string inside the JSON.
    assert json.loads(shown.out) == {
        "network": {
            "db_password": {"sensitive": True, "value": None, "type": "string"},
            "vpc_cidr": {"sensitive": False, "value": "10.0.0.0/16", "type": "string"},
        },
        "app": {"cidr_seen": {"sensitive": False, "value": "10.0.0.0/16", "type": "string"}},
    }
    revealed = tf_project.run("output", "infra.py", "-t", "network", "--json", "--show-sensitive")
    assert json.loads(revealed.out)["network"]["db_password"] == {
        "sensitive": True, "value": "hunter2-secret", "type": "string"}


def test_apply_uses_the_saved_plan_unless_the_configuration_changed(tf_project, monkeypatch):
    tf_project.write("infra.py", NETWORK_AND_APP)
    assert tf_project.run("plan", "infra.py", "-t", "network").code == 2
    applied = tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve")
    assert applied.code == 0, applied.err
    assert "using the plan saved by `pangea plan`" in applied.err
    state = tf_project.root / ".pangea/default/.state/network.tfstate"
    assert state_outputs(state)["vpc_cidr"] == "10.0.0.0/16"

    assert tf_project.run("plan", "infra.py", "-t", "network").code == 0
    monkeypatch.setenv(
        "TEST_CIDR", "10.9.0.0/16"
    )  # the template reads it: the configuration changes
    replanned = tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve")
    assert replanned.code == 0, replanned.err
    assert (
        "using the plan saved" not in replanned.err and "network (default): plan" in replanned.err
    )
    assert '~ output.vpc_cidr = "10.0.0.0/16" -> "10.9.0.0/16"' in replanned.out
    assert state_outputs(state)["vpc_cidr"] == "10.9.0.0/16"


def test_without_a_terminal_apply_and_destroy_refuse_before_doing_anything(tf_project):
    tf_project.write("infra.py", NETWORK_AND_APP)
    for command in ("apply", "destroy"):
        result = tf_project.run(command, "infra.py")
        assert result.code == 5
        assert "standard input is not a terminal" in result.err and "--auto-approve" in result.err
    assert not (tf_project.root / ".pangea").exists()


def test_confirmation_on_a_terminal_only_accepts_yes(tf_project):
    tf_project.write("infra.py", NETWORK_AND_APP)
    declined = tf_project.run("apply", "infra.py", "-t", "network", answer="no\n")
    assert declined.code == 5
    assert "Apply these changes to template 'network' in namespace 'default'?" in declined.out
    assert "cancelled" in declined.err
    state = tf_project.root / ".pangea/default/.state/network.tfstate"
    assert not state.exists()

    accepted = tf_project.run(
        "apply", "infra.py", "-t", "network", "--no-auto-approve", answer="yes\n"
    )
    assert accepted.code == 0, accepted.err
    assert state_outputs(state)["vpc_cidr"] == "10.0.0.0/16"


def test_namespaces_keep_separate_state(tf_project, monkeypatch):
    tf_project.write("infra.py", NETWORK_AND_APP)
    monkeypatch.setenv("TEST_CIDR", "10.1.0.0/16")
    assert tf_project.run("apply", "infra.py", "-n", "dev", "--auto-approve").code == 0
    monkeypatch.setenv("PANGEA_NAMESPACE", "prod")  # the environment picks the namespace too
    monkeypatch.setenv("TEST_CIDR", "10.2.0.0/16")
    prod_plan = tf_project.run("plan", "infra.py", "-t", "network")
    assert prod_plan.code == 2, "prod must not see dev's state"
    assert tf_project.run("apply", "infra.py", "--auto-approve").code == 0
    root = tf_project.root / ".pangea"
    assert state_outputs(root / "dev/.state/app.tfstate") == {"cidr_seen": "10.1.0.0/16"}
    assert state_outputs(root / "prod/.state/app.tfstate") == {"cidr_seen": "10.2.0.0/16"}
    assert (root / "dev" / "network" / "main.tf.json").is_file()
    assert (root / "prod" / "network" / "main.tf.json").is_file()


def test_destroy_removes_dependents_first(tf_project):
    tf_project.write("infra.py", NETWORK_AND_APP)
    assert tf_project.run("apply", "infra.py", "--auto-approve").code == 0
    result = tf_project.run("destroy", "infra.py", "--auto-approve")
    assert result.code == 0, result.err
    assert result.err.index("app (default): destroy") < result.err.index(
        "network (default): destroy"
    )
    state_dir = tf_project.root / ".pangea/default/.state"
    assert state_outputs(state_dir / "app.tfstate") == {}
    assert state_outputs(state_dir / "network.tfstate") == {}
    assert tf_project.run("output", "infra.py", "--json").out.strip().startswith("{")


def test_terraform_failure_passes_through_its_message_and_status(tf_project):
    tf_project.write(
        "broken.py",
        """
        from pangea import template, output, variable

        @template("needs_input")
        def needs_input():
            region = variable("region", type="string")   # no default and no value given
            output("region", region)
    """,
    )
    result = tf_project.run("plan", "broken.py")
    assert result.code == 1
    assert "No value for required variable" in result.err  # Terraform's own words
    assert (
        "terraform plan for template 'needs_input' in namespace 'default' failed with exit status 1"
        in result.err
    )


def test_plan_of_one_template_with_dependencies_only_references_them(tf_project):
    tf_project.write("infra.py", NETWORK_AND_APP)
    assert tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve").code == 0
    result = tf_project.run("plan", "infra.py", "--template", "app")
    assert result.code == 2, result.err
    assert (
        "app: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 output changed" in result.out
    )
    assert "network" not in result.out


def logging_terraform(directory, terraform_binary):
    """A Terraform that logs each invocation's arguments, one line each, then runs the real one."""
    log = directory / "terraform-calls.log"
    wrapper = directory / "terraform"
    wrapper.write_text(f"#!/bin/sh\necho \"$*\" >> '{log}'\nexec '{terraform_binary}' \"$@\"\n")
    wrapper.chmod(0o755)
    return wrapper, log


def calls_of(log, command):
    lines = log.read_text().splitlines() if log.exists() else []
    return [line.split() for line in lines if line.split()[:1] == [command]]


def test_plans_are_read_back_with_show_only_when_they_have_changes_and_only_once(
    tf_project, terraform_binary, monkeypatch, tmp_path_factory
):
    """`terraform plan -detailed-exitcode` says when nothing changes: `show -json` (which loads
    every provider again) runs only for plans with changes, and `pangea apply` of the saved
    plan shows the summary `pangea plan` recorded beside it instead of reading it again."""
    tf_project.write("infra.py", NETWORK_AND_APP)
    assert tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve").code == 0
    wrapper, log = logging_terraform(tmp_path_factory.mktemp("logging-terraform"), terraform_binary)
    monkeypatch.setenv("PANGEA_TERRAFORM", str(wrapper))

    unchanged = tf_project.run("plan", "infra.py", "-t", "network")
    assert unchanged.code == 0, unchanged.err
    assert "network: no changes" in unchanged.out
    (plan,) = calls_of(log, "plan")
    assert "-detailed-exitcode" in plan and any(a.startswith("-out=") for a in plan)
    assert calls_of(log, "show") == []
    as_json = tf_project.run("plan", "infra.py", "-t", "network", "--json")
    assert as_json.code == 0, as_json.err
    assert json.loads(as_json.out)["network"] == {
        "planned": True, "has_changes": False,
        "counts": {"create": 0, "update": 0, "replace": 0, "delete": 0, "forget": 0},
        "resource_changes": [], "output_changes": []}
    assert calls_of(log, "show") == []

    applied = tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve")
    assert applied.code == 0, applied.err
    assert "using the plan saved by `pangea plan`" in applied.err
    assert "network: no changes" in applied.out
    assert calls_of(log, "show") == [] and calls_of(log, "apply") == []
    assert not (tf_project.root / ".pangea/default/network/pangea.tfplan").exists()

    # A plan with changes is read back once, for `pangea plan`'s summary; apply shows the same.
    monkeypatch.setenv("TEST_CIDR", "10.9.0.0/16")
    changed = tf_project.run("plan", "infra.py", "-t", "network")
    assert changed.code == 2, changed.err
    summary = [line for line in changed.out.splitlines() if line.startswith(("network", "  "))]
    assert '    ~ output.vpc_cidr = "10.0.0.0/16" -> "10.9.0.0/16"' in summary
    assert len(calls_of(log, "show")) == 1
    applied = tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve")
    assert applied.code == 0, applied.err
    assert "using the plan saved by `pangea plan`" in applied.err
    assert "\n".join(summary) in applied.out
    assert len(calls_of(log, "show")) == 1 and len(calls_of(log, "apply")) == 1
    state = tf_project.root / ".pangea/default/.state/network.tfstate"
    assert state_outputs(state)["vpc_cidr"] == "10.9.0.0/16"


def test_a_saved_plan_replaced_after_it_was_summarised_is_read_back(tf_project, monkeypatch):
    """The recorded summary holds for the very plan file Terraform wrote: if another plan
    took its place, `pangea apply` reads (and shows) that one."""
    tf_project.write("infra.py", NETWORK_AND_APP)
    assert tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve").code == 0
    workdir = tf_project.root / ".pangea/default/network"
    monkeypatch.setenv("TEST_CIDR", "10.9.0.0/16")
    assert tf_project.run("plan", "infra.py", "-t", "network").code == 2
    with_changes = (workdir / "pangea.tfplan").read_bytes()
    fingerprint = (workdir / "pangea.tfplan.fingerprint").read_text()
    monkeypatch.delenv("TEST_CIDR")
    assert tf_project.run("plan", "infra.py", "-t", "network").code == 0
    assert (workdir / "pangea.tfplan.summary").is_file()
    # Put the plan with changes (and its fingerprint) back in place of the one without.
    (workdir / "pangea.tfplan").write_bytes(with_changes)
    (workdir / "pangea.tfplan.fingerprint").write_text(fingerprint)
    monkeypatch.setenv("TEST_CIDR", "10.9.0.0/16")
    applied = tf_project.run("apply", "infra.py", "-t", "network", "--auto-approve")
    assert applied.code == 0, applied.err
    assert "using the plan saved by `pangea plan`" in applied.err
    assert '~ output.vpc_cidr = "10.0.0.0/16" -> "10.9.0.0/16"' in applied.out
    assert state_outputs(workdir.parent / ".state/network.tfstate")["vpc_cidr"] == "10.9.0.0/16"


def test_a_plan_that_crashes_with_status_2_and_writes_no_plan_is_a_failed_plan(
    tf_project, terraform_binary, monkeypatch, tmp_path_factory
):
    """Terraform before 1.1 exits 2 when it panics (Go's status for an unrecovered panic), the
    status `plan -detailed-exitcode` gives for "changes present". A plan that wrote no plan file
    has not succeeded: pangea says `terraform plan` failed, reads nothing back, records nothing."""
    tf_project.write("infra.py", NETWORK_AND_APP)
    directory = tmp_path_factory.mktemp("crashing-terraform")
    wrapper = directory / "terraform"
    wrapper.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = plan ]; then echo "panic: runtime error: invalid memory address" >&2; '
        "exit 2; fi\n"
        f"exec '{terraform_binary}' \"$@\"\n")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PANGEA_TERRAFORM", str(wrapper))
    result = tf_project.run("plan", "infra.py", "-t", "network")
    # 1 (Terraform failed), never 2, which scripts read as "changes present"
    assert result.code == 1 and "changes" not in result.out, (result.code, result.out)
    assert "terraform plan for template 'network' in namespace 'default' failed with exit " \
        "status 2" in result.err, result.err
    assert "panic: runtime error" in result.err
    assert "terraform show" not in result.err
    workdir = tf_project.root / ".pangea/default/network"
    assert not (workdir / "pangea.tfplan.fingerprint").exists()
    assert not (workdir / "pangea.tfplan.summary").exists()
