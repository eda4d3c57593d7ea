"""Offline validation of a synthesized Terraform JSON configuration against provider schemas.

`check_config` walks every ``resource`` and ``data`` body and reports every problem it finds
(not just the first): unknown types, attributes and blocks (with close-name suggestions),
computed-only attributes given as input, missing required attributes and blocks, block counts
outside min_items/max_items, and values that do not fit the attribute's type.

Value rules follow Terraform's own conversions, so that nothing Terraform accepts is flagged:

- a string containing ``${`` is an expression and fits any type (its value is unknown here);
- ``null`` means "not set" (and so does not satisfy a required attribute);
- a number or bool is accepted where a string is expected (Terraform converts it);
- a numeric string ("5") is accepted where a number is expected, and "true"/"false" where a
  bool is expected; other strings, and numbers for bools, are errors, as in Terraform;
- a JSON object or array where a primitive is expected, and a primitive where a collection or
  object is expected, are errors;
- ``dynamic`` accepts anything; object types require every attribute not marked optional.

Blocks: list/set blocks may be one object or a JSON array of objects; map blocks are an object
of label -> body; single/group blocks are one object (an array holding exactly one object is
also accepted, as Terraform's JSON syntax allows). ``dynamic`` blocks are checked for known
block names and their ``content``; counts are not checked for a block generated dynamically.

Only provider-backed types are checked: ``terraform_remote_state`` and ``terraform_data``
are built in, and types of providers the schema does not describe (a prefix the lookup has
no type for, such as ``random_``) are skipped.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping

from pangea import schema_doc
from pangea.schema_doc import Attribute, Block, BlockType, NestedType

from pangea.expr import is_interpolated
from pangea.names import identifier_problem

Lookup = Callable[[str, str], "dict | None"]

RESOURCE_META = frozenset(
    {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"}
)
# Terraform also allows `lifecycle` (pre/postconditions) on data sources since 1.2.
DATA_META = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle"})
BUILTIN_TYPES = frozenset({"terraform_remote_state", "terraform_data"})
COMMENT_KEY = "//"  # Terraform JSON ignores properties named "//"
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$")


@dataclass(frozen=True, order=True)
class Problem:
    address: str
    path: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.address}: {self.path}: {self.message}"
            if self.path
            else f"{self.address}: {self.message}"
        )


class _SchemaLookup:
    """A lookup over a provider schema document that also knows every type name. Checks share
    what it works out once: the typed blocks (the document's own, parsed on first use) and the
    types' first words."""

    def __init__(self, document: schema_doc.ProviderDocument) -> None:
        self._document = document
        self._tables = {kind: document.table(kind) for kind in ("resource", "data")}
        self._prefixes: frozenset[str] | None = None

    def __call__(self, kind: str, type_name: str) -> dict | None:
        entry = self._tables.get(kind, {}).get(type_name)
        return entry.get("block", {}) if entry is not None else None

    def block(self, kind: str, type_name: str) -> Block | None:
        """The type's typed block, parsed once for every check that uses this lookup."""
        if type_name not in self._tables.get(kind, {}):
            return None
        typed = self._document.type_schema(kind, type_name)
        return typed.block if typed is not None else None

    def type_names(self, kind: str) -> list[str]:
        return sorted(self._tables.get(kind, {}))

    def prefixes(self) -> frozenset[str]:
        """The first words of every type name (a type's provider, as Terraform finds it)."""
        if self._prefixes is None:
            self._prefixes = frozenset(_first_words(self._tables.values()))
        return self._prefixes


def _first_words(tables: Iterable[Iterable[str]]) -> Iterator[str]:
    for names in tables:
        for name in names:
            yield name.split("_", 1)[0]


def lookup_from_provider_schema(
    doc: Any, provider: str = "registry.terraform.io/hashicorp/aws"
) -> _SchemaLookup:
    """A lookup for `check_config` from a `terraform providers schema -json` document (decoded
    JSON, or a pangea.schema_doc.ProviderDocument already parsed). The provider is found under
    either registry's key (Terraform's registry.terraform.io, OpenTofu's registry.opentofu.org).
    Raises ValueError naming what the document has instead."""
    from pangea.schema_doc import ProviderDocument, parse_document

    document = doc if isinstance(doc, ProviderDocument) else parse_document(doc, provider)
    return _SchemaLookup(document)


def check_config(config: dict, lookup: Lookup | None = None) -> list[Problem]:
    """Every problem in the ``resource`` and ``data`` sections of a Terraform JSON document."""
    if lookup is None:
        from pangea.providers import schema_lookup

        lookup = schema_lookup()
    checker = _Checker(lookup)
    if not isinstance(config, dict):
        return [Problem("<config>", "", f"expected a JSON object, got {_describe(config)}")]
    for kind, section in (("resource", "resource"), ("data", "data")):
        if section in config:
            checker.check_section(kind, config[section])
    return sorted(checker.problems)


def check_body(address: str, block: Block, body: Mapping[str, Any],
               meta: Iterable[str] = ()) -> list[Problem]:
    """Every problem of one block's body (an ephemeral resource's arguments, say) against its
    typed schema; ``meta`` names the meta-arguments allowed beside the block's own."""
    checker = _Checker(_NO_TYPES)
    checker.check_block(address, "", block, dict(body), meta)
    return checker.problems


def check_attribute_value(address: str, path: str, attribute: Attribute,
                          value: Any) -> list[Problem]:
    """Every problem of ``value`` against what ``attribute`` holds: its nested attributes or
    its type (``dynamic`` when it has neither). Unlike a body check, the attribute is not
    judged as an input (computed-only or not) and values are quoted as given."""
    checker = _Checker(_NO_TYPES)
    if attribute.nested is not None:
        checker.check_nested(address, path, attribute.nested, value)
    else:
        checker.check_value(address, path,
                            attribute.type if attribute.type is not None else "dynamic", value)
    return checker.problems


def _NO_TYPES(kind: str, type_name: str) -> None:
    """The lookup of a checker that only checks given blocks: it needs no type's schema."""
    return None


class _Checker:
    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup
        self.problems: list[Problem] = []
        self._schemas: dict[tuple[str, str], Block | None] = {}
        self._hide_values = False  # inside a sensitive or write-only attribute
        names = getattr(lookup, "type_names", None)
        # every type name of a kind, listed only when a suggestion needs it
        self._names = names if callable(names) else None
        # A lookup that lists its types checks only types of its providers (by first word, as
        # Terraform finds a type's provider); one that cannot list them checks every type.
        prefixes = getattr(lookup, "prefixes", None)
        self._prefixes: frozenset[str] | None = None
        if callable(prefixes):
            self._prefixes = prefixes()
        elif self._names is not None:
            self._prefixes = frozenset(_first_words(self._names(k) for k in ("resource", "data")))
        self._block = getattr(lookup, "block", None)  # typed blocks the lookup keeps, if any

    def report(self, address: str, path: str, message: str) -> None:
        self.problems.append(Problem(address, path, message))

    def schema(self, kind: str, type_name: str) -> Block | None:
        """The type's block, read once by pangea.schema_doc (the one schema walker)."""
        key = (kind, type_name)
        if key not in self._schemas and callable(self._block):
            self._schemas[key] = self._block(kind, type_name)
        if key not in self._schemas:
            raw = self.lookup(kind, type_name)
            self._schemas[key] = (
                raw if raw is None or isinstance(raw, Block) else schema_doc.parse_block(raw)
            )
        return self._schemas[key]

    # -- sections and types -------------------------------------------------------------------

    def check_section(self, kind: str, section: Any) -> None:
        if not isinstance(section, dict):
            self.report(
                kind, "", f"expected an object of type -> name -> body, got {_describe(section)}"
            )
            return
        for type_name in sorted(section):
            bodies = section[type_name]
            prefix = "data." if kind == "data" else ""
            if not isinstance(bodies, dict):
                self.report(
                    f"{prefix}{type_name}",
                    "",
                    f"expected an object of name -> body, got {_describe(bodies)}",
                )
                continue
            schema = self._type_schema(kind, type_name, prefix, sorted(bodies))
            if schema is None:
                continue
            meta = RESOURCE_META if kind == "resource" else DATA_META
            for name in sorted(bodies):
                address = f"{prefix}{type_name}.{name}"
                if identifier_problem("resource", name) is not None:  # HCL's identifier rule
                    self.report(
                        address,
                        "",
                        "invalid name: use letters, digits, underscores and hyphens, starting with a letter or underscore",
                    )
                if not isinstance(bodies[name], dict):
                    self.report(
                        address, "", f"expected an object body, got {_describe(bodies[name])}"
                    )
                    continue
                self.check_block(address, "", schema, bodies[name], meta)

    def _type_schema(
        self, kind: str, type_name: str, prefix: str, names: list[str]
    ) -> Block | None:
        if type_name in BUILTIN_TYPES or (
                self._prefixes is not None and type_name.split("_", 1)[0] not in self._prefixes):
            return None
        schema = self.schema(kind, type_name)
        if schema is None:
            word = "data source" if kind == "data" else "resource type"
            message = f"unknown {word} '{type_name}'" + _suggest(
                type_name, self._names(kind) if self._names is not None else []
            )
            for name in names:
                self.report(f"{prefix}{type_name}.{name}", "", message)
        return schema

    # -- blocks -------------------------------------------------------------------------------

    def check_block(
        self,
        address: str,
        path: str,
        block: Block | Mapping[str, Any],
        body: dict,
        meta: Iterable[str] = (),
    ) -> None:
        if not isinstance(block, Block):  # a raw block from a caller outside this module
            block = schema_doc.parse_block(block)
        attributes = block.attributes
        block_types = block.block_types
        dynamic_names: set[str] = set()
        for key in sorted(body):
            value = body[key]
            here = _join(path, key)
            if key == COMMENT_KEY:
                continue
            if key in attributes:
                self.check_attribute(address, here, attributes[key], value)
            elif key in block_types:
                self.check_block_value(address, here, block_types[key], value)
            elif key == "dynamic" and block_types:
                dynamic_names = self.check_dynamic(address, here, block_types, value)
            elif key in meta:
                self.check_meta(address, here, key, value)
            else:
                allowed = list(attributes) + list(block_types) + list(meta)
                self.report(
                    address, here, f"unknown attribute or block '{key}'" + _suggest(key, allowed)
                )
        for name in sorted(attributes):
            if attributes[name].required and body.get(name) is None:
                self.report(address, _join(path, name), "missing required attribute")
        for name in sorted(block_types):
            needed = block_types[name].min_items
            if needed >= 1 and name not in body and name not in dynamic_names:
                self.report(
                    address, _join(path, name), f"missing required block (at least {needed})"
                )

    def check_block_value(
        self, address: str, path: str, block_type: BlockType, value: Any
    ) -> None:
        mode = block_type.nesting_mode
        inner = block_type.block
        if mode in ("single", "group"):
            if isinstance(value, list) and len(value) == 1:
                value = value[0]
            if isinstance(value, dict):
                self.check_block(address, path, inner, value)
            else:
                self.report(
                    address, path, f"expected one block (a JSON object), got {_describe(value)}"
                )
            return
        if mode == "map":
            if not isinstance(value, dict):
                self.report(
                    address, path, f"expected an object of label -> block, got {_describe(value)}"
                )
                return
            for label in sorted(value):
                self._check_item(address, f'{path}["{label}"]', inner, value[label])
            return
        items = [value] if isinstance(value, dict) else value
        if not isinstance(items, list):
            self.report(
                address,
                path,
                f"expected a block object or an array of block objects, got {_describe(value)}",
            )
            return
        self._check_count(address, path, block_type, len(items))
        for index, item in enumerate(items):
            self._check_item(address, f"{path}[{index}]", inner, item)

    def _check_item(self, address: str, path: str, inner: Block, item: Any) -> None:
        if isinstance(item, dict):
            self.check_block(address, path, inner, item)
        else:
            self.report(address, path, f"expected a block object, got {_describe(item)}")

    def _check_count(
        self, address: str, path: str, limits: BlockType | NestedType, count: int
    ) -> None:
        low, high = limits.min_items, limits.max_items or 0
        if count < low:
            self.report(address, path, f"needs at least {low} item(s), got {count}")
        if high and count > high:
            self.report(address, path, f"allows at most {high} item(s), got {count}")

    def check_dynamic(
        self, address: str, path: str, block_types: Mapping[str, BlockType], value: Any
    ) -> set[str]:
        if not isinstance(value, dict):
            self.report(
                address,
                path,
                f"expected an object of block name -> dynamic block, got {_describe(value)}",
            )
            return set()
        for name in sorted(value):
            here = _join(path, name)
            if name not in block_types:
                self.report(
                    address, here, f"unknown block '{name}'" + _suggest(name, list(block_types))
                )
                continue
            spec = value[name]
            if not isinstance(spec, dict) or not isinstance(spec.get("content"), dict):
                self.report(
                    address, here, "expected a dynamic block with for_each and a content object"
                )
                continue
            self.check_block(
                address, _join(here, "content"), block_types[name].block, spec["content"]
            )
        return set(value) & set(block_types)

    def check_meta(self, address: str, path: str, key: str, value: Any) -> None:
        if _is_expression(value) or value is None:
            return
        if key == "count" and (isinstance(value, bool) or not isinstance(value, int)):
            self.report(
                address, path, f"expected a whole number or an expression, got {_describe(value)}"
            )
        elif key == "for_each" and not isinstance(value, (dict, list)):
            self.report(
                address,
                path,
                f"expected a map, a set of strings or an expression, got {_describe(value)}",
            )
        elif key == "depends_on" and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            self.report(address, path, "expected a list of resource addresses (strings)")
        elif key == "provider" and not isinstance(value, str):
            self.report(
                address,
                path,
                f"expected a provider reference string like 'aws.west', got {_describe(value)}",
            )

    # -- attributes ---------------------------------------------------------------------------

    def check_attribute(self, address: str, path: str, attribute: Attribute, value: Any) -> None:
        if not attribute.is_input:
            self.report(
                address,
                path,
                "computed-only attribute: set by the provider, cannot be given as input",
            )
            return
        if value is None or _is_expression(value):
            return
        # A sensitive or write-only value is never quoted in a message (a password with one
        # bad character must not be printed).
        secret = attribute.sensitive or attribute.write_only
        outer, self._hide_values = self._hide_values, self._hide_values or secret
        try:
            if attribute.nested is not None:
                self.check_nested(address, path, attribute.nested, value)
            else:
                cty = attribute.type if attribute.type is not None else "dynamic"
                self.check_value(address, path, cty, value)
        finally:
            self._hide_values = outer

    def _describe(self, value: Any) -> str:
        if self._hide_values and not isinstance(value, (dict, list)) and value is not None:
            return "a sensitive value (hidden)"
        return _describe(value)

    def check_nested(
        self, address: str, path: str, nested: NestedType | Mapping[str, Any], value: Any
    ) -> None:
        if not isinstance(nested, NestedType):  # a raw nested_type from outside this module
            nested = schema_doc.parse_nested(nested)
        mode = nested.nesting_mode
        inner = nested.block
        if mode == "single":
            if isinstance(value, dict):
                self.check_block(address, path, inner, value)
            else:
                self.report(address, path, f"expected an object, got {self._describe(value)}")
        elif mode == "map":
            if not isinstance(value, dict):
                self.report(
                    address, path, f"expected an object of key -> object, got {self._describe(value)}"
                )
                return
            for key in sorted(value):
                self._check_nested_item(address, f'{path}["{key}"]', inner, value[key])
        else:
            if not isinstance(value, list):
                self.report(address, path, f"expected an array of objects, got {self._describe(value)}")
                return
            self._check_count(address, path, nested, len(value))
            for index, item in enumerate(value):
                self._check_nested_item(address, f"{path}[{index}]", inner, item)

    def _check_nested_item(self, address: str, path: str, inner: Block, item: Any) -> None:
        if item is None or _is_expression(item):
            return
        if isinstance(item, dict):
            self.check_block(address, path, inner, item)
        else:
            self.report(address, path, f"expected an object, got {self._describe(item)}")

    def check_value(self, address: str, path: str, cty: Any, value: Any) -> None:
        """``value`` against a cty JSON type, with Terraform's primitive conversions."""
        if value is None or _is_expression(value) or cty == "dynamic":
            return
        problem = None
        if cty == "string":
            if isinstance(value, (dict, list)):
                problem = f"expected a string, got {self._describe(value)}"
        elif cty == "number":
            if isinstance(value, bool) or not (isinstance(value, (int, float)) or _numeric(value)):
                problem = f"expected a number, got {self._describe(value)}"
        elif cty == "bool":
            if not (isinstance(value, bool) or value in ("true", "false")):
                problem = f"expected true or false, got {self._describe(value)}"
        elif isinstance(cty, list) and len(cty) >= 2:
            self._check_composite(address, path, cty, value)
        else:
            problem = f"the schema has an unsupported type {cty!r}"
        if problem:
            self.report(address, path, problem)

    def _check_composite(self, address: str, path: str, cty: list, value: Any) -> None:
        head, arg = cty[0], cty[1]
        if head in ("list", "set"):
            if not isinstance(value, list):
                self.report(
                    address, path, f"expected a {head} (JSON array), got {self._describe(value)}"
                )
                return
            for index, item in enumerate(value):
                self.check_value(address, f"{path}[{index}]", arg, item)
        elif head == "map":
            if not isinstance(value, dict):
                self.report(address, path, f"expected a map (JSON object), got {self._describe(value)}")
                return
            for key in sorted(value):
                self.check_value(address, f'{path}["{key}"]', arg, value[key])
        elif head == "object":
            if not isinstance(value, dict):
                self.report(address, path, f"expected an object, got {self._describe(value)}")
                return
            optional = set(cty[2]) if len(cty) > 2 else set()
            for key in sorted(value):
                if key in arg:
                    self.check_value(address, _join(path, key), arg[key], value[key])
                else:
                    self.report(
                        address,
                        _join(path, key),
                        f"unknown object attribute '{key}'" + _suggest(key, list(arg)),
                    )
            for key in sorted(set(arg) - set(value) - optional):
                self.report(
                    address,
                    _join(path, key),
                    "missing object attribute (use null to leave it unset)",
                )
        elif head == "tuple":
            if not isinstance(value, list) or len(value) != len(arg):
                self.report(
                    address,
                    path,
                    f"expected a tuple of {len(arg)} element(s), got {self._describe(value)}",
                )
                return
            for index, (item_type, item) in enumerate(zip(arg, value)):
                self.check_value(address, f"{path}[{index}]", item_type, item)
        else:
            self.report(address, path, f"the schema has an unsupported type {cty!r}")


def _is_expression(value: Any) -> bool:
    return isinstance(value, str) and is_interpolated(value)


def _numeric(value: Any) -> bool:
    """A string Terraform converts to a number ("5", "-1.5", "2e3"; not "nan" or "")."""
    return isinstance(value, str) and _NUMBER.match(value) is not None


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"bool {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"string {shown!r}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return f"an array of {len(value)}"
    if value is None:
        return "null"
    return type(value).__name__


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _suggest(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, sorted(candidates), n=3, cutoff=0.75)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
