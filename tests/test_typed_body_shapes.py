"""The one-pass path's per-shape decisions (``typed_body.Shape.settle``), attacked.

Per class and call shape (the input names a call gives, in order) the first call that gives
no None value settles, once, what the names alone decide; later calls of the shape run only
what is left. These tests call every shape many times, in a seeded random order, with values
that keep or break the rules the names touch, with None, with expressions of this template and
of another, with interpolated strings, and with first calls that fail (so a later call settles
the shape). Every call is checked three ways:

- against the full path (model + ``json_struct``): a body from the one-pass path means the
  full path accepts the call with no problem and no diagnostic, and writes the same body in
  the same order with the same interpolations recorded;
- against the one-pass path without per-shape decisions (a plan past its shape limit, which
  runs the class's general predicate on every call): the decisions must change nothing, in
  either direction;
- the one-pass path itself records no error and no diagnostic.
"""

from __future__ import annotations

import random
from itertools import pairwise
from typing import Any

import pytest

from pangea import tf, typed_body
from pangea import validation as v
from pangea.context import TemplateContext
from pangea.errors import ValidationError
from pangea.expr import BoolRef, Expr, Interpolation, NumRef, StrRef
from pangea.struct import StructModel
from pangea.types import (
    BOOL,
    NUM,
    STR,
    F,
    Mapping,
    Sequence,
    block,
    list_of,
    map_of,
    set_of,
)
from pangea.validation import AttributeRule, CrossRule, _always, _never
from tests.test_typed_body import CLASSES, _candidates, _full, _one_pass


class _Unsettled(typed_body.Plan):
    """A plan that never settles a shape: every call runs the general predicate (the shapes
    past ``MAX_SHAPES`` share one whole validator, which decides nothing once)."""

    MAX_SHAPES = 0


# -- hand-made classes for the rule kinds no generated class has -------------------------------
# (their tables are class attributes, as generated classes write them)
# ruff: noqa: RUF012

class _Block(StructModel):
    _fields = {"name": F(STR)}
    _types = {"name": "a string"}


def _described(*names: str) -> dict[str, str]:
    return {name: "a value" for name in names}


class Forbidding(StructModel):
    """Forbids in every form: when another is set, unless another is, always, when one
    attribute equals a value (its field default applies when omitted), when two do (one by
    its documented provider default)."""

    _fields = {
        "name": F(STR, required=True),
        "mode": F(STR, default="simple"),
        "enabled": F(BOOL),
        "tier": F(NUM),
        "a": F(STR), "b": F(STR), "c": F(STR), "d": F(STR), "e": F(STR), "x": F(STR),
        "y": F(STR),
    }
    _types = _described("name", "mode", "enabled", "tier", "a", "b", "c", "d", "e", "x", "y")
    _rules = (
        v.OneOf("mode", ("simple", "advanced")),
        v.Forbids(("a",), when_set=("b",)),
        v.Forbids(("c",), unless_set=("d",)),
        v.Forbids(("e",)),
        v.Forbids(("x",), when_equals=(("mode", "simple"),)),
        v.Forbids(("y",), when_equals=(("enabled", True), ("tier", 2)),
                  defaults=(("enabled", True),)),
    )


class Choosing(StructModel):
    """Exactly/at-least-one-of, required-together with an aliased attribute, value rules
    (one a warning), a rule pydantic-core cannot check (ArnOf), a conflict that warns, a
    deprecated and a provider-managed attribute, an optional block."""

    _fields = {
        "name": F(STR, required=True),
        "enabled": F(BOOL),
        "tier": F(NUM),
        "b": F(STR), "d": F(STR), "z": F(STR),
        "kind_": F(STR, alias="kind"),
        "targets": F(list_of(STR)),
        "labels": F(map_of(STR)),
        "zones": F(set_of(STR)),
        "old": F(STR),
        "id": F(STR),
        "settings": F(STR),
        "extra": F(block(_Block)),
    }
    _tf_names = {"kind_": "kind"}
    _types = _described("name", "enabled", "tier", "b", "d", "z", "kind", "targets", "labels",
                        "zones", "old", "id", "settings", "extra")
    _blocks = {"extra": _Block}
    _rules = (
        v.ArnOf("targets", ("aws_sns_topic",)),
        v.Requires(("z",), when_equals=(("enabled", False),), level="warning", code="z"),
        v.Requires(("targets",), when_equals=(("kind", "fanout"),)),
        v.ExactlyOneOf(("labels", "zones")),
        v.AtLeastOneOf(("b", "d", "settings")),
        v.RequiredTogether(("tier", "kind")),
        v.Conflicts(("old", "settings"), level="warning", code="old"),
    )
    _deprecated = {"old": "use settings"}
    _managed = frozenset(["id"])


EXTRA_CLASSES = [Forbidding, Choosing]


_PATTERN_EDGES = ["default", "g-abc", "abc-", "a--b", "sun:05:00-sun:05:30", "SUN:05:00-mon:25:00",
                  "ec2:subnet", "ec2 subnet", "#maximumCores=4", "#cores=4"]


# -- the battery ---------------------------------------------------------------------------------

def _rule_names(rule: Any) -> list[str]:
    names = list(getattr(rule, "attrs", ()))
    for key in ("when_set", "unless_set"):
        names += getattr(rule, key, ())
    names += [name for name, _ in getattr(rule, "when_equals", ())]
    return names


class _Battery:
    """The calls for one class: shapes that touch its rules, values that keep or break them."""

    def __init__(self, cls: type[StructModel], seed: str) -> None:
        self.cls = cls
        self.rng = random.Random(seed)
        self.ctx = TemplateContext("t", None, {})
        other = TemplateContext("u", None, {id(self.ctx): "t"})
        self.own = StrRef("aws_vpc.main.id", self.ctx)
        self.foreign = StrRef("aws_vpc.other.id", other)
        self.tf_name = {n: f.alias or n for n, f in cls._fields.items()}
        self.py_name = {t: n for n, t in self.tf_name.items()}
        self.node = {self.tf_name[n]: f.node for n, f in cls._fields.items()}
        self.required = [self.tf_name[n] for n, f in cls._fields.items() if f.required]
        self.optional = [t for t in self.node if t not in self.required]
        self.blocks = set(cls._blocks)
        self.watched = ({self.tf_name.get(n, n) for n in cls._deprecated}
                        | set(cls._managed)) - self.blocks
        self.equals: dict[str, list[Any]] = {}  # when_equals attributes: triggering values
        for rule in cls._rules:
            for name, expected in getattr(rule, "when_equals", ()):
                self.equals.setdefault(name, []).append(expected)
        self._valid: dict[str, list[Any]] = {}
        self._invalid: dict[str, list[Any]] = {}
        self._troubled: dict[str, list[Any]] = {}
        self.arns = [StrRef("aws_vpc.main.arn", self.ctx), StrRef("aws_subnet.s.arn", self.ctx),
                     StrRef("aws_sns_topic.t.arn", self.ctx)]
        self.base = self._base()

    def _base(self) -> list[str]:
        """Names that satisfy the class's rules on names (those a minimal example sets, then
        what a failing rule still asks for), so shapes built on them can take the one-pass path."""
        names = list(self.required)
        for rule in self.cls._rules:
            names += [n for n in getattr(rule, "example_needs", lambda: ())() if n not in names]
            # a value rule's condition: set, its value decides per call (kept or triggered)
            names += [n for n, _ in getattr(rule, "when_equals", ()) if n not in names]
        none: frozenset[str] = frozenset()
        for _ in range(4):
            for rule in self.cls._rules:
                if isinstance(rule, CrossRule) and not rule.reads_values():
                    for attr, _message in rule.check(dict.fromkeys(names), none):
                        if attr and attr not in names:
                            names.append(attr)
        return [n for n in names if n in self.node and n not in self.blocks]

    # values ----------------------------------------------------------------------------------
    def _classify(self, tf_name: str) -> None:
        """Literal candidates by what the full path says of them alone: accepted as they are
        (valid), refused (invalid), or accepted with a problem or a warning (troubled: a rule
        of the attribute that pydantic-core does not check)."""
        valid, invalid, troubled = [], [], []
        base = {t: "${var.r}" for t in self.required if t != tf_name}
        node = self.node[tf_name]
        literals = [c for c in _candidates(self.cls, tf_name, node, self.own, self.foreign)
                    if c is not None and not isinstance(c, Expr) and "${" not in repr(c)]
        literals += self.equals.get(tf_name, [])
        if node is BOOL:
            literals += [True, False]
        if node is STR:  # the edges of the patterns pydantic-core leaves to Python
            literals += _PATTERN_EDGES
        for value in literals:
            ctx = TemplateContext("t", None, {})
            result = _full(self.cls, ctx, {**base, tf_name: value})
            if isinstance(result, ValidationError):
                invalid.append(value)
            elif result[1] or ctx.diagnostics:
                troubled.append(value)
            else:
                valid.append(value)
        self._valid[tf_name], self._invalid[tf_name] = valid, invalid
        self._troubled[tf_name] = troubled

    def valid(self, tf_name: str) -> Any:
        if tf_name in self.blocks:
            return self.rng.choice([{}, [], {"name": "n"}])  # full path decides; one-pass never
        if tf_name not in self._valid:
            self._classify(tf_name)
        node = self.node[tf_name]
        exprs: list[Any] = ["${var.x}", self.own]
        if isinstance(node, Sequence):
            exprs += [[self.own], ["${var.x}", "lit"]]
        if isinstance(node, Mapping):
            exprs += [{"k": "v"}]
        pool = self._valid[tf_name] or exprs
        if tf_name in self.equals:  # the triggering value, often (other values stay in)
            pool = pool + self.equals[tf_name] * 3
        return self.rng.choice(pool if self.rng.random() < 0.6 else exprs)

    def hostile(self, tf_name: str, optional: bool) -> Any:
        """A value that should send the call to the full path, or break a rule, or not."""
        choices = ["foreign", "raw", "interpolated", "invalid", "literal", "literal", "arn",
                   "template", "typed", "none"]
        if optional:  # None means "not given": the call takes the general predicate
            choices.append("none")
        what = self.rng.choice(choices)
        node = self.node[tf_name]
        listed = isinstance(node, Sequence)
        if what == "none":
            return None
        if what == "foreign":
            return [self.foreign] if listed else self.foreign
        if what == "raw":
            return tf("var.y")
        if what == "arn":  # this template's references to ARNs, of a shareable type or not
            ref = self.rng.choice(self.arns)
            return [ref, "${var.x}"] if listed else ref
        if what == "template":  # a string template object, this template's or another's
            owner = self.rng.choice([self.ctx, self.foreign._owner])
            return Interpolation("mongodb://${aws_vpc.main.endpoint}:27017", owner)
        if what == "typed":  # references of other kinds, and f-strings of them
            return self.rng.choice([NumRef("aws_vpc.main.count", self.ctx),
                                    BoolRef("aws_vpc.main.enabled", self.ctx),
                                    f"db-{self.own}", f"{self.own}"])
        if what == "interpolated":
            if isinstance(node, Mapping):
                return {"k": "a-${var.z}"}
            return ["a-${var.z}"] if listed else "a-${var.z}"
        if tf_name in self.blocks:
            return self.rng.choice([{}, [], {"name": 5}, None])
        if tf_name not in self._valid:
            self._classify(tf_name)
        pool = (self._invalid[tf_name] if what == "invalid"
                else self._troubled[tf_name] + self._valid[tf_name])
        return self.rng.choice(pool or [{"bad": object()}])

    # shapes ----------------------------------------------------------------------------------
    def shapes(self, limit: int) -> list[tuple[str, ...]]:
        """Name sets that touch the rules (each rule's names together and apart, pairs of
        rules, when_equals attributes, watched attributes), plus a few at random; each in
        Terraform names, some in Python names or another order."""
        known = set(self.node)
        groups = []
        for rule in self.cls._rules:
            names = [n for n in _rule_names(rule) if n in known]
            if isinstance(rule, CrossRule):
                groups.append(names)
                groups += [[n] for n in names]
                groups.append(list(rule.attrs))
                groups.append([n for n in names if n not in rule.attrs])
            elif isinstance(rule, AttributeRule):
                groups.append([rule.attr])
        cross = [g for g in groups if len(g) > 1]
        for first, second in pairwise(cross):
            groups.append(first + second)
        groups += [[n] for n in sorted(self.watched)]
        if self.watched and cross:
            groups.append([min(self.watched), *cross[0]])
        groups.append([])
        optional = [n for n in self.optional if n not in self.blocks]
        for _ in range(6):
            if optional:
                groups.append(self.rng.sample(optional, min(len(optional), self.rng.randint(1, 4))))
        if self.blocks:
            groups.append([min(self.blocks)])
        starts = [self.base, self.required]  # on names that pass the rules on names, and bare
        for rule in self.cls._rules:  # without a value rule's condition: its default applies
            condition = {n for n, _ in getattr(rule, "when_equals", ())}
            if condition:
                starts.append([n for n in self.base if n not in condition])
                groups.append(list(rule.attrs))
        found: dict[tuple[str, ...], None] = {}
        for group in groups:
            for start in starts:
                names = tuple(dict.fromkeys([*start, *group]))
                found[names] = None
                if len(names) > 1 and self.rng.random() < 0.2:
                    found[names[::-1]] = None  # another order: another shape
        shapes = list(found)
        if len(shapes) > limit:
            shapes = shapes[:limit // 2] + self.rng.sample(shapes[limit // 2:], limit - limit // 2)
        aliased = [s for s in shapes if any(self.py_name[n] != n for n in s)]
        for shape in aliased[:2]:  # the same names in Python spelling: their own shape
            shapes.append(tuple(self.py_name[n] for n in shape))
            twice = next(n for n in shape if self.py_name[n] != n)
            shapes.append((*shape, self.py_name[twice]))  # one attribute given twice
        return shapes

    def call(self, shape: tuple[str, ...], first: bool) -> dict[str, Any]:
        """One call of ``shape``: valid values, then a few made hostile; a shape's first call
        is often one that does not settle it (a failure, a foreign reference, a None)."""
        values = {name: self.valid(self.tf_name.get(name, name)) for name in shape}
        changes = self.rng.choice([0, 0, 1, 1, 2]) + (1 if first and self.rng.random() < 0.5
                                                     else 0)
        for name in self.rng.sample(shape, min(len(shape), changes)):
            tf_name = self.tf_name.get(name, name)
            values[name] = self.hostile(tf_name, tf_name not in self.required)
        return values


class _Counts:
    def __init__(self) -> None:
        self.calls = self.taken = self.taken_settled = self.shapes = self.settled = 0
        self.settled_late = 0  # shapes settled by a call after their first
        self.taken_shared = 0  # taken by a shape past the limit (the whole validator)
        self.predicates: dict[str, int] = {}

    def add(self, other: _Counts) -> None:
        for name in ("calls", "taken", "taken_settled", "shapes", "settled", "settled_late",
                     "taken_shared"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, count in other.predicates.items():
            self.predicates[kind] = self.predicates.get(kind, 0) + count


def _check(cls: type[StructModel], battery: _Battery, counts: _Counts,
           calls_per_shape: int, shape_limit: int) -> None:
    ctx = battery.ctx
    cached = typed_body.plan(cls)
    reference = _Unsettled(cls)
    shapes = battery.shapes(shape_limit)
    queues = {shape: calls_per_shape for shape in shapes}
    counts.shapes += len(shapes)
    while queues:
        shape = battery.rng.choice(list(queues))
        first = queues[shape] == calls_per_shape
        index = calls_per_shape - queues[shape]
        queues[shape] -= 1
        if not queues[shape]:
            del queues[shape]
        call = battery.call(shape, first)
        before = cached.shapes.get(shape)
        settled_before = before is not None and before.passes is not None

        fast, fast_interpolations = _one_pass(cls, ctx, call)
        cls._body_plan = reference  # type: ignore[attr-defined]
        try:
            unsettled = typed_body.plain_body(cls, ctx, "aws_x.y", dict(call))
        finally:
            cls._body_plan = cached  # type: ignore[attr-defined]
        assert not ctx.errors and not ctx.diagnostics, call
        # what a shape's names decided once is what the general predicate decides each time
        assert (fast is None) == (unsettled is None), (call, fast, unsettled)
        if fast is not None:
            assert list(fast.items()) == list(unsettled.items()), call
            assert fast_interpolations == ctx._interpolations, call
        ctx._interpolations.clear()
        after = cached.shapes.get(shape)
        if not settled_before and index and after is not None and after.passes is not None:
            counts.settled_late += 1
        full = _full(cls, ctx, call)
        counts.calls += 1
        if fast is None:
            continue
        counts.taken += 1
        counts.taken_settled += settled_before
        counts.taken_shared += shape not in cached.shapes
        assert not isinstance(full, ValidationError), (call, full)
        body, problems, _ = full
        assert problems == [] and not ctx.diagnostics and not ctx.errors, (call, problems)
        assert list(fast.items()) == list(body.items()), call  # same values, same order
        assert sorted(fast_interpolations) == sorted(ctx._interpolations), call
    for shape in shapes:
        found = cached.shapes.get(shape)
        if found is not None and found.passes is not None:
            counts.settled += 1
            kind = ("always" if found.passes is _always else "never" if found.passes is _never
                    else "rules")
            counts.predicates[kind] = counts.predicates.get(kind, 0) + 1


ALL = CLASSES + EXTRA_CLASSES
COUNTS: dict[str, _Counts] = {}


def _run(cls: type[StructModel], monkeypatch: pytest.MonkeyPatch, *, calls_per_shape: int = 6,
         shape_limit: int | None = None, seed: str = "") -> _Counts:
    monkeypatch.delattr(cls, "_body_plan", raising=False)  # a fresh plan: order effects are real
    counts = _Counts()
    try:
        if shape_limit is None:  # more shapes for more rules across attributes
            shape_limit = 16 + 4 * sum(isinstance(rule, CrossRule) for rule in cls._rules)
        if cls in EXTRA_CLASSES:  # their rules are here for this test: call each shape more
            calls_per_shape *= 2
        _check(cls, _Battery(cls, cls.__name__ + seed), counts, calls_per_shape, shape_limit)
    finally:
        monkeypatch.delattr(cls, "_body_plan", raising=False)
    return counts


@pytest.mark.parametrize("cls", ALL, ids=lambda cls: cls.__name__)
def test_each_shape_called_many_times_agrees_with_the_full_path_and_the_general_predicate(
        cls: type[StructModel], monkeypatch: pytest.MonkeyPatch) -> None:
    counts = COUNTS[cls.__name__] = _run(cls, monkeypatch)
    assert counts.settled, "no shape of the class was ever settled"


def test_the_battery_takes_the_one_pass_path_and_reuses_settled_shapes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The battery above means something only while the one-pass path is taken, shapes are
    settled (some by a later call than their first) and their decisions are read again: every
    kind of decision (nothing left, a rule left, the full path) shows up. (Uses the counts of
    the test above when it ran in this process.)"""
    total = _Counts()
    per_class = {}
    for cls in ALL:
        counts = COUNTS.get(cls.__name__) or _run(cls, monkeypatch)
        per_class[cls.__name__] = counts.taken_settled
        total.add(counts)
    assert total.calls > 4000, vars(total)
    assert total.taken >= total.calls // 5, vars(total)
    assert total.taken_settled >= total.calls // 8, vars(total)  # a decision read again
    assert total.settled_late >= 50, vars(total)
    assert min(total.predicates.get(kind, 0) for kind in ("always", "never", "rules")) >= 50, \
        vars(total)
    assert sum(1 for n in per_class.values() if n) >= len(per_class) * 3 // 4, per_class
    assert all(per_class[name] for name in ("Forbidding", "Choosing", "AwsDocdbClusterArgs")), \
        per_class


def test_past_the_shape_limit_settled_and_shared_shapes_agree(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first shapes are kept and settled; the rest share one whole validator that runs
    the general predicate every call: the two kinds interleave."""
    monkeypatch.setattr(typed_body.Plan, "MAX_SHAPES", 4)
    total = _Counts()
    for name in ("AwsMemorydbClusterArgs", "AwsNeptuneClusterInstanceArgs", "Forbidding",
                 "Choosing"):
        cls = next(cls for cls in ALL if cls.__name__ == name)
        total.add(_run(cls, monkeypatch, calls_per_shape=4, shape_limit=16))
    assert total.taken_settled and total.taken_shared, vars(total)


def test_none_for_a_required_block_takes_the_full_path() -> None:
    """A block's value is anything on the one-pass path (a call that sets one takes the full
    path); None for a required block was taken as "not given", and the one-pass path wrote a
    body without it that the full path refuses."""
    from pangea_aws.resources.aws_memorydb_user import AwsMemorydbUserArgs

    ctx = TemplateContext("t", None, {})
    call = {"access_string": "on ~* +@all", "user_name": "alice", "authentication_mode": None}
    for _ in range(2):  # a None never settles the shape: the second call is the first again
        assert typed_body.plain_body(AwsMemorydbUserArgs, ctx, "a.b", dict(call)) is None
        refused = _full(AwsMemorydbUserArgs, ctx, call)
        assert isinstance(refused, ValidationError)
        assert "authentication_mode: must be a block" in str(refused)
