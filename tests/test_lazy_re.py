"""pangea.lazy_re: a pattern compiled on first use behaves as the compiled one."""

from __future__ import annotations

import re

import pytest

from pangea.lazy_re import LazyPattern, lazy_compile


def test_a_lazy_pattern_matches_as_the_compiled_one() -> None:
    lazy = lazy_compile(r"(?P<word>[a-z]+)-(\d+)", re.I)
    compiled = re.compile(r"(?P<word>[a-z]+)-(\d+)", re.I)
    for text in ("abc-12", "ABC-1", "x", "a-1 b-2"):
        assert bool(lazy.fullmatch(text)) == bool(compiled.fullmatch(text))
        assert lazy.findall(text) == compiled.findall(text)
        assert [m.group("word") for m in lazy.finditer(text)] == [
            m.group("word") for m in compiled.finditer(text)]
    assert lazy.sub("_", "a-1 b-2") == compiled.sub("_", "a-1 b-2")


def test_it_compiles_on_first_use_only() -> None:
    lazy = LazyPattern("[")  # invalid: nothing happens until it is used
    with pytest.raises(re.error):
        lazy.match("x")


def test_dunder_lookups_do_not_compile() -> None:
    lazy = LazyPattern("[")
    assert not hasattr(lazy, "__array__")
