"""pangea.rust_pattern: a translated pattern never accepts what Python's re.fullmatch rejects."""

from __future__ import annotations

import importlib
import pkgutil
import random
import re
from typing import Any

import pytest
from pydantic_core import SchemaValidator
from pydantic_core import ValidationError as CoreValidationError

from pangea.rust_pattern import rust_pattern
from pangea.validation import Pattern

# (pattern, strings it matches in full): the common forms of the override files
COMMON = [
    ("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", ["docdb-1", "a", "db-main-2"]),
    ("^[A-Za-z][A-Za-z0-9]*$", ["docdbadmin", "Admin1"]),
    ('^[^/"@]+$', ["p4ss word!", "x"]),
    ("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", ["07:00-09:00"]),
    ("^arn:[a-z0-9-]+:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/.+$",
     ["arn:aws:kms:eu-west-1:123456789012:key/abc"]),
    (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
     ["2025-01-31T23:45:00Z", "2025-01-31T23:45:00.5+01:00"]),
    (r"^[\w.-]+$", ["a_b.c-d"]),
    ("^a{2,3}?b{1,}c?$", ["aab", "aaabbc"]),
]

# Forms read differently by the two engines, or not at all by Rust: left to Python.
REFUSED = [
    "^a{,3}$",  # Python: up to three; Rust: a parse error
    "^[[a]]$",  # Rust nests classes
    "^[a&&b]$", "^[a--b]$", "^[a~~b]$",  # Rust set operations
    "^(?i)abc$", "^(?=a)a$", "^(?P<x>a)$", "^(a)\\1$",  # flags, look-around, groups, backrefs
    "^a$b", "a^b",  # anchors inside
    r"^[^\d]$", r"^\D$", r"^\bx$", r"^a\Z",  # wider or unknown classes
    "^[]a]$", "^a{$", "^a**$", "^a*+$", "^(a$", "^a)$", "^*a$",
    "^a\tb$", "^a#b$",  # not printable; '#' is a comment in Rust's verbose mode
]


def _rust(pattern: str) -> SchemaValidator:
    return SchemaValidator({"type": "str", "strict": True, "pattern": pattern})


def _accepts(validator: SchemaValidator, text: str) -> bool:
    try:
        validator.validate_python(text)
    except CoreValidationError:
        return False
    return True


def _generated_patterns() -> list[str]:
    """Every Pattern rule of the committed generated packages."""
    found: set[str] = set()
    for package_name in ("pangea_aws.resources", "pangea_aws.data", "pangea_random.resources",
                         "pangea_tls.resources"):
        try:
            package = importlib.import_module(package_name)
        except ImportError:
            continue
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package_name}.{info.name}")
            for value in vars(module).values():
                for rule in getattr(value, "_rules", ()) if isinstance(value, type) else ():
                    if isinstance(rule, Pattern):
                        found.add(rule.regex)
    return sorted(found)


_ALPHABET = "aZ09-_./:@ \n\u0663\u00e9\u017f{},"


def _sample(tree: Any, rng: random.Random) -> str:
    """A random string Python's regular expression (parsed by re's own parser) matches."""
    out = []
    for op, arg in tree:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "ANY":
            out.append(rng.choice("aZ9-é"))
        elif name == "IN":
            out.append(_in_class(arg, rng))
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, sub = arg
            count = rng.randint(low, min(high, low + 3))
            out.extend(_sample(sub, rng) for _ in range(count))
        elif name == "SUBPATTERN":
            out.append(_sample(arg[-1], rng))
        elif name == "BRANCH":
            out.append(_sample(rng.choice(arg[1]), rng))
        elif name == "AT":
            continue
        else:
            raise ValueError(name)
    return "".join(out)


def _in_class(items: Any, rng: random.Random) -> str:
    if str(items[0][0]) == "NEGATE":  # a character outside the listed ones
        for candidate in rng.sample(_ALPHABET, len(_ALPHABET)):
            if re.fullmatch("[" + "".join(re.escape(c) for c in candidate) + "]", candidate) and \
                    not _in_listed(items[1:], candidate):
                return candidate
        return "\u2603"
    op, arg = rng.choice(items)
    name = str(op)
    if name == "LITERAL":
        return chr(arg)
    if name == "RANGE":
        return chr(rng.randint(*arg))
    return rng.choice({"CATEGORY_DIGIT": "07\u0663", "CATEGORY_WORD": "aZ_9",
                       "CATEGORY_SPACE": " \t\n"}.get(str(arg), "a"))


def _in_listed(items: Any, char: str) -> bool:
    for op, arg in items:
        name = str(op)
        if (name == "LITERAL" and chr(arg) == char) or (
                name == "RANGE" and arg[0] <= ord(char) <= arg[1]):
            return True
        if name == "CATEGORY" and re.fullmatch(
                {"CATEGORY_DIGIT": r"\d", "CATEGORY_WORD": r"\w",
                 "CATEGORY_SPACE": r"\s"}.get(str(arg), "(?!)"), char):
            return True
    return False


def _corpus(pattern: str, rng: random.Random) -> list[str]:
    """Strings the pattern matches, each with near misses (one character changed, added or
    removed, a newline added), and random strings of its own characters."""
    tree = re._parser.parse(pattern)  # type: ignore[attr-defined]
    alphabet = sorted(set(pattern) | set(_ALPHABET))
    strings = ["", "\n", "a\n", "0\n"]
    for _ in range(60):
        try:
            text = _sample(tree, rng)
        except ValueError:  # a construct the sampler does not know (look-around, ...)
            break
        strings += [text, text + "\n"]
        if text:
            at = rng.randrange(len(text))
            strings += [text[:at] + rng.choice(alphabet) + text[at + 1:],
                        text[:at] + rng.choice(alphabet) + text[at:], text[:at] + text[at + 1:]]
    for _ in range(100):
        strings.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))))
    return strings


@pytest.mark.parametrize("pattern, matching", COMMON)
def test_common_forms_are_translated_and_still_match(pattern: str, matching: list[str]) -> None:
    translated = rust_pattern(pattern)
    assert translated is not None
    validator = _rust(translated)
    for text in matching:
        assert re.fullmatch(pattern, text)
        assert _accepts(validator, text), (pattern, text)


@pytest.mark.parametrize("pattern", REFUSED)
def test_forms_read_differently_are_left_to_python(pattern: str) -> None:
    assert rust_pattern(pattern) is None


def test_python_only_matches_are_refused_by_the_translation() -> None:
    r"""Python's $ also matches before a final newline and \d takes any script's digits; the
    translation is stricter, never looser."""
    assert not _accepts(_rust(rust_pattern("^ab$")), "ab\n")
    assert re.fullmatch(r"^\d$", "\u0663")
    assert not _accepts(_rust(rust_pattern(r"^\d$")), "\u0663")


def test_every_generated_pattern_accepts_nothing_python_rejects() -> None:
    patterns = [p for p, _ in COMMON] + _generated_patterns()
    assert len(patterns) > len(COMMON)  # the packages hold patterns of their own
    rng = random.Random(20261202)
    translated = matched = 0
    for pattern in patterns:
        rust = rust_pattern(pattern)
        if rust is None:
            continue
        translated += 1
        validator = _rust(rust)
        python = re.compile(pattern)
        for text in _corpus(pattern, rng):
            if _accepts(validator, text):
                assert python.fullmatch(text), (pattern, rust, text)
                matched += 1
    assert translated >= len(patterns) // 2  # most patterns take the fast check
    assert matched >= 20 * translated  # the implication was put to the test
