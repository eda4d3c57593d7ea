"""Block schemas (Terraform's notation) for the language features that check against them:
generated packages' schemas, plus lookups registered at run time (for instance a provider
schema file's ephemeral resources, until generated packages carry them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # parsed only when a language feature checks against a schema
    from pangea.schema_doc import Block

Lookup = Callable[[str, str], "dict | None"]
_EXTRA: list[Lookup] = []

TERRAFORM_DATA = {
    "attributes": {
        "id": {"type": "string", "computed": True},
        "input": {"type": "dynamic", "optional": True},
        "output": {"type": "dynamic", "computed": True},
        "triggers_replace": {"type": "dynamic", "optional": True},
    }
}


def register_lookup(lookup: Lookup) -> None:
    """Add a ``(kind, type_name) -> block schema | None`` lookup (kind: resource, data or
    ephemeral), consulted before the generated packages."""
    if lookup not in _EXTRA:
        _EXTRA.append(lookup)


def unregister_lookup(lookup: Lookup) -> None:
    if lookup in _EXTRA:
        _EXTRA.remove(lookup)


def block_schema(kind: str, type_name: str) -> dict | None:
    if kind == "resource" and type_name == "terraform_data":
        return TERRAFORM_DATA
    for lookup in _EXTRA:
        found = lookup(kind, type_name)
        if found is not None:
            return found
    if kind == "ephemeral":
        return _packaged_ephemeral(type_name)
    from pangea.providers import schema_lookup

    return schema_lookup()(kind, type_name)


_PARSED: dict[tuple[str, str], tuple[dict, Block]] = {}


def block(kind: str, type_name: str) -> Block | None:
    """The type's schema as typed objects (pangea.schema_doc), or None when none is known.
    Parsed once per raw schema: a lookup registered later may answer differently."""
    raw = block_schema(kind, type_name)
    if raw is None:
        return None
    cached = _PARSED.get((kind, type_name))
    if cached is None or cached[0] is not raw:
        from pangea.schema_doc import parse_block

        cached = (raw, parse_block(raw))
        _PARSED[(kind, type_name)] = cached
    return cached[1]


_EPHEMERAL: dict[str, dict[str, dict] | None] = {}


def _packaged_ephemeral(type_name: str) -> dict | None:
    """An ephemeral resource's block from ``ephemeral_schemas.json`` of the generated package
    of its provider (``<name>_...`` -> ``pangea_<name>``), found without importing it."""
    import importlib.util
    import json
    from pathlib import Path

    package = "pangea_" + type_name.split("_", 1)[0]
    if package not in _EPHEMERAL:
        table = None
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin:
            path = Path(spec.origin).with_name("ephemeral_schemas.json")
            if path.is_file():
                table = json.loads(path.read_text(encoding="utf-8"))
        _EPHEMERAL[package] = table
    table = _EPHEMERAL[package]
    return table.get(type_name) if table else None
