"""Ephemeral resources (Terraform 1.10+) and the write-only arguments that take their values
(Terraform 1.11+).

``ephemeral("aws_secretsmanager_random_password", "db", password_length=32)`` declares an
``ephemeral`` block and returns a reference (``${ephemeral.<type>.<name>.<attr>}``). Terraform
accepts an ephemeral value only in write-only arguments (marked ``write_only`` in the provider
schema, such as ``master_password_wo``), in other ephemeral resources, provider settings and
locals; a managed resource's ordinary argument, a data source or a root output given one is
refused at plan, so it is refused here, naming the write-only argument to use instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pangea.context import TemplateContext, check_name, current
from pangea.diagnostics import warn
from pangea.errors import TemplateError, ValidationError
from pangea import providers
from pangea.expr import AnyRef, is_interpolated
from pangea.language import schemas
from pangea.language.versions import need, once

if TYPE_CHECKING:
    from pangea.schema_doc import Block

__all__ = ["EphemeralRef", "ephemeral"]

_META = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle"})
_REFERENCE = re.compile(r"(?<![\w.])(ephemeral\.[A-Za-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*"
                        r"|(?:local|var)\.[A-Za-z_][A-Za-z0-9_-]*)")


def declare_ephemeral_variable(ctx: TemplateContext) -> None:
    """variable(..., ephemeral=True): Terraform 1.10, and its uses are checked."""
    need(ctx, "ephemeral")
    once(ctx, check_ephemeral_values)


class EphemeralRef(AnyRef):
    """An ephemeral resource: its attributes are ephemeral values."""

    __slots__ = ()


def ephemeral(type_name: str, name: str, attrs: dict[str, Any] | None = None, /,
              **kwargs: Any) -> EphemeralRef:
    """Declare an ephemeral resource; checked against its schema when one is known."""
    ctx = current("ephemeral()")
    if not isinstance(type_name, str) or not re.fullmatch(r"[a-z0-9]+_[a-z0-9_]+", type_name):
        raise TemplateError(f"ephemeral(): {type_name!r} is not a resource type name",
                            template=ctx.name, hint="e.g. ephemeral('aws_secretsmanager_"
                            "random_password', 'db', password_length=32)")
    check_name("ephemeral resource", name, ctx)
    address = f"ephemeral.{type_name}.{name}"
    table = ctx.sections.setdefault("ephemeral", {})
    if name in table.get(type_name, {}):
        raise TemplateError(f"{address} is declared twice", template=ctx.name)
    values = dict(attrs or {})
    for key, value in kwargs.items():
        if key in values:
            raise ValidationError(address, [(key, "is given both in the dict and as a keyword")],
                                  template=ctx.name)
        values[key.rstrip("_") if key.endswith("_") and key[:-1] in _PY_KEYWORDS else key] = value
    body: dict[str, Any] = {}
    for key, value in sorted(values.items()):
        if value is None:
            continue
        if key == "for_each":
            from pangea.language.iteration import for_each_json
            body[key] = for_each_json(ctx, address, value)
        elif key == "count":
            from pangea.language.iteration import count_json
            body[key] = count_json(ctx, address, value)
        elif key == "depends_on":
            from pangea.declare import _as_list, _dependency
            body[key] = [_dependency(ctx, address, d) for d in _as_list(value)]
        elif key == "provider":
            from pangea.declare import _provider_ref
            body[key] = _provider_ref(ctx, address, value)
        else:
            body[key] = ctx.json_value(value, address, key)
    _check_schema(ctx, address, type_name, body)
    table.setdefault(type_name, {})[name] = body
    ctx.sections["ephemeral"] = {t: dict(sorted(v.items())) for t, v in sorted(table.items())}
    provider = providers.for_type(type_name)
    if provider is not None:
        ctx.used_providers.add(provider.name)
    need(ctx, "ephemeral")
    once(ctx, check_ephemeral_values)
    return EphemeralRef(address, ctx)


_PY_KEYWORDS = frozenset({"and", "as", "assert", "async", "await", "break", "class", "continue",
                          "def", "del", "elif", "else", "except", "finally", "for", "from",
                          "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
                          "pass", "raise", "return", "try", "while", "with", "yield"})


def _check_schema(ctx: TemplateContext, address: str, type_name: str, body: dict) -> None:
    schema = schemas.block("ephemeral", type_name)
    if schema is None:
        warn(f"no schema for the ephemeral resource type {type_name!r} is installed, so its "
             "arguments are not checked", code="ephemeral-unchecked", address=address,
             hint="install the provider's generated package, or check the names against the "
             "provider's documentation")
        return
    from pangea.schema_check import check_body

    problems = check_body(address, schema, body, _META)
    if problems:
        raise ValidationError(address, [(p.path, p.message) for p in problems],
                              template=ctx.name)


# -- where ephemeral values may go ---------------------------------------------------------------

def _references(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, str):
        if is_interpolated(value):
            found.update(m.group(1) for m in _REFERENCE.finditer(value))
    elif isinstance(value, dict):
        for item in value.values():
            found |= _references(item)
    elif isinstance(value, list):
        for item in value:
            found |= _references(item)
    return found


def _ephemeral_roots(ctx: TemplateContext) -> set[str]:
    """References that carry an ephemeral value besides ephemeral resources: ephemeral
    variables, and locals built from either (transitively)."""
    def is_ephemeral(ref: str) -> bool:
        return ref.startswith("ephemeral.") or ref in locals_found

    locals_found: set[str] = {f"var.{name}" for name, body in ctx.variables.items()
                              if isinstance(body, dict) and body.get("ephemeral")}
    changed = True
    while changed:
        changed = False
        for name, value in ctx.locals.items():
            key = f"local.{name}"
            if key not in locals_found and any(is_ephemeral(r) for r in _references(value)):
                locals_found.add(key)
                changed = True
    return locals_found


def check_ephemeral_values(ctx: TemplateContext) -> None:
    ephemeral_locals = _ephemeral_roots(ctx)

    def carried(value: Any) -> list[str]:
        return sorted(r for r in _references(value)
                      if r.startswith("ephemeral.") or r in ephemeral_locals)

    for name, body in ctx.outputs.items():
        if carried(body.get("value")):
            raise TemplateError(
                f"output.{name} carries the ephemeral value {carried(body['value'])[0]}",
                template=ctx.name, locate=False, file=ctx.file,
                hint="a root module cannot output an ephemeral value (Terraform keeps none in "
                "state); pass it to a write-only argument instead")
    for type_name, bodies in ctx.data.items():
        for name, body in bodies.items():
            refs = carried(body)
            if refs:
                raise TemplateError(
                    f"data.{type_name}.{name} takes the ephemeral value {refs[0]}",
                    template=ctx.name, locate=False, file=ctx.file,
                    hint="data sources are stored in state; read the secret with an "
                    "ephemeral resource and pass it only to write-only arguments")
    for type_name, bodies in ctx.resources.items():
        for name, body in bodies.items():
            if carried(body):
                _check_block(ctx, f"{type_name}.{name}", "",
                             schemas.block("resource", type_name), body, carried)


def _check_block(ctx: TemplateContext, address: str, path: str, schema: Block | None,
                 body: dict, carried: Any) -> None:
    """Refuse ephemeral values outside the write-only arguments of ``schema``; None when the
    type or block is unknown: nothing tells write-only arguments apart there, so nothing is
    refused."""
    attributes = schema.attributes if schema is not None else {}
    block_types = schema.block_types if schema is not None else {}
    for key, value in body.items():
        refs = carried(value)
        if not refs:
            continue
        here = f"{path}.{key}" if path else key
        if key in attributes:
            if attributes[key].write_only:
                need(ctx, "write-only arguments")
                continue
            write_only = sorted(n for n, a in attributes.items() if a.write_only)
            close = [n for n in write_only if n.startswith(key)]
            hint = (f"use the write-only argument {close[0]} instead" if close else
                    f"write-only arguments of this block: {', '.join(write_only)}" if write_only
                    else "this block has no write-only argument; Terraform would store the "
                    "value in state, so it refuses ephemeral values here")
            raise TemplateError(
                f"{address}: {here} takes the ephemeral value {refs[0]}, but {key} is not "
                "write-only", template=ctx.name, locate=False, file=ctx.file, hint=hint)
        if key in block_types:
            inner = block_types[key].block
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    sub = f"{here}[{index}]" if isinstance(value, list) else here
                    _check_block(ctx, address, sub, inner, item, carried)
            continue
        if key == "dynamic" and isinstance(value, dict):
            for block, spec in value.items():
                known = block_types.get(block)
                for item in spec if isinstance(spec, list) else [spec]:
                    if isinstance(item, dict) and isinstance(item.get("content"), dict):
                        _check_block(ctx, address, f"{here}.{block}.content",
                                     known.block if known is not None else None,
                                     item["content"], carried)
            continue
        if schema is None:
            continue  # no schema for this type: nothing to tell write-only arguments apart
        raise TemplateError(
            f"{address}: {here} takes the ephemeral value {refs[0]}", template=ctx.name,
            locate=False, file=ctx.file,
            hint="ephemeral values go only to write-only arguments, provider settings, locals "
            "and other ephemeral resources")
