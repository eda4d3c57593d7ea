"""The JSON files pangea writes: sorted keys, two-space indent, one trailing newline.

``render_json`` gives exactly the text of ``json.dumps(document, indent=2, sort_keys=True)``
plus a newline, about three times as fast: with an indent, the json module leaves its C
encoder for a generator-based one written in Python, which is most of what writing a large
configuration costs. This writer handles what synthesis produces (dicts with string keys,
lists, strings, ints, finite floats, booleans, null) and hands anything else to ``json.dumps``
(tuples, non-string keys, subclasses, NaN and the infinities).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii as _quote  # json's own (C) string encoder
TYPE_CHECKING = False  # typing is not imported at run time (import cost: pangea._typing)
if TYPE_CHECKING:
    from typing import Any

MAIN_FILE = "main.tf.json"
BACKEND_FILE = "backend.tf.json"

_INT = int.__repr__  # what json writes for an int, as for a float below
_FLOAT = float.__repr__
_INFINITY = float("inf")


class _Unusual(Exception):
    """A value this writer leaves to json.dumps."""


def render_json(document: Any, *, sort_top: bool = True) -> str:
    """``json.dumps(document, indent=2, sort_keys=True) + "\\n"``; ``sort_top=False`` keeps
    the top-level keys in the given order (every level below is sorted)."""
    out: list[str] = []
    try:
        kind = type(document)
        if kind is dict and document:
            _dict(document, "\n", out, sort_top)
        elif kind is list and document:
            _list(document, "\n", out)
        else:
            out.append("{}" if kind is dict else "[]" if kind is list else _scalar(document, kind))
    except _Unusual:
        if sort_top or type(document) is not dict:
            return json.dumps(document, indent=2, sort_keys=True) + "\n"
        text = json.dumps({key: json.loads(json.dumps(value, sort_keys=True))
                           for key, value in document.items()}, indent=2)
        return text + "\n"
    out.append("\n")
    return "".join(out)


def _scalar(value: Any, kind: type) -> str:
    if kind is str:
        return _quote(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if kind is int:
        return _INT(value)
    if kind is float and value == value and value != _INFINITY and value != -_INFINITY:
        return _FLOAT(value)
    raise _Unusual


def _dict(value: dict, indent: str, out: list[str], sort: bool = True) -> None:
    # ``indent`` is a newline and the spaces of this level: it opens every line
    inner = indent + "  "
    separator = "{" + inner
    append = out.append
    for key in sorted(value) if sort else value:
        if type(key) is not str:
            raise _Unusual
        item = value[key]
        kind = type(item)
        if kind is str:
            append(separator + _quote(key) + ": " + _quote(item))
        elif kind is dict:
            if item:
                append(separator + _quote(key) + ": ")
                _dict(item, inner, out)
            else:
                append(separator + _quote(key) + ": {}")
        elif kind is list:
            if item:
                append(separator + _quote(key) + ": ")
                _list(item, inner, out)
            else:
                append(separator + _quote(key) + ": []")
        else:
            append(separator + _quote(key) + ": " + _scalar(item, kind))
        separator = "," + inner
    append(indent + "}")


def _list(value: list, indent: str, out: list[str]) -> None:
    inner = indent + "  "
    separator = "[" + inner
    append = out.append
    for item in value:
        kind = type(item)
        if kind is dict:
            if item:
                append(separator)
                _dict(item, inner, out)
            else:
                append(separator + "{}")
        elif kind is list:
            if item:
                append(separator)
                _list(item, inner, out)
            else:
                append(separator + "[]")
        else:
            append(separator + _scalar(item, kind))
        separator = "," + inner
    append(indent + "]")
