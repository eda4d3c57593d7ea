"""The generator on every type of the pinned provider, not only ours (issue 5).

Generates all resource types and data sources into a temporary directory, then, in a process
whose pangea_aws is that package, imports every module, calls every function with values for
its required arguments and checks the JSON against the real schema (codegen/stress.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PINNED_SCHEMA_FILE, PROJECT_ROOT


@pytest.mark.slow
def test_every_type_of_the_provider_generates_imports_and_validates(
        tmp_path: Path, schema_dir: Path, pinned_schema: dict) -> None:
    out = tmp_path / "whole_provider"
    generate = subprocess.run(
        [sys.executable, "-m", "codegen", "generate", "--all", "--out", str(out),
         "--schema-dir", str(schema_dir)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=1200)
    assert generate.returncode == 0, generate.stderr

    provider = pinned_schema["provider_schemas"]["registry.terraform.io/hashicorp/aws"]
    resources = sorted(p.stem for p in (out / "pangea_aws" / "resources").glob("*.py")
                       if p.stem != "__init__")
    data_sources = sorted(p.stem for p in (out / "pangea_aws" / "data").glob("*.py")
                          if p.stem != "__init__")
    assert resources == sorted(provider["resource_schemas"])
    assert data_sources == sorted(provider["data_source_schemas"])

    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(out), str(PROJECT_ROOT)]))
    stress = subprocess.run(
        [sys.executable, "-m", "codegen.stress", "--schema", str(schema_dir / PINNED_SCHEMA_FILE),
         "--overrides", str(PROJECT_ROOT / "overrides")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1200)
    summary = stress.stdout.strip().splitlines()[0] if stress.stdout.strip() else stress.stderr
    assert stress.returncode == 0, stress.stdout + stress.stderr
    assert summary.startswith(
        f"checked {len(provider['resource_schemas'])} resources and "
        f"{len(provider['data_source_schemas'])} data sources"), summary
    assert summary.endswith("; 0 failed"), summary


def test_stress_check_reports_a_broken_package(tmp_path: Path, schema_dir: Path) -> None:
    """The stress check can fail: a package whose function writes a bogus attribute is caught."""
    package = tmp_path / "pkg" / "pangea_aws"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from pangea.context import current\n"
        "def __getattr__(name):\n"
        "    def declare(resource_name, **kwargs):\n"
        "        ctx = current(name)\n"
        "        type_name = name[len('data_'):] if name.startswith('data_') else name\n"
        "        kind = 'data' if name.startswith('data_') else 'resource'\n"
        "        ctx.add_resource(kind, type_name, resource_name, {'no_such_attribute': 1})\n"
        "    return declare\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path / "pkg"), str(PROJECT_ROOT)]))
    small = tmp_path / "small.json"
    doc = json.loads((schema_dir / PINNED_SCHEMA_FILE).read_text())
    provider = doc["provider_schemas"]["registry.terraform.io/hashicorp/aws"]
    provider["resource_schemas"] = {"aws_docdb_subnet_group":
                                    provider["resource_schemas"]["aws_docdb_subnet_group"]}
    provider["data_source_schemas"] = {}
    small.write_text(json.dumps(doc))
    result = subprocess.run([sys.executable, "-m", "codegen.stress", "--schema", str(small)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "no_such_attribute" in result.stdout
