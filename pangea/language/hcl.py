"""A small reader for the declarations of a Terraform module: its ``variable`` and ``output``
blocks, from ``.tf`` (HCL native syntax) and ``.tf.json`` files.

It reads structure, not values: each block's labels and its attributes' source text, which is
all a module call needs (names, whether a variable has a default, its type expression, whether
it is sensitive). Expressions are skipped by matching brackets, strings, templates and
heredocs, so any valid file is read whatever its expressions contain.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NamedTuple


class HclSyntaxError(ValueError):
    """The file is not HCL this reader understands; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


class Token(NamedTuple):
    kind: str  # ident, string, heredoc, number, punct, newline
    text: str
    start: int
    end: int


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_OPERATORS = ("==", "!=", "<=", ">=", "=>", "&&", "||", "...")


def tokens(text: str) -> list[Token]:
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r":
            i += 1
        elif c == "\n":
            out.append(Token("newline", "\n", i, i + 1))
            i += 1
        elif c == "#" or text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise HclSyntaxError("unterminated /* comment", _line(text, i))
            i = end + 2
        elif c == '"':
            end = _string_end(text, i)
            out.append(Token("string", text[i:end], i, end))
            i = end
        elif text.startswith("<<", i) and (match := _HEREDOC.match(text, i)):
            end = _heredoc_end(text, match)
            out.append(Token("heredoc", text[i:end], i, end))
            i = end
        elif match := _IDENT.match(text, i):
            out.append(Token("ident", match.group(), i, match.end()))
            i = match.end()
        elif match := _NUMBER.match(text, i):
            out.append(Token("number", match.group(), i, match.end()))
            i = match.end()
        else:
            op = next((o for o in _OPERATORS if text.startswith(o, i)), c)
            out.append(Token("punct", op, i, i + len(op)))
            i += len(op)
    return out


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _string_end(text: str, start: int) -> int:
    """End (exclusive) of the quoted template starting at ``start``."""
    i, n = start + 1, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
        elif c == '"':
            return i + 1
        elif c == "\n":
            break
        elif text.startswith(("${", "%{"), i) and not text.startswith(("$${", "%%{"), i - 1):
            i = _template_end(text, i + 2)
        else:
            i += 1
    raise HclSyntaxError("unterminated string", _line(text, start))


def _template_end(text: str, i: int) -> int:
    """Skip an interpolation's expression up to its closing brace."""
    depth, n = 1, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i = _string_end(text, i)
            continue
        if c in "{[(":
            depth += 1
        elif c in "}])":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise HclSyntaxError("unterminated ${ interpolation", _line(text, i))


def _heredoc_end(text: str, match: re.Match[str]) -> int:
    marker = match.group(2)
    closing = re.compile(rf"^[ \t]*{re.escape(marker)}[ \t]*\r?$", re.MULTILINE)
    found = closing.search(text, match.end())
    if found is None:
        raise HclSyntaxError(f"heredoc <<{marker} is never closed", _line(text, match.start()))
    return found.end()


class Block(NamedTuple):
    type: str
    labels: tuple[str, ...]
    attributes: dict[str, str]  # name -> expression source text
    blocks: tuple["Block", ...]
    line: int


def parse_body(text: str) -> list[Block]:
    """The top-level blocks of a file (attributes at the top level are ignored)."""
    toks = tokens(text)
    blocks, end = _body(text, toks, 0, top=True)
    if end != len(toks):
        raise HclSyntaxError("unexpected '}'", _line(text, toks[end].start))
    return blocks


def _body(text: str, toks: list[Token], i: int, top: bool,
          attributes: dict[str, str] | None = None) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "newline":
            i += 1
            continue
        if tok.kind == "punct" and tok.text == "}":
            if top:
                raise HclSyntaxError("unexpected '}'", _line(text, tok.start))
            return blocks, i
        if tok.kind != "ident":
            raise HclSyntaxError(f"expected an attribute or block name, found {tok.text!r}",
                                 _line(text, tok.start))
        name = tok.text
        i += 1
        if i < len(toks) and toks[i].kind == "punct" and toks[i].text in ("=", ":"):
            start = i + 1
            i = _expression_end(text, toks, start)
            if attributes is not None:
                source = text[toks[start].start:toks[i - 1].end] if i > start else ""
                attributes[name] = source.strip()
            continue
        labels: list[str] = []
        while i < len(toks) and toks[i].kind in ("string", "ident"):
            labels.append(_decode_label(toks[i]))
            i += 1
        if i >= len(toks) or toks[i].text != "{":
            line = _line(text, toks[i].start if i < len(toks) else len(text))
            raise HclSyntaxError(f"expected '=' or '{{' after {name!r}", line)
        inner_attributes: dict[str, str] = {}
        inner, i = _body(text, toks, i + 1, top=False, attributes=inner_attributes)
        if i >= len(toks):
            raise HclSyntaxError(f"block {name!r} is never closed", _line(text, tok.start))
        blocks.append(Block(name, tuple(labels), inner_attributes, tuple(inner),
                            _line(text, tok.start)))
        i += 1  # the closing brace
    if not top:
        raise HclSyntaxError("a block is never closed", _line(text, len(text)))
    return blocks, i


def _expression_end(text: str, toks: list[Token], i: int) -> int:
    """Index after the expression starting at ``i``: up to a newline outside brackets."""
    depth = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "punct" and tok.text in "([{":
            depth += 1
        elif tok.kind == "punct" and tok.text in ")]}":
            if depth == 0:
                return i  # the enclosing block's brace (one-line block)
            depth -= 1
        elif tok.kind == "newline" and depth == 0:
            return i
        i += 1
    if depth:
        raise HclSyntaxError("unclosed bracket in an expression", _line(text, len(text)))
    return i


def _decode_label(tok: Token) -> str:
    return decode_string(tok.text) if tok.kind == "string" else tok.text


def decode_string(source: str) -> str:
    """The value of a quoted string literal without interpolations."""
    try:
        value = json.loads(source)
    except ValueError:
        return source.strip('"')
    return value if isinstance(value, str) else source


# -- module declarations -----------------------------------------------------------------------

class Variable(NamedTuple):
    name: str
    type: str | None  # the type expression's source text
    required: bool
    sensitive: bool
    ephemeral: bool
    description: str | None
    file: str
    line: int


class Output(NamedTuple):
    name: str
    sensitive: bool
    ephemeral: bool
    description: str | None


class ModuleInterface(NamedTuple):
    directory: Path
    variables: dict[str, Variable]
    outputs: dict[str, Output]


def _flag(source: str | None) -> bool:
    return source is not None and source.strip() == "true"


def _text(source: str | None) -> str | None:
    return decode_string(source) if source is not None and source.startswith('"') else source


def read_module(directory: Path) -> ModuleInterface:
    """The variables and outputs a module directory declares. Raises OSError when the
    directory cannot be read, HclSyntaxError (with the file) when a file cannot be parsed."""
    variables: dict[str, Variable] = {}
    outputs: dict[str, Output] = {}
    files = sorted(p for p in directory.iterdir()
                   if p.is_file() and p.name.endswith((".tf", ".tf.json")))
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            if path.name.endswith(".tf.json"):
                found = _json_blocks(text)
            else:
                found = [(b.type, b.labels, b.attributes, b.line) for b in parse_body(text)]
        except HclSyntaxError as exc:
            raise HclSyntaxError(f"{path.name}: {exc}", exc.line) from None
        for kind, labels, attrs, line in found:
            if kind == "variable" and len(labels) == 1:
                variables[labels[0]] = Variable(
                    labels[0], attrs.get("type"), "default" not in attrs,
                    _flag(attrs.get("sensitive")), _flag(attrs.get("ephemeral")),
                    _text(attrs.get("description")), path.name, line)
            elif kind == "output" and len(labels) == 1:
                outputs[labels[0]] = Output(labels[0], _flag(attrs.get("sensitive")),
                                            _flag(attrs.get("ephemeral")),
                                            _text(attrs.get("description")))
    return ModuleInterface(directory, variables, outputs)


def _json_blocks(text: str) -> list[tuple[str, tuple[str, ...], dict[str, str], int]]:
    """variable/output blocks of a .tf.json file, attributes as expression text."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise HclSyntaxError(f"invalid JSON: {exc}", getattr(exc, "lineno", 1)) from None
    found: list[tuple[str, tuple[str, ...], dict[str, str], int]] = []
    if not isinstance(doc, dict):
        return found
    for kind in ("variable", "output"):
        section = doc.get(kind)
        groups = section if isinstance(section, list) else [section]
        for group in groups:
            if not isinstance(group, dict):
                continue
            for name, body in group.items():
                bodies = body if isinstance(body, list) else [body]
                for item in bodies:
                    if isinstance(item, dict):
                        attrs = {k: _json_text(v) for k, v in item.items()}
                        if kind == "variable" and isinstance(item.get("type"), str):
                            attrs["type"] = _json_type(item["type"])  # a type expression
                        found.append((kind, (name,), attrs, 1))
    return found


def _json_type(value: str) -> str:
    return value[2:-1] if value.startswith("${") and value.endswith("}") else value


def _json_text(value: Any) -> str:
    """A JSON attribute value as the expression text the native syntax would hold."""
    if isinstance(value, str):
        if value.startswith("${") and value.endswith("}") and value.count("${") == 1:
            return value[2:-1]  # type = "${list(string)}" (older style)
        return json.dumps(value)
    return json.dumps(value)
