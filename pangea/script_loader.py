"""Run a user's template file the way ``python infra.py`` runs a script: compiled from its
source every time, no bytecode cache written or read.

Importing the file with the standard loader would write ``__pycache__/`` beside the user's
template (unless PYTHONDONTWRITEBYTECODE is set), fail quietly in a read-only folder, and
leave a cache that names pangea's private module. Compiling a template costs well under a
millisecond per hundred lines, so no cache is kept anywhere. Modules the template imports
itself follow Python's usual rules, as they would under ``python infra.py``.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
from types import CodeType


class ScriptLoader(importlib.machinery.SourceFileLoader):
    """A source loader that always compiles from source: it neither reads nor writes bytecode
    (only the base class's get_code does either)."""

    def get_code(self, fullname: str) -> CodeType:
        path = self.get_filename(fullname)
        return self.source_to_code(self.get_data(path), path)


def script_spec(module_name: str, path: str) -> importlib.machinery.ModuleSpec | None:
    """The import spec for a template file, loaded by :class:`ScriptLoader`."""
    return importlib.util.spec_from_file_location(
        module_name, path, loader=ScriptLoader(module_name, path))
