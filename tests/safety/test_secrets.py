"""Write-only values are masked like sensitive ones; no message quotes a value whole."""

from __future__ import annotations

import pytest

import pangea
from pangea import PangeaError
from pangea.schema_check import check_config

SECRET = 's3cr@t/"hunter2'


def _cluster_error(write_template, password: str) -> str:
    path = write_template(
        "from pangea import template\nfrom pangea_aws import aws_docdb_cluster\n\n@template\n"
        "def db():\n    aws_docdb_cluster('main', cluster_identifier='x', master_username='admin',\n"
        f"        master_password_wo={password!r}, master_password_wo_version=1,\n"
        "        skip_final_snapshot=True)\n")
    with pytest.raises(PangeaError) as excinfo:
        pangea.synth(path)
    return str(excinfo.value)


def test_write_only_password_is_not_echoed_by_the_api(write_template):
    message = _cluster_error(write_template, SECRET)
    assert "master_password_wo: has the wrong format" in message
    assert "hunter2" not in message and "(sensitive value hidden)" in message


def test_write_only_and_sensitive_values_are_not_echoed_by_validate():
    block = {"attributes": {
        "pin_wo": {"optional": True, "type": "number", "write_only": True},
        "codes": {"optional": True, "type": ["map", "bool"], "sensitive": True},
        "size": {"optional": True, "type": "number"}}}

    def lookup(kind, type_name):
        return block if type_name == "aws_thing" else None

    config = {"resource": {"aws_thing": {"x": {"pin_wo": "hunter2", "codes": {"a": "tiger9"},
                                               "size": "plain"}}}}
    problems = [str(p) for p in check_config(config, lookup)]
    assert len(problems) == 3, problems
    assert not any("hunter2" in p or "tiger9" in p for p in problems)
    assert any("'plain'" in p for p in problems)  # ordinary values are still shown


def test_a_long_value_is_cut_in_messages(write_template):
    path = write_template(
        "from pangea import template\nfrom pangea_aws import aws_docdb_cluster\n\n@template\n"
        "def db():\n    aws_docdb_cluster('main', cluster_identifier='x' * 100_000,\n"
        "        master_username='admin', manage_master_user_password=True,\n"
        "        skip_final_snapshot=True)\n")
    with pytest.raises(PangeaError) as excinfo:
        pangea.synth(path)
    message = str(excinfo.value)
    assert "cluster_identifier" in message and len(message) < 1_000


# -- sensitivity followed into outputs ---------------------------------------------------------

HEAD = """
from pangea import template, variable, output, local
from pangea_aws import aws_docdb_cluster

@template
def db():
    p = variable("p", type="string", sensitive=True)
    c = aws_docdb_cluster("main", cluster_identifier="x", master_username="admin",
                          master_password=p, skip_final_snapshot=True)
"""


def _outputs(write_template, *lines: str):
    path = write_template(HEAD + "".join(f"    {line}\n" for line in lines))
    return pangea.synthesize(path).templates["db"]


@pytest.mark.parametrize("value, reason", [
    ("p", "variable 'p' is sensitive"),
    ("f'len-${{length({p})}}'".replace("{p}", "var.p"), "variable 'p' is sensitive"),
    ("local('conn', f'admin:{p}')", "local 'conn' is built from a sensitive value"),
    ("c.master_password", "aws_docdb_cluster.main.master_password is sensitive"),
    ("c", "aws_docdb_cluster.main has sensitive attributes"),
])
def test_unmarked_output_of_a_sensitive_value_is_an_error(write_template, value, reason):
    with pytest.raises(PangeaError) as excinfo:
        _outputs(write_template, f"output('leak', {value})  # HERE")
    message = str(excinfo.value)
    assert "output.leak: value: refers to sensitive data" in message and reason in message
    assert "sensitive=True" in message and ":10:" in message


def test_marked_or_nonsensitive_outputs_pass(write_template):
    result = _outputs(write_template, "output('a', p, sensitive=True)",
                      "output('b', c.endpoint)", "output('c', '${nonsensitive(var.p)}')")
    assert set(result.config["output"]) == {"a", "b", "c"}


def test_write_only_attribute_in_an_output_warns_that_it_is_always_null(write_template):
    result = _outputs(write_template, "output('w', '${aws_docdb_cluster.main.master_password_wo}')")
    [warning] = [d for d in result.diagnostics if d.code == "write-only-output"]
    assert warning.address == "output.w" and "always be null" in warning.message
