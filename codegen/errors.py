"""The generator's own errors: always complete, user-facing messages (file and key)."""

from __future__ import annotations

from typing import Iterable


class GeneratorError(Exception):
    pass


class GeneratorProblems(GeneratorError):
    """Every problem one run found, reported together (a run never stops at the first)."""

    def __init__(self, problems: Iterable[str], heading: str | None = None) -> None:
        self.problems = list(problems)
        self.heading = heading
        super().__init__(self.problems)

    def __str__(self) -> str:
        if len(self.problems) == 1 and self.heading is None:
            return self.problems[0]
        heading = self.heading or f"{len(self.problems)} problems"
        return heading + ":\n  " + "\n  ".join(p.replace("\n", "\n  ") for p in self.problems)


class ProblemCollector:
    """Gathers the messages of GeneratorErrors raised by independent steps."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, error: GeneratorError) -> None:
        if isinstance(error, GeneratorProblems):
            self.problems.extend(error.problems)
        else:
            self.problems.append(str(error))

    def run(self, step, *args, **kwargs):  # type: ignore[no-untyped-def]
        """``step(*args, **kwargs)``, or None with its problem recorded."""
        try:
            return step(*args, **kwargs)
        except GeneratorError as error:
            self.add(error)
            return None

    def raise_if_any(self, heading: str | None = None) -> None:
        if self.problems:
            raise GeneratorProblems(self.problems, heading)
