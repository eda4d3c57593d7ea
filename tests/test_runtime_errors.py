"""Every mistake a template can make ends in one `pangea.PangeaError` that says where (file:line),
in which template, at which address and attribute path, and never shows a sensitive value."""

from __future__ import annotations

import importlib
import re
import warnings
from pathlib import Path

import pytest

import pangea
import pangea_aws
from pangea import (
    CrossTemplateReferenceError,
    PangeaDeprecationWarning,
    PangeaError,
    TemplateError,
    ValidationError,
)

CLUSTER = ('cluster_identifier="main", master_username="admin", '
           'manage_master_user_password=True, skip_final_snapshot=True')


def _line_of(path: Path, marker: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if marker in line:
            return number
    raise AssertionError(f"marker {marker!r} not in {path}")


def _synth_error(path: Path, kind: type[PangeaError] = PangeaError) -> PangeaError:
    with pytest.raises(kind) as excinfo:
        pangea.synth(path)
    return excinfo.value


def _assert_located(error: PangeaError, path: Path, marker: str, template: str) -> str:
    text = str(error)
    line = _line_of(path, marker)
    assert text.startswith(f"{path.resolve()}:{line}: ") or text.startswith(f"{path}:{line}: "), text
    assert f"template {template!r}" in text
    assert error.template == template and error.line == line
    return text


# -- template misuse ------------------------------------------------------------------------

def test_resource_outside_a_template(write_template) -> None:
    path = write_template(f"""
        from pangea_aws import aws_docdb_cluster
        aws_docdb_cluster("main", {CLUSTER})  # HERE
    """)
    error = _synth_error(path, TemplateError)
    text = str(error)
    assert f":{_line_of(path, '# HERE')}: " in text
    assert "aws_docdb_cluster() was called outside a template" in text
    assert "@template" in text  # the hint says what to do


def test_resource_outside_a_template_in_plain_python() -> None:
    from pangea_aws import aws_docdb_cluster

    with pytest.raises(TemplateError) as excinfo:
        aws_docdb_cluster("main", cluster_identifier="x")
    assert excinfo.value.file == __file__
    assert "outside a template" in str(excinfo.value)


def test_duplicate_address(write_template) -> None:
    path = write_template(f"""
        from pangea import template
        from pangea_aws import aws_docdb_cluster

        @template
        def db():
            aws_docdb_cluster("main", {CLUSTER})
            aws_docdb_cluster("main", {CLUSTER})  # HERE
    """)
    error = _synth_error(path, TemplateError)
    text = _assert_located(error, path, "# HERE", "db")
    assert "aws_docdb_cluster.main is declared twice" in text


def test_reference_to_another_templates_resource(write_template) -> None:
    path = write_template(f"""
        from pangea import template
        from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance

        shared = {{}}

        @template
        def first():
            shared["cluster"] = aws_docdb_cluster("main", {CLUSTER})

        @template
        def second():
            aws_docdb_cluster_instance("one", cluster_identifier=shared["cluster"].id,  # HERE
                                       instance_class="db.r6g.large")
    """)
    error = _synth_error(path, CrossTemplateReferenceError)
    text = _assert_located(error, path, "# HERE", "second")
    assert error.address is None or error.address == "aws_docdb_cluster_instance.one"
    assert "aws_docdb_cluster_instance.one: cluster_identifier" in text
    assert "${aws_docdb_cluster.main.id}" in text and "'first'" in text
    assert "remote_outputs('first')" in text


def test_reference_to_another_templates_resource_through_an_fstring(write_template) -> None:
    path = write_template(f"""
        from pangea import template
        from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance

        shared = {{}}

        @template
        def first():
            shared["cluster"] = aws_docdb_cluster("main", {CLUSTER})

        @template
        def second():
            aws_docdb_cluster_instance("one", cluster_identifier=f"{{shared['cluster'].id}}",
                                       instance_class="db.r6g.large")
    """)
    error = _synth_error(path, CrossTemplateReferenceError)
    text = str(error)
    assert "template 'second'" in text
    assert str(path.resolve()) in text or str(path) in text
    assert "aws_docdb_cluster_instance.one refers to aws_docdb_cluster.main" in text


def test_string_reference_to_an_undeclared_resource(write_template) -> None:
    path = write_template("""
        from pangea import template
        from pangea_aws import aws_docdb_cluster_instance

        @template
        def only():
            aws_docdb_cluster_instance("one", cluster_identifier="${aws_docdb_cluster.nope.id}",
                                       instance_class="db.r6g.large")
    """)
    error = _synth_error(path, CrossTemplateReferenceError)
    assert "aws_docdb_cluster.nope, which this template does not declare" in str(error)


# -- bad arguments ----------------------------------------------------------------------------

BAD_ARGUMENTS = [
    # (argument text, path, message fragment)
    ('port="27017"', "port", "must be a number or a Terraform expression (got '27017')"),
    ('storage_encrypted=1', "storage_encrypted", "must be a bool"),
    ('tags=["a"]', "tags", "must be a map of string"),
    ('engine_verison="5.0.0"', "engine_verison", "did you mean engine_version"),
    ('arn="arn:aws:rds:x"', "arn", "is computed by the provider and cannot be set"),
    ('endpoint="h"', "endpoint", "is computed by the provider"),
    ('serverless_v2_scaling_configuration={"min_capacity": 1}',
     "serverless_v2_scaling_configuration.max_capacity", "is required (a number)"),
    ('serverless_v2_scaling_configuration={"min_capacity": 0.1, "max_capacity": 2}',
     "serverless_v2_scaling_configuration.min_capacity", "must be between 0.5 and 256"),
]


@pytest.mark.parametrize("argument, attr_path, fragment", BAD_ARGUMENTS)
def test_bad_argument(write_template, argument, attr_path, fragment) -> None:
    path = write_template(f"""
        from pangea import template
        from pangea_aws import aws_docdb_cluster

        @template
        def db():
            aws_docdb_cluster("main", {CLUSTER}, {argument})  # HERE
    """)
    error = _synth_error(path, ValidationError)
    text = _assert_located(error, path, "# HERE", "db")
    assert error.address == "aws_docdb_cluster.main"
    assert dict(error.problems)[attr_path].count(fragment) == 1, error.problems
    assert f"aws_docdb_cluster.main: {attr_path}: " in text


def test_missing_required_argument(write_template) -> None:
    path = write_template("""
        from pangea import template
        from pangea_aws import aws_docdb_cluster_instance

        @template
        def db():
            aws_docdb_cluster_instance("one", cluster_identifier="c")  # HERE
    """)
    error = _synth_error(path, ValidationError)
    text = _assert_located(error, path, "# HERE", "db")
    assert error.problems == [("instance_class", "is required (a string)")]
    assert "aws_docdb_cluster_instance.one: instance_class: is required" in text


def test_several_problems_are_reported_together(write_template) -> None:
    path = write_template("""
        from pangea import template
        from pangea_aws import aws_docdb_cluster_instance

        @template
        def db():
            aws_docdb_cluster_instance("one", promotion_tier="high", colour="red")
    """)
    error = _synth_error(path, ValidationError)
    paths = {p for p, _ in error.problems}
    assert {"cluster_identifier", "instance_class", "promotion_tier", "colour"} <= paths
    assert f"{len(error.problems)} problems:" in str(error)


def test_bad_argument_in_dict_style(write_template) -> None:
    path = write_template("""
        from pangea import template
        from pangea_aws import aws_docdb_subnet_group

        @template
        def db():
            aws_docdb_subnet_group("g", {"subnet_ids": "subnet-1"})  # HERE
    """)
    error = _synth_error(path, ValidationError)
    _assert_located(error, path, "# HERE", "db")
    assert "subnet_ids" in dict(error.problems)


def test_invalid_resource_name(write_template) -> None:
    path = write_template("""
        from pangea import template
        from pangea_aws import aws_docdb_subnet_group

        @template
        def db():
            aws_docdb_subnet_group("bad name", subnet_ids=["s"])  # HERE
    """)
    error = _synth_error(path, TemplateError)
    _assert_located(error, path, "# HERE", "db")
    assert "'bad name' is not a valid Terraform name" in str(error)


# -- sensitive values ----------------------------------------------------------------------------

SECRET = "hunter2-do-not-print"


@pytest.mark.parametrize("source", [
    f'aws_docdb_cluster("main", cluster_identifier="c", master_username="a", '
    f'skip_final_snapshot=True, master_password={{"value": "{SECRET}"}})',
    f'aws_docdb_cluster("main", cluster_identifier="c", master_username="a", '
    f'skip_final_snapshot=True, master_password="{SECRET}", manage_master_user_password=True)',
    f'aws_memorydb_user("u", user_name="u", access_string="on ~* +@all", '
    f'authentication_mode={{"type": "password", "passwords": ["{SECRET}", 12345]}})',
    f'aws_memorydb_user("u", user_name="u", access_string="on ~* +@all", '
    f'authentication_mode={{"type": "password", "passwords": ["{SECRET}", "b", "c"]}})',
])
def test_sensitive_values_never_appear_in_messages(write_template, source) -> None:
    path = write_template(f"""
        from pangea import template
        from pangea_aws import aws_docdb_cluster, aws_memorydb_user

        @template
        def db():
            {source}
    """)
    error = _synth_error(path, ValidationError)
    assert SECRET not in str(error) and SECRET not in repr(error)
    assert all(SECRET not in m for _, m in error.problems)
    assert "12345" not in str(error)


# -- deprecation -----------------------------------------------------------------------------------

def _deprecated_arguments() -> list[tuple[str, str]]:
    found = []
    for function, module in sorted(pangea_aws._MODULES.items()):
        if module.startswith("schema_only."):
            continue  # the committed types (importing all 2,319 modules takes seconds)
        args = importlib.import_module(f"pangea_aws.{module}").SPEC.args
        found += [(function, name) for name in sorted(args._deprecated)]
    return found


def test_deprecated_argument_of_the_generated_package_warns(write_template) -> None:
    found = _deprecated_arguments()
    if not found:
        pytest.skip("no top-level argument of the generated types is deprecated in the pinned "
                    "schema (tests/codegen/pipeline/test_types_and_nesting.py covers deprecation)")
    function, name = found[0]
    path = write_template(f"""
        from pangea import template
        from pangea_aws import {function}

        @template
        def t():
            {function}("x", {{"{name}": None}})
    """)
    with pytest.warns(PangeaDeprecationWarning):
        try:
            pangea.synth(path)
        except ValidationError:
            pass


def test_deprecation_warning_points_at_the_users_line(generated_module, tmp_path) -> None:
    block = {"attributes": {"old": {"type": "string", "optional": True, "deprecated": True,
                                    "description": "Use new."},
                            "new": {"type": "string", "optional": True}}}
    mod = generated_module(block, "aws_dep_thing")
    from pangea.template import Template

    def body() -> None:
        mod.aws_dep_thing("x", old="v")  # the warning is attributed to this line

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        config = Template(body, "t")()
    assert config["resource"]["aws_dep_thing"]["x"] == {"old": "v"}
    (warning,) = [w for w in caught if issubclass(w.category, PangeaDeprecationWarning)]
    assert "aws_dep_thing.x: old: is deprecated by the provider: Use new." in str(warning.message)
    assert warning.filename == __file__
    assert warning.lineno == body.__code__.co_firstlineno + 1


# -- the error family ----------------------------------------------------------------------------

def test_every_error_class_is_a_pangea_error() -> None:
    for name in ("CrossTemplateReferenceError", "DependencyCycleError", "SourceFileError",
                 "TemplateError", "TemplateNotFoundError", "ValidationError"):
        assert issubclass(getattr(pangea, name), PangeaError)


def test_missing_file_and_unknown_template(write_template, tmp_path) -> None:
    with pytest.raises(PangeaError, match="does not exist"):
        pangea.synth(tmp_path / "nope.py")
    path = write_template("""
        from pangea import template

        @template
        def alpha():
            pass
    """)
    with pytest.raises(pangea.TemplateNotFoundError, match=r"no template named 'beta'.*alpha"):
        pangea.synth(path, "beta")


def test_user_exception_is_wrapped_with_its_line(write_template) -> None:
    path = write_template("""
        from pangea import template

        @template
        def boom():
            {}["missing"]  # HERE
    """)
    error = _synth_error(path, TemplateError)
    text = _assert_located(error, path, "# HERE", "boom")
    assert re.search(r"KeyError: 'missing'", text)
