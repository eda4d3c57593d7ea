"""pangea.typed_body, the one-pass path of a resource call: it only skips work.

Whenever it gives a body, the full path (model + json_struct) must accept the same call with
no problem and no warning, and write the same body in the same order; whenever the full path
finds something to say, the one-pass path must have declined (None)."""

from __future__ import annotations

import importlib
import json
import pkgutil
import random
from typing import Any

import pytest

import pangea
from pangea import tf, typed_body
from pangea.context import TemplateContext
from pangea.errors import ValidationError
from pangea.expr import Expr, StrRef
from pangea.struct import StructModel
from pangea.types import BOOL, NUM, STR, Mapping, Sequence
from pangea.validation import Length, OneOf, Pattern, Range, _always, _never


def _arg_classes() -> list[type[StructModel]]:
    found = []
    for package_name in ("pangea_aws.resources", "pangea_aws.data", "pangea_random.resources",
                         "pangea_tls.resources"):
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package_name}.{info.name}")
            spec = getattr(module, "SPEC", None)
            if spec is not None:
                found.append(spec.args)
    return sorted(found, key=lambda cls: cls.__name__)


CLASSES = _arg_classes()


def _candidates(cls: type[StructModel], tf_name: str, node: Any, own: Expr,
                foreign: Expr) -> list[Any]:
    """Values for one attribute: valid ones, each rule's edges, wrong types, expressions."""
    values: list[Any] = [None, "${var.x}", own, foreign, tf("var.y"), "a-${var.z}"]
    rules = [r for r in cls._rules if getattr(r, "attr", None) == tf_name]
    texts = ["abc", "", "x" * 300, "UPPER-case", "a--b", "docdb-1", "db\n", "\u0663", "a b"]
    for rule in rules:
        if isinstance(rule, OneOf):
            texts += [v for v in rule.allowed if isinstance(v, str)]
            values += [v for v in rule.allowed if not isinstance(v, str)]
        if isinstance(rule, Length):
            for size in (rule.min, rule.max):
                if size is not None:
                    texts += ["a" * max(size - 1, 0), "a" * size, "a" * (size + 1)]
        if isinstance(rule, Range):
            for bound in (rule.min, rule.max):
                if bound is not None:
                    values += [bound, bound - 1, bound + 1, bound + 0.5]
        if isinstance(rule, Pattern):
            texts += ["example", "example-1", "Example", "arn:aws:kms:eu-west-1:123456789012:key/x",
                      "07:00-09:00", "2025-01-31T23:45:00Z"]
    if node is STR:
        return values + texts + [5, True]
    if node is NUM:
        return values + [0, 1, -1, 7, 1.5, 10**6, float("inf"), True, "5"]
    if node is BOOL:
        return values + [True, False, 1, "true"]
    if isinstance(node, Sequence):
        return values + [[], [texts[0]], texts[:3], tuple(texts[:2]), set(texts[:2]), [1],
                         [own], [foreign], ["${var.x}"], [None], texts]
    if isinstance(node, Mapping):
        return values + [{}, {"k": "v"}, {"b": "2", "a": "1"}, {"k": 1}, {1: "v"},
                         {"k": own}, {"k": "${var.x}"}]
    return values + texts[:2] + [{"a": 1}]


def _full(cls: type[StructModel], ctx: TemplateContext, data: dict[str, Any]) -> Any:
    try:
        model = cls.model_validate(dict(data), address="aws_x.y")
        return ctx.json_struct(model, "aws_x.y", "")
    except ValidationError as exc:
        return exc


def _one_pass(cls: type[StructModel], ctx: TemplateContext,
              call: dict[str, Any]) -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
    """``plain_body`` on a clean context: (its body or None, the interpolations it recorded).
    It decides nothing itself: no error, no diagnostic."""
    ctx.errors.clear()
    ctx.diagnostics.clear()
    ctx._interpolations.clear()
    fast = typed_body.plain_body(cls, ctx, "aws_x.y", dict(call))
    recorded = list(ctx._interpolations)
    assert not ctx.errors and not ctx.diagnostics, call
    ctx._interpolations.clear()
    return fast, recorded


def _exercise(cls: type[StructModel]) -> int:
    """Run the calls; return how many took the one-pass path."""
    rng = random.Random(cls.__name__)
    ctx = TemplateContext("t", None, {})
    other = TemplateContext("u", None, {id(ctx): "t"})
    own, foreign = StrRef("aws_vpc.main.id", ctx), StrRef("aws_vpc.other.id", other)
    required = {(f.alias or n): "${var.r}" for n, f in cls._fields.items() if f.required}
    attrs = [(f.alias or n, f.node) for n, f in cls._fields.items()
             if (f.alias or n) not in cls._blocks]
    calls = [dict(required)]
    for tf_name, node in attrs:
        for value in _candidates(cls, tf_name, node, own, foreign):
            calls.append({**required, tf_name: value})
    for _ in range(40):  # a few attributes at once, so rules across them meet
        call = dict(required)
        for tf_name, node in rng.sample(attrs, min(len(attrs), 4)):
            call[tf_name] = rng.choice(_candidates(cls, tf_name, node, own, foreign))
        calls.append(call)
    taken = 0
    for call in calls:
        fast, fast_interpolations = _one_pass(cls, ctx, call)
        full = _full(cls, ctx, call)
        if fast is None:
            continue
        taken += 1
        assert not isinstance(full, ValidationError), (call, full)
        body, problems, inputs = full
        assert problems == [] and not ctx.diagnostics and not ctx.errors, (call, problems)
        assert list(fast.items()) == list(body.items()), call  # same values, same order
        assert sorted(fast_interpolations) == sorted(ctx._interpolations), call
    return taken


TAKEN: dict[str, int] = {}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_a_body_from_one_pass_is_the_full_paths_with_nothing_to_say(
        cls: type[StructModel]) -> None:
    TAKEN[cls.__name__] = _exercise(cls)


def test_most_types_take_the_one_pass_path_for_plain_calls() -> None:
    """(Uses the counts of the test above when it ran in this process.)"""
    taken = {cls.__name__: TAKEN[cls.__name__] if cls.__name__ in TAKEN else _exercise(cls)
             for cls in CLASSES}
    assert sum(1 for count in taken.values() if count) >= len(taken) * 3 // 4, taken


def test_the_example_stack_synthesizes_the_same_without_the_one_pass_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    example = "examples/database_infrastructure.py"
    fast = json.dumps(pangea.synth(example), sort_keys=True)
    monkeypatch.setattr("pangea.declare.plain_body", lambda *args: None)
    assert json.dumps(pangea.synth(example), sort_keys=True) == fast


def test_the_one_pass_path_is_taken_by_plain_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """The speed it exists for: a plain call never builds the model."""
    from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance

    built = []
    # once a process has made a dynamic() block, every call looks for one (the full path)
    monkeypatch.setattr("pangea.context.DYNAMIC_USED", False)
    monkeypatch.setattr("pangea.declare._full_body",
                        lambda *args: built.append(args[2]) or ({}, [("", "x")], {}))

    @pangea.template
    def fleet() -> None:
        cluster = aws_docdb_cluster("c", cluster_identifier="docdb-1", engine_version="5.0.0",
                                    master_username="admin", manage_master_user_password=True,
                                    skip_final_snapshot=True, tags={"b": "2", "a": "1"})
        aws_docdb_cluster_instance("i", identifier="docdb-1-0", instance_class="db.r6g.large",
                                   cluster_identifier=cluster.id, depends_on=[cluster])

    config = fleet()
    assert built == []
    body = config["resource"]["aws_docdb_cluster"]["c"]
    assert list(body["tags"]) == ["a", "b"] and list(body) == sorted(body)
    instance = config["resource"]["aws_docdb_cluster_instance"]["i"]
    assert instance["cluster_identifier"] == "${aws_docdb_cluster.c.id}"
    assert instance["depends_on"] == ["aws_docdb_cluster.c"]


def test_past_its_shape_limit_a_class_validates_with_one_whole_validator(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A program with very many call shapes per type ends on one validator of every field;
    the bodies stay the full path's."""
    from pangea_aws.resources.aws_memorydb_cluster import AwsMemorydbClusterArgs

    monkeypatch.setattr(typed_body.Plan, "MAX_SHAPES", 3)
    monkeypatch.delattr(AwsMemorydbClusterArgs, "_body_plan", raising=False)
    try:
        assert _exercise(AwsMemorydbClusterArgs) > 0
        found = typed_body.plan(AwsMemorydbClusterArgs)
        assert len(found.shapes) == 3 and found._whole is not None
    finally:
        monkeypatch.delattr(AwsMemorydbClusterArgs, "_body_plan", raising=False)


def test_an_unknown_name_or_one_given_twice_takes_the_full_path() -> None:
    from pangea_aws.resources.aws_docdb_cluster import AwsDocdbClusterArgs

    ctx = TemplateContext("t", None, {})
    assert typed_body.plain_body(AwsDocdbClusterArgs, ctx, "a.b", {"nope": 1}) is None
    assert typed_body.plain_body(AwsDocdbClusterArgs, ctx, "a.b", {5: "x"}) is None
    valid = {"cluster_identifier": "a", "master_username": "admin",
             "manage_master_user_password": True, "skip_final_snapshot": True}
    assert typed_body.plain_body(AwsDocdbClusterArgs, ctx, "a.b", valid) is not None
    assert typed_body.plain_body(AwsDocdbClusterArgs, ctx, "a.b",
                                 {**valid, "cluster-identifier": "b"}) is None
    assert typed_body.plain_body(AwsDocdbClusterArgs, ctx, "a.b",
                                 {**valid, "master_username": None}) is None  # then required


def test_fractional_range_bounds_hold_for_ints_and_floats() -> None:
    from pangea._core import SchemaValidator
    from pangea._core import ValidationError as CoreValidationError

    schema, used = NUM.constrained([Range("n", min=0.5, max=2.5)])
    assert used
    validator = SchemaValidator(schema)
    for value, ok in ((0, False), (1, True), (2, True), (3, False), (0.5, True), (2.6, False),
                      (0.4, False), ("${var.n}", True)):
        try:
            validator.validate_python(value)
            accepted = True
        except CoreValidationError:
            accepted = False
        assert accepted == ok, value
        # the Python rule agrees wherever pydantic-core accepts
        if accepted:
            assert Range("n", min=0.5, max=2.5).check({"n": value}, frozenset()) == []


# -- what a call shape's names decide, decided once --------------------------------------------

_CLUSTER = {"cluster_identifier": "a", "master_username": "admin",
            "manage_master_user_password": True}


def _cluster_shape(call: dict[str, Any]) -> typed_body.Shape:
    from pangea_aws.resources.aws_docdb_cluster import AwsDocdbClusterArgs

    return typed_body.plan(AwsDocdbClusterArgs).shapes[tuple(call)]


def test_names_that_break_a_rule_send_every_call_of_their_shape_to_the_full_path() -> None:
    from pangea_aws.resources.aws_docdb_cluster import AwsDocdbClusterArgs

    ctx = TemplateContext("t", None, {})
    call = {**_CLUSTER, "cluster_identifier_prefix": "b", "skip_final_snapshot": True}
    for _ in range(2):  # the first call decides the shape, the second reads the decision
        assert typed_body.plain_body(AwsDocdbClusterArgs, ctx, "a.b", dict(call)) is None
        _, problems, _ = _full(AwsDocdbClusterArgs, ctx, call)
        assert [m for _, m in problems if m.startswith("set at most one of")], problems
    assert _cluster_shape(call).passes is _never


def test_a_value_rule_the_names_leave_open_still_reads_each_calls_values() -> None:
    """skip_final_snapshot = false without final_snapshot_identifier warns (full path); the
    same names with true do not: the shape keeps that rule and runs it per call."""
    from pangea_aws.resources.aws_docdb_cluster import AwsDocdbClusterArgs

    ctx = TemplateContext("t", None, {})
    call = {**_CLUSTER, "skip_final_snapshot": True}
    assert typed_body.plain_body(AwsDocdbClusterArgs, ctx, "a.b", dict(call)) is not None
    assert typed_body.plain_body(AwsDocdbClusterArgs, ctx, "a.b",
                                 {**call, "skip_final_snapshot": False}) is None
    _full(AwsDocdbClusterArgs, ctx, {**call, "skip_final_snapshot": False})
    assert [d.code for d in ctx.diagnostics] == ["final-snapshot"]
    # with the snapshot named, the names settle the rule: nothing is left to run per call
    named = {**call, "final_snapshot_identifier": "last"}
    assert typed_body.plain_body(AwsDocdbClusterArgs, ctx, "a.b",
                                 {**named, "skip_final_snapshot": False}) is not None
    assert _cluster_shape(named).passes is _always


def test_a_none_value_does_not_decide_its_shape() -> None:
    """None means "not given": a call of the same names without None has more names set,
    so the shape is decided by the first call that gives no None."""
    from pangea_aws.resources.aws_docdb_cluster import AwsDocdbClusterArgs

    ctx = TemplateContext("t", None, {})
    call = {**_CLUSTER, "skip_final_snapshot": True, "cluster_identifier_prefix": None}
    assert typed_body.plain_body(AwsDocdbClusterArgs, ctx, "a.b", dict(call)) is not None
    assert _cluster_shape(call).passes is None
    conflicting = {**call, "cluster_identifier_prefix": "b"}
    assert typed_body.plain_body(AwsDocdbClusterArgs, ctx, "a.b", conflicting) is None
    assert _cluster_shape(call).passes is _never
    assert typed_body.plain_body(AwsDocdbClusterArgs, ctx, "a.b", dict(call)) is not None
