"""What the command prints: results on stdout, progress and errors on stderr, and prompts."""

from __future__ import annotations

import os
import sys
from _thread import RLock  # threading's own lock, without importing threading for it
TYPE_CHECKING = False  # typing is not imported at run time (import cost: pangea._typing)
if TYPE_CHECKING:
    from typing import TextIO

# Templates run in parallel threads: one line (or block) is written whole.
_WRITE = RLock()


class Console:
    def __init__(
        self, out: TextIO | None = None, err: TextIO | None = None, stdin: TextIO | None = None
    ) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.stdin = stdin or sys.stdin

    def result(self, text: str = "") -> None:
        with _WRITE:
            print(text, file=self.out, flush=True)

    def progress(self, text: str) -> None:
        with _WRITE:
            print(text, file=self.err, flush=True)

    def error(self, text: str) -> None:
        with _WRITE:
            print(f"error: {text}", file=self.err, flush=True)

    def note(self, text: str) -> None:
        with _WRITE:
            print(f"note: {text}", file=self.err, flush=True)

    def colour(self, disabled: bool = False) -> bool:
        """Colour on a terminal, unless --no-color, $NO_COLOR (https://no-color.org) or TERM=dumb."""
        if disabled or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
            return False
        isatty = getattr(self.out, "isatty", None)
        return bool(isatty and isatty())

    def is_interactive(self) -> bool:
        isatty = getattr(self.stdin, "isatty", None)
        return bool(isatty and isatty())

    def confirm(self, question: str) -> bool:
        """Ask on the terminal; only the exact answer 'yes' confirms, as with Terraform."""
        print(
            f"{question}\n  Only 'yes' will be accepted to approve.\n  Enter a value: ",
            end="",
            file=self.out,
            flush=True,
        )
        answer = self.stdin.readline()
        return answer.strip() == "yes"


class Progress:
    """Tells which template and which step of a multi-template run is under way.

    ``for_template`` gives each template its own handle (its number is fixed when it starts),
    so templates running in parallel report correctly."""

    def __init__(self, console: Console, total: int, namespace: str) -> None:
        self.console = console
        self.total = total
        self.namespace = namespace
        self.index = 0
        self.template = ""

    def start(self, template: str) -> None:
        self.index += 1
        self.template = template

    def step(self, what: str) -> None:
        self.console.progress(
            f"[{self.index}/{self.total}] {self.template} ({self.namespace}): {what}"
        )

    def still_running(self, what: str):
        def report(elapsed: float) -> None:
            self.console.progress(
                f"[{self.index}/{self.total}] {self.template}: {what} still running ({elapsed:.0f}s)"
            )

        return report

    def for_template(self, template: str) -> "TemplateProgress":
        with _WRITE:
            self.index += 1
            return TemplateProgress(self.console, self.index, self.total, self.namespace, template)


class TemplateProgress:
    """One template's progress lines: ``[2/3] app (production): plan``."""

    def __init__(
        self, console: Console, index: int, total: int, namespace: str, template: str
    ) -> None:
        self.console = console
        self.index = index
        self.total = total
        self.namespace = namespace
        self.template = template

    def step(self, what: str) -> None:
        self.console.progress(
            f"[{self.index}/{self.total}] {self.template} ({self.namespace}): {what}"
        )

    def still_running(self, what: str):
        def report(elapsed: float) -> None:
            self.console.progress(
                f"[{self.index}/{self.total}] {self.template}: {what} still running ({elapsed:.0f}s)"
            )

        return report
