"""Python values written as Terraform expression text (inside ``${ }``), for ``for``
expressions and for-each conversions that JSON literals cannot express."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import json
import math

if TYPE_CHECKING:
    from typing import Any

from pangea.expr import Expr, Interpolation


def expression(value: Any) -> str:
    """The Terraform expression text of a literal or an expression."""
    if isinstance(value, Interpolation):
        return _string(value._render())
    if isinstance(value, Expr):
        return value._expr
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a finite number")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        items = ", ".join(f"{_string(str(k))} = {expression(v)}"
                          for k, v in sorted(value.items(), key=lambda kv: str(kv[0])))
        return "{" + items + "}"
    if isinstance(value, (set, frozenset)):
        return "[" + ", ".join(sorted(expression(v) for v in value)) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(expression(v) for v in value) + "]"
    raise ValueError(f"cannot be written as a Terraform expression (got {type(value).__name__})")


def _string(text: str) -> str:
    """A quoted Terraform string; ``${...}`` inside stays an interpolation, as in JSON."""
    # JSON escapes are valid HCL escapes for the characters json.dumps produces.
    return json.dumps(text, ensure_ascii=False)
