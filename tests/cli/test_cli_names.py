"""Names from the command line and pangea.yaml follow the one identifier rule; no path escapes."""

from __future__ import annotations

import pytest

from pangea.cli.config import S3State


def test_namespace_with_trailing_newline_is_refused(project):
    project.write("infra.py", "from pangea import template\n\n@template\ndef net():\n    pass\n")
    result = project.run("synth", "infra.py", "-n", "dev\n")
    assert result.code == 3
    assert "namespace name 'dev\\n' is not a valid name" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("name", ["1st", "prod.eu", "../green"])
def test_declared_namespace_names_follow_the_rule(project, name):
    project.write("infra.py", "from pangea import template\n\n@template\ndef net():\n    pass\n")
    project.write("pangea.yaml", f"namespaces:\n  '{name}':\n    state: {{type: local}}\n")
    result = project.run("list", "infra.py")
    assert result.code == 3
    assert "pangea.yaml:2: namespaces: namespace name" in result.err
    assert "starting with a letter or '_'" in result.err


def test_template_named_like_a_path_never_reaches_synth_out(project):
    project.write("infra.py", "from pangea import template\n\n@template('../escape')\n"
                  "def net():\n    pass\n")
    result = project.run("synth", "infra.py", "--out", "build")
    assert result.code == 3
    assert "template name '../escape' is not a valid name" in result.err
    assert "Traceback" not in result.err
    assert not (project.root / "escape").exists() and not (project.root / "build").exists()


def test_s3_key_is_checked_where_it_is_made():
    state = S3State(bucket="b", key_prefix="blue", region="eu-west-1")
    assert state.key_for("net") == "blue/net.tfstate"
    from pangea.names import PathEscapeError

    with pytest.raises(PathEscapeError, match="outside|one name"):
        state.key_for("../green/net")


def test_workspace_and_local_state_paths_are_checked_where_they_are_made(tmp_path):
    from pangea.cli.backends import local_state_path
    from pangea.cli.config import LocalState
    from pangea.cli.workspace import TemplateWorkspace
    from pangea.names import PathEscapeError

    with pytest.raises(PathEscapeError):
        TemplateWorkspace.for_template(tmp_path / ".pangea", "blue", "../green/net")
    with pytest.raises(PathEscapeError):
        local_state_path(LocalState(tmp_path / "state"), "../../x")
