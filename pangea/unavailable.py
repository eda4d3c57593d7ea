"""Names a provider package lists although neither the cloud nor the provider offers them.

A generated package maps such a name to :func:`unavailable`: calling it raises an error that
says what to use instead, rather than Python's bare "cannot import name".
"""

from __future__ import annotations

from typing import Any, Callable, NoReturn

from pangea.errors import PangeaError


class UnavailableError(PangeaError):
    """A name that neither the cloud nor the provider offers was called."""


def unavailable(name: str, message: str) -> Callable[..., NoReturn]:
    """A function that explains, when called, why ``name`` does not exist."""

    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        named = args[0] if args and isinstance(args[0], str) else None
        raise UnavailableError(message, address=f"{name}.{named}" if named else None)

    refuse.__name__ = refuse.__qualname__ = name
    refuse.__doc__ = message
    return refuse
