"""The escape hatch on generated resources: set a raw JSON path the typed layer does not
cover (cdktf's ``addOverride``), checked against the resource's schema whatever ``--strict``
says: an unknown path is an error with suggestions, a literal of the wrong type too."""

from __future__ import annotations

import copy
import difflib
import json
import re
from typing import Any, Literal, Mapping, NoReturn, Union

from pangea.context import TemplateContext, current
from pangea.diagnostics import warn
from pangea.errors import TemplateError, ValidationError
from pangea.expr import ResourceRef
from pangea.language import schemas
from pangea.schema_doc import Attribute, Block, BlockType, NestedType
from pangea.struct import short_repr

__all__ = ["override"]

_META = {
    "resource": ("count", "for_each", "depends_on", "provider", "lifecycle", "provisioner",
                 "connection"),
    "data": ("count", "for_each", "depends_on", "provider", "lifecycle"),
}
_LIFECYCLE = ("create_before_destroy", "prevent_destroy", "ignore_changes",
              "replace_triggered_by", "precondition", "postcondition")
_SEGMENT = re.compile(r'([^.\[\]]+)|\[([0-9]+)\]|\["((?:[^"\\]|\\.)*)"\]')


def _steps(path: str) -> list[str | int]:
    steps: list[str | int] = []
    i = 0
    while i < len(path):
        if path[i] == "." and steps and i + 1 < len(path):
            i += 1
        match = _SEGMENT.match(path, i)
        if match is None:
            raise ValueError(f"cannot read {path!r} at character {i + 1}")
        name, index, key = match.groups()
        steps.append(int(index) if index is not None else json.loads(f'"{key}"')
                     if key is not None else name)
        i = match.end()
    if not steps:
        raise ValueError("the path is empty")
    return steps


def override(resource: Any, path: str, value: Any) -> None:
    """Set ``path`` (``"parameter[0].apply_method"``, ``"lifecycle.ignore_changes"``,
    ``"dynamic.rule.content.port"``) in the resource's JSON to ``value`` (``None`` writes
    ``null``, which Terraform reads as unset)."""
    ctx = current("override()")
    if not isinstance(resource, ResourceRef) or "[" in resource._address or \
            resource._address.startswith(("module.", "ephemeral.")):
        raise TemplateError(f"override() takes a resource or data source returned by its "
                            f"function (got {short_repr(resource)})", template=ctx.name)
    address = resource._address
    ctx.json_value(resource, address, "")  # another template's resource is refused
    kind, type_name, name = ("data", *address.split(".")[1:]) if address.startswith("data.") \
        else ("resource", *address.split("."))
    table = ctx.data if kind == "data" else ctx.resources
    body = table.get(type_name, {}).get(name)
    if body is None:
        raise TemplateError(f"override(): {address} is not declared in this template",
                            template=ctx.name)
    if not isinstance(path, str):
        raise TemplateError(f"override(): the path must be a string (got {short_repr(path)})",
                            template=ctx.name)
    try:
        steps = _steps(path)
    except ValueError as exc:
        raise ValidationError(address, [(path, f"is not a JSON path: {exc}")],
                              template=ctx.name) from None
    schema = schemas.block(kind, type_name)
    if schema is None:
        warn(f"override {path!r} is not checked: no schema for {type_name} is installed",
             code="override-unchecked", address=address, path=path)
        leaf = None
    else:
        leaf = _walk(ctx, address, kind, schema, steps, path)
    rendered = ctx.json_value(value, address, path)
    if leaf is not None and rendered is not None:
        from pangea.schema_check import check_attribute_value

        problems = check_attribute_value(address, path, leaf, rendered)
        if problems:
            raise ValidationError(address, [(p.path, p.message) for p in problems],
                                  template=ctx.name)
    # the stored body may share its dicts with the reference's inputs (the one-pass path
    # stores the validated dict itself; maps are shared on both paths): change a copy, so
    # computed properties keep folding the arguments as declared
    body = copy.deepcopy(body)
    _set(ctx, address, body, steps, rendered, path)
    ctx.schema_checked.pop((kind, type_name, name), None)  # the offline check reads it again
    table[type_name][name] = dict(sorted(body.items()))


# Where the walk stands: in a block, at a block type (before its index), in the ``dynamic``
# key of a block, in one dynamic block, in ``lifecycle``, at an attribute (or a part of its
# value), or somewhere free-form (a meta-argument's value).
_Position = Union[
    tuple[Literal["block"], Block],
    tuple[Literal["block_type"], BlockType],
    tuple[Literal["dynamic"], Mapping[str, BlockType]],
    tuple[Literal["dynamic_block"], BlockType],
    tuple[Literal["lifecycle"], None],
    tuple[Literal["attribute"], Attribute],
    tuple[Literal["any"], None],
]


def _walk(ctx: TemplateContext, address: str, kind: str, schema: Block,
          steps: list[str | int], path: str) -> Attribute | None:
    """Follow the path through the schema; what the value there must fit when it ends on an
    attribute (or inside one's value), None when it ends anywhere else."""
    state: _Position = ("block", schema)
    top = True
    for position, step in enumerate(steps):
        done = ".".join(str(s) for s in steps[:position]) or "(top)"
        if state[0] == "block":
            block = state[1]
            if isinstance(step, int):
                _fail(ctx, address, path, f"{done} is a block, not a list: no index [{step}]")
            attributes = block.attributes
            blocks = block.block_types
            meta = _META.get(kind, ()) if top else ()
            if step in attributes:
                attribute = attributes[step]
                if not attribute.is_input:
                    _fail(ctx, address, path, f"{step} is computed by the provider and cannot "
                                              "be set")
                state = ("attribute", attribute)
            elif step in blocks:
                state = ("block_type", blocks[step])
            elif step == "dynamic" and blocks:
                state = ("dynamic", blocks)
            elif step in meta:
                state = ("lifecycle", None) if step == "lifecycle" else ("any", None)
            else:
                known = sorted(set(attributes) | set(blocks) | set(meta) |
                               ({"dynamic"} if blocks else set()))
                _fail(ctx, address, path, f"{step!r} is not an argument, block or meta-argument "
                      f"of {done if position else address}" + _suggest(str(step), known))
            top = False
        elif state[0] == "block_type":
            block_type = state[1]
            if isinstance(step, int) or block_type.nesting_mode == "map":
                state = ("block", block_type.block)  # one item, by index or by label
                continue
            # a block addressed without an index (one object): go on inside its body
            return _walk(ctx, address, "nested", block_type.block, steps[position:], path)
        elif state[0] == "dynamic":
            blocks = state[1]
            if step not in blocks:
                _fail(ctx, address, path, f"dynamic.{step}: {step!r} is not a block of "
                      f"{address}" + _suggest(str(step), sorted(blocks)))
            state = ("dynamic_block", blocks[str(step)])
        elif state[0] == "dynamic_block":
            if step == "content":
                state = ("block", state[1].block)
            elif step in ("for_each", "iterator", "labels"):
                state = ("any", None)
            else:
                _fail(ctx, address, path, f"a dynamic block has for_each, iterator, labels and "
                      f"content, not {step!r}")
        elif state[0] == "lifecycle":
            if step not in _LIFECYCLE:
                _fail(ctx, address, path, f"{step!r} is not a lifecycle setting" +
                      _suggest(str(step), list(_LIFECYCLE)))
            state = ("any", None)
        elif state[0] == "attribute":
            attribute = state[1]
            nested = attribute.nested
            if nested is not None:
                if isinstance(step, int) or nested.nesting_mode == "map":
                    # one element (by index or key): an object of the nested attributes
                    state = ("attribute", Attribute(str(step), None, nested=NestedType(
                        "single", nested.block)))
                    continue
                inner = nested.block.attributes
                if step not in inner:
                    _fail(ctx, address, path, f"{step!r} is not an attribute of {done}" +
                          _suggest(str(step), sorted(inner)))
                state = ("attribute", inner[step])
                continue
            state = ("attribute", Attribute(str(step), _inner_type(ctx, address, path,
                                                                  attribute.type, step, done)))
        # "any": everything below is free-form (meta-argument values)
    return state[1] if state[0] == "attribute" else None


def _inner_type(ctx: TemplateContext, address: str, path: str, cty: Any, step: Any,
                done: str) -> Any:
    if cty == "dynamic" or cty is None:
        return "dynamic"
    if isinstance(cty, list) and cty:
        head = cty[0]
        if head in ("list", "set"):
            if not isinstance(step, int):
                _fail(ctx, address, path, f"{done} is a {head}: index it with [n]")
            return cty[1]
        if head == "map":
            return cty[1]
        if head == "object":
            if step not in cty[1]:
                _fail(ctx, address, path, f"{step!r} is not an attribute of {done}" +
                      _suggest(str(step), sorted(cty[1])))
            return cty[1][step]
        if head == "tuple":
            if not isinstance(step, int) or step >= len(cty[1]):
                _fail(ctx, address, path, f"{done} is a tuple of {len(cty[1])}")
            return cty[1][step]
    _fail(ctx, address, path, f"{done} is a {cty}; it has no {step!r}")
    return None


def _set(ctx: TemplateContext, address: str, body: dict, steps: list[str | int], value: Any,
         path: str) -> None:
    node: Any = body
    for position, step in enumerate(steps[:-1]):
        following = steps[position + 1]
        if isinstance(node, list):
            if not isinstance(step, int) or step > len(node):
                _fail(ctx, address, path, f"index [{step}] is past the {len(node)} item(s) there")
            if step == len(node):
                node.append([] if isinstance(following, int) else {})
            node = node[int(step)]
            continue
        if not isinstance(node, dict) or isinstance(step, int):
            _fail(ctx, address, path, f"{'.'.join(map(str, steps[:position + 1]))}: the value "
                                      "there is not an object")
        child = node.get(step)
        if child is None:
            child = [] if isinstance(following, int) else {}
            node[step] = child
        elif isinstance(child, list) and not isinstance(following, int):
            _fail(ctx, address, path, f"{step} holds a list here: index it, e.g. {step}[0]")
        node = child
    last = steps[-1]
    if isinstance(node, list):
        if not isinstance(last, int) or last > len(node):
            _fail(ctx, address, path, f"index [{last}] is past the {len(node)} item(s) there")
        if last == len(node):
            node.append(value)
        else:
            node[int(last)] = value
    elif isinstance(node, dict) and not isinstance(last, int):
        node[last] = value
    else:
        _fail(ctx, address, path, "the value there is not an object")


def _fail(ctx: TemplateContext, address: str, path: str, message: str) -> NoReturn:
    raise ValidationError(address, [(path, message)], template=ctx.name)


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3)
    if close:
        return f"; did you mean {', '.join(close)}?"
    return f"; known: {', '.join(known)}" if known else ""
