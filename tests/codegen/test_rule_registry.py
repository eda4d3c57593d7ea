"""The rule registry (pangea/validation.py): one class per rule kind, used by the override
loader, the generated modules, the docs, the examples and the bump report alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from codegen.inputs.overrides import OverrideFile
from codegen.pipeline.emit_docs import rule_sentences
from codegen.pipeline.examples import required_arguments
from pangea import validation
from pangea.diagnostics import Level

from tests.codegen.inputs.test_overrides import T, failure, merged

REPO = Path(__file__).resolve().parents[2]
# Any rule kind written as a call: what the docs printed before they had sentences.
RULE_CALL = re.compile(r"\b(" + "|".join(
    [k.__name__ for k in validation.ATTRIBUTE_KINDS]
    + [k.__name__ for k in validation.RULE_KINDS.values()] + ["Conditional"]) + r")\(")


def test_every_kind_is_one_complete_entry() -> None:
    for kind in validation.ATTRIBUTE_KINDS:
        assert kind.keys and set(kind.keys) <= validation.ATTRIBUTE_RULE_KEYS
        assert kind.default_level == "error"
    for key, kind in validation.RULE_KINDS.items():
        assert kind.key == key and key in kind.name_keys
        assert getattr(validation, kind.__name__) is kind  # generated code names it v.<Class>


@pytest.mark.parametrize("rule", [
    validation.Range("n", min=1, max=2.5),
    validation.Length("s", max=3),
    validation.Pattern("s", "^a+$", description="only a's"),
    validation.OneOf("s", ("x", "y")),
    validation.ArnOf("s", ("aws_a", "aws_b"), what="a shareable type", source="https://x",
                     hint="share a"),
    validation.Conflicts(("a", "b"), message="one of them"),
    validation.ExactlyOneOf(("a", "b"), level="warning", code="c1", hint="pick one"),
    validation.AtLeastOneOf(("a", "b")),
    validation.RequiredTogether(("a", "b")),
    validation.Requires(("a",), when_equals=(("m", False),), defaults=(("m", False),)),
    validation.Forbids(("a", "b"), unless_set=("c",)),
], ids=lambda r: type(r).__name__)
def test_source_code_rebuilds_the_same_rule(rule: validation.Rule) -> None:
    rebuilt = eval(rule.source_code(), vars(validation))  # noqa: S307
    assert type(rebuilt) is type(rule)
    assert rebuilt.source_code() == rule.source_code()


def test_level_is_written_only_when_it_is_not_the_default() -> None:
    assert "level" not in validation.Conflicts(("a", "b")).source_code()
    assert validation.Conflicts(("a", "b"), level="warning").source_code() == (
        "Conflicts(('a', 'b'), level='warning')")


SENTENCES = """\
    type: aws_test_thing
    attributes:
      enabled: {default: false}
    rules:
      - conflicts: [name, name_prefix]
        source: https://example.com/conflicts
      - exactly_one_of: [name, name_prefix, size]
      - at_least_one_of: [name, size]
      - required_together: [size, enabled]
      - requires: [name]
      - requires: [name, size]
        unless_set: [zones]
      - forbids: [name_prefix]
        when_set: [name]
        message: no prefix with a name
      - requires: [size]
        when_equals: {enabled: false}
        level: warning
        hint: set size
"""


def test_docs_render_each_rule_as_an_english_sentence(tmp_path: Path) -> None:
    model = merged(tmp_path, SENTENCES)
    assert rule_sentences(model.struct) == [
        "Set at most one of `name` or `name_prefix`. [Source](https://example.com/conflicts)",
        "Set exactly one of `name`, `name_prefix` or `size`.",
        "Set at least one of `name` or `size`.",
        "Set `size` and `enabled` together, or none of them.",
        "`name` is required.",
        "`name` and `size` are required unless `zones` is set.",
        "Do not set `name_prefix` when `name` is set. Reported as: no prefix with a name.",
        "**Warning** (Terraform accepts it, but it fails later): `size` is required when "
        "`enabled` is `false` (its default). Fix: set size.",
    ]


def test_no_rule_is_printed_as_python_in_the_generated_docs() -> None:
    pages = sorted((REPO / "generated" / "docs").glob("*.md"))
    assert pages
    found = [(p.name, m.group(0)) for p in pages for m in RULE_CALL.finditer(p.read_text())]
    assert found == []


@pytest.mark.parametrize("text, expected", [
    pytest.param("rules: [{conflict: [name, size]}]",
                 "FILE: rules[0]: unknown rule kind 'conflict'; did you mean conflicts? (kinds: "
                 "conflicts, exactly_one_of, at_least_one_of, required_together, requires, "
                 "forbids)", id="misspelled-kind"),
    pytest.param("rules: [{only_one: [name, size]}]",
                 "FILE: rules[0]: unknown rule kind 'only_one' (kinds: conflicts, exactly_one_of, "
                 "at_least_one_of, required_together, requires, forbids)", id="unknown-kind"),
    pytest.param("attributes: {name: {min_length: 5, max_length: 2}}",
                 "FILE: attributes.name: min_length 5 is greater than max_length 2",
                 id="length-min-above-max"),
    pytest.param("attributes: {size: {min: 5, max: 2}}",
                 "FILE: attributes.size: min 5 is greater than max 2", id="range-min-above-max"),
    pytest.param("attributes: {name: {enum: [a, b], default: c}}",
                 "FILE: attributes.name.default: 'c' is not one of the enum values ('a', 'b')",
                 id="default-outside-enum"),
    pytest.param("attributes: {zones: {enum: [a, b], default: [a, z]}}",
                 "FILE: attributes.zones.default: 'z' is not one of the enum values ('a', 'b')",
                 id="list-default-outside-enum"),
    pytest.param("rules: [{conflicts: [name, size], level: fatal}]",
                 "FILE: rules[0].level: expected error or warning (got 'fatal')", id="bad-level"),
    pytest.param("rules: [{conflicts: [name, size], code: 3}]",
                 "FILE: rules[0].code: expected a string", id="code-not-text"),
])
def test_the_loader_refuses_broken_rules_naming_file_and_key(tmp_path: Path, text: str,
                                                             expected: str) -> None:
    assert failure(tmp_path, f"type: {T}\n{text}\n") == expected


def test_default_inside_the_enum_is_accepted(tmp_path: Path) -> None:
    model = merged(tmp_path, "type: aws_test_thing\nattributes:\n  name: {enum: [a, b], default: b}\n"
                             "  zones: {enum: [a, b], default: [b]}\n")
    assert [r.render() for r in model.struct.rules] == ["v.OneOf('name', ('a', 'b'))",
                                                       "v.OneOf('zones', ('a', 'b'))"]


def test_element_enum_on_a_list_is_checked_per_element_and_drives_examples(
        tmp_path: Path) -> None:
    model = merged(tmp_path, "type: aws_test_thing\nattributes:\n  zones: {enum: [a, b]}\n"
                             "rules:\n  - requires: [zones]\n")
    (spec,) = [s for s in model.struct.rules if isinstance(s.rule, validation.OneOf)]
    assert spec.rule.check({"zones": ["a", "c"]}, frozenset()) == [
        ("zones", "must be one of 'a', 'b' (got 'c')")]
    assert required_arguments(model) == {"zones": ["a"]}


def test_bump_report_finds_names_in_every_kind_that_names_attributes() -> None:
    doc = {"rules": [{key: ["x"]} for key in validation.RULE_KINDS]
           + [{"requires": ["y"], "when_equals": {"z": 1}}]}
    file = OverrideFile(Path("x.yaml"), "resource", "aws_x", doc)
    keys = {ref.key for ref in file.references()}
    assert {f"rules[{i}].{key}" for i, key in enumerate(validation.RULE_KINDS)} <= keys
    assert f"rules[{len(validation.RULE_KINDS)}].when_equals" in keys


def test_a_warning_rule_records_a_diagnostic_instead_of_refusing(generated_module) -> None:
    block = {"attributes": {"name": {"type": "string", "optional": True},
                            "keep": {"type": "bool", "optional": True}}}
    mod = generated_module(block, "aws_warn_thing")
    args = mod.SPEC.args
    args._rules = (validation.Requires(("name",), when_equals=(("keep", True),), level="warning",
                                       code="keep-needs-name", hint="set name"),)
    from pangea.synth import synthesize_templates
    from pangea.template import Template

    result = synthesize_templates([Template(lambda: mod.aws_warn_thing("x", keep=True), "t")],
                                  file=None)
    (diagnostic,) = result.diagnostics
    assert (diagnostic.level, diagnostic.code, diagnostic.address, diagnostic.path,
            diagnostic.message, diagnostic.hint) == (
        Level.WARNING, "keep-needs-name", "aws_warn_thing.x", "name",
        "is required when keep is true", "set name")
    assert result.templates["t"].config["resource"]["aws_warn_thing"]["x"] == {"keep": True}


# -- arn_of_types: a table file of the types whose ARN an attribute takes ----------------------

TABLE = """\
what: a type the share takes
source: https://example.com/shareable
hint: share a subnet instead
types:
  svc:Thing: [aws_thing]
  svc:Other: [aws_other, aws_thing]
"""


def _table(tmp_path: Path, text: str = TABLE, name: str = "tables/shareable.yaml") -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_arn_of_types_reads_its_table_and_judges_references(tmp_path: Path) -> None:
    _table(tmp_path)
    model = merged(tmp_path, f"type: {T}\nattributes:\n"
                             "  name: {arn_of_types: tables/shareable.yaml}\n"
                             "  zones: {arn_of_types: tables/shareable.yaml}\n")
    rules = {s.rule.attr: s.rule for s in model.struct.rules}
    assert rules["name"].types == ("aws_other", "aws_thing")
    assert rules["name"].source_code() == (
        "ArnOf('name', ('aws_other', 'aws_thing'), what='a type the share takes', "
        "source='https://example.com/shareable', hint='share a subnet instead')")
    check = rules["name"].check
    assert check({"name": "${aws_thing.a.arn}"}, frozenset()) == []
    assert check({"name": "${data.aws_other.a.arn}"}, frozenset()) == []
    assert check({"name": "${aws_vpc.main.arn}"}, frozenset()) == [(
        "name", "refers to the ARN of aws_vpc.main, and aws_vpc is not a type the share "
                "takes, so AWS refuses it at apply; share a subnet instead (the list: "
                "https://example.com/shareable)")]
    # strings, other attributes, variables, locals, modules and templates are not judged
    for value in ("arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1", "${aws_vpc.main.id}",
                  "${var.arn}", "${local.arn}", "${module.net.arn}",
                  "${data.terraform_remote_state.net.outputs.arn}", "x-${aws_vpc.main.arn}"):
        assert check({"name": value}, frozenset()) == [], value
    assert [p for p, _ in rules["zones"].check(
        {"zones": ["${aws_thing.a.arn}", "${aws_vpc.b.arn}"]}, frozenset())] == ["zones"]
    fast = validation.rules_predicate((rules["name"],))
    assert fast({"name": "${aws_thing.a.arn}"}) and fast({"name": "arn:aws:x"}) and fast({})
    assert not fast({"name": "${aws_vpc.main.arn}"})
    assert rules["name"].sentence() == (
        "`name`: a reference to an `arn` must be that of a type the share takes "
        "([the list](https://example.com/shareable)).")


@pytest.mark.parametrize("setting, table, expected", [
    pytest.param("size: {arn_of_types: tables/shareable.yaml}", TABLE,
                 "FILE: attributes.size.arn_of_types: arn_of_types applies to strings (or "
                 "lists and sets of them); size is number", id="not-a-string"),
    pytest.param("name: {arn_of_types: ../elsewhere.yaml}", TABLE,
                 "FILE: attributes.name.arn_of_types: '../elsewhere.yaml' must name a .yaml "
                 "file inside ", id="outside-the-directory"),
    pytest.param("name: {arn_of_types: tables/missing.yaml}", TABLE,
                 "FILE: attributes.name.arn_of_types: cannot read tables/missing.yaml: ",
                 id="missing-file"),
    pytest.param("name: {arn_of_types: tables/shareable.yaml}", "types: {svc:Thing: [Thing]}\n",
                 "FILE: attributes.name.arn_of_types: the table's types must map each "
                 "service's type code to a non-empty list of Terraform type names",
                 id="not-a-type-name"),
    pytest.param("name: {arn_of_types: tables/shareable.yaml}", "kinds: {}\n",
                 "FILE: attributes.name.arn_of_types: the table has unknown key(s) kinds; "
                 "allowed: hint, source, types, what", id="unknown-table-key"),
    pytest.param("name: {arn_of_types: tables/shareable.yaml}",
                 "types: {a: [aws_a]}\ntypes: {b: [aws_b]}\n",
                 "FILE: attributes.name.arn_of_types: tables/shareable.yaml: ",
                 id="duplicate-key"),
])
def test_the_loader_refuses_a_broken_arn_of_types_table(tmp_path: Path, setting: str,
                                                        table: str, expected: str) -> None:
    _table(tmp_path, table)
    assert failure(tmp_path, f"type: {T}\nattributes:\n  {setting}\n").startswith(expected)
