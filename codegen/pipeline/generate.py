"""The pipeline: load -> model -> merge overrides -> emit -> format -> write (or check)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from codegen.pipeline.build import build_type
from codegen.pipeline.emit_docs import emit_doc, emit_index
from codegen.pipeline.emit_package import emit_package
from codegen.pipeline.emit_python import emit_module, emit_schema
from codegen.errors import GeneratorError
from codegen.pipeline.format import format_files, format_tree
from codegen.model import TypeModel
from codegen.inputs.overrides import load_override, merge_override, stray_override_files
from codegen.inputs.public_names import PublicName, helper_functions, load_public_names
from codegen.inputs.schema import ProviderSchema, parse_provider_schema
from codegen.inputs.shapes import ShapeLock
from codegen.inputs.targets import Targets, load_targets, verify_schema_file
from codegen.pipeline.write import diff_trees, read_tree, write_file_atomic, write_tree

PROJECT = Path(__file__).resolve().parents[2]


@dataclass
class Options:
    schema_dir: Path
    targets_path: Path = PROJECT / "provider_schema" / "targets.yaml"
    overrides_dir: Path = PROJECT / "overrides"
    out: Path = PROJECT / "generated"
    lock_path: Path | None = PROJECT / "provider_schema" / "shapes.lock.json"
    public_names_path: Path | None = PROJECT / "provider_schema" / "seed_names.yaml"
    provider_config_dir: Path | None = PROJECT / "provider_schema" / "provider_config"
    group: str | None = "databases"
    all_types: bool = False
    check: bool = False
    accept_shape_changes: bool = False


@dataclass
class Result:
    files: dict[str, str]  # as emitted; formatted when written or compared
    lock_text: str | None
    models: list[TypeModel]
    notices: list[str] = field(default_factory=list)


def load_schema(targets: Targets, schema_dir: Path) -> ProviderSchema:
    path = schema_dir / targets.schema_file
    data = verify_schema_file(targets, path)
    return parse_provider_schema(data, targets.source, path)


def select(targets: Targets, schema: ProviderSchema, options: Options) -> list[tuple[str, str]]:
    if options.all_types:
        return sorted([("resource", t) for t in schema.resources]
                      + [("data", t) for t in schema.data_sources])
    group = targets.group(options.group or "")
    chosen = [("resource", t) for t in group.all_resources] + [
        ("data", t) for t in group.data_sources]
    missing = [f"{k} {t}" for k, t in chosen if t not in schema.kind_table(k)]
    if missing:
        raise GeneratorError(
            f"{targets.path}: group {group.name!r} names types the pinned schema lacks: "
            + ", ".join(missing) + " (removed or renamed by the provider? see the schema diff)")
    return sorted(chosen)


def build_models(schema: ProviderSchema, chosen: list[tuple[str, str]], lock: ShapeLock,
                 overrides_dir: Path | None) -> list[TypeModel]:
    models = []
    for kind, type_name in chosen:
        model = build_type(kind, type_name, schema.kind_table(kind)[type_name], lock)
        if overrides_dir is not None:
            override = load_override(overrides_dir, kind, type_name)
            if override is not None:
                merge_override(model, override)
        models.append(model)
    return models


def provider_config(schema: ProviderSchema, targets: Targets,
                    directory: Path | None) -> dict | None:
    """The provider's configuration schema: from the schema document when it has one, else
    from provider_schema/provider_config/<name>.json (the AWS files lack it; that file cites
    where its arguments come from)."""
    if schema.provider_config is not None:
        return {"block": schema.provider_config["block"]}
    name = targets.short_source.rsplit("/", 1)[-1]
    path = directory / f"{name}.json" if directory is not None else None
    if path is None or not path.is_file():
        return None
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data.get("block"), dict):
        raise GeneratorError(f"{path}: expected a 'block' in Terraform's schema notation")
    return {"block": data["block"], "open_blocks": sorted(data.get("open_blocks", []))}


def emit_all(models: list[TypeModel], targets: Targets,
             public_names: Sequence[PublicName] = (),
             provider_schema: dict | None = None) -> dict[str, str]:
    files: dict[str, str] = {}
    for model in models:
        base = "pangea_aws/" + model.module.replace(".", "/")
        files[base + ".py"], files[base + ".pyi"] = emit_module(model, targets.version)
        files[base + ".schema.json"] = emit_schema(model)
        files[f"docs/{model.doc_name}.md"] = emit_doc(model, targets.version)
    files.update(emit_package(models, targets.short_source, targets.version, public_names))
    if provider_schema is not None:
        import json

        # Read by pangea.provider_config when a template calls provider(...).
        files["pangea_aws/provider_config.json"] = json.dumps(
            provider_schema, indent=1, sort_keys=True) + "\n"
    files["docs/index.md"] = emit_index(models, targets.version, public_names)
    return files


def run(options: Options) -> Result:
    targets = load_targets(options.targets_path)
    schema = load_schema(targets, options.schema_dir)
    chosen = select(targets, schema, options)
    lock = ShapeLock.load(options.lock_path, accept_changes=options.accept_shape_changes)
    models = build_models(schema, chosen, lock, options.overrides_dir)
    if not options.all_types:
        known = {m.doc_name for m in models}
        stray = stray_override_files(options.overrides_dir, known)
        if stray:
            raise GeneratorError(
                "override files for types that are not generated (renamed or removed by the "
                "provider, or misspelled): " + ", ".join(str(p) for p in stray))
    if lock.errors():
        raise GeneratorError("block shapes changed since they were recorded in "
                             f"{options.lock_path}:\n  " + "\n  ".join(lock.errors()))
    public_names = []
    if options.public_names_path is not None and not options.all_types:
        public_names = load_public_names(options.public_names_path,
                                         {m.function_name for m in models},
                                         helper_functions(PROJECT))
    config_schema = provider_config(schema, targets, options.provider_config_dir)
    files = emit_all(models, targets, public_names, config_schema)
    lock_text = lock.render(keep_unvisited=not options.all_types) if options.lock_path else None
    return Result(files, lock_text, models, lock.notices())


def generate(options: Options) -> tuple[int, list[str]]:
    """Run the pipeline; write, or with ``check`` compare. Returns (exit code, report lines)."""
    result = run(options)
    report = [f"note: {n}" for n in result.notices]
    if options.check:
        problems = diff_trees(format_files(result.files), read_tree(options.out), options.out.name)
        if options.lock_path is not None and result.lock_text is not None:
            current = options.lock_path.read_text() if options.lock_path.exists() else None
            if current != result.lock_text:
                problems.append(f"changed: {options.lock_path.name} (block shapes to record)")
        if problems:
            return 1, report + [f"{options.out} is stale; run `make generate` and commit:"] + problems
        return 0, report + [f"{options.out} is up to date ({len(result.files)} files)"]
    write_tree(options.out, result.files, prepare=format_tree)
    if options.lock_path is not None and result.lock_text is not None:
        write_file_atomic(options.lock_path, result.lock_text)
    return 0, report + [f"wrote {len(result.files)} files to {options.out}"]
