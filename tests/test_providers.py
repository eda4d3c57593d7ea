"""The provider registry and a runtime that works for any registered provider package."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

import pangea
from pangea import providers
from pangea.diagnostics import StrictModeError
from pangea.errors import CrossTemplateReferenceError, TemplateError, ValidationError

from codegen.pipeline.emit_python import emit_schema
from codegen.pipeline.render import render

WIDGET_BLOCK = {
    "attributes": {
        "id": {"type": "string", "optional": True, "computed": True},
        "name": {"type": "string", "required": True},
        "size": {"type": "number", "optional": True},
        "arn": {"type": "string", "computed": True},
    }
}


@pytest.fixture
def widgetco(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emit_sources):
    """An installed provider package ``pangea_widgetco`` (not imported yet) with one resource
    type, ``widgetco_widget``, generated like the real packages' types."""
    root = tmp_path / "site"
    package = root / "pangea_widgetco"
    package.mkdir(parents=True)
    source, _, model = emit_sources(WIDGET_BLOCK, "widgetco_widget")
    (package / "resources").mkdir()
    (package / "resources" / "__init__.py").write_text("")
    (package / "resources" / "widgetco_widget.py").write_text(source)
    (package / "resources" / "widgetco_widget.schema.json").write_text(emit_schema(model))
    (package / "_schema.py").write_text(render("package_schema.py.jinja", package=package.name))
    (package / "__init__.py").write_text(textwrap.dedent('''
        from pangea.providers import Provider, register

        PROVIDER = register(Provider(name="widgetco", source="example/widgetco",
                                     version="2.1.0", package=__name__,
                                     type_prefix="widgetco_"))
        _MODULES = {"widgetco_widget": "resources.widgetco_widget"}

        from .resources.widgetco_widget import widgetco_widget
    '''))
    monkeypatch.syspath_prepend(str(root))
    yield package
    providers.unregister("widgetco")
    for name in [m for m in sys.modules if m == "pangea_widgetco" or m.startswith("pangea_widgetco.")]:
        del sys.modules[name]


def test_for_type_picks_the_longest_registered_prefix() -> None:
    short = providers.Provider("foo", "example/foo", "1.0.0", "pangea_foo", "foo_")
    long = providers.Provider("foobar", "example/foobar", "1.0.0", "pangea_foobar", "foo_bar_")
    providers.register(short)
    providers.register(long)
    try:
        assert providers.for_type("foo_thing") is short
        assert providers.for_type("foo_bar_thing") is long
        assert providers.for_type("bar_thing") is None
        assert providers.get("foo") is short
        names = [p.name for p in providers.registered()]
        assert names == sorted(names) and {"foo", "foobar"} <= set(names)
    finally:
        providers.unregister("foo")
        providers.unregister("foobar")
    assert providers.for_type("foo_thing") is None


def test_registering_again_is_harmless_but_a_conflicting_package_is_refused() -> None:
    first = providers.Provider("dup", "example/dup", "1.0.0", "pangea_dup", "dup_")
    try:
        providers.register(first)
        providers.register(providers.Provider("dup", "example/dup", "1.0.0", "pangea_dup", "dup_"))
        with pytest.raises(providers.ProviderConflictError, match="registered twice.*pangea_dup.*pangea_other"):
            providers.register(providers.Provider("dup", "example/dup", "2.0.0", "pangea_other", "dup_"))
        assert providers.get("dup") == first
    finally:
        providers.unregister("dup")


def test_the_aws_package_registers_itself_on_import() -> None:
    import pangea_aws

    provider = providers.get("aws")
    assert provider == providers.Provider("aws", "hashicorp/aws", pangea_aws.PROVIDER_VERSION,
                                          "pangea_aws", "aws_")
    assert provider is pangea_aws.PROVIDER


def test_an_installed_package_is_found_by_the_first_word_of_a_type(widgetco) -> None:
    assert providers.for_type("widgetco_widget") is None  # installed, not imported
    found = providers.find_for_type("widgetco_widget")
    assert found is not None and found.package == "pangea_widgetco"
    assert providers.find_for_type("nobody_widget") is None


def test_a_template_using_two_providers_pins_both(widgetco, write_template) -> None:
    path = write_template('''
        from pangea import template, output, provider
        from pangea_aws import aws_memorydb_acl
        from pangea_widgetco import widgetco_widget

        @template
        def both():
            provider("widgetco", alias="eu", endpoint="https://eu.example")
            acl = aws_memorydb_acl("main", name="main-acl")
            widget = widgetco_widget("w", name=acl.name, size=3)
            output("widget_arn", f"arn is {widget.arn}")
    ''')
    config = pangea.synth(path)["both"]
    assert config["terraform"]["required_providers"] == {
        "aws": {"source": "hashicorp/aws", "version": "6.47.0"},
        "widgetco": {"source": "example/widgetco", "version": "2.1.0"},
    }
    assert config["provider"] == {"widgetco": [{"alias": "eu", "endpoint": "https://eu.example"}]}
    assert config["resource"]["widgetco_widget"]["w"] == {
        "name": "${aws_memorydb_acl.main.name}", "size": 3}
    assert config["output"]["widget_arn"]["value"] == "arn is ${widgetco_widget.w.arn}"


def test_a_template_using_only_one_provider_pins_only_it(widgetco, write_template) -> None:
    path = write_template('''
        from pangea import template
        from pangea_widgetco import widgetco_widget

        @template
        def one():
            widgetco_widget("w", name="x")
    ''')
    assert pangea.synth(path)["one"]["terraform"] == {
        "required_providers": {"widgetco": {"source": "example/widgetco", "version": "2.1.0"}}}


def test_provider_block_alone_pins_its_provider_found_by_package_name(widgetco, write_template) -> None:
    path = write_template('''
        from pangea import template, provider

        @template
        def only_block():
            provider("widgetco", endpoint="https://example")
    ''')
    config = pangea.synth(path)["only_block"]
    assert config["terraform"]["required_providers"] == {
        "widgetco": {"source": "example/widgetco", "version": "2.1.0"}}


def test_a_string_reference_to_an_undeclared_resource_of_any_provider_is_caught(
        widgetco, write_template) -> None:
    path = write_template('''
        from pangea import template, output
        from pangea_widgetco import widgetco_widget

        @template
        def dangling():
            widgetco_widget("w", name="x")
            output("other", "${widgetco_widget.missing.arn}")
    ''')
    with pytest.raises(CrossTemplateReferenceError) as excinfo:
        pangea.synth(path)
    assert "output.other refers to widgetco_widget.missing" in str(excinfo.value)


def test_for_expression_variables_are_not_taken_for_addresses(write_template) -> None:
    path = write_template('''
        from pangea import template, output, tf

        @template
        def loops():
            output("ids", tf("[for my_item in var.items : my_item.id]"))
    ''')
    assert pangea.synth(path)["loops"]["output"]["ids"]["value"] == (
        "${[for my_item in var.items : my_item.id]}")


def test_a_reference_across_templates_is_caught_for_any_provider(widgetco, write_template) -> None:
    path = write_template('''
        from pangea import template
        from pangea_widgetco import widgetco_widget

        shared = {}

        @template
        def first():
            shared["w"] = widgetco_widget("w", name="x")

        @template
        def second():
            widgetco_widget("v", name=shared["w"].arn)
    ''')
    with pytest.raises(CrossTemplateReferenceError, match="template 'first'"):
        pangea.synth(path)


def test_errors_point_past_any_registered_packages_frames(widgetco, write_template) -> None:
    path = write_template('''
        from pangea import template
        from pangea_widgetco import widgetco_widget

        @template
        def wrong():
            widgetco_widget("w", name="x", size="big")
    ''')
    with pytest.raises(ValidationError) as excinfo:
        pangea.synth(path)
    assert excinfo.value.file == str(path)
    assert excinfo.value.line == 7


def test_the_offline_check_covers_every_registered_package(widgetco) -> None:
    from pangea.schema_check import check_config

    import pangea_widgetco  # noqa: F401  (registers it)

    config = {"resource": {"widgetco_widget": {"w": {"size": 1, "colour": "red"}},
                           "widgetco_widgets": {"v": {"name": "x"}}}}
    assert [str(p) for p in check_config(config)] == [
        "widgetco_widget.w: colour: unknown attribute or block 'colour'",
        "widgetco_widget.w: name: missing required attribute",
        "widgetco_widgets.v: unknown resource type 'widgetco_widgets'; did you mean 'widgetco_widget'?",
    ]


def test_a_provider_without_a_package_is_a_warning_saying_what_to_do(write_template) -> None:
    # Terraform accepts a provider block for any provider (it installs the plugin at init).
    path = write_template('''
        from pangea import template, provider

        @template
        def unknown():
            provider("nosuchprovider", region="x")
            provider("nosuchprovider", alias="two", region="y")
    ''')
    result = pangea.synthesize(path)
    config = result.templates["unknown"].config
    assert config["provider"] == {"nosuchprovider": [{"region": "x"},
                                                     {"alias": "two", "region": "y"}]}
    assert "required_providers" not in config.get("terraform", {})
    warnings = result.templates["unknown"].diagnostics
    assert [(d.code, d.address, d.line) for d in warnings] == [
        ("unknown-provider", "provider.nosuchprovider", 6),
        ("unknown-provider", "provider.nosuchprovider", 7)]
    text = warnings[0].render()
    assert "no installed pangea package describes provider 'nosuchprovider'" in text
    assert "pangea provider add NAMESPACE/nosuchprovider" in text and "pangea_nosuchprovider" in text
    assert "template 'unknown'" in text and str(path) in text
    with pytest.raises(StrictModeError) as excinfo:
        pangea.synthesize(path, strict=True)
    assert "unknown-provider" in str(excinfo.value)


def test_installed_imports_every_provider_package_so_each_is_listed(widgetco) -> None:
    assert providers.get("widgetco") is None
    names = {p.package for p in providers.installed()}
    assert {"pangea_aws", "pangea_widgetco"} <= names
