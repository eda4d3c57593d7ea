"""variable(type=...) is parsed with Terraform's type syntax and the default checked against it.

The cases were compared with `terraform validate` (1.11.4): see docs/cli.md."""

from __future__ import annotations

import pytest

import pangea
from pangea import PangeaError
from pangea.vartypes import TypeSyntaxError, check_optional_defaults, conform, parse_type

# (type, default, accepted by Terraform 1.11.4's `terraform validate`)
TERRAFORM_CASES = [
    ("string", None, True), ("strng", None, False), ("list", None, True), ("set", None, False),
    ("list(list)", None, False), ("list(string)", ["a", 1, True], True),
    ("number", "abc", False), ("number", "12", True), ("number", " 12 ", False),
    ("number", True, False), ("number", "1e3", True), ("number", "0x10", False),
    ("bool", "true", True), ("bool", "1", True), ("bool", "yes", False), ("bool", 1, False),
    ("string", 5, True), ("string", [1], False), ("map(number)", {"a": "x"}, False),
    ("object({a=string, b=number})", {"a": "x"}, False),
    ("object({a=string, b=optional(number)})", {"a": "x", "z": 1}, True),
    ("object({a=string b=number})", None, False), ("object({a=string\n b=number})", None, True),
    ('object({"my key" = string})', None, False),
    ("tuple([string, number])", ["a"], False), ("tuple([string, number])", ["a", "1"], True),
    ("optional(string)", None, False), ('object({a=optional(number, "abc")})', None, False),
    ("object({a=optional(number, 1+1)})", None, True), ("map(string)", {"a": {"b": 1}}, False),
    ("list(string) x", None, False), ("any", {"x": [1]}, True),
]


@pytest.mark.parametrize("type_text, default, terraform_accepts", TERRAFORM_CASES)
def test_agrees_with_terraform_validate(type_text, default, terraform_accepts):
    try:
        parsed = parse_type(type_text)
        accepted = not check_optional_defaults(parsed) and (
            default is None or not conform(default, parsed))
    except TypeSyntaxError:
        accepted = False
    assert accepted == terraform_accepts


def _variable(write_template, call: str):
    path = write_template("from pangea import template, variable\n\n@template\ndef t():\n"
                          f"    {call}  # HERE\n")
    return pangea.synth(path)["t"]


def test_misspelt_type_is_refused_with_a_suggestion(write_template):
    with pytest.raises(PangeaError) as excinfo:
        _variable(write_template, 'variable("v", type="strng")')
    message = str(excinfo.value)
    assert "template 't': variable.v: type: 'strng' is not a Terraform type" in message
    assert "did you mean 'string'?" in message and ":5:" in message


def test_default_that_cannot_convert_is_refused(write_template):
    with pytest.raises(PangeaError) as excinfo:
        _variable(write_template, 'variable("v", type="number", default="abc")')
    assert 'variable.v: default: must be a number (got "abc"), but the type is number' in str(
        excinfo.value)


def test_sensitive_default_is_not_quoted(write_template):
    with pytest.raises(PangeaError) as excinfo:
        _variable(write_template, 'variable("v", type="number", default="hunter2", sensitive=True)')
    assert "hunter2" not in str(excinfo.value) and "a sensitive value" in str(excinfo.value)


def test_good_types_are_written_unchanged(write_template):
    config = _variable(write_template,
                       'variable("v", type="object({a=string, b=optional(number, 3)})", '
                       'default={"a": "x"})')
    assert config["variable"]["v"]["type"] == "object({a=string, b=optional(number, 3)})"
