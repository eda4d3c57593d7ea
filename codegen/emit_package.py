"""The package around the type modules: lazy ``__init__``, its stub, and the schema lookup."""

from __future__ import annotations

from codegen.model import TypeModel
from codegen.render import render


def emit_package(models: list[TypeModel], source: str, version: str) -> dict[str, str]:
    exports = sorted((m.function_name, m.module) for m in models)
    context = dict(exports=exports, source=source, version=version)
    return {
        "pangea_aws/__init__.py": render("package_init.py.jinja", **context),
        "pangea_aws/__init__.pyi": render("package_init.pyi.jinja", **context),
        "pangea_aws/_schema.py": render("package_schema.py.jinja", **context),
        "pangea_aws/resources/__init__.py": '"""Generated resource modules, one per type."""\n',
        "pangea_aws/data/__init__.py": '"""Generated data source modules, one per type."""\n',
        "pangea_aws/py.typed": "",
    }
