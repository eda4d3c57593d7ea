"""Python names for Terraform names.

One function per decision, shared by the generator, the schema diff and the tests, so that
"what public name does this become" has exactly one answer.
"""

from __future__ import annotations

import keyword

# Names a field of a pydantic model may not take (they are attributes or methods of
# BaseModel), plus the conventional first parameters of methods.
_PYDANTIC_RESERVED = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "fields",
        "from_orm",
        "json",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
        "cls",
        "self",
    }
)


def python_name(terraform_name: str) -> str:
    """The Python identifier used for a Terraform attribute or block name.

    Python keywords and names that pydantic reserves get a trailing underscore
    (``and`` -> ``and_``, ``schema`` -> ``schema_``); the Terraform name stays in the JSON.
    """
    if (
        keyword.iskeyword(terraform_name)
        or terraform_name in _PYDANTIC_RESERVED
        or terraform_name.startswith("model_")
    ):
        return terraform_name + "_"
    return terraform_name


def camel(snake: str) -> str:
    """``aws_docdb_cluster`` -> ``AwsDocdbCluster``."""
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


def function_name(type_name: str, *, data_source: bool) -> str:
    """The public function for a resource type or data source, named exactly as Terraform's."""
    return f"data_{type_name}" if data_source else type_name


def type_class_base(type_name: str, *, data_source: bool) -> str:
    """The stem of every class generated for one type: ``AwsDocdbCluster``/``DataAwsX``."""
    return camel(function_name(type_name, data_source=data_source))


def args_class(type_name: str, *, data_source: bool) -> str:
    return type_class_base(type_name, data_source=data_source) + "Args"


def ref_class(type_name: str, *, data_source: bool) -> str:
    return type_class_base(type_name, data_source=data_source) + "Ref"


def module_name(type_name: str, *, data_source: bool) -> str:
    """Module path (relative to ``pangea_aws``) holding one type."""
    return ("data." if data_source else "resources.") + type_name
