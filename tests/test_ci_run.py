"""`.ci/run` runs `make test` and `make check-generated` in an environment like a user's."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

FAKE_MAKE = """#!/bin/sh
env > "$CI_ENV_DUMP/$1.env"
"""


def test_ci_clears_developer_python_settings_before_make(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "make").write_text(FAKE_MAKE)
    (bin_dir / "make").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "CI_ENV_DUMP": str(tmp_path),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache"),
        "PYTHONSAFEPATH": "1",
        "PYTHONPATH": "/elsewhere",
        "PYTHONOPTIMIZE": "2",
        "PYTEST_ADDOPTS": "-x --deselect tests",
        "PANGEA_SCHEMA_DIR": "/schemas",
        "KEPT_FOR_CI": "yes",
    }
    result = subprocess.run([str(REPO / ".ci" / "run")], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for target in ("test", "check-generated"):
        seen = dict(
            line.split("=", 1)
            for line in (tmp_path / f"{target}.env").read_text().splitlines()
            if "=" in line
        )
        leaked = sorted(
            k for k in seen if k.startswith(("PYTHON", "PYTEST_")) or k == "VIRTUAL_ENV"
        )
        assert leaked == [], f"make {target} saw {leaked}"
        # everything else (certificates, PATH, where the schemas are) stays
        assert seen["KEPT_FOR_CI"] == "yes"
        assert seen["PANGEA_SCHEMA_DIR"] == "/schemas"
        assert seen["PATH"].startswith(str(bin_dir))
