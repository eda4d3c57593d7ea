"""The pipeline: load -> model -> merge overrides -> emit -> format -> write (or check)."""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from codegen.pipeline.build import build_type
from codegen.pipeline.docstrings import registry_url
from codegen.pipeline.emit_docs import emit_doc, emit_index
from codegen.pipeline.emit_package import emit_package, extra_files
from codegen.pipeline.emit_python import emit_module, emit_schema
from codegen.errors import GeneratorError, ProblemCollector
from codegen.pipeline.format import format_files, format_tree
from codegen import naming
from codegen.model import SCHEMA_ONLY, SchemaOnlyType, TypeModel
from codegen.inputs.overrides import OverrideFiles, load_override_files, merge_override
from codegen.inputs.public_names import PublicName, helper_functions, load_public_names
from codegen.inputs.schema import ProviderSchema, parse_provider_schema
from codegen.inputs.shapes import ShapeLock
from codegen.inputs.targets import Targets, load_targets, verify_schema_file
from codegen.pipeline.write import diff_trees, read_tree, write_file_atomic, write_tree

PROJECT = Path(__file__).resolve().parents[2]


@dataclass
class Options:
    schema_dir: Path = PROJECT / "provider_schema"
    targets_path: Path = PROJECT / "provider_schema" / "targets.yaml"
    overrides_dir: Path = PROJECT / "overrides"
    extras_dir: Path = PROJECT / "extras"  # extras/<provider>/: hand-written package files
    out: Path = PROJECT / "generated"
    lock_path: Path | None = PROJECT / "provider_schema" / "shapes.lock.json"
    public_names_path: Path | None = PROJECT / "provider_schema" / "seed_names.yaml"
    provider_config_dir: Path | None = PROJECT / "provider_schema" / "provider_config"
    group: str | None = "databases"
    all_types: bool = False
    # every type outside the group, from the schema alone, into out = <package>/schema_only
    schema_only: bool = False
    # other providers shipped whole (every type) in the same tree: generated/pangea_<name>/
    providers: tuple[Path, ...] = (PROJECT / "provider_schema" / "random.yaml",
                                   PROJECT / "provider_schema" / "tls.yaml")
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


def select(targets: Targets, schema: ProviderSchema, options: Options,
           problems: ProblemCollector | None = None) -> list[tuple[str, str]]:
    """The types to generate. Types the group names but the schema lacks are a problem
    (raised, or recorded in ``problems`` while the others go on)."""
    if options.all_types:
        return every_type(schema)
    if options.schema_only:
        return schema_only_types(targets, schema, options.group)
    return group_types(targets, schema, options.group, problems)


def every_type(schema: ProviderSchema) -> list[tuple[str, str]]:
    return sorted([("resource", t) for t in schema.resources]
                  + [("data", t) for t in schema.data_sources])


def schema_only_types(targets: Targets, schema: ProviderSchema,
                      group: str | None) -> list[tuple[str, str]]:
    """Every type of the schema outside the curated group (built at install time)."""
    curated = set(group_types(targets, schema, group, ProblemCollector()))
    return [item for item in every_type(schema) if item not in curated]


def group_types(targets: Targets, schema: ProviderSchema, group_name: str | None,
                problems: ProblemCollector | None = None) -> list[tuple[str, str]]:
    group = targets.group(group_name or "")
    chosen = [("resource", t) for t in group.all_resources] + [
        ("data", t) for t in group.data_sources]
    missing = [f"{k} {t}" for k, t in chosen if t not in schema.kind_table(k)]
    if missing:
        error = GeneratorError(
            f"{targets.path}: group {group.name!r} names types the pinned schema lacks: "
            + ", ".join(missing) + " (removed or renamed by the provider? see the schema diff)")
        if problems is None:
            raise error
        problems.add(error)
    return sorted((k, t) for k, t in chosen if t in schema.kind_table(k))


def build_models(schema: ProviderSchema, chosen: list[tuple[str, str]], lock: ShapeLock,
                 overrides: OverrideFiles | Path | None,
                 problems: ProblemCollector | None = None) -> list[TypeModel]:
    """One model per chosen type, overrides merged. Every broken override entry of every
    file is recorded in ``problems``; without a collector they are raised together."""
    if not isinstance(overrides, OverrideFiles):
        overrides = load_override_files(overrides)
    collector = problems if problems is not None else ProblemCollector()
    collector.problems.extend(overrides.problems)
    models = []
    for kind, type_name in chosen:
        model = collector.run(build_type, kind, type_name, schema.type_schema(kind, type_name),
                              lock)
        if model is None:
            continue
        override = overrides.for_type(kind, type_name)
        if override is not None:
            collector.run(merge_override, model, override)
        model.curated = override is not None
        models.append(model)
    if problems is None:
        collector.raise_if_any()
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


def emit_types(models: list[TypeModel], targets: Targets,
               workers: int | None = None) -> dict[str, str]:
    """Module, stub, schema sidecar and docs page of each type, in model order. A large run
    is split over the cores (``workers``; default: the cores this process may use)."""
    workers = usable_cores() if workers is None else workers
    if workers < 2 or len(models) < PARALLEL_MIN_TYPES:
        return _emit_slice(models, targets)
    return _emit_forked(models, targets, workers)


# Below this many types, starting a worker costs about what it saves.
PARALLEL_MIN_TYPES = 200


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _emit_slice(models: list[TypeModel], targets: Targets) -> dict[str, str]:
    files: dict[str, str] = {}
    for model in models:
        base = f"{model.package}/" + model.module.replace(".", "/")
        url = registry_url(targets.source, targets.version, model, targets.type_prefix)
        files[base + ".py"], files[base + ".pyi"] = emit_module(model, targets.version, url)
        files[base + ".schema.json"] = emit_schema(model)
        files[model.doc_path] = emit_doc(model, targets.version, url)
    return files


# What forked workers read: set just before they start, so the models reach them through
# fork's copy of memory instead of being pickled (only the emitted text comes back).
_FORKED: tuple[list[TypeModel], Targets] | None = None


def _emit_forked_slice(start: int, stop: int) -> dict[str, str]:
    assert _FORKED is not None
    models, targets = _FORKED
    return _emit_slice(models[start:stop], targets)


def _emit_forked(models: list[TypeModel], targets: Targets, workers: int) -> dict[str, str]:
    """Emission split into ``workers`` contiguous slices: this process emits the first while
    forked workers emit the others; the result is merged in model order, so it is the same
    as one process's, byte for byte and key for key."""
    global _FORKED
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    bounds = [len(models) * i // workers for i in range(workers + 1)]
    _FORKED = (models, targets)
    try:
        with ProcessPoolExecutor(workers - 1,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            others = [pool.submit(_emit_forked_slice, bounds[i], bounds[i + 1])
                      for i in range(1, workers)]
            files = _emit_slice(models[bounds[0]:bounds[1]], targets)
            for future in others:
                files.update(future.result())
    finally:
        _FORKED = None
    return files


def ephemeral_schemas(schema: ProviderSchema) -> dict[str, dict]:
    """Every ephemeral resource's block, without prose (docs, descriptions): what
    pangea.language checks ``ephemeral(...)`` arguments against."""
    table = schema.document.table("ephemeral")
    return {name: _without_prose(table[name]["block"]) for name in sorted(table)}


_PROSE = frozenset({"description", "description_kind"})


def _without_prose(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _without_prose(v) for k, v in value.items() if k not in _PROSE}
    if isinstance(value, list):
        return [_without_prose(v) for v in value]
    return value


def emit_all(models: list[TypeModel], targets: Targets,
             public_names: Sequence[PublicName] = (),
             provider_schema: dict | None = None,
             schema_only: Sequence[SchemaOnlyType] = (),
             ephemeral: dict[str, dict] | None = None) -> dict[str, str]:
    files = emit_types(models, targets)
    files.update(emit_package(models, targets.short_source, targets.version, public_names,
                              schema_only=schema_only, provider_name=targets.name,
                              type_prefix=targets.type_prefix))
    import json

    if provider_schema is not None:
        # Read by pangea.provider_config when a template calls provider(...).
        files["pangea_aws/provider_config.json"] = json.dumps(
            provider_schema, indent=1, sort_keys=True) + "\n"
    if ephemeral:
        # Read by pangea.language when a template calls ephemeral(...).
        files["pangea_aws/ephemeral_schemas.json"] = json.dumps(
            ephemeral, indent=1, sort_keys=True) + "\n"
    files["docs/index.md"] = emit_index(models, targets.version, public_names, schema_only)
    return files


def as_schema_only(model: TypeModel) -> TypeModel:
    """Place a type built from the schema alone in the install-time subpackage."""
    model.module = f"{SCHEMA_ONLY}.{model.module}"
    model.page = f"pangea_aws/{SCHEMA_ONLY}/docs/{model.doc_name}.md"
    return model


def schema_only_entries(chosen: list[tuple[str, str]]) -> list[SchemaOnlyType]:
    """What the committed package and index say about the install-time types: names only,
    so checking the committed tree never builds them."""
    out = []
    for kind, type_name in chosen:
        data = kind == "data"
        out.append(SchemaOnlyType(
            kind=kind, type_name=type_name,
            function_name=naming.function_name(type_name, data_source=data),
            module=f"{SCHEMA_ONLY}.{naming.module_name(type_name, data_source=data)}",
            page=f"pangea_aws/{SCHEMA_ONLY}/docs/{doc_name(kind, type_name)}.md"))
    return out


def emit_schema_only(models: list[TypeModel], targets: Targets) -> dict[str, str]:
    """The install-time tree, relative to generated/pangea_aws/schema_only."""
    prefix = f"pangea_aws/{SCHEMA_ONLY}/"
    files = {path[len(prefix):]: text for path, text in emit_types(models, targets).items()}
    note = "Generated from the provider schema alone at install time (make install); not committed."
    files["__init__.py"] = f'"""Types without override files. {note}"""\n'
    files["resources/__init__.py"] = '"""Generated resource modules, one per type."""\n'
    files["data/__init__.py"] = '"""Generated data source modules, one per type."""\n'
    return files


def run(options: Options) -> Result:
    """Load every input, build the models and emit the files. Every problem in the inputs
    (stale or broken overrides in any file, stray override files, missing types, shape
    conflicts, public names) is collected and raised together; nothing is written then."""
    targets = load_targets(options.targets_path)
    schema = load_schema(targets, options.schema_dir)
    problems = ProblemCollector()
    chosen = select(targets, schema, options, problems)
    if options.schema_only:
        # no override applies (overrides exist only for the group) and no shape is recorded
        models = [as_schema_only(m) for m in build_models(schema, chosen, ShapeLock(None), None)]
        return Result(emit_schema_only(models, targets), None, models)
    lock = ShapeLock.load(options.lock_path, accept_changes=options.accept_shape_changes)
    overrides = load_override_files(options.overrides_dir)
    models = build_models(schema, chosen, lock, overrides, problems)
    if not options.all_types:
        stray = overrides.stray({doc_name(kind, type_name) for kind, type_name in chosen})
        if stray:
            problems.add(GeneratorError(
                "override files for types that are not generated (renamed or removed by the "
                "provider, or misspelled): " + ", ".join(str(p) for p in stray)))
    for conflict in lock.errors():
        problems.add(GeneratorError(f"{options.lock_path}: block shape changed since it was "
                                    f"recorded: {conflict}"))
    extras = options.extras_dir / targets.name
    public_names: list[PublicName] = []
    if options.public_names_path is not None and not options.all_types:
        public_names = problems.run(load_public_names, options.public_names_path,
                                    {m.function_name for m in models},
                                    helper_functions(extras)) or []
    config_schema = problems.run(provider_config, schema, targets, options.provider_config_dir)
    problems.raise_if_any(heading=_problems_heading(len(problems.problems), options.out))
    extra = [] if options.all_types else schema_only_entries(
        schema_only_types(targets, schema, options.group))
    files = emit_all(models, targets, public_names, config_schema, extra,
                     None if options.all_types else ephemeral_schemas(schema))
    files.update(extra_files(extras, targets.package))
    if not options.all_types:
        files.update(other_providers(options))
    lock_text = lock.render(keep_unvisited=not options.all_types) if options.lock_path else None
    return Result(files, lock_text, models, lock.notices())


def doc_name(kind: str, type_name: str) -> str:
    """The name override files and doc pages use for a type (``data.`` for data sources)."""
    return f"data.{type_name}" if kind == "data" else type_name


def _problems_heading(count: int, out: Path) -> str:
    what = "problem" if count == 1 else "problems"
    return f"{count} {what} in the generator's inputs; {out} was left as it was"


def other_providers(options: Options) -> dict[str, str]:
    """The packages of the other shipped providers (every type of each pinned schema)."""
    from codegen.pipeline.provider_package import provider_files

    files: dict[str, str] = {}
    for pin in options.providers:
        targets = load_targets(pin)
        schema = load_schema(targets, pin.parent)  # committed beside its pin
        files.update(provider_files(targets, schema, options.overrides_dir / targets.name))
    return files


def _kept(options: Options) -> tuple[str, ...]:
    """What the committed run leaves alone: the install-time tree inside generated/."""
    return () if options.all_types or options.schema_only else (f"pangea_aws/{SCHEMA_ONLY}",)


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """The generator builds a large web of objects that holds no garbage cycles worth
    collecting (the parsed schema, the models, the files) and drops it when done; Python's
    cycle collector would walk it again and again for nothing (about a tenth of a run)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def generate(options: Options) -> tuple[int, list[str]]:
    """Run the pipeline; write, or with ``check`` compare. Returns (exit code, report lines)."""
    with without_cycle_collection():
        return _generate(options)


def _generate(options: Options) -> tuple[int, list[str]]:
    result = run(options)
    report = [f"note: {n}" for n in result.notices]
    if options.check:
        problems = diff_trees(format_files(result.files), read_tree(options.out, _kept(options)),
                              options.out.name)
        if options.lock_path is not None and result.lock_text is not None:
            current = options.lock_path.read_text() if options.lock_path.exists() else None
            if current != result.lock_text:
                problems.append(f"changed: {options.lock_path.name} (block shapes to record)")
        if problems:
            return 1, report + [f"{options.out} is stale; run `make generate` and commit:"] + problems
        return 0, report + [f"{options.out} is up to date ({len(result.files)} files)"]
    if options.out.is_dir():  # formatted first, so what did not change is linked, not written
        write_tree(options.out, format_files(result.files), keep=_kept(options))
    else:
        write_tree(options.out, result.files, prepare=format_tree, keep=_kept(options))
    if options.lock_path is not None and result.lock_text is not None:
        write_file_atomic(options.lock_path, result.lock_text)
    return 0, report + [f"wrote {len(result.files)} files to {options.out}"]
