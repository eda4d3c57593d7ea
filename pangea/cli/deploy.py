"""Commands that run Terraform: plan, apply, destroy, output."""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from pangea.cli import exit_codes
from pangea.cli.console import Console, Progress
from pangea.cli.session import Session, Synthesized, report_invalid, synthesize
from pangea.cli.steps import TemplateSteps, is_stale_plan
from pangea.cli.plan_summary import SENSITIVE, PlanSummary, format_summary, outputs_json
from pangea.cli.schedule import run_ordered
from pangea.cli.terraform import TerraformFailedError, TerraformRunner, find_binary
from pangea.cli.plugin_cache import plugin_cache_env
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
    return TerraformRunner(binary, stream=args.verbose, extra_env=plugin_cache_env(session.project.work_root)), templates


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
    mine = progress.for_template(item.name)
    steps = _steps(session, item, runner, mine, args)
    with steps.workspace.locked(on_wait=lambda: mine.step("waiting for another pangea run")):
        yield steps


@contextmanager
def _prepared_steps(
    session: Session, item: Synthesized, runner: TerraformRunner, progress: Progress, args: Any
) -> Iterator[TemplateSteps]:
    """As _locked_steps, with the working directory written and initialised."""
    with _locked_steps(session, item, runner, progress, args) as steps:
        steps.prepare()
        yield steps


def _run_templates(
    templates: list[Synthesized],
    work: Callable[[Synthesized], Any],
    report: Callable[[Synthesized, Any], None],
    parallelism: int,
    reverse: bool = False,
) -> None:
    """Each template after those it reads (``reverse``: after those that read it), up to
    ``parallelism`` at once; ``report`` sees the results in the templates' order."""
    by_name = {t.name: t for t in templates}
    waits_for: dict[str, list[str]] = {t.name: list(t.dependencies) for t in templates}
    if reverse:
        waits_for = {t.name: [] for t in templates}
        for t in templates:
            for dep in t.dependencies:
                if dep in waits_for:
                    waits_for[dep].append(t.name)
    run_ordered(
        [t.name for t in templates],
        waits_for,
        lambda name: work(by_name[name]),
        lambda name, result: report(by_name[name], result),
        parallelism,
    )


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
    colour = console.colour(getattr(args, "no_color", False))
    pending: set[str] = set()  # templates whose changes are planned but not applied
    as_json: dict[str, Any] = {}

    def work(item: Synthesized) -> PlanSummary | str:
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
                if args.verbose:
                    console.progress(failure.output)
                return (
                    f"not planned yet: it reads outputs of "
                    f"{', '.join(map(repr, waiting_on))}, which have changes not applied yet; "
                    "`pangea apply` applies them first and then plans this template"
                )
        if summary.has_changes:
            pending.add(item.name)
        return summary

    def report(item: Synthesized, result: PlanSummary | str) -> None:
        if isinstance(result, str):
            as_json[item.name] = {"planned": False, "reason": result}
            if not args.json:
                console.result(f"{item.name}: {result}")
            return
        as_json[item.name] = {"planned": True, **result.as_json()}
        if not args.json:
            console.result("\n".join(format_summary(item.name, result, colour=colour)))

    _run_templates(templates, work, report, args.parallelism)
    if args.json:
        console.result(json.dumps(as_json, indent=2))
    return exit_codes.CHANGES_PRESENT if pending else exit_codes.OK


def run_apply(session: Session, args: Any, console: Console) -> int:
    _require_terminal(args, console, "apply")
    prepared = _prepare_run(session, args, console)
    if isinstance(prepared, int):
        return prepared
    runner, templates = prepared
    _header(console, session, runner, templates)
    progress = Progress(console, len(templates), session.namespace.name)
    colour = console.colour(getattr(args, "no_color", False))
    changed: set[str] = set()

    def work(item: Synthesized) -> None:
        with _prepared_steps(session, item, runner, progress, args) as steps:
            upstream_changed = any(d in changed for d in item.dependencies)
            summary = _plan_for_apply(steps, console, item, upstream_changed, args.auto_approve)
            for attempt in (1, 2):
                console.result("\n".join(format_summary(item.name, summary, colour=colour)))
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
                        f"{item.name}: the saved plan is stale (its state changed since); "
                        "a NEW plan is made and shown below"
                        + (", and applied without asking (--auto-approve)" if args.auto_approve else "")
                    )
                    summary = steps.plan()
                    continue
                changed.add(item.name)
                break
            _print_outputs(console, item, steps.outputs(), show_sensitive=False)

    # Questions are asked one template at a time; without questions, independent ones overlap.
    parallelism = args.parallelism if args.auto_approve else 1
    _run_templates(templates, work, lambda item, result: None, parallelism)
    return exit_codes.OK


def _plan_for_apply(steps: TemplateSteps, console: Console, item: Synthesized, upstream_changed: bool,
                    auto_approve: bool) -> PlanSummary:
    """The plan apply will carry out: the one `pangea plan` saved when it still holds, else a
    new one, said plainly (a new plan may differ from the one that was reviewed)."""
    saved = steps.workspace.plan_path.is_file()
    unasked = ", and applied without asking (--auto-approve)" if auto_approve else ""
    if saved and steps.has_current_plan() and not upstream_changed:
        steps.progress.step("using the plan saved by `pangea plan`")
        try:
            return steps.saved_plan()
        except TerraformFailedError as failure:
            if failure.step != "show":
                raise
            # Never apply a plan Terraform cannot read: discard it and plan again.
            steps.workspace.discard_plan()
            console.note(
                f"{item.name}: the plan saved by `pangea plan` is damaged (Terraform cannot read "
                f"it); it was discarded and a NEW plan is made and shown below{unasked}"
            )
            return steps.plan()
    if saved:
        # A saved plan read its inputs before this run changed them, or the template changed.
        why = ("templates it reads were applied in this run" if upstream_changed else
               "the template, its values or its backend changed since `pangea plan`")
        console.note(
            f"{item.name}: NOT applying the plan saved by `pangea plan`: {why}; a NEW plan is "
            f"made and shown below{unasked}"
        )
    return steps.plan()


def run_destroy(session: Session, args: Any, console: Console) -> int:
    _require_terminal(args, console, "destroy")
    prepared = _prepare_run(session, args, console)
    if isinstance(prepared, int):
        return prepared
    runner, templates = prepared
    templates = list(reversed(templates))  # dependents go first: they read the others' outputs
    _header(console, session, runner, templates)
    progress = Progress(console, len(templates), session.namespace.name)
    colour = console.colour(getattr(args, "no_color", False))

    def work(item: Synthesized) -> None:
        with _prepared_steps(session, item, runner, progress, args) as steps:
            summary = steps.plan(destroy=True)
            console.result("\n".join(format_summary(item.name, summary, colour=colour)))
            if not summary.has_changes:
                return
            if not args.auto_approve and not console.confirm(
                f"Destroy everything in template {item.name!r} in namespace {session.namespace.name!r}?"
            ):
                raise NotConfirmed(
                    f"destroy of template {item.name!r} cancelled; nothing was destroyed in it"
                )
            steps.apply(destroy=True)

    parallelism = args.parallelism if args.auto_approve else 1
    _run_templates(templates, work, lambda item, result: None, parallelism, reverse=True)
    return exit_codes.OK


def run_output(session: Session, args: Any, console: Console) -> int:
    prepared = _prepare_run(session, args, console)
    if isinstance(prepared, int):
        return prepared
    runner, templates = prepared
    progress = Progress(console, len(templates), session.namespace.name)
    collected: dict[str, dict[str, Any]] = {}

    def work(item: Synthesized) -> dict[str, Any]:
        with _prepared_steps(session, item, runner, progress, args) as steps:
            return steps.outputs()

    def report(item: Synthesized, raw: dict[str, Any]) -> None:
        if args.json:
            collected[item.name] = outputs_json(raw, item.sensitive_outputs, args.show_sensitive)
        else:
            _print_outputs(console, item, raw, args.show_sensitive)

    _run_templates(templates, work, report, args.parallelism)
    if args.json:
        console.result(json.dumps(collected, indent=2))
    return exit_codes.OK


def _print_outputs(
    console: Console, item: Synthesized, raw: dict[str, Any], show_sensitive: bool
) -> None:
    if not raw:
        console.result(f"{item.name}: no outputs")
        return
    lines = [f"{item.name} outputs:"]
    for name, entry in sorted(raw.items()):
        hidden = not show_sensitive and (entry.get("sensitive") or name in item.sensitive_outputs)
        lines.append(f"  {name} = {SENSITIVE if hidden else json.dumps(entry.get('value'))}")
    console.result("\n".join(lines))
