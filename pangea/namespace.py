"""The namespace a template is synthesized for, and its settings from ``pangea.yaml``.

``pangea.namespace()`` inside a template body returns the current :class:`NamespaceInfo`:
its name and the ``settings`` mapping declared under ``namespaces.<name>.settings``, so one
template can say "db.r6g.large in production, db.t4g.medium in development" without an
``if`` on a string it has to guess. The ``pangea`` command sets it for every run;
``pangea.synth()`` and ``pangea.testing`` take it as an argument (default: ``default``, no
settings).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import contextvars
from collections.abc import Mapping
from contextlib import contextmanager

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, overload

    _SettingsBase = Mapping[str, Any]
else:
    from pangea._typing import overload

    _SettingsBase = Mapping

from pangea.errors import TemplateError

DEFAULT_NAME = "default"
_MISSING: Any = object()


class Settings(_SettingsBase):
    """A namespace's settings: read-only, and a missing key is an error that says where to add it."""

    __slots__ = ("_namespace", "_values", "_source")

    def __init__(self, namespace: str, values: Mapping[str, Any], source: str | None) -> None:
        self._namespace = namespace
        self._values = dict(values)
        self._source = source

    def __getitem__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise self._missing(key) from None

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return self._values.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Settings({self._namespace!r}, {self._values!r})"

    def _missing(self, key: str) -> TemplateError:
        declared = ", ".join(sorted(self._values)) or "none"
        import difflib  # imported only when there is a mistake to explain
        close = difflib.get_close_matches(key, list(self._values), n=1)
        suggestion = f" (did you mean {close[0]!r}?)" if close else ""
        where = self._source or "pangea.yaml"
        return TemplateError(
            f"namespace {self._namespace!r} has no setting {key!r}{suggestion}; "
            f"declared settings: {declared}",
            hint=f"add it under namespaces.{self._namespace}.settings in {where}, or read it "
            f"with namespace().settings.get({key!r}, <default>)",
        )


class NamespaceInfo:
    """The current namespace: ``name`` and ``settings`` (from ``pangea.yaml``)."""

    __slots__ = ("name", "settings")

    def __init__(
        self,
        name: str = DEFAULT_NAME,
        settings: Mapping[str, Any] | None = None,
        source: str | None = None,
    ) -> None:
        self.name = name
        self.settings = Settings(name, settings or {}, source)

    @overload
    def setting(self, key: str) -> Any: ...
    @overload
    def setting(self, key: str, default: Any) -> Any: ...

    def setting(self, key: str, default: Any = _MISSING) -> Any:
        """One setting; without ``default`` a missing key is an error naming where to add it."""
        if default is _MISSING:
            return self.settings[key]
        return self.settings.get(key, default)

    def __repr__(self) -> str:
        return f"NamespaceInfo({self.name!r}, {dict(self.settings)!r})"


_current: contextvars.ContextVar[NamespaceInfo | None] = contextvars.ContextVar(
    "pangea_namespace", default=None
)


def namespace() -> NamespaceInfo:
    """The namespace being synthesized (``default`` with no settings when none was chosen)."""
    return _current.get() or NamespaceInfo()


@contextmanager
def using_namespace(info: NamespaceInfo | None) -> Iterator[NamespaceInfo]:
    """Synthesize for ``info`` inside the block (None: the default namespace)."""
    info = info or NamespaceInfo()
    token = _current.set(info)
    try:
        yield info
    finally:
        _current.reset(token)
