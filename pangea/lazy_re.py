"""Regular expressions compiled when first used.

Compiling a pattern runs Python code (``re._parser``): a dozen module-level patterns cost every
synthesis several milliseconds at import, though most templates never need most of them.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import re

if TYPE_CHECKING:
    from typing import Any


class LazyPattern:
    """Stands in for ``re.compile(pattern, flags)``: the first use of a method (``match``,
    ``finditer``, ...) compiles it and keeps that bound method, so later uses cost nothing."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only for names not cached yet
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(re.compile(*self._source), name)
        setattr(self, name, value)
        return value


def lazy_compile(pattern: str, flags: int = 0) -> Any:
    """A :class:`LazyPattern`, typed as the compiled pattern it stands for."""
    return LazyPattern(pattern, flags)
