"""Every invalid resource call of every template is reported by one run (issue 11 item 7)."""

from __future__ import annotations

import textwrap

import pytest

import pangea
from pangea.errors import CollectedErrors, PangeaError, TemplateError, ValidationError
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


def _problems(error: PangeaError) -> list[tuple[str | None, str | None, str | None]]:
    """(address, attribute path, message start) of every problem, in order."""
    found = []
    for e in (error.errors if isinstance(error, CollectedErrors) else (error,)):
        for path, message in getattr(e, "problems", None) or [(e.path, e.message)]:
            found.append((e.address, path, message))
    return found


def test_bad_names_are_collected_with_the_other_mistakes(write_template):
    path = _write(write_template, """
        from pangea import local, variable, remote_outputs

        @template("only")
        def only():
            bad = aws_docdb_subnet_group("1st", subnet_ids=7)  # NAME-AND-ARGUMENT
            aws_docdb_subnet_group("g", subnet_ids="subnet-1")  # ARGUMENT
            output("bad name", bad.name)  # OUTPUT-NAME
            local("my local", 1)  # LOCAL-NAME
            variable("var iable", type="string")  # VARIABLE-NAME
            remote_outputs("../net")  # TEMPLATE-NAME
            output("fine", bad.arn)
    """)
    with pytest.raises(CollectedErrors) as excinfo:
        pangea.synth(path)
    lines = path.read_text().splitlines()
    errors = excinfo.value.errors
    marks = ["NAME-AND-ARGUMENT", "NAME-AND-ARGUMENT", "ARGUMENT", "OUTPUT-NAME", "LOCAL-NAME",
             "VARIABLE-NAME", "TEMPLATE-NAME"]
    assert [e.line for e in errors] == [
        next(i for i, line in enumerate(lines, 1) if line.endswith(f"# {m}")) for m in marks]
    assert all(e.template == "only" and e.file == str(path) for e in errors)
    text = str(excinfo.value)
    assert "template 'only': aws_docdb_subnet_group: resource name '1st' is not a valid Terraform name" in text
    assert "aws_docdb_subnet_group.1st: subnet_ids" in text  # its arguments are checked too
    assert "aws_docdb_subnet_group.g: subnet_ids" in text
    for shown in ("output: output name 'bad name'", "local: local name 'my local'",
                  "variable: variable name 'var iable'", "template name '../net'"):
        assert f"template 'only': {shown} is not a valid" in text
    assert "hint: use letters, digits, '_' and '-', starting with a letter or '_'" in text


def test_dynamic_block_mistakes_are_collected_with_the_other_mistakes(write_template):
    path = write_template(textwrap.dedent("""
        from pangea import template, dynamic
        from pangea_aws import aws_docdb_cluster_parameter_group, aws_docdb_subnet_group

        @template("only")
        def only():
            aws_docdb_cluster_parameter_group(  # FIRST
                "p", family="docdb5.0",
                parameter=dynamic(for_each=["a"], content=lambda p: {"nmae": p.value}),
                tags=dynamic(for_each=["a"], content={}))
            aws_docdb_cluster_parameter_group(  # SECOND
                "q", family=5, parameter=[
                    {"name": "tls", "value": "enabled"},
                    dynamic(for_each="abc", content={"name": "a", "value": "b"}),
                    dynamic(for_each=["a"], iterator="not valid", content={}),
                    dynamic(for_each=["a"], content=7)])
            aws_docdb_subnet_group("g", subnet_ids="subnet-1")  # THIRD
    """))
    with pytest.raises(CollectedErrors) as excinfo:
        pangea.synth(path)
    assert _problems(excinfo.value) == [
        ("aws_docdb_cluster_parameter_group.p", "parameter (dynamic).content.name",
         "is required (a string)"),
        ("aws_docdb_cluster_parameter_group.p", "parameter (dynamic).content.value",
         "is required (a string)"),
        ("aws_docdb_cluster_parameter_group.p", "parameter (dynamic).content.nmae",
         "is not an argument of this type; did you mean name?"),
        ("aws_docdb_cluster_parameter_group.p", "tags",
         "tags is an argument, not a nested block; dynamic(...) builds blocks only (use "
         "for_expr(...) for a computed argument value)"),
        ("aws_docdb_cluster_parameter_group.q", "parameter (dynamic).for_each",
         "must be a collection (list, set or map) or an expression for one (got 'abc')"),
        ("aws_docdb_cluster_parameter_group.q", "parameter (dynamic).iterator",
         "dynamic iterator name 'not valid' is not a valid Terraform name; use letters, "
         "digits, '_' and '-', starting with a letter or '_'"),
        ("aws_docdb_cluster_parameter_group.q", "parameter (dynamic).content",
         "must be a dict of the block's arguments or a callable returning one (got 7)"),
        ("aws_docdb_cluster_parameter_group.q", "family",
         "must be a string or a Terraform expression (got 5)"),
        ("aws_docdb_subnet_group.g", "subnet_ids",
         "must be a set of string or a Terraform expression (got 'subnet-1')"),
    ]
    lines = path.read_text().splitlines()
    assert [e.line for e in excinfo.value.errors] == [
        next(i for i, line in enumerate(lines, 1) if line.endswith(f"# {m}"))
        for m in ("FIRST", "SECOND", "THIRD")]


def test_cross_template_references_are_collected_with_the_other_mistakes(write_template):
    path = _write(write_template, """
        shared = {}

        @template("first")
        def first():
            shared["g"] = aws_docdb_subnet_group("g", subnet_ids=["subnet-1"])

        @template("second")
        def second():
            aws_docdb_subnet_group("h", subnet_ids=[shared["g"].id])  # ARGUMENT
            aws_docdb_subnet_group("i", subnet_ids="subnet-1")  # INVALID
            output("name", shared["g"].name)  # OUTPUT
            output("text", f"{shared['g'].arn} and ${{aws_docdb_subnet_group.gone.arn}}")
    """)
    with pytest.raises(CollectedErrors) as excinfo:
        pangea.synth(path)
    errors = excinfo.value.errors
    assert [type(e).__name__ for e in errors] == [
        "CrossTemplateReferenceError", "ValidationError", "CrossTemplateReferenceError",
        "CrossTemplateReferenceError", "CrossTemplateReferenceError"]
    assert {e.template for e in errors} == {"second"}
    texts = [str(e) for e in errors]
    assert "aws_docdb_subnet_group.h: subnet_ids[0] refers to ${aws_docdb_subnet_group.g.id}, " \
           "which template 'first' declares" in texts[0]
    assert "remote_outputs('first')" in texts[0]
    assert "output.name: value refers to ${aws_docdb_subnet_group.g.name}" in texts[2]
    # An f-string's references are checked when the template ends: each dangling one is listed.
    assert "output.text refers to aws_docdb_subnet_group.g, which this template does not " \
           "declare" in texts[3]
    assert "output.text refers to aws_docdb_subnet_group.gone" in texts[4]


def test_generic_type_mistakes_are_collected_with_the_other_mistakes(write_template):
    path = _write(write_template, """
        from pangea import resource

        @template("only")
        def only():
            bad = resource("Not A Type", "x", {"a": 1})
            vcp = resource("aws_vcp", "main", cidr_block="10.0.0.0/16")
            aws_docdb_subnet_group("g", subnet_ids="subnet-1")
            output("ids", [bad.id, vcp.id])
    """)
    with pytest.raises(CollectedErrors) as excinfo:
        pangea.synth(path)
    texts = [str(e) for e in excinfo.value.errors]
    assert len(texts) == 3
    assert "resource(): 'Not A Type' is not a Terraform resource type name" in texts[0]
    assert "aws_vcp.main: " in texts[1] and "has no resource type 'aws_vcp'" in texts[1]
    assert "did you mean aws_vpc" in texts[1]
    assert "aws_docdb_subnet_group.g: subnet_ids" in texts[2]
