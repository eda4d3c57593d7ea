"""The oldest Terraform each language feature needs, written as ``required_version`` so an
older binary says so at ``init`` instead of failing on an unknown block."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from typing import Any

FEATURES = {
    "moved": (1, 1),
    "check": (1, 5),
    "import": (1, 5),
    "import for_each": (1, 7),
    "removed": (1, 7),
    "terraform_data": (1, 4),
    "ephemeral": (1, 10),
    "write-only arguments": (1, 11),
}


def need(ctx: Any, feature: str) -> None:
    """Raise the template's ``required_version`` floor to what ``feature`` needs."""
    wanted = FEATURES[feature]
    current = _floor(ctx.required_version)
    if wanted > current:
        ctx.required_version = f">= {wanted[0]}.{wanted[1]}"


def _floor(constraint: str | None) -> tuple[int, int]:
    if not constraint or not constraint.startswith(">= "):
        return (0, 0)
    major, minor = constraint[3:].split(".")[:2]
    return int(major), int(minor)


def once(ctx: Any, check: Any) -> None:
    """Register a check to run when the template ends, once however often it is asked for."""
    if check not in ctx.finish_checks:
        ctx.finish_checks.append(check)
