"""pangea._typing: the run-time stand-ins for what pangea uses of typing (import cost) build
the same classes and behave as typing's do."""

from __future__ import annotations

import typing

import pytest

from pangea import _typing


def _pair(base: type) -> type:
    class Point(base):  # type: ignore[misc, valid-type]
        """A point."""

        x: int
        y: int
        label: str | None = None
        tags: tuple[str, ...] = ()

        def norm(self) -> int:
            return abs(self.x) + abs(self.y)

    return Point


def test_namedtuple_class_matches_typing() -> None:
    ours, theirs = _pair(_typing.NamedTuple), _pair(typing.NamedTuple)
    for cls in (ours, theirs):
        point = cls(1, -2, tags=("a",))
        assert isinstance(point, tuple) and tuple(point) == (1, -2, None, ("a",))
        assert point.norm() == 3
        assert point._replace(label="p").label == "p"
        assert point._asdict() == {"x": 1, "y": -2, "label": None, "tags": ("a",)}
        assert repr(point) == "Point(x=1, y=-2, label=None, tags=('a',))"
        assert cls._make([3, 4, "q", ()]) == (3, 4, "q", ())
    for name in ("_fields", "_field_defaults", "__doc__", "__module__", "__qualname__",
                 "__mro__"):
        got, want = getattr(ours, name), getattr(theirs, name)
        if name == "__mro__":
            got, want = [c.__name__ for c in got], [c.__name__ for c in want]
        assert got == want, name
    # the annotations stay the strings they were written as (typing makes ForwardRefs of them)
    assert ours.__annotations__ == {"x": "int", "y": "int", "label": "str | None",
                                    "tags": "tuple[str, ...]"}
    assert typing.get_type_hints(ours) == typing.get_type_hints(theirs)
    with pytest.raises(TypeError):
        ours(1)  # y is required


def test_namedtuple_refuses_what_typing_refuses() -> None:
    for base in (_typing.NamedTuple, typing.NamedTuple):
        with pytest.raises(TypeError, match="Non-default namedtuple field y cannot follow"):
            class Bad(base):  # type: ignore[misc, valid-type]
                x: int = 0
                y: int
        with pytest.raises(AttributeError, match="Cannot overwrite NamedTuple attribute _replace"):
            class Replacing(base):  # type: ignore[misc, valid-type]
                x: int

                def _replace(self) -> None: ...


def test_cast_and_overload() -> None:
    value = object()
    assert _typing.cast("int", value) is value

    @_typing.overload
    def f(x: int) -> int: ...

    def f(x):  # type: ignore[no-redef]
        return x * 2

    assert f(2) == 4


def test_runtime_forms_of_the_types_typing_built() -> None:
    from pangea.declare import Lifecycle
    from pangea.diagnostics import Diagnostic, Level
    from pangea.expr import ListRef, StrRef
    from pangea.namespace import Settings

    assert Lifecycle(prevent_destroy=True) == {"prevent_destroy": True}  # a TypedDict is a dict
    diagnostic = Diagnostic(Level.WARNING, "m", "c")
    assert isinstance(diagnostic, tuple) and diagnostic.hint is None
    assert diagnostic._replace(hint="h").render().endswith("hint: h")
    assert ListRef[StrRef] is ListRef  # subscripts are accepted in annotations at run time
    settings = Settings("ns", {"a": 1}, None)
    from collections.abc import Mapping
    assert isinstance(settings, Mapping) and dict(settings) == {"a": 1}
