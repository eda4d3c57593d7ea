"""Providers besides AWS: pangea_random and pangea_tls ship whole (every type of their pinned
schemas, committed under generated/), built by the same generator from the schema alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codegen.errors import GeneratorError
from codegen.inputs.targets import load_targets, verify_schema_file

PROJECT = Path(__file__).resolve().parents[3]
GENERATED = PROJECT / "generated"


def _schema(pin: str) -> dict:
    targets = load_targets(PROJECT / "provider_schema" / pin)
    doc = json.loads(verify_schema_file(targets, PROJECT / "provider_schema" / targets.schema_file))
    return doc["provider_schemas"][targets.source]


@pytest.mark.parametrize("name", ["random", "tls"])
def test_the_package_exports_every_type_with_a_stub_and_a_page(name: str) -> None:
    import importlib

    package = importlib.import_module(f"pangea_{name}")
    schema = _schema(f"{name}.yaml")
    modules = package._MODULES
    assert sorted(n for n in modules if not n.startswith("data_")) == sorted(
        schema.get("resource_schemas", {}))
    assert sorted(n[len("data_"):] for n in modules if n.startswith("data_")) == sorted(
        schema.get("data_source_schemas", {}))
    root = GENERATED / f"pangea_{name}"
    for function, module in modules.items():
        base = root / module.replace(".", "/")
        assert base.with_suffix(".pyi").is_file() and base.with_suffix(".py").is_file()
        doc = ("data." + function[len("data_"):]) if function.startswith("data_") else function
        page = (root / "docs" / f"{doc}.md").read_text()
        assert f"from pangea_{name} import {function}" in page
        assert "Generated from the provider schema alone" in page
    assert package.PROVIDER_SOURCE == f"hashicorp/{name}"
    index = (root / "docs" / "index.md").read_text()
    assert f"# pangea_{name} reference" in index


def test_random_password_for_a_database(run_template) -> None:
    from pangea_aws import aws_docdb_cluster
    from pangea_random import random_password

    def tpl() -> None:
        password = random_password("db", length=32, special=False)
        aws_docdb_cluster("main", cluster_identifier="docs", master_username="admin",
                          master_password=password.result, skip_final_snapshot=True)

    config = run_template(tpl)
    assert config["resource"]["random_password"]["db"] == {"length": 32, "special": False}
    assert config["resource"]["aws_docdb_cluster"]["main"]["master_password"] == (
        "${random_password.db.result}")


def test_random_types_are_checked_against_their_schema(run_template) -> None:
    from pangea.errors import PangeaError
    from pangea_random import random_password

    def tpl() -> None:
        random_password("db", length="long")  # type: ignore[arg-type]

    with pytest.raises(PangeaError, match="length"):
        run_template(tpl)


def test_a_pin_names_its_package_after_the_provider(tmp_path: Path) -> None:
    pin = tmp_path / "random.yaml"
    pin.write_text((PROJECT / "provider_schema" / "random.yaml").read_text().replace(
        "package: pangea_random", "package: randomness"))
    with pytest.raises(GeneratorError, match="named pangea_<name> \\(pangea_random\\)"):
        load_targets(pin)


def test_module_groups_need_one_name_prefix_per_subpackage() -> None:
    """The package __init__ derives a function's module from its name; a subpackage whose
    functions would need different prefixes cannot be written that way (a generator bug)."""
    from codegen.pipeline.emit_package import module_groups

    assert module_groups([("data_aws_ami", "data.aws_ami"), ("aws_vpc", "resources.aws_vpc"),
                          ("data_aws_vpc", "data.aws_vpc")]) == [
        ("data", "data_", ["aws_ami", "aws_vpc"]), ("resources", "", ["aws_vpc"])]
    with pytest.raises(ValueError, match="data_aws_ami in data.aws_ami"):
        module_groups([("aws_vpc", "data.aws_vpc"), ("data_aws_ami", "data.aws_ami")])
    with pytest.raises(ValueError, match="aws_vpc in resources.aws_subnet"):
        module_groups([("aws_vpc", "resources.aws_subnet")])


def test_star_import_reads_the_lazily_built_all() -> None:
    """`__all__` of a generated package is built when first read (module __getattr__), which
    is what `from package import *` does."""
    import pangea_random

    namespace: dict = {}
    exec("from pangea_random import *", namespace)
    assert sorted(k for k in namespace if not k.startswith("__")) == sorted(pangea_random._MODULES)
    assert namespace["random_pet"] is pangea_random.random_pet
