"""What every command does first: read pangea.yaml, pick the namespace, synthesize and check."""

from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType
TYPE_CHECKING = False  # typing is not imported at run time (import cost: pangea._typing)
if TYPE_CHECKING:
    from typing import Any, Mapping, NamedTuple
else:
    from pangea._typing import NamedTuple

from pangea.cli.backends import MODERN, BackendDialect, remote_state_source
from pangea.cli.config import (
    CONFIG_FILENAME,
    ConfigError,
    Namespace,
    ProjectConfig,
    load_project,
)
from pangea.cli.values import VariableValues, conventional_files, parse_cli_values
from pangea.errors import PangeaError, combine

NAMESPACE_ENV = "PANGEA_NAMESPACE"


class InputError(Exception):
    """Bad input found by the command itself (file, template, validation); exit 3."""


class Session(NamedTuple):
    project: ProjectConfig
    namespace: Namespace
    file: Path
    templates: tuple[str, ...] | None  # None: every template in the file
    values: VariableValues = VariableValues()
    strict: bool = False  # warnings refuse the run (--strict)


def open_namespace(
    args: Any, cwd: Path | None = None, environ: Mapping[str, str] = os.environ
) -> tuple[ProjectConfig, Namespace]:
    """The project configuration and the namespace a command works in (``--namespace``, else
    ``$PANGEA_NAMESPACE``, else ``default_namespace``)."""
    project = load_project(Path.cwd() if cwd is None else cwd, args.config)
    name = args.namespace or environ.get(NAMESPACE_ENV) or project.default_namespace
    return project, project.namespace(name)


def open_session(
    args: Any, cwd: Path | None = None, environ: Mapping[str, str] = os.environ
) -> Session:
    cwd = Path.cwd() if cwd is None else cwd
    project, namespace = open_namespace(args, cwd, environ)
    file = args.file if args.file.is_absolute() else cwd / args.file
    if not file.is_file():
        what = "is a directory, not a Python file" if file.is_dir() else "does not exist"
        raise InputError(
            f"{args.file}: template file {what}; pass the path of a .py file that defines templates"
        )
    templates = tuple(dict.fromkeys(args.templates)) if args.templates else None
    values = VariableValues(
        files=conventional_files(file.resolve().parent),
        namespace_values=namespace.values,
        cli=parse_cli_values(getattr(args, "values", None) or [], cwd),
    )
    return Session(project, namespace, file, templates, values,
                   bool(getattr(args, "strict", False)))


def describe(session: Session) -> str:
    """Which configuration, namespace and state a command uses (printed by every command)."""
    return describe_namespace(session.project, session.namespace)


def describe_namespace(project: ProjectConfig, namespace: Namespace) -> str:
    if project.source is not None:
        config = f"config {project.source}"
    else:
        config = f"no {CONFIG_FILENAME} in {project.root} or its parents (every namespace is local)"
    return f"{config}; namespace {namespace.name!r}; state {namespace.state.describe()}"


class Synthesized(NamedTuple):
    name: str
    config: dict[str, Any]
    dependencies: tuple[str, ...]
    sensitive_outputs: frozenset[str]
    diagnostics: tuple[Any, ...] = ()  # pangea.diagnostics.Diagnostic warnings
    # (kind, type, name) -> body a generated typed function validated (pangea.synth)
    schema_checked: Mapping[tuple[str, str, str], Any] = MappingProxyType({})


def list_templates(session: Session) -> list[str]:
    import pangea

    return list(pangea.list_templates(str(session.file)))


def relative_local_path(settings: dict[str, Any], base: Path | None) -> dict[str, Any]:
    """Local state settings with ``path`` relative to ``base`` (where Terraform will run), so
    synthesized files carry no absolute path of this machine."""
    if base is None or "path" not in settings:
        return settings
    return {**settings, "path": os.path.relpath(settings["path"], base)}


def synthesize(
    session: Session, dialect: BackendDialect = MODERN, state_base: Path | None = None
) -> list[Synthesized]:
    """The chosen templates' configurations, dependencies first.

    ``state_base``: write local state paths in ``terraform_remote_state`` relative to it."""
    import pangea
    from pangea.namespace import NamespaceInfo, using_namespace

    def remote_state(template: str) -> dict[str, Any]:
        source = remote_state_source(session.namespace, template, dialect)
        if source["backend"] == "local":
            source = {**source, "config": relative_local_path(source["config"], state_base)}
        return source

    chosen: dict[str, Synthesized] = {}
    targets: list[str | None] = list(session.templates) if session.templates else [None]
    source = str(session.project.source) if session.project.source else None
    info = NamespaceInfo(session.namespace.name, session.namespace.settings, source)
    errors: list[PangeaError] = []  # each named template is checked, whatever the others found
    for target in targets:
        try:
            with using_namespace(info):
                result = pangea.synthesize(str(session.file), target, remote_state=remote_state)
            produced = result.templates
        except PangeaError as exc:
            errors.append(exc)
            produced = exc.synthesized  # the templates that synthesized: checked below too
        for name, item in produced.items():
            config = item.config
            if state_base is not None and "module" in config:  # local modules, portably
                from pangea.language.modules import relative_module_sources

                config = relative_module_sources(config, state_base)
            chosen[name] = Synthesized(
                name, config, tuple(item.dependencies), frozenset(item.sensitive_outputs),
                tuple(item.diagnostics), item.schema_checked,
            )
    if errors:
        # The templates that did synthesize are checked against the schema now, so one run
        # lists every problem of every template.
        raise combine(errors + schema_errors(session, list(chosen.values())))
    return order_by_dependencies(chosen)


def schema_errors(session: Session, templates: list[Synthesized]) -> list[PangeaError]:
    """The schema problems of ``templates`` as errors, one per resource address."""
    from pangea.errors import ValidationError

    found: list[PangeaError] = []
    for item in templates:
        by_address: dict[str, list[tuple[str, str]]] = {}
        for problem in unchecked_problems(item):
            by_address.setdefault(problem.address, []).append((problem.path, problem.message))
        for address, problems in by_address.items():
            found.append(ValidationError(address, problems, template=item.name,
                                         file=str(session.file), locate=False))
    return found


_BUILT_IN = frozenset({"terraform_remote_state", "terraform_data"})  # schema_check.BUILTIN_TYPES


def unchecked_part(item: Synthesized) -> dict[str, Any]:
    """The ``resource`` and ``data`` bodies of a template that the offline schema check must
    read: every body but those a generated typed function validated against its pinned schema
    and that are still the very object it added (a body replaced or changed since, by
    override() say, is no longer in the record, or no longer that object). Empty when every
    body was checked already."""
    checked = item.schema_checked
    part: dict[str, Any] = {}
    for kind in ("resource", "data"):
        if kind not in item.config:
            continue
        section = item.config[kind]
        if not isinstance(section, dict):  # reported as such by the check
            part[kind] = section
            continue
        left: dict[str, Any] = {}
        for type_name, bodies in section.items():
            if type_name in _BUILT_IN:  # Terraform's own types: the check has no schema for them
                continue
            if not isinstance(bodies, dict):
                left[type_name] = bodies
                continue
            unchecked = {name: body for name, body in bodies.items()
                         if checked.get((kind, type_name, name)) is not body}
            if unchecked:
                left[type_name] = unchecked
        if left:
            part[kind] = left
    return part


def unchecked_problems(item: Synthesized) -> list[Any]:
    """The schema problems (pangea.schema_check.Problem) of the bodies no typed function
    checked; the schema check is not even imported when there are none."""
    part = unchecked_part(item)
    if not part:
        return []
    from pangea.schema_check import check_config

    return check_config(part)


def order_by_dependencies(items: dict[str, Synthesized]) -> list[Synthesized]:
    """Dependencies first, otherwise keeping the given order. Cycles were rejected by synthesis."""
    ordered: list[Synthesized] = []
    seen: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in seen or name not in items:
            return
        if name in trail:  # pragma: no cover - synthesis reports cycles first
            raise InputError(
                "templates read each other's outputs in a cycle: " + " -> ".join((*trail, name))
            )
        for dep in items[name].dependencies:
            visit(dep, (*trail, name))
        seen.add(name)
        ordered.append(items[name])

    for name in items:
        visit(name, ())
    return ordered


def validation_problems(session: Session, templates: list[Synthesized]) -> list[str]:
    """Every schema problem of every template, each naming file, template and address."""
    problems = []
    for item in templates:
        for problem in unchecked_problems(item):
            problems.append(f"{session.file}: template {item.name!r}: {problem}")
    return problems


def report_invalid(session: Session, templates: list[Synthesized], console: Any,
                   consequence: str) -> bool:
    """Print the templates' warnings (once per rule, with a count) and every schema problem,
    then ``consequence`` (what was not done) if there are problems, or warnings under
    ``--strict``; True if so."""
    from pangea.diagnostics import count_text, render_grouped

    warnings = [d for item in templates for d in item.diagnostics]
    for text in render_grouped(warnings):
        console.progress(text)
    problems = validation_problems(session, templates)
    for problem in problems:
        console.error(problem)
    refused = bool(problems) or (session.strict and bool(warnings))
    if refused:
        found = []
        if problems:
            found.append(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}")
        if warnings and session.strict:
            found.append(count_text(warnings) + " (errors under --strict)")
        console.progress(f"{' and '.join(found)} found; {consequence}")
    elif warnings:
        console.progress(f"{count_text(warnings)}; pass --strict to treat warnings as errors")
    return refused


__all__ = [
    "ConfigError",
    "InputError",
    "Session",
    "Synthesized",
    "open_session",
    "open_namespace",
    "describe_namespace",
    "synthesize",
    "validation_problems",
    "report_invalid",
    "list_templates",
    "order_by_dependencies",
]
