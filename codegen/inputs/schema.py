"""The pinned provider schema document, for the generator: parsed once by
pangea.schema_doc (the notation reader the runtime's offline check uses too), with errors
as GeneratorError."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen.errors import GeneratorError
from pangea.schema_doc import (
    ProviderDocument,
    SchemaDocumentError,
    TypeSchema,
    parse_document,
    provider_key,
)

__all__ = ["ProviderSchema", "load_provider_schema", "parse_provider_schema", "provider_key"]


@dataclass(frozen=True)
class ProviderSchema:
    source: str
    document: ProviderDocument

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return dict(self.document.table("resource"))

    @property
    def data_sources(self) -> dict[str, dict[str, Any]]:
        return dict(self.document.table("data"))

    @property
    def provider_config(self) -> dict[str, Any] | None:
        """The provider's own configuration schema ({"block": ...}); None when the document
        lacks it (the shared AWS files do), and provider_schema/provider_config/<name>.json
        supplies it."""
        config = self.document.provider_config
        return dict(config) if config is not None else None

    def kind_table(self, kind: str) -> dict[str, dict[str, Any]]:
        return self.document.table(kind)  # type: ignore[return-value]

    def type_schema(self, kind: str, type_name: str) -> TypeSchema | None:
        return self.document.type_schema(kind, type_name)


def parse_provider_schema(data: bytes | str, source: str, where: str | Path) -> ProviderSchema:
    try:
        return ProviderSchema(source, parse_document(data, source, str(where)))
    except SchemaDocumentError as exc:
        raise GeneratorError(str(exc)) from None


def load_provider_schema(path: Path, source: str) -> ProviderSchema:
    try:
        return parse_provider_schema(path.read_bytes(), source, path)
    except FileNotFoundError:
        raise GeneratorError(f"{path}: provider schema not found") from None
