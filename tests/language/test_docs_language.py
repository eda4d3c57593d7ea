"""The examples of docs/language/*.md, read back from the Markdown: each synthesizes, checks
clean against the pinned provider schema, and, when it needs no provider and reads no remote
backend, runs through terraform plan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import pangea
from pangea.schema_check import check_config

DOCS = Path(__file__).resolve().parents[2] / "docs" / "language"
_PYTHON = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_FILE = re.compile(r"^```\w+ file=(\S+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
PAGES = ["builtins", "ephemeral", "iteration", "modules", "overrides", "refactoring"]


def test_every_page_is_tested() -> None:
    assert sorted(p.stem for p in DOCS.glob("*.md")) == PAGES


def _needs_nothing_remote(config: dict) -> bool:
    states = config.get("data", {}).get("terraform_remote_state", {})
    scoped = [body for check in config.get("check", {}).values()
              for body in check.get("data", {}).get("terraform_remote_state", {}).values()]
    backends = {body["backend"] for body in [*states.values(), *scoped]}
    return "required_providers" not in config.get("terraform", {}) and backends <= {"local"}


@pytest.mark.parametrize("page", PAGES)
def test_page_example(page: str, tmp_path: Path, pinned_lookup, workdir, monkeypatch) -> None:
    text = (DOCS / f"{page}.md").read_text()
    examples = _PYTHON.findall(text)
    assert examples, f"{page}.md has no python example"
    for name, content in _FILE.findall(text):  # files the example needs (a module, ...)
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    # strict: no warning either (ephemeral schemas come from the generated package)
    for index, code in enumerate(examples):
        path = tmp_path / f"{page}_{index}.py"
        path.write_text(code)
        result = pangea.synthesize(path, strict=True)
        for template in result.templates.values():
            config = template.config
            assert check_config(config, pinned_lookup) == [], page
            if _needs_nothing_remote(config):
                monkeypatch.chdir(workdir.root)
                workdir.write(config)
                workdir.tf("init", "-input=false")
                workdir.tf("plan", "-input=false")
