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
    context = dict(exports=exports, source=source, version=version, aliases=aliases,
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


def extra_files(extras: Path, package: str) -> dict[str, str]:
    """The provider's hand-written files (``extras/<provider>/``), placed in the package as
    they are: no templating, so what is reviewed is what ships. They are kept formatted as
    the generated code is, so the formatter leaves them byte for byte (a test checks)."""
    if not extras.is_dir():
        return {}
    return {f"{package}/{path.relative_to(extras).as_posix()}": path.read_text()
            for path in sorted(extras.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts}
