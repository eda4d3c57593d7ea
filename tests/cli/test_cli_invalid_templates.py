"""A template that fails validation: every problem is reported, nothing is written, Terraform never runs."""

import pytest

import pangea.schema_check

BAD_RESOURCE = """
from pangea import template, output
from pangea_aws import aws_docdb_cluster_parameter_group

@template("db")
def db():
    pg = aws_docdb_cluster_parameter_group("params", family=5, parameter=[{"name": "tls"}], bogus=1)
    output("name", pg.name)
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "bad.py"],
        ["apply", "bad.py", "--auto-approve"],
        ["validate", "bad.py"],
        ["synth", "bad.py", "--out", "build"],
    ],
)
def test_invalid_arguments_stop_every_command_before_anything_is_written(tf_project, argv):
    tf_project.write("bad.py", BAD_RESOURCE)
    result = tf_project.run(*argv)
    assert result.code == 3
    assert (
        "bad.py:6: template 'db': aws_docdb_cluster_parameter_group.params: 3 problems"
        in result.err
    )
    for problem in (
        "family: must be a string",
        "parameter[0].value: is required",
        "bogus: is not an argument",
    ):
        assert problem in result.err
    assert sorted(p.name for p in tf_project.root.iterdir()) == ["bad.py"]  # no .pangea/, no build/


class FakeProblem:
    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


def test_every_schema_problem_is_listed_and_terraform_is_not_run(tf_project, monkeypatch):
    from cli_samples import NETWORK_AND_APP

    # Each template has a body the schema check reads (typed bodies it skips, and Terraform's
    # own terraform_remote_state): one from the untyped escape hatch.
    sample = NETWORK_AND_APP.replace(
        "    local(", '    resource("nosuch_thing", "x", {"a": 1})\n    local(').replace(
        "    net = ", '    resource("nosuch_app", "y", {"b": 2})\n    net = ').replace(
        "from pangea import template,", "from pangea import resource, template,")
    tf_project.write("infra.py", sample)
    found = {
        "network": ["aws_vpc.main: cidr_block: expected a string"],
        "app": [
            "aws_subnet.a: unknown attribute 'vpcid'",
            "aws_subnet.b: block 'timeouts' given twice",
        ],
    }
    seen = []

    def check_config(config, lookup=None):
        name = "app" if "nosuch_app" in config["resource"] else "network"
        seen.append(name)
        return [FakeProblem(p) for p in found[name]]

    monkeypatch.setattr(pangea.schema_check, "check_config", check_config)
    result = tf_project.run("plan", "infra.py")
    assert result.code == 3
    assert seen == ["network", "app"]
    for template, problems in found.items():
        for problem in problems:
            assert f"infra.py: template '{template}': {problem}" in result.err
    assert "3 problems found; nothing was written and Terraform was not run" in result.err
    assert not (tf_project.root / ".pangea").exists()


@pytest.mark.parametrize("argv", [["validate", "bad.py"], ["synth", "bad.py", "-t", "db", "-t", "params"]])
def test_one_run_reports_every_mistake_of_every_template(project, argv):
    from collected_sample import EIGHT_MISTAKES, EXPECTED, line_of

    project.write("bad.py", EIGHT_MISTAKES)
    result = project.run(*argv)
    assert result.code == 3
    assert "error: 8 problems in 2 templates:" in result.err
    for template, address, attr_path, marker in EXPECTED:
        assert f"bad.py:{line_of(marker)}: template {template!r}: {address}: " in result.err
        assert attr_path in result.err
    assert result.out == ""
    assert sorted(p.name for p in project.root.iterdir()) == ["bad.py"]


BROKEN_AND_SCHEMA_PROBLEM = """
from pangea import override, template
from pangea_aws import aws_docdb_cluster_parameter_group, aws_docdb_subnet_group

@template("broken")
def broken():
    aws_docdb_subnet_group("g", subnet_ids="subnet-1")  # SYNTHESIS

@template("params")
def params():
    group = aws_docdb_cluster_parameter_group("params", family="docdb5.0")
    override(group, "family", None)  # only the schema check sees that a required one is null

@template("fine")
def fine():
    aws_docdb_subnet_group("ok", subnet_ids=["subnet-1"])
"""


@pytest.mark.parametrize("argv", [["validate", "bad.py"], ["plan", "bad.py"],
                                  ["synth", "bad.py", "-t", "broken", "-t", "params"]])
def test_the_schema_check_of_the_other_templates_runs_in_the_same_run(project, argv):
    project.write("bad.py", BROKEN_AND_SCHEMA_PROBLEM)
    result = project.run(*argv)
    assert result.code == 3
    assert "error: 2 problems in 2 templates:" in result.err
    assert ("bad.py:6: template 'broken': aws_docdb_subnet_group.g: subnet_ids: must be a set "
            "of string") in result.err
    assert ("bad.py: template 'params': aws_docdb_cluster_parameter_group.params: family: "
            "missing required attribute") in result.err
    assert "'fine'" not in result.err
    assert sorted(p.name for p in project.root.iterdir()) == ["bad.py"]


UNKNOWN_PROVIDER = """
from pangea import provider, template

@template("edge")
def edge():
    provider("acme", region="x")  # HERE
"""


def test_a_provider_no_package_describes_warns_and_strict_refuses_it(project):
    project.write("edge.py", UNKNOWN_PROVIDER)
    result = project.run("validate", "edge.py")
    assert result.code == 0, result.err
    assert "edge: valid" in result.out
    assert "warning[unknown-provider]" in result.err
    assert "edge.py:5: template 'edge': provider.acme" in result.err
    assert "hint: generate a package for it (pangea provider add NAMESPACE/acme" in result.err
    strict = project.run("validate", "edge.py", "--strict")
    assert strict.code == 3
    assert "warning[unknown-provider]" in strict.err and "(errors under --strict)" in strict.err
    synth = project.run("synth", "edge.py")
    assert synth.code == 0
    assert '"acme"' in synth.out and "required_providers" not in synth.out
