"""Diagnostics with levels, as Terraform and tflint have them.

An ERROR is what Terraform, the provider or AWS would reject at plan or apply: it stays an
exception (:class:`pangea.errors.PangeaError` and its subclasses carry the same fields as a
:class:`Diagnostic`). A WARNING is accepted but bites later (a destroy that fails, data loss, a
deprecated argument): :func:`warn` records it on the template being synthesized, the synthesis
result carries it (``TemplateResult.diagnostics``), and the ``pangea`` command prints it.
``strict=True`` (``--strict``) turns warnings into errors.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import enum

if TYPE_CHECKING:
    from typing import Iterable, NamedTuple
else:
    from pangea._typing import NamedTuple

from pangea.errors import PangeaError, user_location


class Level(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


# A NamedTuple rather than a dataclass: importing dataclasses costs a small synthesis ~3 ms.
class Diagnostic(NamedTuple):
    """One finding, located like errors are: file:line of the user's code, template, resource
    address and attribute path. ``code`` is a short id of the rule that found it, so repeated
    findings can be grouped; ``hint`` says how to fix it."""

    level: Level
    message: str
    code: str
    file: str | None = None
    line: int | None = None
    template: str | None = None
    address: str | None = None
    path: str | None = None
    hint: str | None = None

    def location(self) -> str:
        """``file:line: template 'x': address: path`` (the parts that are known)."""
        parts = []
        if self.file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.template:
            parts.append(f"template {self.template!r}")
        if self.address:
            parts.append(self.address)
        if self.path:
            parts.append(self.path)
        return ": ".join(parts)

    def render(self) -> str:
        where = self.location()
        text = f"{self.level.value}[{self.code}]: " + (f"{where}: " if where else "") + self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def warn(message: str, *, code: str, address: str | None = None, path: str | None = None,
         hint: str | None = None) -> None:
    """Record a warning on the template being synthesized, located at the user's line.

    Outside a template (no synthesis running) there is nothing to attach it to, which is a
    misuse of the API, reported as a TemplateError.
    """
    from pangea.context import current

    ctx = current("pangea.diagnostics.warn()")
    file, line = user_location()
    ctx.diagnostics.append(Diagnostic(Level.WARNING, message, code, file or ctx.file, line,
                                      ctx.name, address, path, hint))


class StrictModeError(PangeaError):
    """Warnings refused because strictness was asked for (``strict=True``, ``--strict``)."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        first = self.diagnostics[0]
        if len(self.diagnostics) == 1:
            super().__init__(f"{first.message} (warning {first.code}, an error in strict mode)",
                             file=first.file, line=first.line, template=first.template,
                             address=first.address, path=first.path, hint=first.hint,
                             locate=False)
        else:
            listed = "\n".join("  - " + d.render().replace("\n", "\n    ")
                               for d in self.diagnostics)
            super().__init__(f"{len(self.diagnostics)} warnings, errors in strict mode:\n{listed}",
                             file=first.file, template=first.template, locate=False)


# -- printing many ------------------------------------------------------------------------------

LISTED_PER_GROUP = 10  # locations shown for a repeated warning before "... and N more"


def grouped(diagnostics: Iterable[Diagnostic]) -> list[list[Diagnostic]]:
    """Diagnostics of the same rule and message together, in order of first appearance."""
    groups: dict[tuple[Level, str, str, str | None], list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        key = (diagnostic.level, diagnostic.code, diagnostic.message, diagnostic.hint)
        groups.setdefault(key, []).append(diagnostic)
    return list(groups.values())


def render_grouped(diagnostics: Iterable[Diagnostic]) -> list[str]:
    """One text per rule: a single finding as :meth:`Diagnostic.render`; a repeated one once,
    with its count and every location (the first ``LISTED_PER_GROUP``), then its hint."""
    texts = []
    for group in grouped(diagnostics):
        first = group[0]
        if len(group) == 1:
            texts.append(first.render())
            continue
        lines = [f"{first.level.value}[{first.code}]: {first.message} "
                 f"({len(group)} places)"]
        lines += [f"  {d.location()}" for d in group[:LISTED_PER_GROUP]]
        if len(group) > LISTED_PER_GROUP:
            lines.append(f"  ... and {len(group) - LISTED_PER_GROUP} more")
        if first.hint:
            lines.append(f"  hint: {first.hint}")
        texts.append("\n".join(lines))
    return texts


def count_text(diagnostics: Iterable[Diagnostic]) -> str:
    """"3 warnings (2 rules)" and the like, for a closing line."""
    items = list(diagnostics)
    rules = len(grouped(items))
    text = f"{len(items)} warning{'s' if len(items) != 1 else ''}"
    if rules != len(items):
        text += f" ({rules} rule{'s' if rules != 1 else ''})"
    return text


def issue_python_warnings(diagnostics: Iterable[Diagnostic]) -> None:
    """Show diagnostics through Python's warnings (for ``pangea.synth()`` and calling a template
    directly, which return plain dicts): categories Python shows by default, attributed to the
    user's line."""
    import warnings

    from pangea.errors import PangeaDeprecationWarning, PangeaWarning

    for d in diagnostics:
        category = PangeaDeprecationWarning if d.code == DEPRECATED else PangeaWarning
        text = d.render()
        if d.file:
            warnings.warn_explicit(text, category, d.file, d.line or 0)
        else:
            warnings.warn(text, category, stacklevel=3)


DEPRECATED = "deprecated"  # the code of a deprecated argument's warning
PROVIDER_MANAGED = "provider-managed"  # a value for an attribute the provider sets itself
