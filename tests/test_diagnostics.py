"""Warnings: recorded on the template, carried by the result, grouped when printed, and
refused in strict mode."""

from __future__ import annotations

import warnings
import pytest

import pangea
from pangea import Diagnostic, Level, PangeaWarning, StrictModeError, TemplateError
from pangea.diagnostics import LISTED_PER_GROUP, count_text, render_grouped

WARNING_TEMPLATE = """
    from pangea import template, warn

    @template
    def app():
        for i in range(3):
            warn("drifts later", code="demo-rule", address=f"aws_x.n{i}", path="setting",
                 hint="set setting explicitly")  # called at line 7

    @template
    def quiet():
        pass
"""


def test_warn_records_a_located_diagnostic_on_the_result(write_template) -> None:
    path = write_template(WARNING_TEMPLATE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # synthesize returns warnings as data, never issues them
        result = pangea.synthesize(path)
    assert result.templates["quiet"].diagnostics == ()
    first, *rest = result.templates["app"].diagnostics
    assert first == Diagnostic(Level.WARNING, "drifts later", "demo-rule", str(path), 7, "app",
                               "aws_x.n0", "setting", "set setting explicitly")
    assert len(rest) == 2 and result.diagnostics[1].address == "aws_x.n1"
    assert first.render() == (f"warning[demo-rule]: {path}:7: template 'app': aws_x.n0: setting: "
                              "drifts later\n  hint: set setting explicitly")


def test_strict_turns_warnings_into_an_error_naming_each(write_template) -> None:
    path = write_template(WARNING_TEMPLATE)
    with pytest.raises(StrictModeError) as excinfo:
        pangea.synthesize(path, strict=True)
    text = str(excinfo.value)
    assert text.startswith(f"{path}: template 'app': 3 warnings, errors in strict mode:")
    assert "aws_x.n2: setting: drifts later" in text
    assert isinstance(excinfo.value, pangea.PangeaError) and len(excinfo.value.diagnostics) == 3
    with pytest.raises(StrictModeError):
        pangea.synth(path, strict=True)
    # a template without warnings is fine in strict mode
    assert pangea.synthesize(path, "quiet", strict=True).diagnostics == ()


def test_one_warning_in_strict_mode_reads_like_an_error(write_template) -> None:
    path = write_template("""
        from pangea import template, warn

        @template
        def app():
            warn("bites later", code="demo", address="aws_x.a", path="p", hint="fix it")
    """)
    with pytest.raises(StrictModeError) as excinfo:
        pangea.synth(path, strict=True)
    assert str(excinfo.value) == (f"{path}:6: template 'app': aws_x.a: p: bites later "
                                  "(warning demo, an error in strict mode)\n  hint: fix it")


def test_synth_shows_warnings_in_a_category_python_does_not_hide(write_template) -> None:
    path = write_template(WARNING_TEMPLATE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        pangea.synth(path)
    assert len(caught) == 3
    assert all(w.category is PangeaWarning for w in caught)
    assert not issubclass(PangeaWarning, DeprecationWarning)
    assert pangea.PangeaDeprecationWarning.__mro__[1] is PangeaWarning
    assert (caught[0].filename, caught[0].lineno) == (str(path), 7)


def test_warn_outside_a_template_is_a_misuse() -> None:
    with pytest.raises(TemplateError, match="outside a template"):
        pangea.warn("x", code="c")


def _diagnostic(i: int, code: str = "rule-a", message: str = "same message") -> Diagnostic:
    return Diagnostic(Level.WARNING, message, code, "infra.py", 10 + i, "app", f"aws_x.r{i}",
                      "attr", "the fix")


def test_repeated_warnings_print_once_per_rule_with_a_count() -> None:
    many = [_diagnostic(i) for i in range(LISTED_PER_GROUP + 3)]
    other = _diagnostic(99, code="rule-b", message="another")
    texts = render_grouped([many[0], other, *many[1:]])
    assert len(texts) == 2
    lines = texts[0].splitlines()
    assert lines[0] == f"warning[rule-a]: same message ({LISTED_PER_GROUP + 3} places)"
    assert lines[1] == "  infra.py:10: template 'app': aws_x.r0: attr"
    assert lines[LISTED_PER_GROUP] == (f"  infra.py:{10 + LISTED_PER_GROUP - 1}: template 'app': "
                                       f"aws_x.r{LISTED_PER_GROUP - 1}: attr")
    assert lines[-2:] == ["  ... and 3 more", "  hint: the fix"]
    assert texts[1] == other.render()
    assert count_text([*many, other]) == f"{LISTED_PER_GROUP + 4} warnings (2 rules)"
    assert count_text([other]) == "1 warning"
