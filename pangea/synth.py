"""Load a template file, run its templates, and return Terraform JSON per template."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import importlib.util
import os
import sys
from types import ModuleType

if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Mapping, NamedTuple
else:
    from pangea._typing import NamedTuple

from pangea.context import TemplateContext
from pangea.diagnostics import Diagnostic, StrictModeError, issue_python_warnings
from pangea.errors import (
    DependencyCycleError,
    combine,
    PangeaError,
    SourceFileError,
    TemplateError,
    TemplateNotFoundError,
)
from pangea.script_loader import script_spec
from pangea.template import Template

if TYPE_CHECKING:
    RemoteState = Callable[[str], dict[str, Any]]


def default_remote_state(name: str) -> dict[str, Any]:
    return {"backend": "local", "config": {"path": f"{name}.tfstate"}}


# NamedTuples rather than dataclasses: importing dataclasses (and inspect) is a noticeable
# part of a small synthesis.
class TemplateResult(NamedTuple):
    name: str
    config: dict[str, Any]
    dependencies: tuple[str, ...] = ()
    sensitive_outputs: frozenset[str] = frozenset()
    diagnostics: tuple[Diagnostic, ...] = ()  # warnings, in the order they were found
    # (kind, type, name) -> body that a generated typed function validated against its pinned
    # schema; the offline check (pangea.cli) skips a body that is still this very object.
    schema_checked: Mapping[tuple[str, str, str], dict[str, Any]] = {}


class SynthResult(NamedTuple):
    file: str | None
    templates: dict[str, TemplateResult]

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Every template's warnings."""
        return tuple(d for t in self.templates.values() for d in t.diagnostics)


def load_module(source: str | os.PathLike[str] | ModuleType) -> ModuleType:
    """Import a template file under a private module name (never cached in sys.modules, and
    no bytecode written beside it: see pangea.script_loader)."""
    if isinstance(source, ModuleType):
        return source
    path = os.fspath(source)
    if not os.path.exists(path):
        raise SourceFileError(f"template file {path!r} does not exist", locate=False,
                              hint="check the path (it is relative to the current directory)")
    if os.path.isdir(path) or not path.endswith(".py"):
        raise SourceFileError(f"{path!r} is not a Python file", locate=False)
    resolved = os.path.realpath(path)
    module_name = "_pangea_templates_" + "".join(c if c.isalnum() else "_" for c in resolved)
    spec = script_spec(module_name, resolved)
    if spec is None or spec.loader is None:  # pragma: no cover - exists and ends in .py
        raise SourceFileError(f"cannot load {path!r}", locate=False)
    module = importlib.util.module_from_spec(spec)
    # as `python infra.py` does: the template's folder is importable, so a provider package
    # that `pangea provider add` generated beside the templates imports like an installed one
    folder = os.path.dirname(resolved)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    sys.modules[module_name] = module  # dataclasses and pydantic look modules up by name
    try:
        spec.loader.exec_module(module)
    except PangeaError as exc:
        raise exc
    except SyntaxError as exc:
        # A NUL byte is reported without a file name: name the file ourselves.
        nul = "null bytes" in str(exc.msg)
        raise SourceFileError(f"syntax error: {exc.msg}", file=exc.filename or resolved,
                              line=exc.lineno, locate=False,
                              hint="the file holds a NUL byte; save it again as plain text"
                              if nul else None) from None
    except Exception as exc:  # the user's module failed at import time
        raise _user_exception(exc, str(resolved), None) from None
    finally:
        sys.modules.pop(module_name, None)
    return module


def _user_exception(exc: BaseException, file: str, template: str | None) -> PangeaError:
    """An exception raised by the user's own code, located at the user's line."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if os.path.abspath(f.filename) == os.path.abspath(file)]
    line = frames[-1].lineno if frames else None
    error = TemplateError(f"{type(exc).__name__}: {exc}", file=file, line=line,
                          template=template, locate=False)
    return error


def find_templates(module: ModuleType) -> list[Template]:
    found = [v for v in vars(module).values() if isinstance(v, Template)]
    found.sort(key=lambda t: (t.file, t.line))
    names: dict[str, Template] = {}
    for tpl in found:
        if tpl.name in names and names[tpl.name] is not tpl:
            raise TemplateError(f"two templates are named {tpl.name!r}", file=tpl.file,
                                line=tpl.line, locate=False)
        names[tpl.name] = tpl
    return list(dict.fromkeys(found))


def list_templates(source: str | os.PathLike[str] | ModuleType) -> list[str]:
    """Template names in a file, in the order they are defined."""
    return [t.name for t in find_templates(load_module(source))]


def synthesize(source: str | os.PathLike[str] | ModuleType, template: str | None = None, *,
               remote_state: RemoteState | None = None, strict: bool = False) -> SynthResult:
    """Run the templates of a file (or one of them) and return their Terraform JSON,
    dependencies first, and their warnings (``result.diagnostics``). With ``strict``, a
    template with warnings raises :class:`pangea.diagnostics.StrictModeError` instead."""
    module = load_module(source)
    templates = find_templates(module)
    file = getattr(module, "__file__", None)
    if template is not None:
        chosen = [t for t in templates if t.name == template]
        if not chosen:
            raise TemplateNotFoundError(template, [t.name for t in templates], file=file)
        templates = chosen
    known = None if template is not None else {t.name for t in find_templates(module)}
    return synthesize_templates(templates, file=file, remote_state=remote_state, known=known,
                                strict=strict)


def synthesize_templates(templates: Iterable[Template], *, file: str | None,
                         remote_state: RemoteState | None = None,
                         known: set[str] | None = None, strict: bool = False) -> SynthResult:
    remote_state = remote_state or default_remote_state
    contexts: dict[int, str] = {}
    results: dict[str, TemplateResult] = {}
    errors: list[PangeaError] = []  # every template is run, whatever the others found
    for tpl in templates:
        ctx = TemplateContext(tpl.name, tpl.file, contexts)
        try:
            config = _run_template(tpl, ctx, remote_state)
            if strict and ctx.diagnostics:
                raise StrictModeError(ctx.diagnostics)
        except PangeaError as exc:
            errors.append(exc)
            continue
        results[tpl.name] = TemplateResult(
            tpl.name, config, tuple(sorted(ctx.remote)), frozenset(ctx.sensitive_outputs),
            tuple(ctx.diagnostics), ctx.schema_checked)
    if errors:
        error = combine(errors)
        # The templates that did synthesize, so a caller (the CLI's schema check) can report
        # their problems in the same run.
        error.synthesized = dict(results)
        raise error from None
    if known is not None:
        for result in results.values():
            for dep in result.dependencies:
                if dep not in known:
                    raise TemplateNotFoundError(dep, sorted(known), file=file).with_template(
                        result.name)
    return SynthResult(file, _dependency_order(results, file))


def _run_template(tpl: Template, ctx: TemplateContext, remote_state: RemoteState) -> dict[str, Any]:
    """One template's Terraform JSON. Raises the invalid resource calls it recorded, together
    with the error that stopped its body, if one did (API misuse, the user's own Python)."""
    token = ctx.activate()
    try:
        tpl.function()
    except PangeaError as exc:
        raise combine([*ctx.errors, exc.with_template(tpl.name)]) from None
    except Exception as exc:
        raise combine([*ctx.errors, _user_exception(exc, tpl.file, tpl.name)]) from None
    finally:
        ctx.deactivate(token)
    try:
        return ctx.config(remote_state)
    except PangeaError as exc:
        raise exc.with_template(tpl.name) from None


def _dependency_order(results: dict[str, TemplateResult],
                      file: str | None) -> dict[str, TemplateResult]:
    """Order templates so that every template comes after those whose outputs it reads."""
    ordered: dict[str, TemplateResult] = {}
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in ordered or name not in results:
            return
        if name in visiting:
            cycle = visiting[visiting.index(name):] + [name]
            raise DependencyCycleError(cycle, file=file)
        visiting.append(name)
        for dep in results[name].dependencies:
            visit(dep)
        visiting.pop()
        ordered[name] = results[name]

    for name in results:
        visit(name)
    return ordered


def synth(source: str | os.PathLike[str] | ModuleType, template: str | None = None, *,
          strict: bool = False) -> dict[str, dict[str, Any]]:
    """``{template_name: terraform_json}`` for a file's templates (or just one).

    Warnings are shown as Python warnings (:class:`pangea.PangeaWarning`); with ``strict``
    they raise :class:`pangea.diagnostics.StrictModeError` instead. ``synthesize`` returns
    them as data."""
    result = synthesize(source, template, strict=strict)
    issue_python_warnings(result.diagnostics)
    return {name: r.config for name, r in result.templates.items()}
