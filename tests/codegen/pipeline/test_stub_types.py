"""What the stubs' annotations say: enums as Literal types, and reference types that keep
strings, numbers and bools apart (pangea.expr's NumExpr and BoolExpr)."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.model import Attribute, RuleSpec, Struct, TfType
from codegen.pipeline.emit_python import enum_literal
from pangea import validation
from pangea.expr import (AnyRef, BoolExpr, BoolRef, Expr, Interpolation, ListRef, NumExpr, NumRef,
                         Raw, StrRef, tf)

STUB = (Path(__file__).resolve().parents[3] / "generated/pangea_aws/resources/"
        "aws_docdb_cluster.pyi").read_text()


def _struct(attr: Attribute, allowed: tuple) -> Struct:
    struct = Struct("A", "R", "D", "", attributes=[attr])
    struct.rules.append(RuleSpec(validation.OneOf(attr.tf_name, allowed)))
    return struct


@pytest.mark.parametrize("tf_type, allowed, expected", [
    (TfType("string"), ("a", "b"), 'Literal["a", "b"]'),
    (TfType("number"), (1, 2), "Literal[1, 2]"),
    (TfType("number"), (0.5, 1), None),  # a float cannot be a Literal: stays int | float
    (TfType("list", element=TfType("string")), ("x",), 'Literal["x"]'),
])
def test_enum_literal(tf_type, allowed, expected) -> None:
    attr = Attribute("v", "v", tf_type, optional=True)
    assert enum_literal(_struct(attr, allowed), attr) == expected


def test_no_literal_without_an_enum_rule() -> None:
    attr = Attribute("v", "v", TfType("string"), optional=True)
    assert enum_literal(Struct("A", "R", "D", "", attributes=[attr]), attr) is None


def test_enum_arguments_are_literal_types_in_the_stub() -> None:
    assert '    engine: Literal["docdb"] | Expr | None = ...,' in STUB
    assert '    storage_type: Literal["standard", "iopt1"] | Expr | None = ...,' in STUB
    # an enum on the elements of a list, and one inside a block (model and TypedDict)
    assert 'Sequence[Literal["audit", "profiler"] | Expr] | Expr' in STUB
    assert '"restore_type": Literal["full-copy", "copy-on-write"] | Expr,' in STUB


def test_numbers_and_bools_take_their_own_expressions_strings_take_any() -> None:
    assert "    backup_retention_period: int | float | NumExpr | None = ...," in STUB
    assert "    storage_encrypted: bool | BoolExpr | None = ...," in STUB
    assert "    engine_version: str | Expr | None = ...," in STUB
    assert "    count: int | NumExpr | None = ...," in STUB


def test_one_signature_with_an_optional_positional_dict() -> None:
    assert STUB.count("def aws_docdb_cluster(") == 1 and "@overload" not in STUB
    assert "    attrs: AwsDocdbClusterDict | AwsDocdbClusterArgs | None = None,\n    /,\n" in STUB


@pytest.mark.parametrize("ref, number, boolean", [
    (NumRef("x"), True, False),
    (BoolRef("x"), False, True),
    (StrRef("x"), False, False),
    (ListRef("x"), False, False),
    (Interpolation("a-${x}"), False, False),  # a string template is a string
    (AnyRef("x"), True, True),  # unknown type: accepted anywhere
    (tf("var.x"), True, True),
])
def test_reference_kinds(ref: Expr, number: bool, boolean: bool) -> None:
    assert isinstance(ref, Expr)
    assert isinstance(ref, NumExpr) is number and isinstance(ref, BoolExpr) is boolean


def test_the_hierarchy_keeps_rendering_and_navigation() -> None:
    raw = tf("length(var.zones)")
    assert isinstance(raw, Raw) and str(raw) == "${length(var.zones)}"
    assert str(AnyRef("var.x").a[0]) == "${var.x.a[0]}"
    assert f"{NumRef('aws_x.y.port')}" == "${aws_x.y.port}"
