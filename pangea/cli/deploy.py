"""Commands that run Terraform: plan, apply, destroy, output."""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any, Iterator

from pangea.cli import exit_codes
from pangea.cli.console import Console, Progress
from pangea.cli.session import Session, Synthesized, report_invalid, synthesize
from pangea.cli.steps import TemplateSteps, is_stale_plan
from pangea.cli.plan_summary import SENSITIVE, format_summary, mask_outputs
from pangea.cli.terraform import TerraformFailedError, TerraformRunner, find_binary
from pangea.cli.values import declared_variables


class NotConfirmed(Exception):
    """The user said no, or could not be asked."""


def _prepare_run(
    session: Session, args: Any, console: Console
) -> tuple[TerraformRunner, list[Synthesized]] | int:
    """Find Terraform, synthesize and validate; nothing is written when a template is invalid."""
    binary = find_binary(session.project.terraform_binary, session.project.source)
    templates = synthesize(session, binary.dialect)
    if report_invalid(session, templates, console,
                      "nothing was written and Terraform was not run"):
        return exit_codes.INVALID_INPUT
    session.values.check_declared({t.name: declared_variables(t.config) for t in templates})
    return TerraformRunner(binary, stream=args.verbose), templates


def _steps(session, item, runner, progress, args) -> TemplateSteps:
    return TemplateSteps(
        session,
        item,
        runner,
        progress,
        lock_timeout=getattr(args, "lock_timeout", "0s"),
        reconfigure=args.reconfigure,
    )


@contextmanager
def _locked_steps(
    session: Session, item: Synthesized, runner: TerraformRunner, progress: Progress, args: Any
) -> Iterator[TemplateSteps]:
    """The Terraform steps of one template, holding its working directory's lock."""
    progress.start(item.name)
    steps = _steps(session, item, runner, progress, args)
    with steps.workspace.locked(on_wait=lambda: progress.step("waiting for another pangea run")):
        yield steps


@contextmanager
def _prepared_steps(
    session: Session, item: Synthesized, runner: TerraformRunner, progress: Progress, args: Any
) -> Iterator[TemplateSteps]:
    """As _locked_steps, with the working directory written and initialised."""
    with _locked_steps(session, item, runner, progress, args) as steps:
        steps.prepare()
        yield steps


def _require_terminal(args: Any, console: Console, verb: str) -> None:
    if not args.auto_approve and not console.is_interactive():
        raise NotConfirmed(
            f"{verb} needs confirmation, but standard input is not a terminal; "
            f"pass --auto-approve to {verb} without asking (for example in CI)"
        )


def _header(
    console: Console, session: Session, runner: TerraformRunner, templates: list[Synthesized]
) -> None:
    names = ", ".join(t.name for t in templates)
    console.progress(f"{runner.binary.label}; templates: {names}")


def run_plan(session: Session, args: Any, console: Console) -> int:
    prepared = _prepare_run(session, args, console)
    if isinstance(prepared, int):
        return prepared
    runner, templates = prepared
    _header(console, session, runner, templates)
    progress = Progress(console, len(templates), session.namespace.name)
    pending: set[str] = set()  # templates whose changes are planned but not applied
    for item in templates:
        with _locked_steps(session, item, runner, progress, args) as steps:
            try:
                steps.prepare()
                summary = steps.plan()
            except TerraformFailedError as failure:
                waiting_on = [d for d in item.dependencies if d in pending]
                if failure.step != "plan" or not waiting_on:
                    raise
                # Its inputs do not exist yet: apply will plan it after those templates.
                pending.add(item.name)
                console.result(
                    f"{item.name}: not planned yet: it reads outputs of "
                    f"{', '.join(map(repr, waiting_on))}, which have changes not applied yet; "
                    "`pangea apply` applies them first and then plans this template"
                )
                if args.verbose:
                    console.progress(failure.output)
                continue
        for line in format_summary(item.name, summary):
            console.result(line)
        if summary.has_changes:
            pending.add(item.name)
    return exit_codes.CHANGES_PRESENT if pending else exit_codes.OK


def run_apply(session: Session, args: Any, console: Console) -> int:
    _require_terminal(args, console, "apply")
    prepared = _prepare_run(session, args, console)
    if isinstance(prepared, int):
        return prepared
    runner, templates = prepared
    _header(console, session, runner, templates)
    progress = Progress(console, len(templates), session.namespace.name)
    changed: set[str] = set()
    for item in templates:
        with _prepared_steps(session, item, runner, progress, args) as steps:
            # A saved plan read its inputs before this run changed them: plan afresh then.
            upstream_changed = any(d in changed for d in item.dependencies)
            if steps.has_current_plan() and not upstream_changed:
                progress.step("using the plan saved by `pangea plan`")
                summary = steps.show()
            else:
                summary = steps.plan()
            for attempt in (1, 2):
                for line in format_summary(item.name, summary):
                    console.result(line)
                if not summary.has_changes:
                    steps.workspace.discard_plan()
                    break
                if not args.auto_approve and not console.confirm(
                    f"Apply these changes to template {item.name!r} in namespace {session.namespace.name!r}?"
                ):
                    raise NotConfirmed(
                        f"apply of template {item.name!r} cancelled; nothing was changed for it"
                    )
                try:
                    steps.apply()
                except TerraformFailedError as failure:
                    if attempt == 2 or not is_stale_plan(failure):
                        raise
                    console.note(
                        f"{item.name}: the saved plan is stale (its state changed since); planning again"
                    )
                    summary = steps.plan()
                    continue
                changed.add(item.name)
                break
            _print_outputs(console, item, steps.outputs(), show_sensitive=False)
    return exit_codes.OK


def run_destroy(session: Session, args: Any, console: Console) -> int:
    _require_terminal(args, console, "destroy")
    prepared = _prepare_run(session, args, console)
    if isinstance(prepared, int):
        return prepared
    runner, templates = prepared
    templates = list(reversed(templates))  # dependents go first: they read the others' outputs
    _header(console, session, runner, templates)
    progress = Progress(console, len(templates), session.namespace.name)
    for item in templates:
        with _prepared_steps(session, item, runner, progress, args) as steps:
            summary = steps.plan(destroy=True)
            for line in format_summary(item.name, summary):
                console.result(line)
            if not summary.has_changes:
                continue
            if not args.auto_approve and not console.confirm(
                f"Destroy everything in template {item.name!r} in namespace {session.namespace.name!r}?"
            ):
                raise NotConfirmed(
                    f"destroy of template {item.name!r} cancelled; nothing was destroyed in it"
                )
            steps.apply(destroy=True)
    return exit_codes.OK


def run_output(session: Session, args: Any, console: Console) -> int:
    prepared = _prepare_run(session, args, console)
    if isinstance(prepared, int):
        return prepared
    runner, templates = prepared
    progress = Progress(console, len(templates), session.namespace.name)
    collected: dict[str, dict[str, Any]] = {}
    for item in templates:
        with _prepared_steps(session, item, runner, progress, args) as steps:
            raw = steps.outputs()
        if args.json:
            collected[item.name] = _values(item, raw, args.show_sensitive)
        else:
            _print_outputs(console, item, raw, args.show_sensitive)
    if args.json:
        console.result(json.dumps(collected, indent=2, sort_keys=True))
    return exit_codes.OK


def _values(item: Synthesized, raw: dict[str, Any], show_sensitive: bool) -> dict[str, Any]:
    if show_sensitive:
        return {name: entry.get("value") for name, entry in raw.items()}
    return mask_outputs(raw, item.sensitive_outputs)


def _print_outputs(
    console: Console, item: Synthesized, raw: dict[str, Any], show_sensitive: bool
) -> None:
    if not raw:
        console.result(f"{item.name}: no outputs")
        return
    console.result(f"{item.name} outputs:")
    for name, entry in sorted(raw.items()):
        hidden = not show_sensitive and (entry.get("sensitive") or name in item.sensitive_outputs)
        console.result(f"  {name} = {SENSITIVE if hidden else json.dumps(entry.get('value'))}")
