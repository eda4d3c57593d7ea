"""Argument types used by the generated attribute models.

Every argument accepts a literal of its Terraform type or a Terraform expression. Primitive
literals are strict (``"5"`` is not a number, ``1`` is not a bool: a silently converted value
is a bug waiting to happen); containers are lax (a tuple is a fine list).
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import AfterValidator, StrictBool, StrictFloat, StrictInt, StrictStr

from pangea.expr import Expr


def _must_interpolate(value: str) -> str:
    if "${" not in value:
        raise ValueError("a string here must be a Terraform expression (contain ${...})")
    return value


#: A string holding a Terraform interpolation, accepted where a non-string literal is expected.
InterpStr = Annotated[StrictStr, AfterValidator(_must_interpolate)]
#: Anything that is a Terraform expression.
TfExpr = Union[Expr, InterpStr]

Str = Union[StrictStr, Expr]
Num = Union[StrictInt, StrictFloat, Expr, InterpStr]
Bool = Union[StrictBool, Expr, InterpStr]
Dynamic = Any
