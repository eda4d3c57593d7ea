"""pytest plugin for pangea templates (registered through the ``pytest11`` entry point).

Fixtures:

- ``pangea_synth(file, template=None, namespace="default", settings=None)``: synthesize a
  template; ``file`` is relative to the test file's directory.
- ``pangea_snapshot(data, name=None)``: compare with
  ``__snapshots__/<test module>/<test name>[-<name>].json`` beside the test file;
  ``--pangea-update-snapshots`` (or ``PANGEA_UPDATE_SNAPSHOTS=1``) writes them.
- ``pangea_plan(data, variables=None)``: the plan's JSON; the test is skipped when no
  Terraform binary is available.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Callable

import pytest

from pangea.testing import (
    UPDATE_ENV,
    TerraformUnavailable,
    assert_matches_snapshot,
    find_terraform,
    plan_json,
    synth_template,
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("pangea")
    group.addoption(
        "--pangea-update-snapshots",
        action="store_true",
        default=False,
        help=f"write pangea snapshots instead of comparing (also: {UPDATE_ENV}=1)",
    )


@pytest.fixture
def pangea_synth(request: pytest.FixtureRequest) -> Callable[..., Any]:
    base = Path(str(request.path)).parent

    def synth(file: str | os.PathLike[str], template: str | None = None, **kwargs: Any) -> Any:
        path = Path(file)
        return synth_template(path if path.is_absolute() else base / path, template, **kwargs)

    return synth


@pytest.fixture
def pangea_snapshot(request: pytest.FixtureRequest) -> Callable[..., None]:
    update = bool(request.config.getoption("--pangea-update-snapshots")) or bool(
        os.environ.get(UPDATE_ENV)
    )
    test_path = Path(str(request.path))
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)

    def check(data: Any, name: str | None = None) -> None:
        file = f"{test_name}-{name}.json" if name else f"{test_name}.json"
        target = test_path.parent / "__snapshots__" / test_path.stem / file
        assert_matches_snapshot(target, data, update=update)

    return check


@pytest.fixture
def pangea_plan() -> Callable[..., dict[str, Any]]:
    try:
        binary = find_terraform()
    except TerraformUnavailable as exc:
        pytest.skip(str(exc))

    def plan(data: Any, **kwargs: Any) -> dict[str, Any]:
        return plan_json(data, terraform=binary, **kwargs)

    return plan
