"""The rule classes of pangea/validation.py, called directly.

``values`` holds only the set attributes of one struct (an unset attribute is absent, never
None); ``sensitive`` names the attributes whose values must not appear in messages."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from pangea import tf
from pangea.expr import Interpolation, StrRef
from pangea.validation import (
    AtLeastOneOf,
    Conflicts,
    ExactlyOneOf,
    Forbids,
    Length,
    OneOf,
    Pattern,
    Range,
    RequiredTogether,
    Requires,
)

NONE: frozenset[str] = frozenset()
EXPRESSIONS: list[Any] = [tf("var.x"), StrRef("aws_x.y.z"), Interpolation("a-${var.x}"),
                          "${var.x}", "prefix-${var.x}"]


def check(rule: Any, sensitive: frozenset[str] = NONE, **values: Any) -> list[tuple[str, str]]:
    return rule.check(values, sensitive)


# -- Range -----------------------------------------------------------------------------------

def test_range_between() -> None:
    rule = Range("days", min=1, max=35)
    assert check(rule, days=1) == [] and check(rule, days=35) == [] and check(rule, days=7.5) == []
    assert check(rule, days=0) == [("days", "must be between 1 and 35 (got 0)")]
    assert check(rule, days=40) == [("days", "must be between 1 and 35 (got 40)")]
    assert check(rule, days=35.5) == [("days", "must be between 1 and 35 (got 35.5)")]


def test_range_one_sided_and_fractional_bounds() -> None:
    assert check(Range("n", min=0), n=-1) == [("n", "must be at least 0 (got -1)")]
    assert check(Range("n", min=0), n=10**9) == []
    assert check(Range("n", max=2.5), n=3) == [("n", "must be at most 2.5 (got 3)")]
    assert check(Range("n", min=1.0, max=3.0), n=4) == [("n", "must be between 1 and 3 (got 4)")]


def test_range_skips_unset_bools_strings_and_expressions() -> None:
    rule = Range("n", min=1, max=2)
    assert check(rule) == []
    assert check(rule, other=100) == []
    assert check(rule, n=True) == []  # a bool is a type error, not a range error
    assert check(rule, n="100") == []
    for expr in EXPRESSIONS:
        assert check(rule, n=expr) == []


def test_range_hides_sensitive_values() -> None:
    problems = check(Range("pin", min=1000, max=9999), frozenset({"pin"}), pin=12)
    assert problems == [("pin", "must be between 1000 and 9999 (got (sensitive value hidden))")]
    assert "12" not in problems[0][1]


# -- Length ----------------------------------------------------------------------------------

def test_length_of_strings_counts_characters() -> None:
    rule = Length("name", min=2, max=4)
    assert check(rule, name="ab") == [] and check(rule, name="abcd") == []
    assert check(rule, name="a") == [("name", "must have at least 2 characters (got 1)")]
    assert check(rule, name="abcde") == [("name", "must have at most 4 characters (got 5)")]
    assert check(rule, name="") == [("name", "must have at least 2 characters (got 0)")]


@pytest.mark.parametrize("value", [["a"], ("a",), {"a"}, frozenset({"a"}), {"k": "v"}])
def test_length_of_collections_counts_items(value: Any) -> None:
    assert check(Length("xs", min=2), xs=value) == [("xs", "must have at least 2 items (got 1)")]
    assert check(Length("xs", max=1), xs=value) == []
    assert check(Length("xs", max=0), xs=value) == [("xs", "must have at most 0 items (got 1)")]


def test_length_counts_items_that_are_expressions() -> None:
    """The number of items is known even when an item's value is not."""
    assert check(Length("xs", max=1), xs=[tf("var.a"), "${var.b}"]) == [
        ("xs", "must have at most 1 item (got 2)")]


def test_length_skips_unset_numbers_and_expressions() -> None:
    rule = Length("name", min=5, max=6)
    assert check(rule) == []
    assert check(rule, name=3) == []
    for expr in EXPRESSIONS:
        assert check(rule, name=expr) == []


def test_length_never_shows_the_value() -> None:
    problems = check(Length("secret", min=12), frozenset({"secret"}), secret="hunter2")
    assert problems == [("secret", "must have at least 12 characters (got 7)")]


# -- Pattern -----------------------------------------------------------------------------------

def test_pattern_must_match_the_whole_value() -> None:
    rule = Pattern("id", "[a-z]+", description="lowercase letters")
    assert check(rule, id="abc") == []
    assert check(rule, id="abc1") == [
        ("id", "has the wrong format: expected lowercase letters (got 'abc1')")]
    assert check(rule, id="1abc") == [
        ("id", "has the wrong format: expected lowercase letters (got '1abc')")]


def test_pattern_without_description_shows_the_regex() -> None:
    assert check(Pattern("id", "^x-\\d+$"), id="y") == [
        ("id", "has the wrong format: expected a value matching ^x-\\d+$ (got 'y')")]


def test_pattern_checks_list_and_set_items_one_by_one() -> None:
    rule = Pattern("ids", "^sg-[0-9a-f]+$", description="a security group ID")
    assert check(rule, ids=["sg-1", "sg-ab"]) == []
    assert check(rule, ids=["sg-1", "bad", tf("var.sg"), "${var.x}", "worse"]) == [
        ("ids", "has the wrong format: expected a security group ID (got 'bad')"),
        ("ids", "has the wrong format: expected a security group ID (got 'worse')"),
    ]
    assert check(rule, ids={"nope"}) == [
        ("ids", "has the wrong format: expected a security group ID (got 'nope')")]
    assert check(rule, ids=("sg-1", "x")) == [
        ("ids", "has the wrong format: expected a security group ID (got 'x')")]


def test_pattern_skips_unset_non_strings_and_expressions() -> None:
    rule = Pattern("id", "^a$")
    assert check(rule) == []
    assert check(rule, id=5) == [] and check(rule, id={"k": "v"}) == []
    for expr in EXPRESSIONS:
        assert check(rule, id=expr) == []


def test_pattern_hides_sensitive_values() -> None:
    problems = check(Pattern("token", "^[0-9]+$", description="digits"), frozenset({"token"}),
                     token="s3cr3t-value")
    assert problems == [
        ("token", "has the wrong format: expected digits (got (sensitive value hidden))")]
    assert "s3cr3t" not in repr(problems)


# -- OneOf -----------------------------------------------------------------------------------

def test_one_of() -> None:
    rule = OneOf("engine", ("redis", "valkey"))
    assert check(rule, engine="redis") == []
    assert check(rule, engine="memcached") == [
        ("engine", "must be one of 'redis', 'valkey' (got 'memcached')")]
    assert check(rule) == []
    for expr in EXPRESSIONS:
        assert check(rule, engine=expr) == []


def test_one_of_numbers() -> None:
    rule = OneOf("port", (80, 443))
    assert check(rule, port=443) == []
    assert check(rule, port=8080) == [("port", "must be one of 80, 443 (got 8080)")]


def test_one_of_checks_list_items_one_by_one() -> None:
    rule = OneOf("logs", ("audit", "profiler"))
    assert check(rule, logs=["audit", "profiler"]) == []
    assert check(rule, logs=["audit", "slow", tf("var.l"), "x"]) == [
        ("logs", "must be one of 'audit', 'profiler' (got 'slow')"),
        ("logs", "must be one of 'audit', 'profiler' (got 'x')"),
    ]


def test_one_of_hides_sensitive_values() -> None:
    assert check(OneOf("mode", ("a",)), frozenset({"mode"}), mode="b") == [
        ("mode", "must be one of 'a' (got (sensitive value hidden))")]


# -- set rules -------------------------------------------------------------------------------

def test_conflicts() -> None:
    rule = Conflicts(("a", "b", "c"))
    assert check(rule) == [] and check(rule, a=1) == [] and check(rule, x=1, y=2) == []
    assert check(rule, a=1, c=tf("var.c")) == [("", "set at most one of a, b or c (got a, c)")]
    assert check(rule, c=1, b=0, a="") == [("", "set at most one of a, b or c (got a, b, c)")]
    # a falsy literal is still set
    assert check(Conflicts(("a", "b")), a=False, b=0) == [
        ("", "set at most one of a or b (got a, b)")]


def test_exactly_one_of() -> None:
    rule = ExactlyOneOf(("a", "b"))
    assert check(rule, a=1) == [] and check(rule, b="${var.b}") == []
    assert check(rule) == [("", "set exactly one of a or b (got none)")]
    assert check(rule, other=1) == [("", "set exactly one of a or b (got none)")]
    assert check(rule, b=1, a=2) == [("", "set exactly one of a or b (got a, b)")]


def test_at_least_one_of() -> None:
    rule = AtLeastOneOf(("a", "b", "c"))
    assert check(rule, b=1) == [] and check(rule, a=1, c=2) == []
    assert check(rule) == [("", "set at least one of a, b or c")]


def test_required_together() -> None:
    rule = RequiredTogether(("user", "password", "port"))
    assert check(rule) == [] and check(rule, user=1, password=2, port=3) == []
    assert check(rule, password="x") == [
        ("", "user, password and port must be set together (missing user, port)")]
    assert check(rule, user=tf("var.u"), port=1) == [
        ("", "user, password and port must be set together (missing password)")]


@pytest.mark.parametrize("rule, values", [
    (Conflicts(("a", "b"), message="pick one"), {"a": 1, "b": 2}),
    (ExactlyOneOf(("a", "b"), message="pick one"), {}),
    (AtLeastOneOf(("a", "b"), message="pick one"), {}),
    (RequiredTogether(("a", "b"), message="pick one"), {"a": 1}),
])
def test_set_rules_custom_message(rule: Any, values: dict[str, Any]) -> None:
    assert rule.check(values, NONE) == [("", "pick one")]


def test_set_rules_never_show_values() -> None:
    problems = Conflicts(("password", "secret_arn")).check(
        {"password": "hunter2", "secret_arn": "arn:x"}, frozenset({"password"}))
    assert problems == [
        ("", "set at most one of password or secret_arn (got password, secret_arn)")]


# -- Requires, Forbids -----------------------------------------------------------------------------

def test_requires_always() -> None:
    rule = Requires(("a", "b"))
    assert check(rule, a=1, b=2) == []
    assert check(rule, a=1) == [("b", "is required")]
    assert check(rule) == [("a", "is required"), ("b", "is required")]


def test_requires_when_set() -> None:
    rule = Requires(("kms_key_id",), when_set=("encrypted", "key_alias"))
    assert check(rule) == [] and check(rule, other=1) == []
    assert check(rule, encrypted=False) == [("kms_key_id", "is required when encrypted is set")]
    assert check(rule, key_alias="x") == [("kms_key_id", "is required when key_alias is set")]
    # the first condition attribute (in rule order) that is set is named
    assert check(rule, key_alias="x", encrypted=True) == [
        ("kms_key_id", "is required when encrypted is set")]
    assert check(rule, encrypted=tf("var.e")) == [  # an expression counts as set
        ("kms_key_id", "is required when encrypted is set")]
    assert check(rule, encrypted=True, kms_key_id=tf("var.k")) == []


def test_requires_unless_set() -> None:
    rule = Requires(("master_password",), unless_set=("snapshot_identifier", "manage"))
    assert check(rule) == [
        ("master_password", "is required unless snapshot_identifier or manage is set")]
    assert check(rule, manage=False) == []
    assert check(rule, snapshot_identifier="${var.s}") == []
    assert check(rule, master_password="x") == []
    assert check(Requires(("p",), unless_set=("a", "b", "c"))) == [
        ("p", "is required unless a, b or c is set")]


def test_requires_when_equals() -> None:
    rule = Requires(("kms_key_id",), when_equals=(("encrypted", True),))
    assert check(rule) == []  # omitted, and no documented default
    assert check(rule, encrypted=False) == []
    assert check(rule, encrypted=True) == [("kms_key_id", "is required when encrypted is true")]
    assert check(rule, encrypted=True, kms_key_id="k") == []


def test_when_equals_is_not_met_by_expressions() -> None:
    rule = Requires(("k",), when_equals=(("mode", "on"),), defaults=(("mode", "on"),))
    for expr in EXPRESSIONS:
        assert check(rule, mode=expr) == []
    assert check(rule, mode="on") == [("k", "is required when mode is 'on'")]


def test_when_equals_needs_every_pair() -> None:
    rule = Requires(("k",), when_equals=(("a", 1), ("b", "x")))
    assert check(rule, a=1) == []
    assert check(rule, a=1, b="y") == []
    assert check(rule, a=1, b="x") == [("k", "is required when a is 1 and b is 'x'")]


def test_when_equals_uses_the_documented_default_of_an_omitted_attribute() -> None:
    rule = Requires(("acl_name",), when_equals=(("tls_enabled", False),),
                       defaults=(("tls_enabled", True),))
    assert check(rule) == []  # the default (true) does not equal false
    assert check(rule, tls_enabled=False) == [("acl_name", "is required when tls_enabled is false")]

    rule = Requires(("kms_key_id",), when_equals=(("encrypted", True),),
                       defaults=(("encrypted", True),))
    assert check(rule) == [
        ("kms_key_id", "is required when encrypted is true (its default when omitted)")]
    assert check(rule, encrypted=False) == []
    assert check(rule, encrypted=True) == [("kms_key_id", "is required when encrypted is true")]

    both = Requires(("k",), when_equals=(("a", 1), ("b", True)), defaults=(("b", True),))
    assert check(both, a=1) == [
        ("k", "is required when a is 1 and b is true (its default when omitted)")]


def test_custom_message_replaces_the_default_reason() -> None:
    rule = Requires(("kms_key_id",), when_equals=(("encrypted", True),),
                       defaults=(("encrypted", True),), message="encrypted clusters need a key")
    assert check(rule) == [("kms_key_id", "encrypted clusters need a key")]
    assert "default" not in check(rule)[0][1]


def test_forbids() -> None:
    rule = Forbids(("final_snapshot_identifier", "other"),
                       when_equals=(("skip_final_snapshot", True),))
    assert check(rule, skip_final_snapshot=True) == []  # nothing forbidden is set
    assert check(rule, final_snapshot_identifier="x") == []  # condition not met
    assert check(rule, skip_final_snapshot=True, final_snapshot_identifier="x") == [
        ("final_snapshot_identifier", "must not be set when skip_final_snapshot is true")]
    assert check(rule, skip_final_snapshot=True, other=tf("var.o"),
                 final_snapshot_identifier=1) == [
        ("final_snapshot_identifier", "must not be set when skip_final_snapshot is true"),
        ("other", "must not be set when skip_final_snapshot is true")]
    assert check(rule, skip_final_snapshot=tf("var.s"), final_snapshot_identifier="x") == []


def test_forbids_other_conditions_and_message() -> None:
    assert check(Forbids(("a",), when_set=("b",)), a=1, b=2) == [
        ("a", "must not be set when b is set")]
    assert check(Forbids(("a",), when_set=("b",)), a=1) == []
    assert check(Forbids(("a",), unless_set=("b",)), a=1) == [
        ("a", "must not be set unless b is set")]
    assert check(Forbids(("a",)), a=1) == [("a", "must not be set")]
    assert check(Forbids(("a",), when_set=("b",), message="no"), a=1, b=1) == [
        ("a", "no")]
    by_default = Forbids(("a",), when_equals=(("m", "x"),),
                             defaults=(("m", "x"),))
    assert check(by_default, a=1) == [
        ("a", "must not be set when m is 'x' (its default when omitted)")]


def test_conditional_never_shows_values() -> None:
    rule = Requires(("key",), when_equals=(("password", "hunter2"),))
    problems = rule.check({"password": "hunter2"}, frozenset({"password"}))
    # the expected value is the rule's own (from the override file), not the user's input
    assert problems == [("key", "is required when password is 'hunter2'")]
    forbid = Forbids(("password",), when_set=("x",))
    problems = forbid.check({"password": "s3cr3t", "x": 1}, frozenset({"password"}))
    assert problems == [("password", "must not be set when x is set")]


def test_repr_names_the_rule_and_its_arguments() -> None:
    assert repr(Range("n", min=1)) == "Range('n', min=1)"
    assert repr(Conflicts(("a", "b"))) == "Conflicts(('a', 'b'))"


# -- the compiled fast check ------------------------------------------------------------------

FAST_RULES = [
    Range("n", min=1, max=35), Range("n", min=0.5), Range("n", max=9),
    Length("s", min=2, max=4), Length("s", max=1), Pattern("s", "^[a-z]+$"),
    OneOf("s", ("ab", "cd")), OneOf("n", (1, 2)),
    Conflicts(("s", "n")), ExactlyOneOf(("s", "n")), AtLeastOneOf(("s", "n")),
    RequiredTogether(("s", "n")), Requires(("s",)), Requires(("s",), when_set=("n",)),
    Requires(("s",), unless_set=("n",)), Requires(("s",), when_equals=(("n", 1),)),
    Requires(("s",), when_equals=(("n", 1),), defaults=(("n", 1),)),
    Forbids(("s",)), Forbids(("s",), when_set=("n",)), Forbids(("s",), unless_set=("n",)),
    Forbids(("s",), when_equals=(("n", 2),)),
]
SAMPLES: list[Any] = [0, 1, 2, 7, 40, 0.25, 1.5, True, False, "", "a", "ab", "abcd", "abcde",
                      "AB", "${var.x}", "a-${var.x}", ["ab"], ["ab", "zz"], [], {"k": "v"},
                      tf("var.x"), StrRef("aws_x.y.z")]
ABSENT = object()


def test_the_rules_predicate_passes_only_what_every_rule_passes() -> None:
    """For every rule and every combination of sample values, the predicate never says "no
    problem" when the rule finds one (and, running the rules themselves, it never defers)."""
    from pangea.validation import rules_predicate

    deferred = 0
    for rule in FAST_RULES:
        fast = rules_predicate((rule,))
        for s_value in [ABSENT, *SAMPLES]:
            for n_value in [ABSENT, *SAMPLES]:
                values = {k: v for k, v in (("s", s_value), ("n", n_value)) if v is not ABSENT}
                problems = rule.check(values, NONE)
                if fast(values):
                    assert problems == [], (rule, values)
                else:
                    deferred += not problems
    # the predicate decides most cases itself: it defers only where it cannot tell cheaply
    assert deferred < len(FAST_RULES) * (len(SAMPLES) + 1) ** 2 // 4
    both = rules_predicate((Range("n", max=5), Conflicts(("s", "n"))))
    assert both({"n": 3}) and not both({"n": 9}) and not both({"n": 3, "s": "x"})


# -- passes(): the predicate of the one-pass path agrees with check() -------------------------

@pytest.mark.parametrize("rule", [
    Requires(("final",), when_equals=(("skip", False),), defaults=(("skip", False),)),
    Requires(("final",), when_equals=(("skip", False),)),
    Forbids(("final",), when_equals=(("mode", "a"),)),
    Requires(("x",), when_equals=(("mode", "a"), ("n", 1))),
    Requires(("x", "y"), when_set=("z",)),
    Conflicts(("a", "b")),
])
def test_passes_agrees_with_check(rule: Any) -> None:
    values: list[Any] = [None, True, False, 0, 1, "a", "b", "${var.x}", tf("var.x")]
    names = ("final", "skip", "mode", "n", "x", "y", "z", "a", "b")
    predicate = rule.passes()
    checked = 0
    for combo in itertools.product(values, repeat=3):
        for start in range(len(names) - 2):
            given = {n: v for n, v in zip(names[start:start + 3], combo) if v is not None}
            assert predicate(given) == (check(rule, **given) == []), given
            checked += 1
    assert checked > 1000
