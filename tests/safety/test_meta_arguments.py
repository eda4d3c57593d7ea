"""count, for_each, depends_on and provider are checked as Terraform checks them at plan.

(for_each and count are pangea.language.iteration's; tests/language covers more of them.)"""

from __future__ import annotations

import pytest

import pangea
from pangea import PangeaError

HEAD = """
from pangea import template, provider, variable
from pangea_aws import aws_docdb_subnet_group as group

@template
def db():
"""


def _synth(write_template, body: str):
    path = write_template(HEAD + "".join(f"    {line}\n" for line in body.strip().splitlines()))
    return pangea.synth(path)["db"]


def _error(write_template, body: str) -> str:
    with pytest.raises(PangeaError) as excinfo:
        _synth(write_template, body)
    return str(excinfo.value)


@pytest.mark.parametrize("count, expected", [(-1, "must be 0 or more"),
                                             (True, "must be a whole number"),
                                             (2.5, "must be a whole number"),
                                             ("abc", "must be a whole number")])
def test_bad_count_is_refused(write_template, count, expected):
    message = _error(write_template, f'group("g", subnet_ids=["s"], count={count!r})  # HERE')
    assert "aws_docdb_subnet_group.g: count:" in message and expected in message
    assert ":7:" in message and "template 'db'" in message


@pytest.mark.parametrize("count, written", [(0, 0), (3, 3), (2.0, 2), ("3", "3")])
def test_good_count_is_written(write_template, count, written):
    config = _synth(write_template, f'group("g", subnet_ids=["s"], count={count!r})')
    assert config["resource"]["aws_docdb_subnet_group"]["g"]["count"] == written


def test_count_from_a_list_variable_is_refused(write_template):
    message = _error(write_template, 'v = variable("v", type="list(string)")\n'
                                     'group("g", subnet_ids=["s"], count=v)')
    assert "count" in message and "${var.v} is not a number" in message


def test_for_each_list_and_set_of_strings_are_written_as_toset(write_template):
    config = _synth(write_template, 'group("a", subnet_ids=["s"], for_each=["x", "y"])\n'
                                    'group("b", subnet_ids=["s"], for_each={"z", "y"})')
    groups = config["resource"]["aws_docdb_subnet_group"]
    assert groups["a"]["for_each"] == '${toset(["x", "y"])}'
    assert groups["b"]["for_each"] == '${toset(["y", "z"])}'


def test_for_each_dict_and_expressions_pass(write_template):
    config = _synth(write_template, 'm = variable("m", type="map(string)")\n'
                                    'group("a", subnet_ids=["s"], for_each={"k": "v"})\n'
                                    'group("b", subnet_ids=["s"], for_each=m)')
    groups = config["resource"]["aws_docdb_subnet_group"]
    assert groups["a"]["for_each"] == {"k": "v"}
    assert groups["b"]["for_each"] == "${var.m}"


@pytest.mark.parametrize("value, expected", [
    ("[1, 2]", "for_each[0]: for_each takes a map or a set of strings"),
    ("5", "takes a map or a set of strings (got 5); use count"),
    ('"plain"', "takes a map or a set of strings (got 'plain')"),
])
def test_bad_for_each_is_refused_with_a_fix(write_template, value, expected):
    message = _error(write_template, f'group("g", subnet_ids=["s"], for_each={value})')
    assert expected in message


def test_for_each_over_a_list_variable_is_written_as_toset(write_template):
    config = _synth(write_template, 'v = variable("v", type="list(string)")\n'
                                    'group("g", subnet_ids=["s"], for_each=v)')
    assert config["resource"]["aws_docdb_subnet_group"]["g"]["for_each"] == "${toset(var.v)}"


def test_depends_on_names_must_be_declared(write_template):
    message = _error(write_template, 'group("g", subnet_ids=["s"], '
                                     'depends_on=["aws_docdb_subnet_group.nope"])  # HERE')
    assert "'aws_docdb_subnet_group.nope' is not declared in template 'db'" in message
    assert ":7:" in message  # the declaring line, although checked at the end


def test_depends_on_may_name_a_later_resource_a_variable_or_an_instance(write_template):
    config = _synth(write_template, 'variable("v")\n'
                    'group("g", subnet_ids=["s"], depends_on=["aws_docdb_subnet_group.h[0]", "var.v"])\n'
                    'group("h", subnet_ids=["s"], count=1)')
    assert config["resource"]["aws_docdb_subnet_group"]["g"]["depends_on"] == [
        "aws_docdb_subnet_group.h[0]", "var.v"]


@pytest.mark.parametrize("dep", ['"garbage"', '"aws_docdb_subnet_group.h.id"', "h.id", "5"])
def test_depends_on_garbage_or_attributes_are_refused(write_template, dep):
    message = _error(write_template, 'h = group("h", subnet_ids=["s"])\n'
                                     f'group("g", subnet_ids=["s"], depends_on=[{dep}])')
    assert "depends_on: must list resources" in message


def test_provider_alias_must_be_declared(write_template):
    message = _error(write_template, 'group("g", subnet_ids=["s"], provider="aws.west")')
    assert "'aws.west' is not configured in template 'db' (aliases: none)" in message
    assert 'provider("aws", alias="west"' in message


def test_provider_alias_declared_later_is_accepted(write_template):
    config = _synth(write_template, 'group("g", subnet_ids=["s"], provider="aws.west")\n'
                                    'provider("aws", alias="west", region="us-west-2")')
    assert config["resource"]["aws_docdb_subnet_group"]["g"]["provider"] == "aws.west"


def test_provider_of_another_type_is_refused(write_template):
    message = _error(write_template, 'group("g", subnet_ids=["s"], provider="google")')
    assert "configures the google provider, but aws_docdb_subnet_group belongs to the aws" in message
