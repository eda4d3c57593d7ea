"""Terraform's provider schema notation (`terraform providers schema -json`), parsed into typed
objects. The runtime's offline check and the generator (build, bump diff, stress check) read
schema documents and schema blocks only through this module.

- `parse_document` reads a whole document once: the provider's entry under either registry
  key (Terraform writes ``registry.terraform.io/hashicorp/aws``, OpenTofu
  ``registry.opentofu.org/hashicorp/aws``), its type tables checked for shape.
- `parse_block` turns one raw block into `Block` / `Attribute` / `BlockType` objects; it is the
  one walker of raw schema blocks. Attributes with a ``nested_type`` carry their inner
  attributes as a `Block`, so `Block.find` walks attributes and blocks alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Union

REGISTRY_HOSTS = ("registry.terraform.io", "registry.opentofu.org")
# The type tables of a provider entry, keyed by the kind name used in reports, in the shapes
# lock ("resource.aws_x.block") and in Terraform JSON ("resource", "data").
KIND_TABLES = (
    ("resource", "resource_schemas"),
    ("data", "data_source_schemas"),
    ("ephemeral", "ephemeral_resource_schemas"),
)


class SchemaDocumentError(ValueError):
    """A document that is not a usable provider schema; the message names where and why."""


@dataclass(frozen=True)
class Attribute:
    name: str
    type: Any  # a cty type in JSON form ("string", ["list", "string"], ...); None when nested
    nested: NestedType | None = None
    required: bool = False
    optional: bool = False
    computed: bool = False
    sensitive: bool = False
    write_only: bool = False
    deprecated: bool = False
    description: str = ""

    @property
    def is_input(self) -> bool:
        """Whether configuration may set it (required or optional)."""
        return self.required or self.optional


@dataclass(frozen=True)
class NestedType:
    """An attribute's ``nested_type``: object attributes in one of Terraform's nesting modes."""

    nesting_mode: str
    block: Block  # attributes only
    min_items: int = 0
    max_items: int | None = None


@dataclass(frozen=True)
class BlockType:
    name: str
    nesting_mode: str
    block: Block
    min_items: int = 0
    max_items: int | None = None


Member = Union[Attribute, BlockType]


@dataclass(frozen=True)
class Block:
    attributes: Mapping[str, Attribute] = field(default_factory=dict)
    block_types: Mapping[str, BlockType] = field(default_factory=dict)
    description: str = ""
    deprecated: bool = False

    def member(self, name: str) -> Member | None:
        """The attribute or block called ``name`` at this level."""
        return self.attributes.get(name) or self.block_types.get(name)

    def inner(self, member: Member) -> Block | None:
        """The level below ``member``: a block's body, a nested attribute's attributes."""
        if isinstance(member, BlockType):
            return member.block
        return member.nested.block if member.nested is not None else None

    def find(self, path: tuple[str, ...] | list[str]) -> Member | None:
        """The attribute or block at ``path`` (names through blocks and nested attributes)."""
        level: Block | None = self
        found: Member | None = None
        for name in path:
            if level is None:
                return None
            found = level.member(name)
            if found is None:
                return None
            level = level.inner(found)
        return found

    def walk(self, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Member]]:
        """Every attribute and block, depth first in name order, with its path."""
        for name in sorted({*self.attributes, *self.block_types}):
            member = self.member(name)
            assert member is not None
            here = path + (name,)
            yield here, member
            below = self.inner(member)
            if below is not None:
                yield from below.walk(here)


@dataclass(frozen=True)
class TypeSchema:
    kind: str
    name: str
    version: int
    block: Block


def parse_block(raw: Mapping[str, Any]) -> Block:
    """A raw schema block (``{"attributes": ..., "block_types": ...}``) as typed objects."""
    attributes = {
        name: _attribute(name, spec) for name, spec in (raw.get("attributes") or {}).items()
    }
    block_types = {
        name: BlockType(
            name=name,
            nesting_mode=spec.get("nesting_mode", "list"),
            block=parse_block(spec.get("block") or {}),
            min_items=int(spec.get("min_items") or 0),
            max_items=spec.get("max_items") or None,
        )
        for name, spec in (raw.get("block_types") or {}).items()
    }
    return Block(
        attributes=attributes,
        block_types=block_types,
        description=(raw.get("description") or "").strip(),
        deprecated=bool(raw.get("deprecated")),
    )


def _attribute(name: str, spec: Mapping[str, Any]) -> Attribute:
    nested = spec.get("nested_type")
    return Attribute(
        name=name,
        type=spec.get("type") if nested is None else None,
        nested=parse_nested(nested) if nested is not None else None,
        required=bool(spec.get("required")),
        optional=bool(spec.get("optional")),
        computed=bool(spec.get("computed")),
        sensitive=bool(spec.get("sensitive")),
        write_only=bool(spec.get("write_only")),
        deprecated=bool(spec.get("deprecated")),
        description=(spec.get("description") or "").strip(),
    )


def parse_nested(raw: Mapping[str, Any]) -> NestedType:
    """An attribute's raw ``nested_type`` as typed objects."""
    return NestedType(
        nesting_mode=raw.get("nesting_mode", "single"),
        block=parse_block({"attributes": raw.get("attributes") or {}}),
        min_items=int(raw.get("min_items") or 0),
        max_items=raw.get("max_items") or None,
    )


def provider_key(providers: Mapping[str, Any], source: str) -> str | None:
    """The document's key for ``source`` (``registry.terraform.io/hashicorp/aws``,
    ``registry.opentofu.org/hashicorp/aws`` or ``hashicorp/aws``): the same provider under
    either registry; None when absent or ambiguous."""
    if source in providers:
        return source
    short = "/".join(source.split("/")[-2:])
    matches = [k for k in providers if "/".join(k.split("/")[-2:]) == short]
    return matches[0] if len(matches) == 1 else None


@dataclass(frozen=True)
class ProviderDocument:
    """One provider's entry of a schema document: raw type tables, checked for shape, and
    typed blocks parsed on first use (a whole provider has thousands of types)."""

    key: str
    tables: Mapping[str, Mapping[str, Any]]  # kind -> type name -> raw {"version", "block"}
    provider_config: Mapping[str, Any] | None = None
    _parsed: dict[tuple[str, str], TypeSchema] = field(
        default_factory=dict, compare=False, repr=False
    )

    def table(self, kind: str) -> Mapping[str, Any]:
        return self.tables.get(kind, {})

    def type_names(self, kind: str) -> list[str]:
        return sorted(self.table(kind))

    def type_schema(self, kind: str, type_name: str) -> TypeSchema | None:
        key = (kind, type_name)
        if key not in self._parsed:
            raw = self.table(kind).get(type_name)
            if raw is None:
                return None
            self._parsed[key] = TypeSchema(
                kind, type_name, int(raw.get("version") or 0), parse_block(raw["block"])
            )
        return self._parsed[key]


def parse_document(
    data: bytes | str | Mapping[str, Any], source: str, where: str = "<document>"
) -> ProviderDocument:
    """The entry for ``source`` of a `terraform providers schema -json` document (text or
    already-decoded JSON). Raises SchemaDocumentError naming ``where``."""
    hint = "produce it with `terraform providers schema -json` (or `tofu providers schema -json`)"
    if isinstance(data, (bytes, str)):
        try:
            doc = json.loads(data)
        except json.JSONDecodeError as exc:
            raise SchemaDocumentError(f"{where}: not valid JSON ({exc})") from None
    else:
        doc = data
    providers = doc.get("provider_schemas") if isinstance(doc, Mapping) else None
    if not isinstance(providers, Mapping):
        raise SchemaDocumentError(
            f"{where}: not a provider schema document (no 'provider_schemas' object); {hint}"
        )
    key = provider_key(providers, source)
    if key is None:
        found = ", ".join(sorted(providers)) or "none"
        raise SchemaDocumentError(f"{where}: provider {source!r} not in the document (has: {found})")
    body = providers[key]
    if not isinstance(body, Mapping):
        raise SchemaDocumentError(f"{where}: provider_schemas.{key} is not an object")
    tables: dict[str, Mapping[str, Any]] = {}
    for kind, table_name in KIND_TABLES:
        table = body.get(table_name)
        if table is None:
            table = {}
        if not isinstance(table, Mapping):
            raise SchemaDocumentError(f"{where}: {table_name} must be an object")
        for name, schema in table.items():
            if not isinstance(schema, Mapping) or not isinstance(schema.get("block"), Mapping):
                raise SchemaDocumentError(f"{where}: {table_name}.{name} has no 'block'")
        tables[kind] = table
    config = body.get("provider")
    if config is not None and not (
        isinstance(config, Mapping) and isinstance(config.get("block"), Mapping)
    ):
        raise SchemaDocumentError(f"{where}: provider has no 'block'")
    return ProviderDocument(key, tables, config)
