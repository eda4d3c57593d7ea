"""Load a `terraform providers schema -json` document and check its shape."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen.errors import GeneratorError


@dataclass(frozen=True)
class ProviderSchema:
    source: str
    resources: dict[str, dict[str, Any]]
    data_sources: dict[str, dict[str, Any]]
    # The provider's own configuration schema ({"block": ...}); None when the document lacks it
    # (the shared AWS files do), and provider_schema/provider_config/<name>.json supplies it.
    provider_config: dict[str, Any] | None = None

    def kind_table(self, kind: str) -> dict[str, dict[str, Any]]:
        return self.resources if kind == "resource" else self.data_sources


def parse_provider_schema(data: bytes | str, source: str, where: str | Path) -> ProviderSchema:
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        raise GeneratorError(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or "provider_schemas" not in doc:
        raise GeneratorError(
            f"{where}: not a provider schema document (no 'provider_schemas'); produce it with "
            "`terraform providers schema -json`")
    providers = doc["provider_schemas"]
    key = provider_key(providers, source)
    if key is None:
        raise GeneratorError(
            f"{where}: provider {source!r} not in the document (has: {', '.join(sorted(providers))})")
    body = providers[key]
    resources = body.get("resource_schemas") or {}
    data_sources = body.get("data_source_schemas") or {}
    for table_name, table in (("resource_schemas", resources), ("data_source_schemas", data_sources)):
        if not isinstance(table, dict):
            raise GeneratorError(f"{where}: {table_name} must be an object")
        for name, schema in table.items():
            if not isinstance(schema, dict) or not isinstance(schema.get("block"), dict):
                raise GeneratorError(f"{where}: {table_name}.{name} has no 'block'")
    provider_config = body.get("provider")
    if provider_config is not None and not isinstance(provider_config.get("block"), dict):
        raise GeneratorError(f"{where}: provider has no 'block'")
    return ProviderSchema(source, resources, data_sources, provider_config)


def provider_key(providers: dict[str, Any], source: str) -> str | None:
    """The document's key for ``source``. OpenTofu prints registry.opentofu.org/hashicorp/aws
    where Terraform prints registry.terraform.io/hashicorp/aws: same provider, other registry."""
    if source in providers:
        return source
    short = "/".join(source.split("/")[-2:])
    matches = [k for k in providers if "/".join(k.split("/")[-2:]) == short]
    return matches[0] if len(matches) == 1 else None


def load_provider_schema(path: Path, source: str) -> ProviderSchema:
    try:
        return parse_provider_schema(path.read_bytes(), source, path)
    except FileNotFoundError:
        raise GeneratorError(f"{path}: provider schema not found") from None
