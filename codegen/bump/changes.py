"""Compare two provider schemas and classify every difference.

Pure functions (no files, no printing): `diff_types` takes the raw type
tables of two `terraform providers schema -json` documents and returns a sorted list of
`Change` records. Rendering lives in `schema_diff_report`, project impact in `schema_impact`.

Severity, from the point of view of someone whose code was written against the old schema:

- ``breaking``: code that worked may stop working (something removed, a type changed, a new
  requirement, a tighter count, an input that can no longer be set, a block's nesting changed).
- ``notable``: nothing breaks, but a maintainer should look (deprecations, sensitivity,
  relaxed requirements, computed-ness, the resource's state schema version).
- ``additive``: new types, attributes and blocks that nobody has to use.

Description-only changes are ignored on purpose: they are frequent and never actionable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pangea import schema_doc
from pangea.schema_doc import Attribute, Block, BlockType, NestedType, parse_block

BREAKING = "breaking"
NOTABLE = "notable"
ADDITIVE = "additive"
SEVERITY_ORDER = (BREAKING, NOTABLE, ADDITIVE)

# The type tables of a provider schema, keyed by the kind name used in reports and in the
# shapes lock file ("resource.aws_x.block"): the schema notation reader's own list.
KIND_TABLES = schema_doc.KIND_TABLES


@dataclass(frozen=True, order=True)
class Change:
    """One difference between the old and the new schema of one type.

    ``path`` is the chain of attribute/block names inside the type (empty for the type
    itself); ``old``/``new`` hold the compared values in a JSON-friendly form.
    """

    kind: str
    type_name: str
    path: tuple[str, ...]
    code: str
    severity: str
    message: str
    old: Any = field(default=None, compare=False)
    new: Any = field(default=None, compare=False)

    @property
    def dotted_path(self) -> str:
        return ".".join(self.path)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "type": self.type_name,
            "path": self.dotted_path,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "old": self.old,
            "new": self.new,
        }


# ---------------------------------------------------------------------------------------------
# Small facts about attributes and blocks


def role(attr: Attribute) -> str:
    """``required``, ``optional``, ``optional+computed`` or ``computed`` (read-only)."""
    if attr.required:
        return "required"
    if attr.optional:
        return "optional+computed" if attr.computed else "optional"
    return "computed"


def format_type(cty: Any) -> str:
    """Terraform's own spelling of a cty JSON type: ``["list","string"]`` -> ``list(string)``."""
    if isinstance(cty, str):
        return cty
    if isinstance(cty, list) and len(cty) >= 2:
        head, arg = cty[0], cty[1]
        if head in ("list", "set", "map"):
            return f"{head}({format_type(arg)})"
        if head == "object" and isinstance(arg, dict):
            inner = ", ".join(f"{k}={format_type(v)}" for k, v in sorted(arg.items()))
            return "object({" + inner + "})"
        if head == "tuple" and isinstance(arg, list):
            return "tuple([" + ", ".join(format_type(v) for v in arg) + "])"
    return repr(cty)


def nested_type_as_cty(nested: NestedType) -> Any:
    """The value type a ``nested_type`` attribute accepts, as plain cty JSON.

    Lets a change from ``type: list(object(...))`` to an equivalent ``nested_type`` (or back)
    be recognised as a representation change rather than a type change.
    """
    obj = ["object", {name: value_type(attr) for name, attr in nested.block.attributes.items()}]
    return obj if nested.nesting_mode == "single" else [nested.nesting_mode, obj]


def value_type(attr: Attribute) -> Any:
    return nested_type_as_cty(attr.nested) if attr.nested is not None else attr.type


def describe_type(attr: Attribute) -> str:
    if attr.nested is not None:
        return "nested " + format_type(nested_type_as_cty(attr.nested))
    return format_type(attr.type)


# ---------------------------------------------------------------------------------------------
# The comparison


class _Collector:
    """Accumulates the changes of one type; keeps the call sites short."""

    def __init__(self, kind: str, type_name: str) -> None:
        self.kind = kind
        self.type_name = type_name
        self.changes: list[Change] = []

    def add(
        self,
        path: tuple[str, ...],
        code: str,
        severity: str,
        message: str,
        old: Any = None,
        new: Any = None,
    ) -> None:
        self.changes.append(
            Change(self.kind, self.type_name, path, code, severity, message, old, new)
        )


def diff_types(
    kind: str, old_types: dict[str, Any], new_types: dict[str, Any], names: list[str] | None
) -> list[Change]:
    """Changes between two type tables of one kind, for ``names`` (or every type when None).

    A selected name present in neither table produces no change; callers report those
    separately (`missing_targets`).
    """
    selected = sorted(set(old_types) | set(new_types)) if names is None else sorted(set(names))
    changes: list[Change] = []
    for type_name in selected:
        old, new = old_types.get(type_name), new_types.get(type_name)
        if old is None and new is None:
            continue
        out = _Collector(kind, type_name)
        if new is None:
            out.add((), "type_removed", BREAKING, "type removed")
        elif old is None:
            out.add((), "type_added", ADDITIVE, "new type")
        else:
            _diff_type(out, old, new)
        changes.extend(out.changes)
    return sorted(changes)


def missing_targets(
    old_types: dict[str, Any], new_types: dict[str, Any], names: list[str]
) -> list[str]:
    return sorted(n for n in set(names) if n not in old_types and n not in new_types)


def _diff_type(out: _Collector, old: dict[str, Any], new: dict[str, Any]) -> None:
    old_version, new_version = old.get("version", 0), new.get("version", 0)
    # Raw type entries are read by pangea.schema_doc, the one walker of schema blocks.
    if old_version != new_version:
        out.add(
            (),
            "schema_version_changed",
            NOTABLE,
            f"state schema version {old_version} -> {new_version} (existing state is upgraded; "
            "check the provider's upgrade guide)",
            old_version,
            new_version,
        )
    _diff_block(out, (), parse_block(old.get("block", {})), parse_block(new.get("block", {})))


def _diff_block(out: _Collector, path: tuple[str, ...], old: Block, new: Block) -> None:
    _diff_deprecation(out, path, old.deprecated, new.deprecated)
    old_attrs, new_attrs = old.attributes, new.attributes
    old_blocks, new_blocks = old.block_types, new.block_types

    for name in sorted(set(old_attrs) | set(new_attrs) | set(old_blocks) | set(new_blocks)):
        here = path + (name,)
        if name in old_attrs and name in new_blocks:
            out.add(here, "attribute_became_block", BREAKING, "attribute became a block")
        elif name in old_blocks and name in new_attrs:
            out.add(here, "block_became_attribute", BREAKING, "block became an attribute")
        elif name in old_attrs and name in new_attrs:
            _diff_attribute(out, here, old_attrs[name], new_attrs[name])
        elif name in old_blocks and name in new_blocks:
            _diff_nesting(out, here, old_blocks[name], new_blocks[name], "block")
        elif name in old_attrs:
            out.add(
                here,
                "attribute_removed",
                BREAKING,
                f"{role(old_attrs[name])} attribute removed",
                old=role(old_attrs[name]),
            )
        elif name in old_blocks:
            out.add(here, "block_removed", BREAKING, "block removed")
        elif name in new_attrs:
            _added_attribute(out, here, new_attrs[name])
        else:
            _added_block(out, here, new_blocks[name])


def _added_attribute(out: _Collector, path: tuple[str, ...], attr: Attribute) -> None:
    if attr.required:
        out.add(
            path,
            "required_attribute_added",
            BREAKING,
            f"new required attribute ({describe_type(attr)}): existing configurations lack it",
            new=role(attr),
        )
    else:
        out.add(
            path,
            "attribute_added",
            ADDITIVE,
            f"new {role(attr)} attribute ({describe_type(attr)})",
            new=role(attr),
        )


def _added_block(out: _Collector, path: tuple[str, ...], block_type: BlockType) -> None:
    mode = block_type.nesting_mode
    if block_type.min_items >= 1:
        out.add(
            path,
            "required_block_added",
            BREAKING,
            f"new required {mode} block (min_items {block_type.min_items})",
            new=_block_shape(block_type),
        )
    else:
        out.add(path, "block_added", ADDITIVE, f"new {mode} block", new=_block_shape(block_type))


def _block_shape(block_type: BlockType) -> dict[str, Any]:
    return {
        "nesting_mode": block_type.nesting_mode,
        "min_items": block_type.min_items,
        "max_items": block_type.max_items,
    }


def _diff_deprecation(out: _Collector, path: tuple[str, ...], old: bool, new: bool) -> None:
    if old == new:
        return
    what = "type" if not path else "entry"
    if new:
        out.add(path, "deprecated", NOTABLE, f"{what} is now deprecated", old, new)
    else:
        out.add(path, "undeprecated", NOTABLE, f"{what} is no longer deprecated", old, new)


def _diff_attribute(out: _Collector, path: tuple[str, ...], old: Attribute, new: Attribute) -> None:
    _diff_role(out, path, old, new)
    _diff_attribute_type(out, path, old, new)
    _diff_deprecation(out, path, old.deprecated, new.deprecated)
    for flag, meaning in (
        ("sensitive", "values are hidden in plan output"),
        ("write_only", "values are never stored in state"),
    ):
        was, now = bool(getattr(old, flag)), bool(getattr(new, flag))
        if was != now:
            verb = "now" if now else "no longer"
            out.add(
                path,
                f"{flag}_changed",
                NOTABLE,
                f"{verb} {flag.replace('_', '-')} ({meaning})",
                was,
                now,
            )


def _diff_role(out: _Collector, path: tuple[str, ...], old: Attribute, new: Attribute) -> None:
    before, after = role(old), role(new)
    if before == after:
        return
    if old.is_input and not new.is_input:
        out.add(
            path,
            "became_computed_only",
            BREAKING,
            "input became computed-only: it can no longer be set",
            before,
            after,
        )
    elif after == "required":
        out.add(
            path, "became_required", BREAKING, f"{before} attribute became required", before, after
        )
    elif before == "computed":
        out.add(
            path,
            "became_settable",
            ADDITIVE,
            f"computed-only attribute can now be set ({after})",
            before,
            after,
        )
    elif before == "required":
        out.add(
            path, "became_optional", NOTABLE, f"required attribute became {after}", before, after
        )
    elif after == "optional+computed":
        out.add(
            path,
            "became_computed",
            NOTABLE,
            "optional attribute is now also computed: the provider fills it in when unset",
            before,
            after,
        )
    else:
        out.add(
            path,
            "no_longer_computed",
            NOTABLE,
            "no longer computed when unset: omitting it now means null",
            before,
            after,
        )


def _diff_attribute_type(
    out: _Collector, path: tuple[str, ...], old: Attribute, new: Attribute
) -> None:
    old_nested, new_nested = old.nested, new.nested
    if old_nested is not None and new_nested is not None:
        _diff_nesting(out, path, old_nested, new_nested, "nested attribute")
        return
    old_type, new_type = value_type(old), value_type(new)
    if old_type == new_type:
        if (old_nested is None) != (new_nested is None):
            form = "nested attributes" if new_nested else "a plain type"
            out.add(
                path,
                "representation_changed",
                NOTABLE,
                f"now declared as {form}; the value type is unchanged",
            )
        return
    differences = type_differences(old_type, new_type)
    detail = "; ".join(text for _kind, text in differences)
    only_added = all(kind == "added" for kind, _text in differences)
    if only_added and not old.is_input and not new.is_input:
        # A read-only value that gains object fields: references keep working.
        out.add(
            path,
            "object_type_widened",
            ADDITIVE,
            f"computed value type gained {detail}",
            describe_type(old),
            describe_type(new),
        )
        return
    out.add(
        path,
        "attribute_type_changed",
        BREAKING,
        f"type changed: {detail}",
        describe_type(old),
        describe_type(new),
    )


def type_differences(old: Any, new: Any, where: str = "") -> list[tuple[str, str]]:
    """Short, sorted descriptions of how two cty types differ: ("added"|"removed"|"changed", text).

    Object attributes are compared by name and collections by element type, so a large
    object that gained one field is described by that field rather than both full types.
    """
    if old == new:
        return []
    label = f"`{where}` " if where else ""
    if _is_object(old) and _is_object(new):
        old_attrs, new_attrs = old[1], new[1]
        found: list[tuple[str, str]] = []
        for name in sorted(set(old_attrs) | set(new_attrs)):
            inner = f"{where}.{name}" if where else name
            if name not in old_attrs:
                found.append(
                    ("added", f"object attribute `{inner}` added ({format_type(new_attrs[name])})")
                )
            elif name not in new_attrs:
                found.append(("removed", f"object attribute `{inner}` removed"))
            else:
                found += type_differences(old_attrs[name], new_attrs[name], inner)
        if _optional_attrs(old) != _optional_attrs(new):
            found.append(("changed", f"{label}optional object attributes changed"))
        return found
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and len(old) == len(new) == 2
        and old[0] == new[0]
        and old[0] in ("list", "set", "map")
        and _is_object(old[1])
        and _is_object(new[1])
    ):
        return type_differences(old[1], new[1], where)
    return [("changed", f"{label}{format_type(old)} -> {format_type(new)}".strip())]


def _is_object(cty: Any) -> bool:
    return (
        isinstance(cty, list) and len(cty) >= 2 and cty[0] == "object" and isinstance(cty[1], dict)
    )


def _optional_attrs(cty: list[Any]) -> list[str]:
    return sorted(cty[2]) if len(cty) > 2 else []


def _diff_nesting(
    out: _Collector, path: tuple[str, ...], old: BlockType | NestedType,
    new: BlockType | NestedType, noun: str,
) -> None:
    """A block or nested attribute: its nesting mode, item counts and inner block."""
    old_mode, new_mode = old.nesting_mode, new.nesting_mode
    if old_mode != new_mode:
        out.add(
            path,
            "nesting_changed",
            BREAKING,
            f"{noun} nesting changed from {old_mode} to {new_mode}",
            old_mode,
            new_mode,
        )
    _diff_counts(out, path, old, new)
    _diff_block(out, path, old.block, new.block)


def _diff_counts(
    out: _Collector,
    path: tuple[str, ...],
    old: BlockType | NestedType,
    new: BlockType | NestedType,
) -> None:
    old_min, new_min = old.min_items, new.min_items
    if new_min > old_min:
        out.add(
            path,
            "min_items_raised",
            BREAKING,
            f"min_items raised from {old_min} to {new_min}",
            old_min,
            new_min,
        )
    elif new_min < old_min:
        out.add(
            path,
            "min_items_lowered",
            NOTABLE,
            f"min_items lowered from {old_min} to {new_min}",
            old_min,
            new_min,
        )
    old_max, new_max = old.max_items, new.max_items
    if old_max == new_max:
        return
    text = f"max_items changed from {_limit(old_max)} to {_limit(new_max)}"
    if new_max is not None and (old_max is None or new_max < old_max):
        out.add(path, "max_items_lowered", BREAKING, text, old_max, new_max)
    else:
        out.add(path, "max_items_raised", NOTABLE, text, old_max, new_max)


def _limit(value: int | None) -> str:
    return "unlimited" if value is None else str(value)
