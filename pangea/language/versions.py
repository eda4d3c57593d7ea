"""The oldest Terraform each language feature needs, written as ``required_version`` so an
older binary says so at ``init`` instead of failing on an unknown block."""

from __future__ import annotations

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
    current = getattr(ctx, "_language_floor", (0, 0))
    if wanted > current:
        ctx._language_floor = wanted
        ctx.required_version = f">= {wanted[0]}.{wanted[1]}"
