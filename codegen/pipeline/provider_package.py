"""A whole provider as one package: every resource type and data source of a schema, generated
from the schema alone (plus override files when the provider has some), with its docs inside
the package (``pangea_<name>/docs/``).

Used for the providers pangea ships besides AWS (provider_schema/random.yaml, tls.yaml: the
output is committed under generated/) and by `pangea provider add`, which generates into a
user's project.
"""

from __future__ import annotations

from pathlib import Path

from codegen.inputs.schema import ProviderSchema
from codegen.inputs.shapes import ShapeLock
from codegen.inputs.targets import Targets
from codegen.model import TypeModel
from codegen.pipeline.emit_docs import emit_provider_index
from codegen.pipeline.emit_package import emit_package


def provider_models(targets: Targets, schema: ProviderSchema,
                    overrides_dir: Path | None = None) -> list[TypeModel]:
    """One model per type of the schema, placed in the provider's package."""
    from codegen.pipeline.generate import build_models, every_type

    overrides = overrides_dir if overrides_dir is not None and overrides_dir.is_dir() else None
    models = build_models(schema, every_type(schema), ShapeLock(None), overrides)
    for model in models:
        model.package = targets.package
        model.provider_title = targets.title
        model.page = f"{targets.package}/docs/{model.doc_name}.md"
    return models


def provider_files(targets: Targets, schema: ProviderSchema,
                   overrides_dir: Path | None = None) -> dict[str, str]:
    """``{path: text}`` of the package, relative to the directory that will hold it."""
    import json

    from codegen.pipeline.generate import emit_types, ephemeral_schemas

    models = provider_models(targets, schema, overrides_dir)
    files = emit_types(models, targets)
    files.update(emit_package(models, targets.short_source, targets.version,
                              provider_name=targets.name, type_prefix=targets.type_prefix))
    files[f"{targets.package}/docs/index.md"] = emit_provider_index(models, targets)
    ephemeral = ephemeral_schemas(schema)
    if ephemeral:  # read by pangea.language when a template calls ephemeral(...)
        files[f"{targets.package}/ephemeral_schemas.json"] = json.dumps(
            ephemeral, indent=1, sort_keys=True) + "\n"
    return files
