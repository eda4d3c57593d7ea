"""codegen.naming: the one answer to "what Python name does this Terraform name become"."""

from __future__ import annotations

import keyword

import pytest

from codegen import naming


@pytest.mark.parametrize("name", ["and", "from", "lambda", "class", "def", "global", "import",
                                  "in", "is", "not", "or", "pass", "return", "with", "yield",
                                  "async", "await", "None", "True", "False"])
def test_python_keywords_get_a_trailing_underscore(name: str) -> None:
    assert naming.python_name(name) == name + "_"


@pytest.mark.parametrize("name", ["json", "schema", "fields", "dict", "copy", "validate",
                                  "construct", "self", "cls", "model_config", "model_dump",
                                  "model_fields"])
def test_names_reserved_by_pydantic_or_methods_get_a_trailing_underscore(name: str) -> None:
    assert naming.python_name(name) == name + "_"


@pytest.mark.parametrize("name", ["cluster_identifier", "engine", "tags", "id", "arn",
                                  "model", "modelling", "schemas", "json_body", "type", "match",
                                  "case", "_"])
def test_ordinary_and_soft_keyword_names_are_kept(name: str) -> None:
    # soft keywords (match, case, type, _) are valid identifiers and stay as they are
    assert naming.python_name(name) == name


def test_every_python_name_is_a_usable_identifier() -> None:
    for name in [*keyword.kwlist, "json", "schema", "fields", "self", "model_x", "tags"]:
        py = naming.python_name(name)
        assert py.isidentifier() and not keyword.iskeyword(py), name


def test_camel() -> None:
    assert naming.camel("aws_docdb_cluster") == "AwsDocdbCluster"
    assert naming.camel("serverless_v2_scaling_configuration") == "ServerlessV2ScalingConfiguration"
    assert naming.camel("a__b_") == "AB"


def test_function_module_and_class_names_for_resources_and_data_sources() -> None:
    assert naming.function_name("aws_docdb_cluster", data_source=False) == "aws_docdb_cluster"
    assert naming.function_name("aws_memorydb_acl", data_source=True) == "data_aws_memorydb_acl"
    assert naming.module_name("aws_docdb_cluster", data_source=False) == "resources.aws_docdb_cluster"
    assert naming.module_name("aws_memorydb_acl", data_source=True) == "data.aws_memorydb_acl"
    assert naming.args_class("aws_docdb_cluster", data_source=False) == "AwsDocdbClusterArgs"
    assert naming.ref_class("aws_docdb_cluster", data_source=False) == "AwsDocdbClusterRef"
    assert naming.args_class("aws_memorydb_acl", data_source=True) == "DataAwsMemorydbAclArgs"
    assert naming.ref_class("aws_memorydb_acl", data_source=True) == "DataAwsMemorydbAclRef"


def test_generated_classes_follow_naming(emit_sources) -> None:
    """The generator uses these functions: the emitted classes carry exactly these names."""
    block = {"attributes": {"name": {"type": "string", "required": True}}}
    py, pyi, model = emit_sources(block, "aws_foo_bar")
    assert model.function_name == "aws_foo_bar"
    assert f"class {naming.args_class('aws_foo_bar', data_source=False)}(StructModel)" in py
    assert f"class {naming.ref_class('aws_foo_bar', data_source=False)}(ResourceRef)" in py
    py, _, model = emit_sources(block, "aws_foo_bar", kind="data")
    assert model.function_name == "data_aws_foo_bar"
    assert model.module == "data.aws_foo_bar"
    assert f"class {naming.args_class('aws_foo_bar', data_source=True)}(StructModel)" in py
    assert "def data_aws_foo_bar(" in py


def test_colliding_python_names_are_refused(emit_sources) -> None:
    from codegen.errors import GeneratorError

    block = {"attributes": {"and": {"type": "string", "optional": True},
                            "and_": {"type": "string", "optional": True}}}
    with pytest.raises(GeneratorError, match="both map to the Python name 'and_'"):
        emit_sources(block)
