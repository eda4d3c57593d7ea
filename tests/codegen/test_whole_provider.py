"""Every type of a whole provider, not only ours (issues 5, 10).

In a process whose package is the one under test (the installed pangea_aws; pangea_google as
`pangea provider add` generates it), the stress check imports every module, calls every
function with values for its required arguments and checks the JSON against the real schema
(codegen/stress.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PINNED_SCHEMA_FILE, PROJECT_ROOT, memory_backed_dir


def _stress(*args: str, cwd: Path, pythonpath: list[Path] = (), bytecode: bool = True) -> str:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([*map(str, pythonpath), str(PROJECT_ROOT)]))
    if not bytecode:  # a package made for this test alone: its modules are compiled, not cached
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    stress = subprocess.run([sys.executable, "-m", "codegen.stress", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=1200)
    summary = stress.stdout.strip().splitlines()[0] if stress.stdout.strip() else stress.stderr
    assert stress.returncode == 0, stress.stdout + stress.stderr
    return summary


@pytest.mark.slow
def test_every_type_of_the_installed_pangea_aws_imports_and_validates(
        tmp_path: Path, schema_dir: Path, pinned_schema: dict) -> None:
    """The package as installed (`make install`): the committed group with its overrides plus
    the types generated from the schema alone."""
    provider = pinned_schema["provider_schemas"]["registry.terraform.io/hashicorp/aws"]
    summary = _stress("--schema", str(schema_dir / PINNED_SCHEMA_FILE),
                      "--overrides", str(PROJECT_ROOT / "overrides"), cwd=tmp_path)
    assert summary.startswith(
        f"checked {len(provider['resource_schemas'])} resources and "
        f"{len(provider['data_source_schemas'])} data sources"), summary
    assert summary.endswith("; 0 failed"), summary


# what the generated package and its staging tree take at most (36 MB), with room to spare
GOOGLE_ROOM = 256 << 20


@pytest.mark.slow
def test_google_generates_with_one_command_and_every_type_validates(tmp_path: Path) -> None:
    """Nothing in the generator is AWS-specific: hashicorp/google 6.50.0 (1,096 resources,
    373 data sources) through `pangea provider add`, then the same stress check."""
    schema = PROJECT_ROOT / "provider_schema" / "google-6.50.0.json.xz"
    # The package is 5,900 files: on the memory file system where there is room (creating
    # them cost this machine's disk about as much CPU as generating them), removed after.
    project = memory_backed_dir("google", GOOGLE_ROOM) or tmp_path
    try:
        add = subprocess.run([sys.executable, "-m", "pangea.cli", "provider", "add",
                              "hashicorp/google", "--schema", str(schema), "--dir", str(project)],
                             cwd=project, capture_output=True, text=True, timeout=1200)
        assert add.returncode == 0, add.stdout + add.stderr
        assert "1096 resource types, 373 data sources" in add.stdout
        summary = _stress("--schema", str(schema), "--source",
                          "registry.terraform.io/hashicorp/google", "--package", "pangea_google",
                          cwd=project, pythonpath=[project], bytecode=False)
        assert summary.startswith("checked 1096 resources and 373 data sources"), summary
        assert summary.endswith("; 0 failed"), summary
    finally:
        if project != tmp_path:
            shutil.rmtree(project, ignore_errors=True)


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
