"""One identifier rule for every name, and paths/keys made from names that cannot escape."""

from __future__ import annotations

from pathlib import Path

import pytest

import pangea
from pangea import TemplateError
from pangea.names import (
    PathEscapeError,
    check_identifier,
    contained_key,
    contained_path,
    identifier_problem,
)

BAD_NAMES = ["main\n", "has space", "1st", ".state", "../green/net", "a.b", "", "x/y", "a\0b"]


@pytest.mark.parametrize("kind", ["resource", "output", "variable", "local", "template",
                                  "namespace"])
@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_are_refused_for_every_kind(kind, name):
    with pytest.raises(TemplateError) as excinfo:
        check_identifier(kind, name)
    message = str(excinfo.value)
    assert kind in message and "hint:" in message and "starting with a letter or '_'" in message


@pytest.mark.parametrize("name", ["main", "_x", "web-1", "a_b_c", "A9"])
def test_terraform_identifiers_pass(name):
    assert check_identifier("resource", name) == name
    assert check_identifier("template", name) == name


def test_trailing_newline_is_not_accepted_by_a_dollar_anchor():
    # re.match(r"...$") accepts "main\n"; the validator matches the whole string.
    assert identifier_problem("resource", "main\n") is not None
    assert identifier_problem("namespace", "dev\n") is not None


def test_unicode_letters_are_terraform_identifiers_but_not_path_names():
    assert identifier_problem("resource", "café") is None
    assert identifier_problem("template", "café") is not None


def test_reserved_variable_names_are_refused():
    with pytest.raises(TemplateError, match="reserved by Terraform"):
        check_identifier("variable", "count")


def test_a_very_long_name_is_cut_in_the_message():
    message = identifier_problem("resource", "x y" * 50_000)
    assert message is not None and len(message) < 200 and "150000 characters" in message


def test_contained_path_stays_inside(tmp_path):
    assert contained_path(tmp_path, "dev", "net") == tmp_path / "dev" / "net"
    for parts in (("..", "x"), ("dev", "../../etc"), ("/etc",), ("",), ("a\0",), (".",)):
        with pytest.raises(PathEscapeError):
            contained_path(tmp_path, *parts)


def test_contained_key_stays_under_its_prefix():
    assert contained_key("blue/", "net.tfstate") == "blue/net.tfstate"
    assert contained_key("", "net.tfstate") == "net.tfstate"
    for part in ("../green/net.tfstate", "..", "a/b", "a\\b", ""):
        with pytest.raises(PathEscapeError):
            contained_key("blue", part)


def test_template_decorator_refuses_a_path_like_name(tmp_path: Path):
    path = tmp_path / "t.py"
    path.write_text("from pangea import template\n\n@template('../green/net')\ndef net():\n"
                    "    pass\n")
    with pytest.raises(TemplateError) as excinfo:
        pangea.synth(path)
    message = str(excinfo.value)
    assert "template name '../green/net' is not a valid name" in message
    assert f"{path}:3" in message


@pytest.mark.parametrize("call", [
    "output('out\\n', 1)", "variable('v v')", "local('1x', 1)", "remote_outputs('../x')",
])
def test_declarations_use_the_validator(tmp_path: Path, call):
    path = tmp_path / "t.py"
    path.write_text("from pangea import *\n\n@template\ndef net():\n    " + call + "\n")
    with pytest.raises(TemplateError, match="is not a valid"):
        pangea.synth(path)

