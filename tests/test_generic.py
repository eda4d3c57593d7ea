"""``from pangea import resource, data``: any type, checked when a package knows it."""

from __future__ import annotations

import pytest

import pangea
from pangea import StrictModeError
from pangea.errors import TemplateError, ValidationError


def _synth(write_template, body: str, **kw):
    path = write_template("from pangea import template, output, resource, data, tf\n" + body)
    return path, pangea.synthesize(path, **kw)


def test_a_known_type_is_declared_and_validated_by_its_generated_function(write_template) -> None:
    path, result = _synth(write_template, '''
from pangea_aws import aws_vpc

@template
def generic():
    vpc = resource("aws_vpc", "main", {"cidr_block": "10.0.0.0/16"}, tags={"Name": "main"})
    zones = data("aws_availability_zones", "zones", state="available")
    output("vpc", vpc.id)
    output("zone", zones.names[0])

@template
def direct():
    vpc = aws_vpc("main", {"cidr_block": "10.0.0.0/16"}, tags={"Name": "main"})
    output("vpc", vpc.id)
''')
    generic = result.templates["generic"].config
    direct = result.templates["direct"].config
    assert generic["resource"] == direct["resource"]
    assert generic["data"]["aws_availability_zones"]["zones"] == {"state": "available"}
    assert generic["output"]["zone"]["value"] == "${data.aws_availability_zones.zones.names[0]}"
    assert generic["terraform"]["required_providers"]["aws"]["source"] == "hashicorp/aws"
    assert result.diagnostics == ()


def test_a_known_types_arguments_are_checked_at_the_users_line(write_template) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _synth(write_template, '''
@template
def wrong():
    resource("aws_vpc", "main", cidr_blok="10.0.0.0/16")
''')
    error = excinfo.value
    assert error.address == "aws_vpc.main" and error.line == 5  # the import line is line 1
    assert "cidr_blok" in str(error) and "cidr_block" in str(error)


def test_a_type_its_providers_pinned_schema_lacks_is_an_error_with_a_suggestion(
        write_template) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _synth(write_template, '''
@template
def typo():
    resource("aws_vcp", "main", cidr_block="10.0.0.0/16")
''')
    text = str(excinfo.value)
    assert "hashicorp/aws 6.47.0 has no resource type 'aws_vcp'" in text
    assert "did you mean aws_vpc" in text


def test_a_type_no_package_describes_is_written_as_given_with_a_warning(write_template) -> None:
    path, result = _synth(write_template, '''
@template
def acme():
    first = resource("acme_widget", "first", {"size": 3, "spec": {"ports": [80, 443]}})
    many = resource("acme_widget", "many", size=1, count=2, depends_on=[first])
    found = data("acme_catalog", "c", {"name": first.id})
    output("id", first.id)
    output("one", many[1].url)
    output("port", first.spec["ports"][0])
    output("catalog", found.entries)
''')
    config = result.templates["acme"].config
    assert config["resource"]["acme_widget"] == {
        "first": {"size": 3, "spec": {"ports": [80, 443]}},
        "many": {"count": 2, "depends_on": ["acme_widget.first"], "size": 1},
    }
    assert config["data"]["acme_catalog"]["c"] == {"name": "${acme_widget.first.id}"}
    assert config["output"]["one"]["value"] == "${acme_widget.many[1].url}"
    assert config["output"]["port"]["value"] == '${acme_widget.first.spec["ports"][0]}'
    assert config["output"]["catalog"]["value"] == "${data.acme_catalog.c.entries}"
    assert "terraform" not in config  # nothing to pin: no package describes provider acme
    codes = [(d.code, d.address, d.line) for d in result.diagnostics]
    assert codes == [("unchecked-type", "acme_widget.first", 5),
                     ("unchecked-type", "acme_widget.many", 6),
                     ("unchecked-type", "data.acme_catalog.c", 7)]
    warning = result.diagnostics[0].render()
    assert "arguments are not checked" in warning and "does not pin provider 'acme'" in warning
    assert "pangea provider add NAMESPACE/acme" in warning


def test_strict_mode_refuses_an_unchecked_type(write_template) -> None:
    with pytest.raises(StrictModeError, match="acme_widget"):
        _synth(write_template, '''
@template
def acme():
    resource("acme_widget", "w", size=3)
''', strict=True)


def test_an_unchecked_type_still_checks_references_and_names(write_template) -> None:
    with pytest.raises(TemplateError, match="not a valid Terraform name|name"):
        _synth(write_template, '''
@template
def bad_name():
    resource("acme_widget", "1 bad", size=3)
''')
    with pytest.raises(ValidationError, match="given both in the dict and as a keyword"):
        _synth(write_template, '''
@template
def twice():
    resource("acme_widget", "w", {"size": 1}, size=2)
''')
    with pytest.raises(pangea.CrossTemplateReferenceError):
        _synth(write_template, '''
shared = {}

@template
def first():
    shared["w"] = resource("acme_widget", "w", size=1)

@template
def second():
    resource("acme_widget", "v", size=shared["w"].size)
''')


@pytest.mark.parametrize("type_name", ["", "Aws_vpc", "vpc", "aws-vpc", 5])
def test_a_malformed_type_name_is_refused(write_template, type_name) -> None:
    with pytest.raises(TemplateError, match="is not a Terraform resource type name"):
        _synth(write_template, f'''
@template
def bad():
    resource({type_name!r}, "w")
''')


def test_another_providers_type_is_pinned_for_that_provider(write_template) -> None:
    path, result = _synth(write_template, '''
@template
def secret():
    password = resource("random_password", "db", length=32, special=False)
    output("password", password.result, sensitive=True)
''')
    config = result.templates["secret"].config
    assert config["terraform"]["required_providers"] == {
        "random": {"source": "hashicorp/random", "version": "3.7.2"}}
    assert config["resource"]["random_password"]["db"] == {"length": 32, "special": False}
    assert result.diagnostics == ()


def test_the_escape_hatch_is_not_shadowed_by_a_submodule() -> None:
    """``pangea.resource`` is the escape-hatch function whatever has been imported: the module
    every generated function calls is ``pangea.declare``, so no submodule shares its name."""
    import importlib

    import pangea
    import pangea.declare
    from pangea.generic import resource as generic_resource

    assert pangea.resource is generic_resource
    assert callable(pangea.declare.declare)
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("pangea.resource")
