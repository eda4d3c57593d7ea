"""The pinned provider schema document, for the generator: parsed once by
pangea.schema_doc (the notation reader the runtime's offline check uses too), with errors
as GeneratorError.

A run that builds a few types (the committed group: 73 of 2,300) need not decode the whole
5 MB document. With msgspec installed, the document is scanned once (validated as JSON,
about 10 ms) and each type's block stays undecoded bytes until a type is built
(`LazyObject`); pangea.schema_doc reads it like any mapping. Without msgspec the standard
library decodes everything (about 0.1-0.2 s), with the same result.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping

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
    def resources(self) -> Mapping[str, Mapping[str, Any]]:
        return self.document.table("resource")

    @property
    def data_sources(self) -> Mapping[str, Mapping[str, Any]]:
        return self.document.table("data")

    @property
    def provider_config(self) -> dict[str, Any] | None:
        """The provider's own configuration schema ({"block": ...}); None when the document
        lacks it (the shared AWS files do), and provider_schema/provider_config/<name>.json
        supplies it."""
        config = self.document.provider_config
        return dict(config) if config is not None else None

    def kind_table(self, kind: str) -> Mapping[str, Mapping[str, Any]]:
        return self.document.table(kind)

    def type_schema(self, kind: str, type_name: str) -> TypeSchema | None:
        return self.document.type_schema(kind, type_name)


def parse_provider_schema(data: bytes | str, source: str, where: str | Path) -> ProviderSchema:
    try:
        return ProviderSchema(source, parse_document(_scanned(data), source, str(where)))
    except SchemaDocumentError as exc:
        raise GeneratorError(str(exc)) from None


class LazyObject(Mapping[str, Any]):
    """A JSON object kept as its bytes until first read (then decoded once)."""

    __slots__ = ("_raw", "_value")

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._value: dict[str, Any] | None = None

    def _decoded(self) -> dict[str, Any]:
        if self._value is None:
            import msgspec

            self._value = msgspec.json.decode(self._raw)
            self._raw = None
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self._decoded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())


def _scanned(data: bytes | str) -> Any:
    """The document with every type's block left undecoded (`LazyObject`) when msgspec is
    installed and the document has the expected shape; otherwise ``data`` unchanged, for
    pangea.schema_doc to decode whole (and to word any problem)."""
    try:
        import msgspec
    except ImportError:
        return data
    try:
        document = msgspec.json.decode(data, type=_document_type())
    except (msgspec.DecodeError, msgspec.ValidationError):
        return data  # not the expected shape: the full reader says what is wrong
    providers = {}
    for key, entry in document.provider_schemas.items():
        body: dict[str, Any] = {"provider": entry.provider}
        for table_name in ("resource_schemas", "data_source_schemas",
                           "ephemeral_resource_schemas"):
            table = getattr(entry, table_name)
            if table is None:
                continue
            if any(memoryview(t.block)[:1] != b"{" for t in table.values()):
                return data  # a block that is not an object: the full reader words it
            body[table_name] = {name: {"version": t.version, "block": LazyObject(t.block)}
                                for name, t in table.items()}
        providers[key] = body
    return {"provider_schemas": providers}


@lru_cache(maxsize=1)
def _document_type() -> type:
    """The part of the document's shape the scan decodes; any other key is skipped."""
    import msgspec

    type_entry = msgspec.defstruct("TypeEntry", [("block", msgspec.Raw), ("version", int, 0)])
    table = dict[str, type_entry] | None  # type: ignore[valid-type]
    provider_entry = msgspec.defstruct("ProviderEntry", [
        ("provider", Any, None), ("resource_schemas", table, None),
        ("data_source_schemas", table, None), ("ephemeral_resource_schemas", table, None)])
    return msgspec.defstruct("Document", [("provider_schemas", dict[str, provider_entry])])
