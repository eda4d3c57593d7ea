"""pydantic-core's compiled validator, loaded without the package's Python layer.

``import pydantic_core`` runs its ``__init__``, which imports ``core_schema`` (and with it
typing_extensions, datetime, inspect, ...): about 20 ms of a synthesis that takes 40. pangea
needs only ``SchemaValidator`` and ``ValidationError``, which live in the compiled extension
module ``pydantic_core._pydantic_core``, so that module is loaded directly from its file.

That leans on a private layout (the extension module beside the package's ``__init__``), which
holds for the pinned range ``pydantic-core>=2.27,<3`` (pyproject.toml). Anything unexpected
(another layout, a module without those names, ``PANGEA_PYDANTIC_CORE=package`` in the
environment) falls back to the ordinary import, which is always correct, only slower. The
module is registered under its own name, so a later ``import pydantic_core`` (by pydantic, or
the user) reuses it: a PyO3 extension may be initialised only once per process.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType

EXTENSION = "pydantic_core._pydantic_core"
NEEDED = ("SchemaValidator", "ValidationError")


def _extension_alone() -> ModuleType | None:
    """The compiled module loaded from its file, or None when the layout is not the known one."""
    import importlib.machinery
    import importlib.util

    spec = importlib.util.find_spec("pydantic_core")  # locates the package; runs nothing
    if spec is None or not spec.submodule_search_locations:
        return None
    for directory in spec.submodule_search_locations:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(directory, "_pydantic_core" + suffix)
            if os.path.isfile(path):
                loader = importlib.machinery.ExtensionFileLoader(EXTENSION, path)
                module_spec = importlib.util.spec_from_file_location(EXTENSION, path,
                                                                     loader=loader)
                if module_spec is None:
                    return None
                module = importlib.util.module_from_spec(module_spec)
                sys.modules[EXTENSION] = module
                stand_in = _datetime_stand_in()
                try:
                    loader.exec_module(module)
                except BaseException:
                    sys.modules.pop(EXTENSION, None)
                    raise
                finally:
                    if stand_in is not None and sys.modules.get("datetime") is stand_in:
                        del sys.modules["datetime"]
                return module
    return None


def _datetime_stand_in() -> ModuleType | None:
    """Let ``_datetime`` stand in for ``datetime`` while the extension initialises; None when
    ``datetime`` is loaded already (or there is no ``_datetime``).

    The extension imports ``datetime`` only for its C API capsule. ``datetime.py`` defines a
    pure-Python implementation and then replaces it with ``_datetime``'s, which costs more than
    loading the extension itself; the capsule and the classes are ``_datetime``'s either way.
    The stand-in is removed afterwards, so a later ``import datetime`` loads the real module
    (whose classes are the very ones the extension was given).
    """
    if "datetime" in sys.modules:
        return None
    try:
        import _datetime
    except ImportError:
        return None
    sys.modules["datetime"] = _datetime
    return _datetime


def load() -> tuple[ModuleType, str]:
    """(the module that has SchemaValidator and ValidationError, how it was loaded)."""
    module = sys.modules.get(EXTENSION)
    how = "already loaded"
    if module is None and os.environ.get("PANGEA_PYDANTIC_CORE") != "package":
        try:
            module, how = _extension_alone(), "extension module alone"
        except Exception:  # an unexpected layout: the ordinary import below is always right
            module = None
    if module is None or not all(hasattr(module, name) for name in NEEDED):
        import pydantic_core

        module, how = pydantic_core, "package"
    return module, how


_module, LOADED_AS = load()
SchemaValidator = _module.SchemaValidator
ValidationError = _module.ValidationError
