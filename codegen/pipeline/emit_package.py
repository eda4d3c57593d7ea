"""The package around the type modules: lazy ``__init__``, its stub, the schema lookup, and
the hand-written extras copied in verbatim."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from codegen.model import SchemaOnlyType, TypeModel
from codegen.inputs.public_names import HELPER_MODULE, PublicName
from codegen.pipeline.render import render


def emit_package(models: list[TypeModel], source: str, version: str,
                 public_names: Sequence[PublicName] = (),
                 schema_only: Sequence[SchemaOnlyType] = (), *, provider_name: str = "aws",
                 type_prefix: str | None = None) -> dict[str, str]:
    package = f"pangea_{provider_name}"
    exports = sorted([(m.function_name, m.module) for m in models]
                     + [(t.function_name, t.module) for t in schema_only])
    modules = dict(exports)
    aliases = sorted((p.name, p.target, modules[p.target]) for p in public_names if p.kind == "alias")
    helpers = sorted((p.name, p.target) for p in public_names if p.kind == "helper")
    unavailable = sorted((p.name, p.message) for p in public_names if p.kind == "unavailable")
    context = dict(exports=exports, groups=module_groups(exports), source=source,
                   version=version, aliases=aliases,
                   helpers=helpers, unavailable=unavailable,
                   helper_module=f"{package}.{HELPER_MODULE}", package=package,
                   provider_name=provider_name, type_prefix=type_prefix or f"{provider_name}_")
    return {
        f"{package}/__init__.py": render("package_init.py.jinja", **context),
        f"{package}/__init__.pyi": render("package_init.pyi.jinja", **context),
        f"{package}/_schema.py": render("package_schema.py.jinja", **context),
        f"{package}/resources/__init__.py": '"""Generated resource modules, one per type."""\n',
        f"{package}/data/__init__.py": '"""Generated data source modules, one per type."""\n',
        f"{package}/py.typed": "",
    }


def module_groups(exports: Sequence[tuple[str, str]]) -> list[tuple[str, str, list[str]]]:
    """The package ``__init__``'s table of modules: (subpackage, the prefix of function names
    its module names drop, the module names), from (function, module) pairs; ``data_aws_ami``
    is ``data.aws_ami``. The runtime derives each function's module from its name, so every
    function of a subpackage must drop the same prefix."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for function, module in exports:
        subpackage, _, name = module.rpartition(".")
        prefix = function[: len(function) - len(name)]
        group = groups.setdefault(subpackage, (prefix, []))
        if not function.endswith(name) or group[0] != prefix:
            raise ValueError(f"{function} in {module}: the functions of {subpackage} are named "
                             f"{group[0]!r} + their module's name")
        group[1].append(name)
    return [(subpackage, prefix, sorted(names))
            for subpackage, (prefix, names) in sorted(groups.items())]


def extra_files(extras: Path, package: str) -> dict[str, str]:
    """The provider's hand-written files (``extras/<provider>/``), placed in the package as
    they are: no templating, so what is reviewed is what ships. They are kept formatted as
    the generated code is, so the formatter leaves them byte for byte (a test checks)."""
    if not extras.is_dir():
        return {}
    return {f"{package}/{path.relative_to(extras).as_posix()}": path.read_text()
            for path in sorted(extras.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts}
