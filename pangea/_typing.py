"""What pangea uses of ``typing`` at run time, without importing typing.

Importing ``typing`` is about a tenth of what ``import pangea`` costs, and its NamedTuple turns
every field's annotation (a string, under ``from __future__ import annotations``) into a
``ForwardRef``, compiling it: a nine-field class cost more than the rest of its module. The
modules on the synthesis path therefore import typing only for type checkers::

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from typing import NamedTuple, cast, overload
    else:
        from pangea._typing import NamedTuple, cast, overload

(mypy and pyright treat any ``TYPE_CHECKING`` name as true.) At run time ``NamedTuple`` builds
what typing builds (a ``collections.namedtuple`` carrying the class body's docstring, methods
and defaults), except that ``__annotations__`` keeps the annotations as the strings they were
written as; ``cast`` returns its value; ``overload`` returns the function it decorates (the
implementation defined after the overloads replaces them, as with typing's).
"""

from __future__ import annotations

import collections

# the names typing refuses in a NamedTuple body, and those it does not copy onto the class
_PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields",
                         "_field_defaults", "_make", "_replace", "_asdict", "_source"})
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})


_namedtuple = collections.namedtuple  # called with names known only at run time


class _NamedTupleMeta(type):
    def __new__(mcls, typename: str, bases: tuple[type, ...], ns: dict) -> type:
        if bases != (NamedTuple,):
            raise TypeError("can only inherit from a NamedTuple type")
        annotations = ns.get("__annotations__", {})
        default_names: list[str] = []
        for field in annotations:
            if field in ns:
                default_names.append(field)
            elif default_names:
                raise TypeError(f"Non-default namedtuple field {field} cannot follow default "
                                f"field{'s' if len(default_names) > 1 else ''} "
                                f"{', '.join(default_names)}")
        defaults = [ns[name] for name in default_names]
        cls = _namedtuple(typename, list(annotations), defaults=defaults, module=ns["__module__"])
        cls.__annotations__ = cls.__new__.__annotations__ = dict(annotations)
        for key, value in ns.items():
            if key in _PROHIBITED:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            if key not in _SPECIAL and key not in annotations:
                setattr(cls, key, value)
        return cls


# Listed as a base, it gives the class its metaclass (only the class syntax is offered).
NamedTuple = type.__new__(_NamedTupleMeta, "NamedTuple", (), {})


def cast(_type: object, value: object) -> object:
    return value


def overload(function: object) -> object:
    return function
