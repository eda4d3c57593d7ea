"""A ``Pattern`` rule's regular expression for pydantic-core's Rust engine, where that is safe.

pydantic-core checks a ``pattern`` constraint in Rust, about twenty times faster than a call of
Python's ``re`` from the rule (and inside the validation it runs anyway). The two engines
differ at the edges (``\\d`` and ``\\w`` are Unicode in both, from different Unicode versions;
Python's ``$`` also matches before a final newline; Rust nests classes and reads ``&&``,
``--`` and ``~~`` in them as set operations; Python accepts ``{,n}``). So only a plain subset
is translated, and every difference left is in one direction: the Rust pattern never accepts
a string that ``re.fullmatch`` of the original rejects. It may reject more (``\\d`` becomes
``[0-9]``), which costs nothing: a rejected call takes the full path, where the Python rule
decides and words its message. Anything outside the subset (look-arounds, flags,
back-references, ``\\D``, ...) gives None, and the rule stays in Python.
"""

from __future__ import annotations

_META = "\\^$.|?*+()[]{}"
# Escapes both engines read as the literal character.
_ESCAPED_LITERALS = frozenset("\\^$.|?*+()[]{}-/")
# ASCII subsets of Python's Unicode classes: a stricter test is a safe one.
_CLASS_SETS = {"d": "0-9", "w": "0-9A-Za-z_", "s": "\\t\\n\\x0B\\x0C\\r "}


def rust_pattern(regex: str) -> str | None:
    """``regex`` (matched with ``re.fullmatch``) as an anchored Rust-regex pattern that accepts
    no string the original rejects, or None when it is outside the subset read alike."""
    out: list[str] = []
    depth, i, end = 0, 0, len(regex)
    repeatable = False  # whether a quantifier may follow
    while i < end:
        char = regex[i]
        if char == "^":
            if i != 0:
                return None
            i += 1
            continue
        if char == "$":
            if i != end - 1:
                return None
            i += 1
            continue
        if char == "\\":
            escaped = regex[i + 1:i + 2]
            if escaped in _CLASS_SETS:
                out.append(f"[{_CLASS_SETS[escaped]}]")
            elif escaped and escaped in _ESCAPED_LITERALS:
                out.append("\\" + escaped)
            else:
                return None
            i, repeatable = i + 2, True
            continue
        if char == "[":
            found = _character_class(regex, i)
            if found is None:
                return None
            text, i = found
            out.append(text)
            repeatable = True
            continue
        if char == "(":
            if regex.startswith("(?:", i):
                out.append("(?:")
                i += 3
            elif regex.startswith("(?", i):
                return None  # flags, look-arounds, named groups...
            else:
                out.append("(")
                i += 1
            depth, repeatable = depth + 1, False
            continue
        if char == ")":
            if depth == 0:
                return None
            out.append(")")
            depth, i, repeatable = depth - 1, i + 1, True
            continue
        if char == "|":
            out.append("|")
            i, repeatable = i + 1, False
            continue
        if char in "*+?{":
            if not repeatable:
                return None
            if char == "{":
                close = regex.find("}", i)
                count = regex[i + 1:close] if close > i else ""
                low, comma, high = count.partition(",")
                if not low.isdigit() or not (high == "" or high.isdigit()) or (
                        not comma and high):
                    return None  # {,n}, {}, a literal brace...
                out.append(regex[i:close + 1])
                i = close + 1
            else:
                out.append(char)
                i += 1
            if regex[i:i + 1] == "?":  # lazy: the same strings match in full
                out.append("?")
                i += 1
            if regex[i:i + 1] and regex[i] in "*+?{":
                return None  # possessive or stacked quantifiers
            repeatable = False
            continue
        if char == ".":
            out.append(".")
        elif char in _META or not char.isprintable() or char == "#":
            return None
        else:
            out.append(char)
        i, repeatable = i + 1, True
    if depth:
        return None
    return "^(?:" + "".join(out) + ")$"


def _character_class(regex: str, start: int) -> tuple[str, int] | None:
    """``[...]`` at ``start``: (its Rust text, the index after it), or None."""
    i = start + 1
    negated = regex[i:i + 1] == "^"
    if negated:
        i += 1
    if regex[i:i + 1] in ("]", ""):
        return None  # "[]...]" reads differently
    items: list[str] = []
    while i < len(regex):
        char = regex[i]
        if char == "]":
            return "[" + ("^" if negated else "") + "".join(items) + "]", i + 1
        pair = regex[i:i + 2]
        if char == "[" or pair in ("&&", "--", "~~"):
            return None  # nested classes and set operations in Rust
        if char == "\\":
            escaped = regex[i + 1:i + 2]
            if escaped in _CLASS_SETS and not negated:  # negated, a stricter set accepts more
                items.append(_CLASS_SETS[escaped])
            elif escaped and escaped in _ESCAPED_LITERALS:
                items.append("\\" + escaped)
            else:
                return None
            i += 2
            continue
        if not char.isprintable():
            return None
        items.append("\\" + char if char in "&~" else char)
        i += 1
    return None
