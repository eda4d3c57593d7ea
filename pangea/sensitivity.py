"""Sensitivity followed into outputs, as Terraform follows it at plan.

An output whose value refers to a sensitive variable, a sensitive resource attribute (or a
whole resource that has one), or a local built from either, must be marked sensitive:
Terraform stops the plan with "Output refers to sensitive values". pangea says so at synthesis,
with the fix. A write-only attribute that is not also sensitive reads as null, which Terraform
accepts: that is a warning (the output will always be empty).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from typing import Any, Callable

from pangea.diagnostics import Diagnostic, Level
from pangea.errors import TemplateError, user_location
from pangea.lazy_re import lazy_compile

WRITE_ONLY_OUTPUT = "write-only-output"

_VAR = lazy_compile(r"(?<![\w.])var\.([A-Za-z_][\w-]*)")
_LOCAL = lazy_compile(r"(?<![\w.])local\.([A-Za-z_][\w-]*)")
_RESOURCE = lazy_compile(
    r"(?<![\w.])(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)"
    r"(?:\[[^\]]*\])?(?:\.([A-Za-z_][\w-]*))?"
)

if TYPE_CHECKING:
    SchemaLookup = Callable[[str, str], "dict | None"]


def _texts(value: Any) -> list[str]:
    """The expression strings inside a JSON value."""
    if isinstance(value, str):
        return [value] if "${" in value else []
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _has_flag(block: dict, flag: str) -> bool:
    """Whether any attribute in a block (nested blocks and nested types too) has ``flag``."""
    for attribute in block.get("attributes", {}).values():
        if attribute.get(flag):
            return True
        nested = attribute.get("nested_type")
        if nested is not None and _has_flag(nested, flag):
            return True
    return any(_has_flag(bt.get("block", {}), flag) for bt in block.get("block_types", {}).values())


def _default_lookup() -> SchemaLookup:
    # The schemas of every registered provider package (a template imports what it uses).
    from pangea.providers import schema_lookup

    return schema_lookup()


class _Finder:
    """What makes a value sensitive in one template: a reason, or None."""

    def __init__(self, ctx: Any, lookup: SchemaLookup | None) -> None:
        self.ctx = ctx
        self.lookup = lookup
        self.local_reasons: dict[str, str | None] = {}

    def reason(self, value: Any, seen: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
        """(why it is sensitive, why it is write-only) for a JSON value."""
        sensitive = write_only = None
        for text in _texts(value):
            if "nonsensitive(" in text:
                continue  # the author declared it safe to show
            for name in _VAR.findall(text):
                if self.ctx.variables.get(name, {}).get("sensitive"):
                    sensitive = sensitive or f"variable {name!r} is sensitive"
            for name in _LOCAL.findall(text):
                if name in self.ctx.locals and name not in seen:
                    found, _ = self.reason(self.ctx.locals[name], seen | {name})
                    if found:
                        sensitive = sensitive or f"local {name!r} is built from a sensitive value ({found})"
            for match in _RESOURCE.finditer(text):
                found, only = self._resource(*match.groups())
                sensitive = sensitive or found
                write_only = write_only or only
        return sensitive, write_only

    def _resource(self, data: str | None, type_name: str, name: str,
                  attribute: str | None) -> tuple[str | None, str | None]:
        kind = "data" if data else "resource"
        table = self.ctx.data if data else self.ctx.resources
        if name not in table.get(type_name, {}) or self.lookup is None:
            return None, None
        block = self.lookup(kind, type_name)
        if block is None:
            return None, None
        address = f"{'data.' if data else ''}{type_name}.{name}"
        if attribute is None:
            if _has_flag(block, "sensitive"):
                return f"{address} has sensitive attributes", None
            return None, None
        spec = block.get("attributes", {}).get(attribute)
        if spec is not None:
            if spec.get("sensitive"):
                return f"{address}.{attribute} is sensitive", None
            if spec.get("write_only"):
                return None, f"{address}.{attribute} is write-only"
            nested = spec.get("nested_type")
            if nested is not None and _has_flag(nested, "sensitive"):
                return f"{address}.{attribute} holds sensitive attributes", None
            return None, None
        block_type = block.get("block_types", {}).get(attribute)
        if block_type is not None and _has_flag(block_type.get("block", {}), "sensitive"):
            return f"{address}.{attribute} holds sensitive attributes", None
        return None, None


def check_output(ctx: Any, name: str, body: dict[str, Any], marked_sensitive: bool,
                 lookup: SchemaLookup | None = None) -> None:
    """Register the check of one output; it runs when the template is finished."""
    where = user_location()

    def check(context: Any) -> None:
        finder = _Finder(context, lookup if lookup is not None else _default_lookup())
        sensitive, write_only = finder.reason(body.get("value"))
        file, line = where
        if sensitive and not marked_sensitive:
            raise TemplateError(
                f"refers to sensitive data ({sensitive}), but the output is not "
                "marked sensitive; Terraform refuses this at plan (Output refers to sensitive "
                "values)", address=f"output.{name}", path="value", template=context.name,
                file=file or context.file, line=line, locate=False,
                hint=f"mark it: output({name!r}, ..., sensitive=True), or wrap a value that is "
                "safe to show in nonsensitive(...)")
        if write_only:
            context.diagnostics.append(Diagnostic(
                Level.WARNING, f"refers to a write-only attribute ({write_only}), "
                "which Terraform never stores: the output will always be null",
                WRITE_ONLY_OUTPUT, file or context.file, line, context.name, f"output.{name}",
                "value", "output the attribute's version or another attribute instead"))

    ctx.finish_checks.append(check)


__all__ = ["check_output", "WRITE_ONLY_OUTPUT"]
