"""Loading a template leaves the user's folder as it was, whatever the user's Python settings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pangea

TEMPLATE = textwrap.dedent(
    """
    from pangea import output, template
    from pangea_aws import aws_ram_resource_share

    @template("shares")
    def shares():
        share = aws_ram_resource_share("main", name="app", allow_external_principals=False)
        output("arn", share.arn)
    """
)


def user_env(**settings: str) -> dict[str, str]:
    """The current environment without any interpreter knob, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(settings)
    return env


def run_list(folder: Path, env: dict[str, str],
             prefix: list[str] = []) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "pangea.cli", "list", "infra.py"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=120,
    )


def test_synth_in_process_writes_no_bytecode_even_when_python_would(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    path = tmp_path / "infra.py"
    path.write_text(TEMPLATE)
    config = pangea.synth(path)
    assert config["shares"]["resource"]["aws_ram_resource_share"]["main"]["name"] == "app"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["infra.py"]


def test_errors_still_point_at_the_template_line(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = tmp_path / "infra.py"
    path.write_text("x = 1\nraise ValueError('boom')\n")
    with pytest.raises(pangea.PangeaError) as caught:
        pangea.synth(path)
    assert caught.value.line == 2
    assert "ValueError: boom" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["infra.py"]


def test_an_edit_with_the_same_size_and_time_runs_as_written(tmp_path, monkeypatch):
    """A bytecode cache keyed on size and mtime would replay the old template here."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    path = tmp_path / "infra.py"
    names = []
    for name in ("app", "ap2"):
        path.write_text(TEMPLATE.replace('name="app"', f'name="{name}"'))
        os.utime(path, (1_000_000, 1_000_000))
        names.append(pangea.synth(path)["shares"]["resource"]["aws_ram_resource_share"]["main"]["name"])
    assert names == ["app", "ap2"]


@pytest.mark.parametrize(
    "settings",
    [{}, {"PYTHONDONTWRITEBYTECODE": "1"}, {"PYTHONPYCACHEPREFIX": "PREFIX"}],
    ids=["plain", "dont-write-bytecode", "pycache-prefix"],
)
def test_the_command_leaves_the_template_folder_clean(tmp_path, settings):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "infra.py").write_text(TEMPLATE)
    prefix = tmp_path / "prefix"
    settings = {k: (str(prefix) if v == "PREFIX" else v) for k, v in settings.items()}
    result = run_list(folder, user_env(**settings))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["shares"]
    assert sorted(p.name for p in folder.iterdir()) == ["infra.py"]
    if prefix.exists():  # Python may cache pangea's own modules there, never the template
        assert not list(prefix.rglob("infra*.pyc"))


def test_a_read_only_template_folder_works(tmp_path):
    """Permission bits bind (root runs the command without its override capabilities)."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    (folder / "infra.py").write_text(TEMPLATE)
    os.chmod(folder, 0o555)
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: a read-only folder cannot be made")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]
        denied = subprocess.run([*prefix, "touch", str(folder / "probe")], capture_output=True)
        assert denied.returncode != 0, "the folder should refuse writes"
    try:
        result = run_list(folder, user_env(), prefix=prefix)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["shares"]
        assert "Traceback" not in result.stderr and "ermission" not in result.stderr
        assert sorted(p.name for p in folder.iterdir()) == ["infra.py"]
    finally:
        os.chmod(folder, 0o755)
