"""Override files (codegen/inputs/overrides.py): every accepted key lands in the model, every kind of
bad input is a GeneratorError naming the file and the key path, and a stale override (a
provider bump removed an attribute) stops the generator."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest

from codegen.pipeline.build import build_type
from codegen.errors import GeneratorError, GeneratorProblems
from codegen.model import ComputedProperty, RuleSpec, TypeModel
from codegen.inputs.overrides import load_override, merge_override, override_path, stray_override_files
from codegen.inputs.shapes import ShapeLock
from pangea import validation

T = "aws_test_thing"
BLOCK: dict[str, Any] = {
    "attributes": {
        "id": {"type": "string", "optional": True, "computed": True},
        "arn": {"type": "string", "computed": True},
        "endpoint": {"type": "string", "computed": True},
        "name": {"type": "string", "optional": True},
        "name_prefix": {"type": "string", "optional": True},
        "size": {"type": "number", "optional": True},
        "enabled": {"type": "bool", "optional": True},
        "zones": {"type": ["list", "string"], "optional": True},
        "tags": {"type": ["map", "string"], "optional": True},
    },
    "block_types": {
        "settings": {"nesting_mode": "list", "max_items": 1, "block": {
            "attributes": {"mode": {"type": "string", "optional": True},
                           "level": {"type": "number", "optional": True}},
            "block_types": {"inner": {"nesting_mode": "list", "block": {
                "attributes": {"w": {"type": "number", "optional": True}}}}}}},
    },
}


def build(kind: str = "resource", type_name: str = T) -> TypeModel:
    return build_type(kind, type_name, {"block": copy.deepcopy(BLOCK)}, ShapeLock(None))


def write(directory: Path, text: str, kind: str = "resource", type_name: str = T) -> Path:
    path = override_path(directory, kind, type_name)
    path.write_text(textwrap.dedent(text))
    return path


def merged(directory: Path, text: str, kind: str = "resource") -> TypeModel:
    write(directory, text, kind)
    model = build(kind)
    file = load_override(directory, kind, T)
    assert file is not None
    merge_override(model, file)
    return model


def failure(directory: Path, text: str, kind: str = "resource") -> str:
    """The error message for an override file, with the file path replaced by ``FILE``."""
    path = override_path(directory, kind, T)
    with pytest.raises(GeneratorError) as excinfo:
        merged(directory, text, kind)
    message = str(excinfo.value)
    assert message.startswith(f"{path}: "), message  # every error names the file
    return "FILE: " + message[len(f"{path}: "):]


def rendered(rules: list[RuleSpec]) -> list[str]:
    return [r.render() for r in rules]


# -- accepted keys ---------------------------------------------------------------------------

FULL = """\
    type: aws_test_thing
    summary: '  A test thing.  '
    description: |
      Longer text.

      Second paragraph.
    sources:
      - https://example.com/a
      - https://example.com/b
    attributes:
      size:
        min: 1
        max: 35
        default: 1
        description: Days kept.
        notes: Set 0 to disable.
        source: https://example.com/size
      name:
        min_length: 1
        max_length: 63
        pattern: '^[a-z][a-z0-9-]*$'
        pattern_description: a lowercase letter, then lowercase letters, digits and hyphens
      name_prefix:
        pattern: '^[a-z]+$'
        max_length: 10
      zones:
        min_length: 2
        enum: [a, b, c]
      tags:
        max_length: 5
      enabled:
        default: true
        default_emitted: true
      endpoint:
        description: Computed-only attributes take documentation.
    blocks:
      settings:
        description: ' Settings block. '
        attributes:
          mode:
            enum: [fast, slow]
          level:
            min: 0
        blocks:
          inner:
            description: Inner block.
            attributes:
              w:
                max: 9.5
        rules:
          - required_together: [mode, level]
    rules:
      - conflicts: [name, name_prefix]
        message: pick one name form
        source: https://example.com/rule
      - exactly_one_of: [name, name_prefix]
      - at_least_one_of: [name, name_prefix, settings]
      - required_together: [size, enabled]
      - requires: [name]
        unless_set: [name_prefix, zones]
      - requires: zones
        when_set: [size]
      - requires: [tags]
        when_equals: {enabled: true}
      - forbids: [name_prefix]
        when_equals: {size: 3, name: x}
        message: no prefix with size 3
      - requires: [size]
    computed:
      url:
        format: 'https://{name}:{size}/{endpoint}'
        description: '  The URL. '
      doubled:
        type: number
        expression: '{size} * 2'
      labels:
        type: list(string)
        expression: 'keys({tags})'
      active:
        type: bool
        expression: '{enabled} && {settings} != null'
    examples:
      - title: ' First '
        description: Some text.
        code: |
          x = 1
      - title: Second
        code: "from pangea import template\\n\\n\\n@template('t')\\ndef t():\\n    pass"
"""


@pytest.fixture
def full(tmp_path: Path) -> TypeModel:
    return merged(tmp_path, FULL)


def test_documentation_fields(full: TypeModel) -> None:
    assert full.summary == "A test thing."
    assert full.description == "Longer text.\n\nSecond paragraph."
    assert full.sources == ["https://example.com/a", "https://example.com/b"]
    size = full.struct.attribute("size")
    assert size is not None
    assert (size.description, size.notes, size.source) == (
        "Days kept.", "Set 0 to disable.", "https://example.com/size")
    endpoint = full.struct.attribute("endpoint")
    assert endpoint is not None
    assert endpoint.description == "Computed-only attributes take documentation."
    settings = full.struct.block("settings")
    assert settings is not None and settings.description == "Settings block."
    inner = settings.struct.block("inner")
    assert inner is not None and inner.description == "Inner block."


def test_defaults(full: TypeModel) -> None:
    size, enabled, name = (full.struct.attribute(n) for n in ("size", "enabled", "name"))
    assert size is not None and enabled is not None and name is not None
    assert (size.default, size.has_default, size.default_emitted) == (1, True, False)
    assert (enabled.default, enabled.has_default, enabled.default_emitted) == (True, True, True)
    assert (name.default, name.has_default, name.default_emitted) == (None, False, False)


def test_attribute_constraints_for_the_docs(full: TypeModel) -> None:
    def constraints(struct: Any, name: str) -> list[str]:
        return struct.attribute(name).constraints

    top = full.struct
    assert constraints(top, "size") == ["1 to 35"]
    assert constraints(top, "name") == [
        "length 1 to 63 characters",
        "format: a lowercase letter, then lowercase letters, digits and hyphens"]
    assert constraints(top, "name_prefix") == ["length at most 10 characters",
                                               "matches `^[a-z]+$`"]
    assert constraints(top, "zones") == ["length at least 2 items", "one of `a`, `b`, `c`"]
    assert constraints(top, "tags") == ["length at most 5 items"]
    assert constraints(top, "enabled") == []
    settings = top.block("settings").struct  # type: ignore[union-attr]
    assert constraints(settings, "mode") == ["one of `fast`, `slow`"]
    assert constraints(settings, "level") == ["at least 0"]
    assert constraints(settings.block("inner").struct, "w") == ["at most 9.5"]


def test_rules_render_in_file_order(full: TypeModel) -> None:
    assert rendered(full.struct.rules) == [
        "v.Range('size', min=1, max=35)",
        "v.Length('name', min=1, max=63)",
        "v.Pattern('name', '^[a-z][a-z0-9-]*$', description='a lowercase letter, then "
        "lowercase letters, digits and hyphens')",
        "v.Length('name_prefix', max=10)",
        "v.Pattern('name_prefix', '^[a-z]+$')",
        "v.Length('zones', min=2)",
        "v.OneOf('zones', ('a', 'b', 'c'))",
        "v.Length('tags', max=5)",
        "v.Conflicts(('name', 'name_prefix'), message='pick one name form')",
        "v.ExactlyOneOf(('name', 'name_prefix'))",
        "v.AtLeastOneOf(('name', 'name_prefix', 'settings'))",
        "v.RequiredTogether(('size', 'enabled'))",
        "v.Requires(('name',), unless_set=('name_prefix', 'zones'))",
        "v.Requires(('zones',), when_set=('size',))",
        "v.Requires(('tags',), when_equals=(('enabled', True),), defaults=(('enabled', True),))",
        "v.Forbids(('name_prefix',), when_equals=(('name', 'x'), ('size', 3)), "
        "defaults=(('size', 1),), message='no prefix with size 3')",
        "v.Requires(('size',))",
    ]
    settings = full.struct.block("settings").struct  # type: ignore[union-attr]
    assert rendered(settings.rules) == [
        "v.OneOf('mode', ('fast', 'slow'))",
        "v.Range('level', min=0)",
        "v.RequiredTogether(('mode', 'level'))",
    ]
    inner = settings.block("inner").struct  # type: ignore[union-attr]
    assert rendered(inner.rules) == ["v.Range('w', max=9.5)"]


def test_rendered_rules_construct_working_validation_rules(full: TypeModel) -> None:
    """The text written into generated modules builds the runtime rule it describes."""
    rules = [eval(r.render(), {"v": validation}) for r in full.struct.rules]  # noqa: S307
    by_text = dict(zip(rendered(full.struct.rules), rules))
    rng = by_text["v.Range('size', min=1, max=35)"]
    assert rng.check({"size": 40}, frozenset()) == [("size", "must be between 1 and 35 (got 40)")]
    conflicts = by_text["v.Conflicts(('name', 'name_prefix'), message='pick one name form')"]
    assert conflicts.check({"name": "a", "name_prefix": "b"}, frozenset()) == [
        ("", "pick one name form")]
    tags = rules[14]
    assert isinstance(tags, validation.Requires)
    # the documented default of `enabled` (true) makes the condition hold when it is omitted
    assert tags.check({}, frozenset()) == [
        ("tags", "is required when enabled is true (its default when omitted)")]


def test_when_equals_defaults_come_from_attributes_merged_in_the_same_file(tmp_path: Path) -> None:
    model = merged(tmp_path, """\
        type: aws_test_thing
        rules:
          - requires: [name]
            when_equals: {enabled: false}
        attributes:
          enabled: {default: false}
        """)
    assert rendered(model.struct.rules) == [
        "v.Requires(('name',), when_equals=(('enabled', False),), "
        "defaults=(('enabled', False),))"]


def test_computed_properties(full: TypeModel) -> None:
    assert full.computed == [
        ComputedProperty("url", "string", "https://{name}:{size}/{endpoint}", None, "The URL."),
        ComputedProperty("doubled", "number", None, "{size} * 2", ""),
        ComputedProperty("labels", "list(string)", None, "keys({tags})", ""),
        ComputedProperty("active", "bool", None, "{enabled} && {settings} != null", ""),
    ]
    assert [c.ref_stub() for c in full.computed] == ["str | Expr", "NumRef", "AnyRef", "BoolRef"]


def test_examples(full: TypeModel) -> None:
    assert [(e.title, e.description, e.code) for e in full.examples] == [
        ("First", "Some text.", "x = 1\n"),
        ("Second", "", "from pangea import template\n\n\n@template('t')\ndef t():\n    pass\n"),
    ]


def test_data_source_file(tmp_path: Path) -> None:
    model = merged(tmp_path, """\
        type: data.aws_test_thing
        summary: A data source.
        attributes:
          name: {max_length: 3}
        """, kind="data")
    assert model.summary == "A data source."
    assert rendered(model.struct.rules) == ["v.Length('name', max=3)"]
    assert (tmp_path / "data.aws_test_thing.yaml").exists()


def test_a_type_without_an_override_file(tmp_path: Path) -> None:
    assert load_override(tmp_path, "resource", T) is None


def test_an_empty_override_changes_nothing(tmp_path: Path) -> None:
    model = merged(tmp_path, "type: aws_test_thing\nattributes:\nblocks:\nrules:\n")
    assert model.struct.rules == [] and model.computed == [] and model.examples == []


# -- bad input --------------------------------------------------------------------------------

STALE = "(stale override after a provider bump?)"


@pytest.mark.parametrize("text, expected", [
    pytest.param("bogus: 1", "FILE: (top level): unknown key(s) bogus; allowed: attributes, "
                 "blocks, computed, description, examples, rules, sources, summary, type",
                 id="unknown-top-level-key"),
    pytest.param("attributes: {name: {bogus: 1}}",
                 "FILE: attributes.name: unknown key(s) bogus; allowed: arn_of_types, "
                 "default, default_emitted, description, enum, max, max_length, min, "
                 "min_length, notes, pattern, pattern_description, source",
                 id="unknown-attribute-key"),
    pytest.param("attributes: {name: [1]}", "FILE: attributes.name: expected a mapping",
                 id="attribute-not-a-mapping"),
    pytest.param("attributes: {nmae: {min_length: 1}}",
                 f"FILE: attributes.nmae: aws_test_thing has no attribute 'nmae' in the pinned "
                 f"provider schema {STALE}; did you mean name?", id="stale-attribute"),
    pytest.param("attributes: {qqqq: {min_length: 1}}",
                 f"FILE: attributes.qqqq: aws_test_thing has no attribute 'qqqq' in the pinned "
                 f"provider schema {STALE}", id="stale-attribute-no-close-name"),
    pytest.param("blocks: {setting: {}}",
                 f"FILE: blocks.setting: aws_test_thing has no block 'setting' in the pinned "
                 f"provider schema {STALE}; did you mean settings?", id="stale-block"),
    pytest.param("blocks: {settings: {attributes: {mdoe: {enum: [a]}}}}",
                 "FILE: blocks.settings.attributes.mdoe: aws_test_thing has no attribute 'mdoe' "
                 f"in block settings in the pinned provider schema {STALE}; did you mean mode?",
                 id="stale-attribute-in-block"),
    pytest.param("blocks: {settings: {blocks: {iner: {}}}}",
                 "FILE: blocks.settings.blocks.iner: aws_test_thing has no block 'iner' in block "
                 f"settings in the pinned provider schema {STALE}; did you mean inner?",
                 id="stale-nested-block"),
    pytest.param("blocks: {settings: {bogus: 1}}",
                 "FILE: blocks.settings: unknown key(s) bogus; allowed: attributes, blocks, "
                 "description, rules", id="unknown-block-key"),
    pytest.param("blocks: {settings: {attributes: {level: {min: a}}}}",
                 "FILE: blocks.settings.attributes.level.min: expected a number",
                 id="key-path-inside-block"),
    pytest.param("attributes: {name: {min: 1}}",
                 "FILE: attributes.name: min/max apply to numbers; name is string",
                 id="min-on-string"),
    pytest.param("attributes: {zones: {max: 1}}",
                 "FILE: attributes.zones: min/max apply to numbers; zones is list(string)",
                 id="max-on-list"),
    pytest.param("attributes: {size: {min: 5, max: 1}}",
                 "FILE: attributes.size: min 5 is greater than max 1", id="min-greater-than-max"),
    pytest.param("attributes: {size: {min: '1'}}", "FILE: attributes.size.min: expected a number",
                 id="min-a-string"),
    pytest.param("attributes: {size: {max: true}}", "FILE: attributes.size.max: expected a number",
                 id="max-a-bool"),
    pytest.param("attributes: {enabled: {max_length: 3}}",
                 "FILE: attributes.enabled: min_length/max_length apply to strings and "
                 "collections; enabled is bool", id="length-on-bool"),
    pytest.param("attributes: {size: {min_length: 1}}",
                 "FILE: attributes.size: min_length/max_length apply to strings and "
                 "collections; size is number", id="length-on-number"),
    pytest.param("attributes: {name: {max_length: -1}}",
                 "FILE: attributes.name.max_length: expected a non-negative integer",
                 id="negative-length"),
    pytest.param("attributes: {name: {min_length: 1.5}}",
                 "FILE: attributes.name.min_length: expected a non-negative integer",
                 id="fractional-length"),
    pytest.param("attributes: {name: {pattern: '[a-'}}",
                 "FILE: attributes.name.pattern: not a valid regular expression: unterminated "
                 "character set at position 0", id="invalid-regex"),
    pytest.param("attributes: {name: {pattern: 5}}",
                 "FILE: attributes.name.pattern: expected a string",
                 id="pattern-not-a-string"),
    pytest.param("attributes: {size: {pattern: x}}",
                 "FILE: attributes.size: pattern applies to strings; size is number",
                 id="pattern-on-number"),
    pytest.param("attributes: {name: {pattern_description: x}}",
                 "FILE: attributes.name.pattern_description: given without a pattern",
                 id="pattern-description-without-pattern"),
    pytest.param("attributes: {size: {default_emitted: true}}",
                 "FILE: attributes.size.default_emitted: given without a default",
                 id="default-emitted-without-default"),
    pytest.param("attributes: {size: {default: 1, default_emitted: 'yes'}}",
                 "FILE: attributes.size.default_emitted: expected true or false",
                 id="default-emitted-not-bool"),
    pytest.param("attributes: {name: {enum: []}}",
                 "FILE: attributes.name.enum: expected a non-empty list of values of name's type (string)",
                 id="enum-empty"),
    pytest.param("attributes: {name: {enum: [true, false]}}",
                 "FILE: attributes.name.enum: expected a non-empty list of values of name's type (string)",
                 id="enum-of-bools"),
    pytest.param("attributes: {name: {enum: [[a]]}}",
                 "FILE: attributes.name.enum: expected a non-empty list of values of name's type (string)",
                 id="enum-of-lists"),
    pytest.param("attributes: {name: {enum: a}}",
                 "FILE: attributes.name.enum: expected a non-empty list of values of name's type (string)",
                 id="enum-not-a-list"),
    pytest.param("attributes: {name: {description: [x]}}",
                 "FILE: attributes.name.description: expected a string", id="description-not-text"),
    pytest.param("attributes: {endpoint: {min_length: 1}}",
                 "FILE: attributes.endpoint: is computed-only: it takes no input rules or default",
                 id="rule-on-computed-only"),
    pytest.param("attributes: {endpoint: {default: x}}",
                 "FILE: attributes.endpoint: is computed-only: it takes no input rules or default",
                 id="default-on-computed-only"),
    pytest.param("rules: [{conflicts: [name, size], requires: [name]}]",
                 "FILE: rules[0]: a rule has exactly one of conflicts, exactly_one_of, "
                 "at_least_one_of, required_together, requires, forbids", id="rule-two-kinds"),
    pytest.param("rules: [{message: x}]",
                 "FILE: rules[0]: a rule has exactly one of conflicts, exactly_one_of, "
                 "at_least_one_of, required_together, requires, forbids", id="rule-no-kind"),
    pytest.param("rules: [oops]", "FILE: rules[0]: expected a mapping", id="rule-not-a-mapping"),
    pytest.param("rules: [{conflicts: [name, size]}, {exactly_one_of: [name]}]",
                 "FILE: rules[1].exactly_one_of: name at least two attributes",
                 id="set-rule-one-name"),
    pytest.param("rules: [{at_least_one_of: []}]",
                 "FILE: rules[0].at_least_one_of: expected a list of attribute names",
                 id="set-rule-no-names"),
    pytest.param("rules: [{required_together: [name, 3]}]",
                 "FILE: rules[0].required_together: expected a list of attribute names",
                 id="set-rule-non-string-name"),
    pytest.param("rules: [{conflicts: [name, nmae]}]",
                 f"FILE: rules[0].conflicts: aws_test_thing has no attribute 'nmae' in the "
                 f"pinned provider schema {STALE}; did you mean name?",
                 id="rule-missing-attribute"),
    pytest.param("rules: [{conflicts: [name, endpoint]}]",
                 "FILE: rules[0].conflicts: endpoint is computed-only; rules apply to arguments",
                 id="rule-computed-only"),
    pytest.param("rules: [{requires: [arn], when_set: [name]}]",
                 "FILE: rules[0].requires: arn is computed-only; rules apply to arguments",
                 id="requires-computed-only"),
    pytest.param("rules: [{requires: [name], when_set: [sise]}]",
                 f"FILE: rules[0].when_set: aws_test_thing has no attribute 'sise' in the pinned "
                 f"provider schema {STALE}; did you mean size?", id="condition-missing-attribute"),
    pytest.param("rules: [{forbids: [name], unless_set: [endpoint]}]",
                 "FILE: rules[0].unless_set: endpoint is computed-only; rules apply to arguments",
                 id="condition-computed-only"),
    pytest.param("rules: [{requires: [name], when_equals: {sise: 1}}]",
                 f"FILE: rules[0].when_equals: aws_test_thing has no attribute 'sise' in the "
                 f"pinned provider schema {STALE}; did you mean size?",
                 id="when-equals-missing-attribute"),
    pytest.param("rules: [{requires: [name], when_equals: {}}]",
                 "FILE: rules[0].when_equals: expected a mapping of attribute: value",
                 id="when-equals-empty"),
    pytest.param("rules: [{requires: [name], when_equals: [size]}]",
                 "FILE: rules[0].when_equals: expected a mapping of attribute: value",
                 id="when-equals-not-a-mapping"),
    pytest.param("rules: [{requires: [name], when_set: [size], unless_set: [zones]}]",
                 "FILE: rules[0]: use one condition: when_set, unless_set, when_equals",
                 id="two-conditions"),
    pytest.param("rules: [{forbids: [name], when_set: [size], when_equals: {enabled: true}}]",
                 "FILE: rules[0]: use one condition: when_set, unless_set, when_equals",
                 id="two-conditions-forbids"),
    pytest.param("rules: [{conflicts: [name, size], when_set: [zones]}]",
                 "FILE: rules[0]: unknown key(s) when_set; allowed: code, conflicts, hint, level, message, "
                 "source",
                 id="condition-on-set-rule"),
    pytest.param("rules: [{requires: [name], because: x}]",
                 "FILE: rules[0]: unknown key(s) because; allowed: code, hint, level, message, requires, "
                 "source, unless_set, when_equals, when_set", id="unknown-rule-key"),
    pytest.param("rules: [{conflicts: [name, size], message: 3}]",
                 "FILE: rules[0].message: expected a string", id="message-not-text"),
    pytest.param("blocks: {settings: {rules: [{conflicts: [mode, name]}]}}",
                 "FILE: blocks.settings.rules[0].conflicts: aws_test_thing has no attribute "
                 f"'name' in block settings in the pinned provider schema {STALE}",
                 id="block-rule-names-top-level-attribute"),
    pytest.param("computed: {name: {format: x}}",
                 "FILE: computed.name: has the name of a schema attribute; choose another name",
                 id="computed-named-like-attribute"),
    pytest.param("computed: {settings: {format: x}}",
                 "FILE: computed.settings: has the name of a schema attribute; choose another name",
                 id="computed-named-like-block"),
    pytest.param("computed: {Bad-Name: {format: x}}",
                 "FILE: computed.Bad-Name: property names are lowercase snake_case",
                 id="computed-bad-name"),
    pytest.param("computed: {_x: {format: x}}",
                 "FILE: computed._x: property names are lowercase snake_case",
                 id="computed-leading-underscore"),
    pytest.param("computed: {x: {format: a, expression: b}}",
                 "FILE: computed.x: give exactly one of format or expression",
                 id="computed-both-forms"),
    pytest.param("computed: {x: {description: b}}",
                 "FILE: computed.x: give exactly one of format or expression",
                 id="computed-no-form"),
    pytest.param("computed: {x: {format: 'a{nope}'}}",
                 "FILE: computed.x.format: {nope} is not an attribute of aws_test_thing",
                 id="format-missing-placeholder"),
    pytest.param("computed: {x: {expression: '{size} + {nope}'}}",
                 "FILE: computed.x.expression: {nope} is not an attribute of aws_test_thing",
                 id="expression-missing-placeholder"),
    pytest.param("computed: {x: {type: number, format: '{size}'}}",
                 "FILE: computed.x: a format always makes a string", id="format-number"),
    pytest.param("computed: {x: {type: bool, format: '{enabled}'}}",
                 "FILE: computed.x: a format always makes a string", id="format-bool"),
    pytest.param("computed: {x: {type: float, expression: '{size}'}}",
                 "FILE: computed.x.type: expected one of bool, list(string), number, string",
                 id="computed-bad-type"),
    pytest.param("computed: {x: {format: a, bogus: 1}}",
                 "FILE: computed.x: unknown key(s) bogus; allowed: description, expression, "
                 "format, type", id="computed-unknown-key"),
    pytest.param("computed: [x]",
                 "FILE: computed: expected a mapping of property name -> definition",
                 id="computed-not-a-mapping"),
    pytest.param("examples: [{title: t}]", "FILE: examples[0]: an example needs a title and code",
                 id="example-without-code"),
    pytest.param("examples: [{code: 'x = 1'}]",
                 "FILE: examples[0]: an example needs a title and code",
                 id="example-without-title"),
    pytest.param("examples: [{title: t, code: 'x = 1'}, {title: u, code: 'def f(:'}]",
                 "FILE: examples[1].code: not valid Python: invalid syntax (line 1)",
                 id="example-invalid-python"),
    pytest.param("examples: [{title: t, code: \"if x:\\n  a\\n b\"}]",
                 "FILE: examples[0].code: not valid Python: unindent does not match any outer "
                 "indentation level (line 3)", id="example-bad-indentation"),
    pytest.param("examples: [{title: t, code: 'x=1', bogus: 1}]",
                 "FILE: examples[0]: unknown key(s) bogus; allowed: code, description, title",
                 id="example-unknown-key"),
    pytest.param("examples: {title: t}", "FILE: examples: expected a list",
                 id="examples-not-a-list"),
    pytest.param("sources: http://x", "FILE: sources: expected a list of URLs",
                 id="sources-not-a-list"),
    pytest.param("summary: 3", "FILE: summary: expected a string", id="summary-not-text"),
])
def test_bad_input_names_the_file_and_the_key(tmp_path: Path, text: str, expected: str) -> None:
    assert failure(tmp_path, f"type: {T}\n{text}\n") == expected


@pytest.mark.parametrize("text, expected", [
    ("type: aws_other_thing\n", "'type' must be 'aws_test_thing' (got 'aws_other_thing')"),
    ("summary: no type\n", "'type' must be 'aws_test_thing' (got None)"),
    ("type: data.aws_test_thing\n", "'type' must be 'aws_test_thing' (got 'data.aws_test_thing')"),
    ("- type: aws_test_thing\n", "expected a mapping at the top level"),
    ("", "expected a mapping at the top level"),
])
def test_file_level_errors(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(GeneratorError) as excinfo:
        load_override(tmp_path, "resource", T)
    assert str(excinfo.value) == f"{path}: {expected}"


def test_data_source_type_must_carry_the_data_prefix(tmp_path: Path) -> None:
    path = write(tmp_path, f"type: {T}\n", kind="data")
    with pytest.raises(GeneratorError) as excinfo:
        load_override(tmp_path, "data", T)
    assert str(excinfo.value) == (
        f"{path}: 'type' must be 'data.aws_test_thing' (got 'aws_test_thing')")


def test_invalid_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "type: aws_test_thing\nattributes: [name\n")
    with pytest.raises(GeneratorError) as excinfo:
        load_override(tmp_path, "resource", T)
    message = str(excinfo.value)
    assert message.startswith(f"{path}: not valid YAML: while parsing a flow sequence")
    assert "line 2" in message


def test_rules_given_as_a_mapping_are_refused(tmp_path: Path) -> None:
    message = failure(tmp_path, f"type: {T}\nrules: {{conflicts: [name, size]}}\n")
    assert message.startswith("FILE: rules")


@pytest.mark.parametrize("text", ["attributes: [name]", "blocks: [settings]",
                                  "blocks: {settings: {attributes: [mode]}}"])
def test_attributes_or_blocks_given_as_a_list_are_refused(tmp_path: Path, text: str) -> None:
    message = failure(tmp_path, f"type: {T}\n{text}\n")
    assert "expected a mapping" in message


@pytest.mark.parametrize("spec", [
    "{format: '{nope[0]}'}",        # unknown name, hidden behind an index
    "{format: '{size:d}'}",          # a format spec: ValueError when the property is read
    "{expression: 'merge({tags}, {a = 1})'}",  # renders aws_x.y.a = 1
])
def test_placeholders_the_runtime_cannot_render_are_refused(tmp_path: Path, spec: str) -> None:
    failure(tmp_path, f"type: {T}\ncomputed: {{x: {spec}}}\n")


@pytest.mark.parametrize("text", [
    "attributes: {size: {enum: [a, b]}}",
    "attributes: {size: {default: abc, default_emitted: true}}",
    "attributes: {enabled: {default: 'yes'}}",
])
def test_values_of_the_wrong_type_for_the_attribute_are_refused(tmp_path: Path, text: str) -> None:
    failure(tmp_path, f"type: {T}\n{text}\n")


# -- stray files -------------------------------------------------------------------------------

def test_stray_override_files(tmp_path: Path) -> None:
    for name in ("aws_a.yaml", "data.aws_a.yaml", "aws_gone.yaml", "data.aws_gone.yaml",
                 "README.md", "aws_b.yml"):
        (tmp_path / name).write_text("type: x\n")
    assert stray_override_files(tmp_path, {"aws_a", "data.aws_a"}) == [
        tmp_path / "aws_gone.yaml", tmp_path / "data.aws_gone.yaml"]
    assert stray_override_files(tmp_path, {"aws_a", "data.aws_a", "aws_gone",
                                           "data.aws_gone"}) == []
    assert stray_override_files(tmp_path / "missing", {"aws_a"}) == []


# -- the generator against a bumped provider schema -----------------------------------------

PROJECT = Path(__file__).resolve().parents[3]
REAL = "aws_memorydb_subnet_group"
SUBNET_GROUP_BLOCK: dict[str, Any] = {"attributes": {
    "arn": {"type": "string", "computed": True},
    "description": {"type": "string", "optional": True},
    "id": {"type": "string", "optional": True, "computed": True},
    "name": {"type": "string", "optional": True, "computed": True},
    "name_prefix": {"type": "string", "optional": True, "computed": True},
    "region": {"type": "string", "optional": True, "computed": True},
    "subnet_ids": {"type": ["set", "string"], "required": True},
    "tags": {"type": ["map", "string"], "optional": True},
    "tags_all": {"type": ["map", "string"], "optional": True, "computed": True},
    "vpc_id": {"type": "string", "computed": True},
}}


def setup_project(tmp_path: Path, block: dict[str, Any]) -> dict[str, Path]:
    """A schema with one type, targets pinning it, and a copy of the real override file."""
    schema_dir, overrides, out = tmp_path / "schema", tmp_path / "overrides", tmp_path / "out"
    for d in (schema_dir, overrides, out):
        d.mkdir()
    source = "registry.terraform.io/hashicorp/aws"
    doc = {"format_version": "1.0", "provider_schemas": {source: {
        "resource_schemas": {REAL: {"version": 0, "block": block}},
        "data_source_schemas": {}}}}
    data = json.dumps(doc).encode()
    (schema_dir / "aws-9.9.9.json").write_bytes(data)
    targets = tmp_path / "targets.yaml"
    targets.write_text(textwrap.dedent(f"""\
        provider: {{source: {source}, version: 9.9.9}}
        schema: {{file: aws-9.9.9.json, sha256: {hashlib.sha256(data).hexdigest()}}}
        groups:
          g: {{resources: [{REAL}]}}
        """))
    shutil.copy(PROJECT / "overrides" / f"{REAL}.yaml", overrides / f"{REAL}.yaml")
    return {"schema_dir": schema_dir, "targets": targets, "overrides": overrides, "out": out}


def options(paths: dict[str, Path]):
    from codegen.pipeline.generate import Options

    return Options(schema_dir=paths["schema_dir"], targets_path=paths["targets"],
                   overrides_dir=paths["overrides"], out=paths["out"], lock_path=None,
                   public_names_path=None, group="g", check=True, providers=())


def bumped_block() -> dict[str, Any]:
    block = copy.deepcopy(SUBNET_GROUP_BLOCK)
    del block["attributes"]["name_prefix"]  # the "new provider version" dropped it
    return block


def test_generator_merges_the_real_override_file_against_its_schema(tmp_path: Path) -> None:
    from codegen.pipeline.generate import run

    result = run(options(setup_project(tmp_path, SUBNET_GROUP_BLOCK)))
    [model] = result.models
    assert model.summary.startswith("A MemoryDB subnet group")
    assert "v.Conflicts(('name', 'name_prefix'))" in rendered(model.struct.rules)


def test_generator_fails_on_an_override_naming_a_removed_attribute(tmp_path: Path) -> None:
    from codegen.pipeline.generate import run

    paths = setup_project(tmp_path, bumped_block())
    with pytest.raises(GeneratorProblems) as excinfo:
        run(options(paths))
    file = paths['overrides'] / (REAL + '.yaml')
    assert excinfo.value.problems == [  # the entry and the rule that names it, both reported
        f"{file}: attributes.name_prefix: {REAL} has no attribute 'name_prefix' in the pinned "
        f"provider schema {STALE}",
        f"{file}: rules[0].conflicts: {REAL} has no attribute 'name_prefix' in the pinned "
        f"provider schema {STALE}",
    ]
    assert str(excinfo.value).startswith(
        f"2 problems in the generator's inputs; {paths['out']} was left as it was:\n  {file}: ")


def test_generate_check_command_reports_the_stale_override(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from codegen.__main__ import main

    paths = setup_project(tmp_path, bumped_block())
    code = main(["generate", "--check", "--schema-dir", str(paths["schema_dir"]),
                 "--targets", str(paths["targets"]), "--group", "g",
                 "--overrides", str(paths["overrides"]), "--out", str(paths["out"])])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.splitlines()
    assert lines[0].startswith("error: ") and "problems in the generator's inputs" in lines[0]
    assert (
        f"  {paths['overrides'] / (REAL + '.yaml')}: attributes.name_prefix: {REAL} has "
        f"no attribute 'name_prefix' in the pinned provider schema {STALE}") in lines


def test_generator_fails_on_an_override_file_for_a_type_not_generated(tmp_path: Path) -> None:
    from codegen.pipeline.generate import run

    paths = setup_project(tmp_path, SUBNET_GROUP_BLOCK)
    (paths["overrides"] / "aws_memorydb_gone.yaml").write_text("type: aws_memorydb_gone\n")
    with pytest.raises(GeneratorProblems) as excinfo:
        run(options(paths))
    assert excinfo.value.problems == [
        "override files for types that are not generated (renamed or removed by the provider, "
        f"or misspelled): {paths['overrides'] / 'aws_memorydb_gone.yaml'}"]


# -- every problem at once ---------------------------------------------------------------------

def test_a_duplicate_key_is_refused_naming_file_key_and_lines(tmp_path: Path) -> None:
    message = failure(tmp_path, f"""\
        type: {T}
        attributes:
          size: {{min: 1}}
          name: {{min_length: 1}}
          size: {{max: 5}}
        """)
    assert message == ("FILE: line 5: key 'size' is given twice (first on line 3); YAML would "
                       "silently keep only the last one: merge the two entries")


def test_a_duplicate_key_at_the_top_level_is_refused(tmp_path: Path) -> None:
    assert "key 'summary' is given twice" in failure(
        tmp_path, f"type: {T}\nsummary: one\nsummary: two\n")


def test_every_broken_entry_of_a_file_is_reported(tmp_path: Path) -> None:
    write(tmp_path, f"""\
        type: {T}
        attributes:
          size: {{min: 9, max: 1}}
          gone: {{min: 1}}
          name: {{min_length: 1}}
        blocks:
          vanished: {{description: x}}
        rules:
          - conflicts: [name, nope]
        computed:
          Bad: {{format: "{{name}}"}}
        examples:
          - {{title: broken, code: "def ("}}
        """)
    model = build()
    file = load_override(tmp_path, "resource", T)
    assert file is not None
    with pytest.raises(GeneratorProblems) as excinfo:
        merge_override(model, file)
    keys = [p.split(": ", 2)[1] for p in excinfo.value.problems]
    assert keys == ["attributes.size", "attributes.gone", "blocks.vanished", "rules[0].conflicts",
                    "computed.Bad", "examples[0].code"]
    assert all(p.startswith(f"{file.path}: ") for p in excinfo.value.problems)


def test_generator_reports_stale_keys_stray_files_and_shape_conflicts_together(
        tmp_path: Path) -> None:
    from codegen.pipeline.generate import run

    block = bumped_block()
    block["block_types"] = {"rule": {"nesting_mode": "list", "max_items": 3, "block": {
        "attributes": {"x": {"type": "string", "optional": True}}}}}
    paths = setup_project(tmp_path, block)
    (paths["overrides"] / "aws_memorydb_gone.yaml").write_text("type: aws_memorydb_gone\n")
    (paths["overrides"] / "data.aws_broken.yaml").write_text("type: [unclosed\n")
    lock = tmp_path / "shapes.lock.json"
    lock.write_text(json.dumps({"format": 1, "blocks": {f"resource.{REAL}.rule": "single"}}))
    opts = options(paths)
    opts.lock_path = lock
    with pytest.raises(GeneratorProblems) as excinfo:
        run(opts)
    problems = excinfo.value.problems
    assert len(problems) == 5, problems
    text = "\n".join(problems)
    assert f"{paths['overrides'] / 'data.aws_broken.yaml'}: not valid YAML" in text
    assert "attributes.name_prefix" in text and "rules[0].conflicts" in text
    assert "not generated" in text and "aws_memorydb_gone.yaml" in text
    assert f"{lock}: block shape changed since it was recorded: resource.{REAL}.rule" in text
    assert lock.read_text() == json.dumps(
        {"format": 1, "blocks": {f"resource.{REAL}.rule": "single"}})  # not rewritten


def test_make_generate_reports_two_stale_keys_in_two_files_and_changes_nothing(
        schema_dir: Path, tmp_path: Path) -> None:
    """The command `make generate` runs, on a copy of the project's overrides and output."""
    import subprocess
    import sys

    from codegen.pipeline.write import read_tree

    overrides = tmp_path / "overrides"
    shutil.copytree(PROJECT / "overrides", overrides)
    out = tmp_path / "generated"
    # The committed tree, and of the install-time tree (schema_only, which `make generate`
    # keeps as it is) only its package file: 11,000 files fewer to copy and compare.
    shutil.copytree(PROJECT / "generated", out,
                    ignore=shutil.ignore_patterns("__pycache__", "schema_only"))
    kept = Path("pangea_aws", "schema_only", "__init__.py")
    (out / kept.parent).mkdir()
    shutil.copy(PROJECT / "generated" / kept, out / kept)
    stale = {"aws_docdb_cluster.yaml": "storage_tipe", "aws_memorydb_acl.yaml": "user_names_old"}
    for name, key in stale.items():
        path = overrides / name
        path.write_text(path.read_text().replace("\nattributes:\n",
                                                 f"\nattributes:\n  {key}:\n    min_length: 1\n", 1))
        assert key in path.read_text()
    before = read_tree(out)
    lock_before = (PROJECT / "provider_schema" / "shapes.lock.json").read_text()
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "generate", "--schema-dir", str(schema_dir),
         "--group", "databases", "--overrides", str(overrides), "--out", str(out)],
        cwd=PROJECT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 2, result.stderr
    assert f"2 problems in the generator's inputs; {out} was left as it was" in result.stderr
    for name, key in stale.items():
        assert f"{overrides / name}: attributes.{key}: " in result.stderr
    assert read_tree(out) == before
    assert (PROJECT / "provider_schema" / "shapes.lock.json").read_text() == lock_before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".generated.new-")]
