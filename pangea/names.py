"""Names users choose, and the paths and keys made from them.

Every name a template declares (resource, data source, output, variable, local, provider alias)
follows Terraform's identifier rule: a letter or underscore, then letters, digits, underscores
and hyphens. Template and namespace names follow the same rule, in ASCII, because they also
become directory names, S3 keys and DynamoDB lock ids; a name such as ``../green/net`` or
``.state`` can therefore never reach another namespace's state. ``contained_path`` and
``contained_key`` check, where a path or key is made, that it stays inside its root anyway.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import os
import posixpath

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

from pangea.errors import PangeaError, TemplateError

# ASCII identifiers: the common case, and the only form allowed where a name becomes a path.
# Kinds whose names become directory names, S3 keys and lock ids.
PATH_KINDS = frozenset({"template", "namespace"})
# Keep `<template>.tfstate` and friends well inside common file-name limits (255 bytes).
MAX_PATH_NAME = 100
# Terraform refuses these as variable names (they are reserved for future module arguments).
RESERVED_VARIABLE_NAMES = frozenset(
    {"source", "version", "providers", "count", "for_each", "lifecycle", "depends_on", "locals"}
)
_SHOWN = 60  # characters of a refused name quoted in a message


class PathEscapeError(PangeaError):
    """A path or key made from a name would fall outside the folder or prefix it belongs to."""


def plain_identifier(name: Any) -> bool:
    """True for a str of the common Terraform name form ``[A-Za-z_][A-Za-z0-9_-]*``, tested
    without a regular expression (it runs on every resource call); False says nothing:
    ``identifier_problem`` then decides."""
    return type(name) is str and name.isascii() and (
        name.isidentifier() or name[:1] != "-" and name.replace("-", "_").isidentifier())


def _terraform_identifier(name: str) -> bool:
    """HCL's identifier: ID_Start or '_', then ID_Continue or '-' (Unicode letters allowed)."""
    if plain_identifier(name):  # the ASCII form [A-Za-z_][A-Za-z0-9_-]*
        return True
    first, rest = name[0], name[1:]
    if not (first == "_" or first.isidentifier()):
        return False
    return all(c == "-" or ("a" + c).isidentifier() for c in rest)


def allowed(kind: str) -> str:
    """What a valid name of this kind looks like, for messages."""
    if kind in PATH_KINDS:
        return (
            "use ASCII letters, digits, '_' and '-', starting with a letter or '_' "
            f"(at most {MAX_PATH_NAME} characters)"
        )
    return "use letters, digits, '_' and '-', starting with a letter or '_'"


def _shown(name: Any) -> str:
    text = repr(name)
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN]}...' ({len(name)} characters)"


def identifier_problem(kind: str, name: Any) -> str | None:
    """Why ``name`` is not a valid ``kind`` name, or None when it is valid."""
    if not isinstance(name, str):
        return f"{kind} name must be a string (got {type(name).__name__})"
    if not name:
        return f"{kind} name must not be empty"
    if kind in PATH_KINDS:
        valid = plain_identifier(name) and len(name) <= MAX_PATH_NAME
    else:
        valid = _terraform_identifier(name)
    if not valid:
        what = "name" if kind in PATH_KINDS else "Terraform name"
        return f"{kind} name {_shown(name)} is not a valid {what}"
    if kind == "variable" and name in RESERVED_VARIABLE_NAMES:
        return f"variable name {name!r} is reserved by Terraform"
    return None


def check_identifier(kind: str, name: Any, *, template: str | None = None) -> str:
    """Return ``name`` if it is a valid ``kind`` name; raise TemplateError saying what is allowed."""
    problem = identifier_problem(kind, name)
    if problem is None:
        return name
    if kind == "variable" and isinstance(name, str) and name in RESERVED_VARIABLE_NAMES:
        hint = f"choose another name; {', '.join(sorted(RESERVED_VARIABLE_NAMES))} are reserved"
    else:
        hint = allowed(kind)
    raise TemplateError(problem, template=template, hint=hint)


def contained_path(root: Path, *parts: str) -> Path:
    """``root / parts...``, refused unless each part is one plain name and the result lies
    strictly inside ``root``.

    Each part must be a single path component (no separator, not ``.`` or ``..``), so every
    level stays inside the one before it: ``("blue", "../green/net")`` is refused although
    the joined path would still be under ``root``.
    """
    for part in parts:
        if (not isinstance(part, str) or not part or "\0" in part or part in (".", "..")
                or "/" in part or os.sep in part or (os.altsep and os.altsep in part)):
            raise PathEscapeError(
                f"refusing the path part {_shown(part)} under {root}: each part must be one "
                "name, without '/' and not '.' or '..'", locate=False, hint=allowed("template"))
    from pathlib import Path  # only paths need it; a synthesis does not (import cost)

    return Path(os.path.normpath(os.path.join(os.path.abspath(root), *parts)))


def contained_key(prefix: str, *parts: str) -> str:
    """An S3 key ``prefix/parts...`` (no leading slash), refused unless it stays under ``prefix``.

    S3 keys are plain strings, but Terraform's lock id is ``bucket/key`` and people browse
    keys as folders: a part holding ``..`` or ``/`` would read as another namespace's state.
    """
    clean_prefix = prefix.strip("/")
    for part in parts:
        if (not isinstance(part, str) or not part or "/" in part or "\\" in part
                or part in (".", "..") or "\0" in part):
            raise PathEscapeError(
                f"refusing the S3 key part {_shown(part)} under {clean_prefix or 'the bucket root'}: "
                "it must be one name without '/' or '..'", locate=False, hint=allowed("template"))
    return posixpath.join(clean_prefix, *parts) if clean_prefix else posixpath.join(*parts)
