"""Every invalid resource call of every template is reported by one run (issue 11 item 7)."""

from __future__ import annotations

import textwrap

import pytest

import pangea
from pangea.errors import CollectedErrors, TemplateError, ValidationError
from collected_sample import EIGHT_MISTAKES, EXPECTED, line_of


def _found(error: CollectedErrors) -> list[tuple[str, str, str, int]]:
    return [(e.template, e.address, path, e.line)
            for e in error.errors for path, _ in e.problems]


def test_eight_mistakes_in_two_templates_are_all_reported(write_template) -> None:
    path = write_template(EIGHT_MISTAKES)
    with pytest.raises(CollectedErrors) as excinfo:
        pangea.synth(path)
    error = excinfo.value
    assert all(isinstance(e, ValidationError) for e in error.errors)
    assert _found(error) == [(t, a, p, line_of(m)) for t, a, p, m in EXPECTED]
    text = str(error)
    assert text.startswith("8 problems in 2 templates:\n")
    for template, address, attr_path, marker in EXPECTED:
        assert f"{path}:{line_of(marker)}: template {template!r}: {address}: " in text
        assert attr_path in text
    assert "did you mean prevent_destroy?" in text  # each error keeps its hint
    assert "'fine'" not in text


def test_synthesize_and_calling_a_template_raise_the_collected_errors(write_template) -> None:
    path = write_template(EIGHT_MISTAKES)
    with pytest.raises(CollectedErrors) as excinfo:
        pangea.synthesize(path)
    assert len(_found(excinfo.value)) == 8
    with pytest.raises(CollectedErrors) as excinfo:
        pangea.synthesize(path, "db")
    assert {e.template for e in excinfo.value.errors} == {"db"}
    assert len(_found(excinfo.value)) == 4


def _write(write_template, body: str):
    return write_template(textwrap.dedent("""
        from pangea import template, output
        from pangea_aws import aws_docdb_subnet_group
    """) + textwrap.dedent(body))


def test_an_error_that_stops_a_template_is_reported_with_those_found_before(write_template):
    path = _write(write_template, """
        @template("first")
        def first():
            aws_docdb_subnet_group("g", subnet_ids="subnet-1")
            1 / 0  # STOP
            aws_docdb_subnet_group("never", subnet_ids="subnet-1")

        @template("second")
        def second():
            aws_docdb_subnet_group("g", subnet_ids=7)
    """)
    with pytest.raises(CollectedErrors) as excinfo:
        pangea.synth(path)
    errors = excinfo.value.errors
    assert [type(e) for e in errors] == [ValidationError, TemplateError, ValidationError]
    assert [e.template for e in errors] == ["first", "first", "second"]
    assert "ZeroDivisionError: division by zero" in str(errors[1])
    assert errors[1].line == path.read_text().splitlines().index("    1 / 0  # STOP") + 1
    assert "never" not in str(excinfo.value)


def test_references_to_an_invalid_resource_are_not_reported_again(write_template):
    path = _write(write_template, """
        @template("only")
        def only():
            group = aws_docdb_subnet_group("g", subnet_ids="subnet-1")
            output("name", group.name)
            output("text", f"name {group.name}")
    """)
    with pytest.raises(ValidationError) as excinfo:  # one error: raised as itself
        pangea.synth(path)
    assert excinfo.value.address == "aws_docdb_subnet_group.g"


def test_a_reference_to_an_undeclared_resource_is_reported_with_invalid_calls(write_template):
    path = _write(write_template, """
        @template("only")
        def only():
            aws_docdb_subnet_group("g", subnet_ids="subnet-1")
            output("text", "${aws_docdb_subnet_group.missing.name}")
    """)
    with pytest.raises(CollectedErrors) as excinfo:
        pangea.synth(path)
    texts = [str(e) for e in excinfo.value.errors]
    assert "subnet_ids" in texts[0]
    assert "refers to aws_docdb_subnet_group.missing" in texts[1] and "'only'" in texts[1]


def test_an_invalid_resource_declared_twice_is_still_refused(write_template):
    path = _write(write_template, """
        @template("only")
        def only():
            aws_docdb_subnet_group("g", subnet_ids="subnet-1")
            aws_docdb_subnet_group("g", subnet_ids=["subnet-1"])
    """)
    with pytest.raises(CollectedErrors) as excinfo:
        pangea.synth(path)
    assert "aws_docdb_subnet_group.g is declared twice" in str(excinfo.value.errors[-1])
