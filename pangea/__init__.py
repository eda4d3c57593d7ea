"""pangea: typed Python infrastructure templates, compiled to Terraform JSON."""

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

from pangea.errors import (
    CollectedErrors,
    CrossTemplateReferenceError,
    DependencyCycleError,
    PangeaDeprecationWarning,
    PangeaError,
    PangeaWarning,
    SourceFileError,
    TemplateError,
    TemplateNotFoundError,
    ValidationError,
)
from pangea.diagnostics import Diagnostic, Level, StrictModeError, warn
from pangea.expr import Expr, tf
from pangea.namespace import NamespaceInfo, namespace, using_namespace
from pangea.synth import SynthResult, TemplateResult, list_templates, synth, synthesize
from pangea.template import (
    local,
    output,
    provider,
    remote_outputs,
    template,
    variable,
)

__all__ = [
    "CollectedErrors", "CrossTemplateReferenceError", "DependencyCycleError", "Diagnostic", "Expr", "Level",
    "PangeaDeprecationWarning", "PangeaError", "PangeaWarning", "SourceFileError",
    "StrictModeError", "SynthResult", "TemplateError", "TemplateNotFoundError",
    "TemplateResult", "ValidationError", "count_index", "data", "resource", "each_key", "each_value", "list_templates",
    "local", "namespace", "NamespaceInfo", "output", "provider", "remote_outputs", "synth", "synthesize", "template", "tf",
    "using_namespace", "variable",
    # the rest of the Terraform language (pangea.language)
    "assertion", "check", "dynamic", "ephemeral", "for_expr", "import_", "module", "moved",
    "override", "remote_state", "removed", "terraform_data",
]


if TYPE_CHECKING:
    from pangea.generic import data, resource
    from pangea.language.iteration import count_index, each_key, each_value
    from pangea.language import (
        assertion,
        check,
        dynamic,
        ephemeral,
        for_expr,
        import_,
        module,
        moved,
        override,
        remote_state,
        removed,
        terraform_data,
    )

_LANGUAGE = frozenset({"assertion", "check", "dynamic", "ephemeral", "for_expr", "import_",
                       "module", "moved", "override", "remote_state", "removed",
                       "terraform_data"})


# Imported on first use: a synthesis that does not use them does not pay for their modules.
_LAZY = {"data": "pangea.generic", "resource": "pangea.generic",
         "count_index": "pangea.language.iteration", "each_key": "pangea.language.iteration",
         "each_value": "pangea.language.iteration"}


def __getattr__(name: str):
    # The language functions are imported on first use (pangea.language).
    if name in _LANGUAGE:
        import pangea.language

        return getattr(pangea.language, name)
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    # pangea.schema_check is imported on first use: synthesis does not need it.
    if name == "schema_check":
        import importlib

        return importlib.import_module("pangea.schema_check")
    raise AttributeError(f"module 'pangea' has no attribute {name!r}")
