"""The Terraform steps for one template in one namespace: write, init, plan, show, apply, output."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pangea.backends import backend_file
from pangea.cli.console import Progress
from pangea.cli.session import Session, Synthesized
from pangea.plan_summary import PlanSummary, summarize
from pangea.terraform import TerraformFailedError, TerraformRunner
from pangea.workspace import TemplateWorkspace

DESTROY_PLAN = "pangea.destroy.tfplan"


@dataclass
class TemplateSteps:
    session: Session
    item: Synthesized
    runner: TerraformRunner
    progress: Progress
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

    def prepare(self) -> None:
        """Write the configuration and initialise the working directory when needed."""
        self.fingerprint = self.workspace.write_config(
            self.item.config, self.backend, self.runner.binary.label
        )
        label = self.runner.binary.label
        if self.reconfigure or self.workspace.needs_init(self.backend, self.item.config, label):
            self.progress.step("init")
            args = ["init", "-input=false", "-no-color"]
            if self.reconfigure:
                args.append("-reconfigure")
            self._run("init", args)
            self.workspace.record_init(self.backend, self.item.config, label)

    def plan(self, destroy: bool = False) -> PlanSummary:
        plan_file = DESTROY_PLAN if destroy else self.workspace.plan_path.name
        self.progress.step("plan (destroy)" if destroy else "plan")
        self.workspace.discard_plan()
        args = [
            "plan",
            "-input=false",
            "-no-color",
            f"-lock-timeout={self.lock_timeout}",
            f"-out={plan_file}",
        ]
        if destroy:
            args.insert(1, "-destroy")
        self._run("plan", args)
        if not destroy:
            self.workspace.record_plan(self.fingerprint)
        return self.show(plan_file)

    def show(self, plan_file: str | None = None) -> PlanSummary:
        plan_file = plan_file or self.workspace.plan_path.name
        result = self._run("show", ["show", "-json", "-no-color", plan_file], capture=True)
        return summarize(_parse_json(result.stdout, "show -json"), self.item.sensitive_outputs)

    def has_current_plan(self) -> bool:
        return self.workspace.saved_plan_matches(self.fingerprint)

    def apply(self, destroy: bool = False) -> None:
        plan_file = DESTROY_PLAN if destroy else self.workspace.plan_path.name
        self.progress.step("destroy" if destroy else "apply")
        try:
            self._run(
                "apply",
                [
                    "apply",
                    "-input=false",
                    "-no-color",
                    f"-lock-timeout={self.lock_timeout}",
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

    def _run(self, step: str, args: list[str], capture: bool = False):
        try:
            return self.runner.run(
                step,
                args,
                self.workspace.directory,
                capture=capture,
                on_wait=self.progress.still_running(step),
            )
        except TerraformFailedError as failure:
            failure.where = (
                f"template {self.item.name!r} in namespace {self.session.namespace.name!r}"
            )
            raise


def _parse_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TerraformFailedError(
            what, 1, f"terraform {what} did not print JSON ({exc}):\n{text[:500]}"
        ) from None


def is_stale_plan(error: TerraformFailedError) -> bool:
    return "Saved plan is stale" in error.output
