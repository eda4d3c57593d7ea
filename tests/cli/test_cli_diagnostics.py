"""Warnings in the pangea command: printed once per rule with a count; --strict refuses them."""

from pathlib import Path

WARNING_TEMPLATE = """
    from pangea import template, warn

    @template
    def app():
        for i in range(3):
            warn("drifts later", code="demo-rule", address=f"aws_x.n{i}", path="setting",
                 hint="set setting explicitly")  # line 6
"""


def test_cli_prints_warnings_grouped_and_strict_refuses(project) -> None:
    project.write("infra.py", WARNING_TEMPLATE)
    result = project.run("validate", "infra.py")
    assert result.code == 0, result.err
    assert "warning[demo-rule]: drifts later (3 places)" in result.err
    assert "infra.py:6: template 'app': aws_x.n1: setting" in result.err
    assert "hint: set setting explicitly" in result.err
    assert "3 warnings (1 rule); pass --strict to treat warnings as errors" in result.err
    for command in ("validate", "synth"):
        strict = project.run(command, "infra.py", "--strict")
        assert strict.code == 3, strict.err
        assert "3 warnings (1 rule) (errors under --strict) found" in strict.err
        assert strict.out == ""
    assert not Path(project.root / "build").exists()
    assert project.run("synth", "infra.py", "--strict", "--out", "build").code == 3
    assert not (project.root / "build" / "app").exists()
