"""The Terraform steps for one template in one namespace: write, init, plan, show, apply, output."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pangea.cli import lockfile
from pangea.cli.backends import backend_file, local_state_path
from pangea.cli.config import LocalState
from pangea.cli.console import TemplateProgress
from pangea.cli.plan_summary import (
    PlanFormatError,
    PlanSummary,
    summarize,
    summary_from_record,
    summary_record,
)
from pangea.cli.plugin_cache import exclusive_init
from pangea.cli.session import Session, Synthesized
from pangea.cli.state_files import backup_before_apply, check_state, private_dir
from pangea.cli.terraform import TerraformFailedError, TerraformRunner, combined_output
from pangea.cli.unlock import LOCK_REFUSED, lock_refused_hint, point_to_unlock
from pangea.cli.values import (
    MISSING_VALUE_HINT,
    NAMESPACE_VALUES_FILE,
    declared_variables,
)
from pangea.cli.workspace import TemplateWorkspace, render_json, write_atomic

DESTROY_PLAN = "pangea.destroy.tfplan"
# `terraform plan -detailed-exitcode`: 0 no changes, 2 changes present (1 is an error).
PLAN_NO_CHANGES, PLAN_HAS_CHANGES = 0, 2
# Templates of one run share the project's lock file: one merges at a time.
_LOCK_FILE_GUARD = threading.Lock()
LOCK_RETRY_PAUSE = 0.2  # seconds between a lost lock race and the next try


@dataclass
class TemplateSteps:
    session: Session
    item: Synthesized
    runner: TerraformRunner
    progress: TemplateProgress
    lock_timeout: str = "0s"
    reconfigure: bool = False

    def __post_init__(self) -> None:
        self.workspace = TemplateWorkspace.for_template(
            self.session.project.work_root, self.session.namespace.name, self.item.name
        )
        self.backend = backend_file(
            self.session.namespace, self.item.name, self.runner.binary.dialect
        )
        self.fingerprint = ""

    def local_state(self) -> Path | None:
        """The template's local state file, or None with a remote backend."""
        state = self.session.namespace.state
        if isinstance(state, LocalState):
            return Path(local_state_path(state, self.item.name))
        return None

    def prepare(self) -> None:
        """Write the configuration and initialise the working directory when needed."""
        state_path = self.local_state()
        if state_path is not None:
            private_dir(state_path.parent)
            check_state(state_path)  # a damaged state is refused, never read as empty
        written = self.workspace.write_config(
            self.item.config, self.backend, self.runner.binary.label
        )
        self.declared = declared_variables(self.item.config)
        values = self.session.values
        self.namespace_values = self._write_namespace_values(values.namespace_file(self.declared))
        # A saved plan holds the values it was made with: other values need a new plan.
        self.fingerprint = f"{written}:{values.digest(self.declared)}"
        label = self.runner.binary.label
        project_lock = self.session.file.resolve().parent / lockfile.LOCK_FILE
        with _LOCK_FILE_GUARD:
            stale_lock = lockfile.needs_refresh(project_lock, self.workspace.directory)
        if (
            self.reconfigure
            or stale_lock
            or self.workspace.needs_init(self.backend, self.item.config, label)
        ):
            self.progress.step("init")
            args = ["init", "-input=false", "-no-color"]
            if self.reconfigure:
                args.append("-reconfigure")
            with _LOCK_FILE_GUARD:
                lockfile.copy_in(project_lock, self.workspace.directory)
            with exclusive_init(self.runner.env):
                self._run("init", args)
            with _LOCK_FILE_GUARD:
                if lockfile.merge_out(self.workspace.directory, project_lock):
                    self.progress.step(f"recorded provider versions in {project_lock}")
            self.workspace.record_init(self.backend, self.item.config, label)

    def _write_namespace_values(self, values: dict[str, Any]) -> Any:
        path = self.workspace.directory / NAMESPACE_VALUES_FILE
        if not values:
            path.unlink(missing_ok=True)
            return None
        # The values already sit in pangea.yaml; this copy is readable by its owner only.
        write_atomic(path, render_json(values))
        path.chmod(0o600)
        return path

    def var_args(self) -> list[str]:
        if not hasattr(self, "declared"):
            self.declared = declared_variables(self.item.config)
            self.namespace_values = None
        return self.session.values.terraform_args(self.declared, self.namespace_values)

    def plan(self, destroy: bool = False) -> PlanSummary:
        plan_file = DESTROY_PLAN if destroy else self.workspace.plan_path.name
        self.progress.step("plan (destroy)" if destroy else "plan")
        self.workspace.discard_plan()
        mode = ["-destroy"] if destroy else []
        var_args = self.var_args()
        result = self._run_with_state_lock(
            "plan",
            lambda timeout: [
                "plan",
                *mode,
                *var_args,
                "-input=false",
                "-no-color",
                "-detailed-exitcode",
                f"-lock-timeout={timeout}",
                f"-out={plan_file}",
            ],
            success=(PLAN_NO_CHANGES, PLAN_HAS_CHANGES),
        )
        if result.returncode == PLAN_HAS_CHANGES and not (
                self.workspace.directory / plan_file).is_file():
            # Terraform before 1.1 also exits 2 when it crashes (Go's status for a panic), and
            # then writes no plan: a failed plan, not one with changes.
            raise self._explained(
                TerraformFailedError("plan", result.returncode, combined_output(result)))
        if destroy:
            return self._summary(result.returncode, plan_file)
        self.workspace.record_plan(self.fingerprint)
        summary = self._summary(result.returncode, plan_file)
        self.workspace.record_plan_summary(summary_record(summary))
        return summary

    def _summary(self, plan_status: int, plan_file: str) -> PlanSummary:
        if plan_status == PLAN_NO_CHANGES:
            # Every resource and root output is a no-op, so the summary is empty: `show -json`
            # would load every provider again only to say so.
            return PlanSummary()
        return self.show(plan_file)

    def saved_plan(self) -> PlanSummary:
        """The summary of the plan `pangea plan` saved: the one recorded when it was made, if
        the plan is still that very file (``show -json`` would load every provider again to
        tell the same), else read back with ``show``."""
        recorded = self.workspace.saved_plan_summary()
        if recorded is not None:
            try:
                return summary_from_record(recorded)
            except PlanFormatError:
                pass  # another pangea version's record: Terraform reads the plan again
        return self.show()

    def show(self, plan_file: str | None = None) -> PlanSummary:
        plan_file = plan_file or self.workspace.plan_path.name
        result = self._run("show", ["show", "-json", "-no-color", plan_file], capture=True)
        return summarize(_parse_json(result.stdout, "show -json"), self.item.sensitive_outputs)

    def has_current_plan(self) -> bool:
        return self.workspace.saved_plan_matches(self.fingerprint)

    def apply(self, destroy: bool = False) -> None:
        plan_file = DESTROY_PLAN if destroy else self.workspace.plan_path.name
        state_path = self.local_state()
        if state_path is not None:
            check_state(state_path)
            backup = backup_before_apply(state_path)
            if backup is not None:
                self.progress.step(f"state backed up to {backup}")
        self.progress.step("destroy" if destroy else "apply")
        try:
            self._run_with_state_lock(
                "apply",
                lambda timeout: [
                    "apply",
                    "-input=false",
                    "-no-color",
                    f"-lock-timeout={timeout}",
                    plan_file,
                ],
            )
        finally:
            # A saved plan is used up (or made stale) once apply has run, whatever the outcome.
            self.workspace.discard_plan()
            (self.workspace.directory / DESTROY_PLAN).unlink(missing_ok=True)

    def outputs(self) -> dict[str, Any]:
        result = self._run("output", ["output", "-json", "-no-color"], capture=True)
        parsed = _parse_json(result.stdout or "{}", "output -json")
        return parsed if isinstance(parsed, dict) else {}

    def _run_with_state_lock(
        self, step: str, command: Callable[[str], list[str]], success: tuple[int, ...] = (0,)
    ):
        """Run a step that takes the state lock, waiting up to ``lock_timeout`` for it.

        Terraform waits for a lock only while it can read who holds it. Its s3 backend takes the
        DynamoDB lock with a conditional put and, when that fails, reads the holder's details;
        if the holder released the lock in between, the read finds nothing and Terraform fails
        at once ("ConditionalCheckFailedException" plus "unexpected end of JSON input", no
        "Lock Info"), ignoring -lock-timeout (hashicorp/terraform#32690). The lock is free by
        then and nothing was done, so pangea runs the step again for what is left of the timeout.
        """
        budget = duration_seconds(self.lock_timeout)
        deadline = time.monotonic() + (budget or 0.0)
        timeout = self.lock_timeout
        while True:
            try:
                return self._run(step, command(timeout), success=success)
            except TerraformFailedError as failure:
                remaining = deadline - time.monotonic()
                if not is_released_lock_race(failure) or remaining <= LOCK_RETRY_PAUSE:
                    raise
                self.progress.step(
                    f"{step}: the state lock was released just as Terraform checked who held it; "
                    "trying again"
                )
                time.sleep(LOCK_RETRY_PAUSE)
                timeout = f"{int((remaining - LOCK_RETRY_PAUSE) * 1000)}ms"

    def _run(
        self, step: str, args: list[str], capture: bool = False, success: tuple[int, ...] = (0,)
    ):
        try:
            return self.runner.run(
                step,
                args,
                self.workspace.directory,
                capture=capture,
                on_wait=self.progress.still_running(step),
                success=success,
            )
        except TerraformFailedError as failure:
            raise self._explained(failure) from None

    def _explained(self, failure: TerraformFailedError) -> TerraformFailedError:
        """The failure naming this template and namespace, with a hint when pangea knows one."""
        failure.where = (
            f"template {self.item.name!r} in namespace {self.session.namespace.name!r}"
        )
        if "No value for required variable" in failure.output:
            failure.hint = MISSING_VALUE_HINT
        if LOCK_REFUSED in failure.output:
            # Terraform suggests -lock=false, which pangea never passes: point to unlock.
            template, namespace = self.item.name, self.session.namespace.name
            failure.output = point_to_unlock(failure.output, template, namespace)
            failure.hint = lock_refused_hint(template, namespace)
        return failure


def _parse_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TerraformFailedError(
            what, 1, f"terraform {what} did not print JSON ({exc}):\n{text[:500]}"
        ) from None


def is_stale_plan(error: TerraformFailedError) -> bool:
    return "Saved plan is stale" in error.output


def is_released_lock_race(error: TerraformFailedError) -> bool:
    """The lock was held when Terraform tried to take it, and gone when it read who held it."""
    out = error.output
    return (
        LOCK_REFUSED in out
        and "ConditionalCheckFailedException" in out
        and "Lock Info:" not in out
    )


_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def duration_seconds(text: str) -> float | None:
    """A Go duration as Terraform reads it ("30s", "1m30s", "500ms", "0"); None if malformed.

    A negative duration is as good as zero: Terraform then does not wait either.
    """
    body = text.strip()
    negative = body.startswith("-")
    body = body[1:] if body[:1] in "+-" else body
    if body == "0":
        return 0.0
    total, position = 0.0, 0
    for match in _DURATION_PART.finditer(body):
        if match.start() != position:
            return None
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        position = match.end()
    if position == 0 or position != len(body):
        return None
    return 0.0 if negative else total
