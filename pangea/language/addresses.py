"""Terraform addresses given as references or strings, parsed and checked.

``moved``, ``import``, ``removed`` and ``depends_on``-like arguments take an address: a
reference returned by a resource, data or module function, or its text
(``aws_s3_bucket.logs``, ``module.vpc``, ``module.net.aws_subnet.a["x"]``).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from pangea.errors import TemplateError
from pangea.expr import Expr, ResourceRef

_IDENT = r"[A-Za-z_][A-Za-z0-9_-]*"
_KEY = r'\[(?:[0-9]+|"(?:[^"\\]|\\.)*"|each\.(?:key|value(?:\.[A-Za-z_][A-Za-z0-9_-]*)*))\]'
_STEP = re.compile(rf"module\.({_IDENT})({_KEY})?")
_RESOURCE = re.compile(rf"(data\.)?({_IDENT})\.({_IDENT})({_KEY})?")


class Address(NamedTuple):
    """A parsed address: module steps, then an optional resource part."""

    text: str
    modules: tuple[tuple[str, str | None], ...]  # (name, key text or None)
    data: bool = False
    type_name: str | None = None
    name: str | None = None
    key: str | None = None

    @property
    def is_module(self) -> bool:
        return self.type_name is None

    @property
    def has_each_keys(self) -> bool:
        """Keys taken from ``each`` (only an import block with for_each may use them)."""
        keys = [self.key, *(k for _, k in self.modules)]
        return any(k is not None and k.startswith("[each.") for k in keys)

    @property
    def has_keys(self) -> bool:
        return self.key is not None or any(k is not None for _, k in self.modules)


def parse(text: str) -> Address | None:
    """Parse an absolute address; None when it is not one."""
    modules: list[tuple[str, str | None]] = []
    rest = text
    while rest.startswith("module."):
        match = _STEP.match(rest)
        if match is None:
            return None
        modules.append((match.group(1), match.group(2)))
        rest = rest[match.end():]
        if not rest:
            return Address(text, tuple(modules))
        if not rest.startswith("."):
            return None
        rest = rest[1:]
    match = _RESOURCE.fullmatch(rest)
    if match is None or match.group(2) in ("module", "data", "var", "local", "each", "count"):
        return None
    return Address(text, tuple(modules), bool(match.group(1)), match.group(2), match.group(3),
                   match.group(4))


def address_of(value: Any, *, what: str, ctx: Any, each_keys: bool = False) -> Address:
    """The address a reference or string names; a TemplateError saying how to write it."""
    from pangea.language.modules import ModuleRef

    if isinstance(value, ModuleRef):
        ctx.json_value(value, what, "")  # ownership check (another template's module)
        text = value._expr
    elif isinstance(value, ResourceRef):
        ctx.json_value(value, what, "")
        text = value._address
    elif isinstance(value, Expr):
        raise TemplateError(
            f"{what} takes a resource or module address, not the expression {value._render()}",
            template=ctx.name,
            hint="pass the reference a resource function returned, or an address string such "
            "as 'aws_s3_bucket.logs' or 'module.vpc'")
    elif isinstance(value, str):
        text = value
    else:
        raise TemplateError(f"{what} takes a reference or an address string (got {value!r})",
                            template=ctx.name)
    parsed = parse(text)
    if parsed is not None and parsed.has_each_keys and not each_keys:
        raise TemplateError(
            f"{what}: {text!r} has an each.* key; only import_(..., for_each=...) takes one",
            template=ctx.name, hint="write a literal key: [0] or [\"name\"]")
    if parsed is None:
        raise TemplateError(
            f"{what}: {text!r} is not a Terraform address",
            template=ctx.name,
            hint="write TYPE.NAME, TYPE.NAME[KEY], module.NAME or module.NAME.TYPE.NAME "
            "(keys as [0] or [\"key\"]), without ${ }")
    return parsed
