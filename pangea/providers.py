"""The registry of provider packages: which Terraform provider each generated package wraps.

Each generated package (``pangea_<name>``) calls :func:`register` when it is imported. The
runtime asks this registry, never a package by name, for what it needs to know about a
provider: the ``required_providers`` pin, the type prefix that tells which provider a
resource type belongs to, the package directory (errors point past its frames) and the
schema lookup of the offline check.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import importlib
import importlib.util
import os
import sys

if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from pangea._typing import NamedTuple

__all__ = ["Provider", "find", "find_for_type", "for_type", "get", "installed", "package_dirs", "register",
           "registered", "schema_lookup"]


class Provider(NamedTuple):
    """One Terraform provider and the pangea package generated for it (a NamedTuple, not a
    dataclass: importing dataclasses costs every synthesis a few milliseconds)."""

    name: str  # local name in required_providers and provider blocks: "aws"
    source: str  # registry source: "hashicorp/aws"
    version: str  # the pinned version the package was generated from: "6.47.0"
    package: str  # the Python package generated for it: "pangea_<name>"
    type_prefix: str  # every resource type of the provider starts with it: "aws_"


_BY_NAME: dict[str, Provider] = {}
_DIRS: tuple[str, ...] | None = None  # package directories, rebuilt after a registration
_FOR_TYPE: dict[str, "Provider | None"] = {}  # for_type's answers, forgotten on any change


class ProviderConflictError(Exception):
    """Two packages claim the same provider name with different descriptions."""


def register(provider: Provider) -> Provider:
    """Record a provider package. Registering the same description again is harmless (a
    package can be re-imported); a different one under a name already taken is refused."""
    global _DIRS
    known = _BY_NAME.get(provider.name)
    if known is not None and known != provider:
        raise ProviderConflictError(
            f"provider {provider.name!r} is registered twice: by {known.package} "
            f"({known.source} {known.version}) and by {provider.package} "
            f"({provider.source} {provider.version}); install only one package for it")
    _BY_NAME[provider.name] = provider
    _DIRS = None
    _FOR_TYPE.clear()
    return provider


def unregister(name: str) -> None:
    """Forget a provider (tests that register throwaway packages clean up with it)."""
    global _DIRS
    _BY_NAME.pop(name, None)
    _DIRS = None
    _FOR_TYPE.clear()


def registered() -> tuple[Provider, ...]:
    """Every registered provider, by name."""
    return tuple(_BY_NAME[name] for name in sorted(_BY_NAME))


def get(name: str) -> Provider | None:
    """The provider registered under a local name (``"aws"``), if any."""
    return _BY_NAME.get(name)


def for_type(type_name: str) -> Provider | None:
    """The registered provider whose type prefix is the longest one ``type_name`` starts with."""
    try:
        return _FOR_TYPE[type_name]  # asked once per resource: remembered
    except KeyError:
        pass
    best: Provider | None = None
    for provider in _BY_NAME.values():
        if type_name.startswith(provider.type_prefix) and (
                best is None or len(provider.type_prefix) > len(best.type_prefix)):
            best = provider
    _FOR_TYPE[type_name] = best
    return best


def find(name: str) -> Provider | None:
    """The provider registered under ``name``; when there is none, the one that importing the
    installed package ``pangea_<name>`` registers (generated packages are named so)."""
    provider = _BY_NAME.get(name)
    if provider is None and _import_package("pangea_" + name):
        provider = _BY_NAME.get(name)
    return provider


def find_for_type(type_name: str) -> Provider | None:
    """Like :func:`for_type`, but when no registered provider matches, look for the package
    of the type's first word (Terraform names a type's provider so) with :func:`find`."""
    provider = for_type(type_name)
    if provider is None and "_" in type_name and find(type_name.split("_", 1)[0]) is not None:
        provider = for_type(type_name)
    return provider


def _import_package(package: str) -> bool:
    """Import an installed package not imported yet; False when there is none to import."""
    if package in sys.modules or not package.isidentifier():
        return False
    try:
        if importlib.util.find_spec(package) is None:
            return False
        importlib.import_module(package)
    except ImportError:
        return False
    return True


def installed() -> tuple[Provider, ...]:
    """Every provider package installed (top-level ``pangea_<name>`` packages, imported so
    that they register) and every one registered otherwise, by name."""
    import pkgutil

    for module in pkgutil.iter_modules():
        if module.ispkg and module.name.startswith("pangea_"):
            _import_package(module.name)
    return registered()


def package_dirs() -> tuple[str, ...]:
    """Directories (ending in a separator) of the registered packages that are imported."""
    global _DIRS
    if _DIRS is None:
        dirs = []
        for provider in registered():
            module = sys.modules.get(provider.package)
            file = getattr(module, "__file__", None)
            if file:
                dirs.append(os.path.dirname(os.path.abspath(file)) + os.sep)
        _DIRS = tuple(dirs)
    return _DIRS


def _package_schema(provider: Provider) -> Any:
    return importlib.import_module(f"{provider.package}._schema")


class _RegisteredLookup:
    """The offline check's schema lookup over every registered package's ``_schema`` module."""

    def __call__(self, kind: str, type_name: str) -> dict | None:
        provider = for_type(type_name)
        if provider is None or kind not in ("resource", "data"):  # packages hold only these
            return None
        block: dict | None = _package_schema(provider).block_schema(kind, type_name)
        return block

    def type_names(self, kind: str) -> list[str]:
        names: list[str] = []
        for provider in registered():
            names += _package_schema(provider).type_names(kind)
        return sorted(names)


def schema_lookup() -> _RegisteredLookup:
    """A lookup for :func:`pangea.schema_check.check_config` over the registered packages."""
    return _RegisteredLookup()
