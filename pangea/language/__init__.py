"""The rest of the Terraform language: module calls, refactoring blocks (moved, import,
removed), checks, dynamic blocks, iteration, terraform_data, ephemeral resources, remote
state of any backend, and raw overrides on generated resources."""

from pangea.language.builtins import remote_state, terraform_data
from pangea.language.dynamic import dynamic
from pangea.language.ephemeral import ephemeral
from pangea.language.iteration import count_index, each_key, each_value, for_expr
from pangea.language.modules import module
from pangea.language.override import override
from pangea.language.refactor import assertion, check, import_, moved, removed

__all__ = [
    "assertion", "check", "count_index", "dynamic", "each_key", "each_value", "ephemeral",
    "for_expr", "import_", "module", "moved", "override", "remote_state", "removed",
    "terraform_data",
]
