"""Commands and errors that need no Terraform: list, synth, validate, bad input, exit codes."""

import json

from cli_samples import NETWORK_AND_APP


def test_list_prints_template_names_in_file_order(project):
    project.write("infra.py", NETWORK_AND_APP)
    result = project.run("list", "infra.py")
    assert (result.code, result.out.split()) == (0, ["network", "app"])


def test_synth_prints_the_terraform_json(project):
    project.write("infra.py", NETWORK_AND_APP)
    result = project.run("synth", "infra.py")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert list(document) == ["network", "app"]
    assert document["network"]["output"]["vpc_cidr"]["value"] == "${var.cidr}"
    remote = document["app"]["data"]["terraform_remote_state"]["network"]
    # Cross-template reads point at the namespace's own state for that template.
    assert remote["backend"] == "local"
    # Relative to the working directory: the output holds no absolute path of this machine.
    assert remote["config"]["path"] == ".pangea/default/.state/network.tfstate"


def test_synth_of_one_template_prints_just_its_config(project):
    project.write("infra.py", NETWORK_AND_APP)
    result = project.run("synth", "infra.py", "-t", "app", "-n", "staging")
    assert result.code == 0, result.err
    config = json.loads(result.out)
    assert "terraform_remote_state" in config["data"]
    assert config["data"]["terraform_remote_state"]["network"]["config"]["path"].endswith(
        ".pangea/staging/.state/network.tfstate"
    )


def test_synth_out_writes_a_runnable_directory_per_template(project):
    project.write("infra.py", NETWORK_AND_APP)
    project.write(
        "pangea.yaml",
        """
        default_namespace: production
        namespaces:
          production:
            state: {type: s3, bucket: acme, region: eu-west-1, key_prefix: infra/prod, dynamodb_table: locks}
    """,
    )
    result = project.run("synth", "infra.py", "--out", "build/example")
    assert result.code == 0, result.err
    out = project.root / "build" / "example"
    assert sorted(p.name for p in out.iterdir()) == ["app", "network"]
    backend = json.loads((out / "app" / "backend.tf.json").read_text())["terraform"]["backend"][
        "s3"
    ]
    assert (backend["bucket"], backend["key"], backend["dynamodb_table"]) == (
        "acme",
        "infra/prod/app.tfstate",
        "locks",
    )
    main = json.loads((out / "app" / "main.tf.json").read_text())
    assert (
        main["data"]["terraform_remote_state"]["network"]["config"]["key"]
        == "infra/prod/network.tfstate"
    )


def test_validate_without_terraform_reports_valid_templates(project, monkeypatch):
    monkeypatch.setenv("PATH", str(project.root))  # no Terraform anywhere
    project.write("infra.py", NETWORK_AND_APP)
    result = project.run("validate", "infra.py")
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["network: valid", "app: valid"]


def test_missing_file_is_named(project):
    result = project.run("plan", "nothere.py")
    assert result.code == 3
    assert "nothere.py: template file does not exist" in result.err
    assert "Traceback" not in result.err


def test_unknown_template_lists_the_ones_there_are(project):
    project.write("infra.py", NETWORK_AND_APP)
    result = project.run("synth", "infra.py", "-t", "netwrok")
    assert result.code == 3
    assert "no template named 'netwrok'" in result.err and "network, app" in result.err
    assert result.out == ""


def test_invalid_pangea_yaml_names_file_line_and_key(project):
    project.write("infra.py", NETWORK_AND_APP)
    project.write(
        "pangea.yaml",
        """
        namespaces:
          dev:
            state:
              type: local
              paht: x
    """,
    )
    result = project.run("plan", "infra.py", "-n", "dev")
    assert result.code == 3
    assert (
        f"{project.root / 'pangea.yaml'}:5: namespaces.dev.state.paht: unknown key (did you mean 'path'?)"
        in result.err
    )


def test_undeclared_namespace_is_an_error_when_namespaces_are_declared(project):
    project.write("infra.py", NETWORK_AND_APP)
    project.write("pangea.yaml", "namespaces:\n  dev:\n    state: {type: local}\n")
    result = project.run("synth", "infra.py", "-n", "prod")
    assert (
        result.code == 3
        and "namespace 'prod' is not declared" in result.err
        and "dev" in result.err
    )


def test_dependency_cycle_is_named(project):
    project.write(
        "cycle.py",
        """
        from pangea import template, output, remote_outputs

        @template("a")
        def a():
            output("x", remote_outputs("b").y)

        @template("b")
        def b():
            output("y", remote_outputs("a").x)
    """,
    )
    result = project.run("synth", "cycle.py")
    assert result.code == 3
    assert "a -> b -> a" in result.err or "b -> a -> b" in result.err


def test_no_terraform_binary_says_how_to_set_one(project, monkeypatch):
    monkeypatch.setenv("PATH", str(project.root))
    project.write("infra.py", NETWORK_AND_APP)
    result = project.run("plan", "infra.py")
    assert result.code == 4
    assert "no Terraform binary found" in result.err and "PANGEA_TERRAFORM" in result.err
    assert not (project.root / ".pangea").exists()


def test_usage_errors_exit_3_not_2(project):
    result = project.run("plan")
    assert result.code == 3 and "usage: pangea plan" in result.err
    result = project.run("frobnicate", "x.py")
    assert result.code == 3


def test_help_lists_the_exit_codes(project, capsys):
    result = project.run("--help")
    assert result.code == 0
    out = capsys.readouterr().out
    assert "changes present" in out
    assert "pangea provider add SOURCE" in out  # a command with its own arguments, listed too
