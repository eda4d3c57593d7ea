"""The rest of the Terraform language: module calls, refactoring blocks (moved, import,
removed), checks, dynamic blocks, iteration, terraform_data, ephemeral resources, remote
state of any backend, and raw overrides on generated resources.

Each function's module is imported on first use (``import pangea`` stays cheap for templates
that use none of them); type checkers see the imports below.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import importlib

if TYPE_CHECKING:
    from typing import Any

# function name -> module of this package that defines it
LAZY = {
    "assertion": "refactor", "check": "refactor", "import_": "refactor", "moved": "refactor",
    "removed": "refactor", "module": "modules", "remote_state": "builtins",
    "terraform_data": "builtins", "ephemeral": "ephemerals", "override": "overrides",
    "dynamic": "dynamic_blocks", "for_expr": "iteration", "count_index": "iteration",
    "each_key": "iteration", "each_value": "iteration",
}

if TYPE_CHECKING:
    from pangea.language.builtins import remote_state, terraform_data
    from pangea.language.dynamic_blocks import dynamic
    from pangea.language.ephemerals import ephemeral
    from pangea.language.iteration import count_index, each_key, each_value, for_expr
    from pangea.language.modules import module
    from pangea.language.overrides import override
    from pangea.language.refactor import assertion, check, import_, moved, removed

__all__ = sorted(LAZY)


def __getattr__(name: str) -> Any:
    if name in LAZY:
        return getattr(importlib.import_module(f"pangea.language.{LAZY[name]}"), name)
    raise AttributeError(f"module 'pangea.language' has no attribute {name!r}")
