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

    tf_project.write("infra.py", NETWORK_AND_APP)
    found = {
        "network": ["aws_vpc.main: cidr_block: expected a string"],
        "app": [
            "aws_subnet.a: unknown attribute 'vpcid'",
            "aws_subnet.b: block 'timeouts' given twice",
        ],
    }
    seen = []

    def check_config(config, lookup=None):
        name = "app" if "data" in config else "network"
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
