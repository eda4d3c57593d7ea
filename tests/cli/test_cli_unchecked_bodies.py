"""The offline schema check of `validate`, `synth` (and plan/apply) reads only the bodies no
generated typed function checked: a typed body was validated against the same pinned schema
when it was declared. Every other route into ``resource``/``data`` is still checked."""

from __future__ import annotations

import sys
import textwrap

import pytest

import pangea
import pangea.schema_check
from pangea import providers
from pangea.cli.session import Synthesized, unchecked_part

TYPED_AND_OVERRIDDEN = """
from pangea import template, override
from pangea_aws import aws_s3_bucket, aws_sqs_queue

@template
def store():
    aws_s3_bucket("logs", bucket="acme-logs")
    queue = aws_sqs_queue("jobs", name="jobs")
    override(queue, "count", "three")  # a meta-argument: free-form for override()
"""

TYPED_ONLY = """
from pangea import template, data
from pangea_aws import aws_s3_bucket

@template
def store():
    aws_s3_bucket("logs", bucket="acme-logs")
    data("aws_caller_identity", "me")  # a known type: through its generated function
"""


@pytest.fixture
def spy(monkeypatch):
    """Records the configuration parts the schema check is given (and checks them for real)."""
    seen: list[dict] = []
    real = pangea.schema_check.check_config

    def check_config(config, lookup=None):
        seen.append(config)
        return real(config, lookup)

    monkeypatch.setattr(pangea.schema_check, "check_config", check_config)
    return seen


def test_typed_bodies_are_recorded_and_an_override_drops_the_record(write_template):
    result = pangea.synthesize(write_template(TYPED_AND_OVERRIDDEN))
    item = result.templates["store"]
    resources = item.config["resource"]
    assert item.schema_checked[("resource", "aws_s3_bucket", "logs")] is \
        resources["aws_s3_bucket"]["logs"]
    assert ("resource", "aws_sqs_queue", "jobs") not in item.schema_checked
    assert resources["aws_sqs_queue"]["jobs"]["count"] == "three"


@pytest.mark.parametrize("argv", [["validate", "infra.py"],
                                  ["synth", "infra.py", "--out", "build"],
                                  ["synth", "infra.py"]])
def test_typed_bodies_are_not_read_again(project, spy, argv):
    project.write("infra.py", TYPED_ONLY)
    result = project.run(*argv)
    assert result.code == 0, result.err
    assert spy == []  # nothing left to check: the check is not even called


@pytest.mark.parametrize("argv", [["validate", "infra.py"],
                                  ["synth", "infra.py", "--out", "build"]])
def test_an_invalid_value_set_by_override_is_still_reported(project, spy, argv):
    project.write("infra.py", TYPED_AND_OVERRIDDEN)
    result = project.run(*argv)
    assert result.code == 3
    assert ("infra.py: template 'store': aws_sqs_queue.jobs: count: expected a whole number or "
            "an expression, got string 'three'") in result.err
    # only the overridden body was read again; the untouched typed one was not
    assert [sorted(part["resource"]) for part in spy] == [["aws_sqs_queue"]]
    assert not (project.root / "build").exists()


LATE_PACKAGE = '''
from pangea.providers import Provider, register

register(Provider(name="acme", source="example/acme", version="1.0.0", package=__name__,
                  type_prefix="acme_"))
'''

LATE_SCHEMA = '''
WIDGET = {"attributes": {"name": {"type": "string", "required": True},
                         "id": {"type": "string", "computed": True}}}


def block_schema(kind, type_name):
    return WIDGET if type_name == "acme_widget" else None


def type_names(kind):
    return ["acme_widget"]
'''

UNTYPED_THEN_REGISTERED = """
from pangea import template, resource, data

@template
def late():
    # no package describes acme_ yet: declared through the untyped escape hatch (a warning)
    resource("acme_widget", "w", {"colour": "red"})
    data("acme_widget", "d", {"name": "x", "size": 1})
    import acme_late_package  # registers provider acme (its name is not pangea_acme)
"""


@pytest.fixture
def late_provider(project, monkeypatch):
    package = project.root / "acme_late_package"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(LATE_PACKAGE))
    (package / "_schema.py").write_text(textwrap.dedent(LATE_SCHEMA))
    monkeypatch.syspath_prepend(str(project.root))
    yield
    providers.unregister("acme")
    for name in [m for m in sys.modules if m.startswith("acme_late_package")]:
        del sys.modules[name]


@pytest.mark.parametrize("argv", [["validate", "infra.py"],
                                  ["synth", "infra.py", "--out", "build"]])
def test_bodies_from_the_untyped_escape_hatch_are_still_checked(project, late_provider, argv):
    project.write("infra.py", UNTYPED_THEN_REGISTERED)
    result = project.run(*argv)
    assert result.code == 3, result.err
    for problem in ("acme_widget.w: colour: unknown attribute or block 'colour'",
                    "acme_widget.w: name: missing required attribute",
                    "data.acme_widget.d: size: unknown attribute or block 'size'"):
        assert f"infra.py: template 'late': {problem}" in result.err
    assert not (project.root / "build").exists()


def test_a_body_that_is_not_the_recorded_object_is_checked():
    typed = {"bucket": "a"}
    config = {"resource": {"aws_s3_bucket": {"a": typed, "b": {"bucket": "b"}},
                           "aws_sqs_queue": {"q": {"name": "q"}}},
              "data": {"aws_caller_identity": {"me": {}}},
              "output": {"x": {"value": 1}}}
    item = Synthesized("t", config, (), frozenset(), (), {
        ("resource", "aws_s3_bucket", "a"): typed,
        ("resource", "aws_s3_bucket", "b"): {"bucket": "b"},  # equal, but another object
        ("resource", "aws_sqs_queue", "q"): config["resource"]["aws_sqs_queue"]["q"],
        ("resource", "aws_caller_identity", "me"): config["data"]["aws_caller_identity"]["me"],
    })
    assert unchecked_part(item) == {
        "resource": {"aws_s3_bucket": {"b": {"bucket": "b"}}},
        "data": {"aws_caller_identity": {"me": {}}},  # recorded as a resource, not as data
    }
    assert unchecked_part(Synthesized("t", {"resource": {"aws_s3_bucket": {"a": typed}}},
                                      (), frozenset(), (), {})) == {
        "resource": {"aws_s3_bucket": {"a": typed}}}  # no record: everything is checked


def test_terraforms_own_types_are_left_out_as_the_check_skips_them():
    import pangea.cli.session as session

    assert session._BUILT_IN == pangea.schema_check.BUILTIN_TYPES
    config = {"data": {"terraform_remote_state": {"net": {"backend": "local"}}},
              "resource": {"terraform_data": {"d": {"input": 1}}, "acme_x": {"y": {}}}}
    assert unchecked_part(Synthesized("t", config, (), frozenset())) == {
        "resource": {"acme_x": {"y": {}}}}


def test_a_template_reading_another_templates_outputs_needs_no_schema_check(project, spy):
    project.write("infra.py", """
        from pangea import template, output, remote_outputs
        from pangea_aws import aws_sqs_queue

        @template
        def network():
            output("arn", aws_sqs_queue("q", name="jobs").arn)

        @template
        def app():
            aws_sqs_queue("q", name="app", policy=remote_outputs("network").arn)
    """)
    result = project.run("validate", "infra.py")
    assert result.code == 0, result.err
    assert spy == []
