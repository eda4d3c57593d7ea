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


# -- the code cache (outside the template's folder) -------------------------------------------

@pytest.fixture
def code_cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("PANGEA_CACHE_DIR", str(folder))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return folder / "templates"


def _count_compiles(monkeypatch) -> list[str]:
    import builtins
    calls: list[str] = []
    real = builtins.compile
    monkeypatch.setattr(builtins, "compile",
                        lambda source, path, *args, **kw: (calls.append(path), real(source, path, *args, **kw))[1])
    return calls


def test_a_template_is_compiled_once_and_its_code_kept_outside_its_folder(tmp_path, code_cache,
                                                                         monkeypatch):
    path = tmp_path / "infra.py"
    path.write_text(TEMPLATE)
    calls = _count_compiles(monkeypatch)
    first = pangea.synth(path)
    second = pangea.synth(path)
    assert first == second
    assert calls.count(str(path.resolve())) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "infra.py"]
    assert len(list(code_cache.glob("*.code"))) == 1
    assert oct(code_cache.stat().st_mode & 0o777) == "0o700"


def test_an_edit_keeping_size_and_time_is_compiled_again(tmp_path, code_cache, monkeypatch):
    path = tmp_path / "infra.py"
    names = []
    for name in ("app", "ap2", "app"):
        path.write_text(TEMPLATE.replace('name="app"', f'name="{name}"'))
        os.utime(path, (1_000_000, 1_000_000))
        names.append(pangea.synth(path)["shares"]["resource"]["aws_ram_resource_share"]["main"]["name"])
    assert names == ["app", "ap2", "app"]


def test_the_same_source_at_another_path_names_its_own_file(tmp_path, code_cache):
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "infra.py").write_text("x = 1\nraise ValueError('boom')\n")
        with pytest.raises(pangea.PangeaError) as caught:
            pangea.synth(tmp_path / folder / "infra.py")
        assert caught.value.file.endswith(f"{folder}/infra.py") and caught.value.line == 2


def test_a_damaged_or_foreign_entry_is_compiled_over(tmp_path, code_cache, monkeypatch):
    path = tmp_path / "infra.py"
    path.write_text(TEMPLATE)
    pangea.synth(path)
    (entry,) = code_cache.glob("*.code")
    for damage in (b"", b"garbage", entry.read_bytes()[:4] + b"\x00" * 20,
                   b"\x00\x00\x00\x00" + entry.read_bytes()[4:]):
        entry.write_bytes(damage)
        calls = _count_compiles(monkeypatch)
        assert pangea.synth(path)["shares"]["resource"]["aws_ram_resource_share"]["main"]["name"] == "app"
        assert calls == [str(path.resolve())]
        monkeypatch.undo()
        monkeypatch.setenv("PANGEA_CACHE_DIR", str(code_cache.parent))
        monkeypatch.setattr(sys, "dont_write_bytecode", False)


def test_nothing_is_written_under_dont_write_bytecode(tmp_path, code_cache, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    path = tmp_path / "infra.py"
    path.write_text(TEMPLATE)
    pangea.synth(path)
    assert not list(code_cache.glob("*.code"))


def test_a_cache_others_can_write_to_is_not_used(tmp_path, code_cache, monkeypatch):
    code_cache.mkdir(parents=True)
    code_cache.chmod(0o777)
    path = tmp_path / "infra.py"
    path.write_text(TEMPLATE)
    calls = _count_compiles(monkeypatch)
    pangea.synth(path)
    pangea.synth(path)
    assert calls.count(str(path.resolve())) == 2 and not list(code_cache.iterdir())


def test_an_unusable_cache_location_only_means_compiling(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("PANGEA_CACHE_DIR", str(blocker))  # a file: no folder can be made
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = tmp_path / "infra.py"
    path.write_text(TEMPLATE)
    assert pangea.synth(path)["shares"]["resource"]["aws_ram_resource_share"]["main"]["name"] == "app"


def test_the_cache_keeps_a_bounded_number_of_entries(tmp_path, code_cache, monkeypatch):
    from pangea import script_loader

    monkeypatch.setattr(script_loader, "MAX_ENTRIES", 4)
    for index in range(7):
        script_loader.code_of(f"x = {index}\n".encode(), str(tmp_path / f"t{index}.py"))
    assert len(list(code_cache.glob("*.code"))) <= 4


def test_without_user_ids_nothing_is_cached(tmp_path, code_cache, monkeypatch):
    """Where the platform has no user ids to check the folder's owner against (Windows)."""
    monkeypatch.delattr(os, "getuid")
    path = tmp_path / "infra.py"
    path.write_text(TEMPLATE)
    assert pangea.synth(path)["shares"]["resource"]["aws_ram_resource_share"]["main"]["name"] == "app"
    assert not code_cache.exists()
