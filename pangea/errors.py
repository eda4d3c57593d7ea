"""The one exception family users see. ``str(error)`` is always a complete message."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import os
import sys
from types import FrameType

if TYPE_CHECKING:
    from typing import Any

_HERE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _internal_dirs() -> tuple[str, ...]:
    """pangea's own directory and those of the registered provider packages: frames there are
    internal, and errors point at the first frame outside them."""
    from pangea.providers import package_dirs

    return (_HERE, *package_dirs())


def user_location() -> tuple[str | None, int | None]:
    """File and line of the innermost caller outside pangea's own packages (the user's line)."""
    internal = _internal_dirs()
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith(internal) and not filename.startswith("<frozen"):
            return frame.f_code.co_filename, frame.f_lineno
        frame = frame.f_back
    return None, None


class PangeaError(Exception):
    """Base of every error pangea raises on purpose.

    ``where`` is ``file:line`` of the user's code, ``template`` the template being synthesized,
    ``address`` the resource address and ``path`` the attribute path inside it. An error
    raised by synthesis carries, in ``synthesized``, the results of the templates that did
    synthesize (``{name: TemplateResult}``), so their own problems can be reported with it.
    """

    synthesized: "dict[str, Any]" = {}

    def __init__(
        self,
        message: str,
        *,
        address: str | None = None,
        path: str | None = None,
        template: str | None = None,
        file: str | None = None,
        line: int | None = None,
        hint: str | None = None,
        locate: bool = True,
    ) -> None:
        if locate and file is None:
            file, line = user_location()
        self.message = message
        self.address = address
        self.path = path
        self.template = template
        self.file = file
        self.line = line
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        head = []
        if self.file:
            head.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.template:
            head.append(f"template {self.template!r}")
        prefix = ": ".join(head)
        subject = self.address or ""
        if self.path:
            subject = f"{subject}: {self.path}" if subject else self.path
        text = f"{subject}: {self.message}" if subject else self.message
        if prefix:
            text = f"{prefix}: {text}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def with_template(self, template: str) -> "PangeaError":
        if self.template is None:
            self.template = template
            self.args = (self._render(),)
        return self

    def __str__(self) -> str:
        return self._render()


class ValidationError(PangeaError):
    """An argument value is wrong: type, rule, unknown or missing name. May list several."""

    def __init__(self, address: str, problems: list[tuple[str, str]], **kw) -> None:
        self.problems = problems
        if len(problems) == 1:
            path, message = problems[0]
            super().__init__(message, address=address, path=path or None, **kw)
        else:
            lines = "\n".join(f"  - {p + ': ' if p else ''}{m}" for p, m in problems)
            super().__init__(f"{len(problems)} problems:\n{lines}", address=address, **kw)


class CollectedErrors(PangeaError):
    """Several errors found in one run (each invalid resource of each template), listed in
    the order they were found. ``errors`` holds them; each names its own file:line."""

    def __init__(self, errors: "list[PangeaError]") -> None:
        self.errors = tuple(errors)
        count = sum(max(1, len(getattr(e, "problems", ()))) for e in self.errors)
        templates = list(dict.fromkeys(e.template for e in self.errors if e.template))
        where = (f" in {len(templates)} template{'s' if len(templates) != 1 else ''}"
                 if templates else "")
        listed = "\n".join("  - " + str(e).replace("\n", "\n    ") for e in self.errors)
        super().__init__(f"{count} problems{where}:\n{listed}", locate=False)

    def with_template(self, template: str) -> "PangeaError":
        return self  # each error it holds names its own template


def combine(errors: "list[PangeaError]") -> PangeaError:
    """One error as itself (its message unchanged), several as :class:`CollectedErrors`."""
    flat: list[PangeaError] = []
    for error in errors:
        flat.extend(error.errors if isinstance(error, CollectedErrors) else (error,))
    return flat[0] if len(flat) == 1 else CollectedErrors(flat)


class TemplateError(PangeaError):
    """Misuse of the template API: resource outside a template, duplicate address, ..."""


class CrossTemplateReferenceError(TemplateError):
    """A value refers to a resource that another template declares."""


class SourceFileError(PangeaError):
    """The template file is missing or fails to import."""


class TemplateNotFoundError(PangeaError):
    def __init__(self, name: str, known: list[str], file: str | None = None) -> None:
        self.known = known
        listed = ", ".join(known) if known else "none"
        super().__init__(
            f"no template named {name!r}; templates in this file: {listed}",
            file=file,
            locate=False,
        )


class DependencyCycleError(PangeaError):
    def __init__(self, cycle: list[str], file: str | None = None) -> None:
        self.cycle = cycle
        super().__init__(
            "templates read each other's outputs in a cycle: " + " -> ".join(cycle),
            file=file,
            locate=False,
            hint="move the shared values into a template that the others read",
        )


class PangeaWarning(UserWarning):
    """A pangea warning shown through Python's warnings (``pangea.synth()``, calling a template).

    A category Python shows by default: DeprecationWarning would be hidden outside __main__.
    """


class PangeaDeprecationWarning(PangeaWarning):
    """An argument the provider marks deprecated was set."""
