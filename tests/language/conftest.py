"""Fixtures for the language features: a Terraform new enough for them, and a helper that
synthesizes a template file into a directory and runs Terraform there."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import pangea

NEEDED = (1, 11)  # the newest feature tested end to end here (write-only arguments: 1.11)
_VERSION = re.compile(r"Terraform v(\d+)\.(\d+)\.(\d+)")


def _version(binary: str) -> tuple[int, int, int] | None:
    try:
        proc = subprocess.run([binary, "version"], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "CHECKPOINT_DISABLE": "1"})
    except OSError:
        return None
    match = _VERSION.search(proc.stdout)
    return tuple(int(g) for g in match.groups()) if match else None  # type: ignore[return-value]


def find_terraform(minimum: tuple[int, int]) -> tuple[str | None, list[str]]:
    """A Terraform binary at least ``minimum``; also what was tried, for a skip message."""
    tried = []
    candidates = [os.environ.get("PANGEA_TERRAFORM"), shutil.which("terraform"),
                  "/usr/local/bin/terraform"]
    for candidate in dict.fromkeys(c for c in candidates if c):
        version = _version(candidate)
        tried.append(f"{candidate} ({'.'.join(map(str, version)) if version else 'not runnable'})")
        if version is not None and version[:2] >= minimum:
            return candidate, tried
    return None, tried


@pytest.fixture(scope="session")
def terraform() -> str:
    binary, tried = find_terraform((1, 7))
    if binary is None:
        pytest.skip("these tests need Terraform >= 1.7 (moved 1.1, check/import 1.5, removed "
                    "1.7); the 1.0.3 fallback the CLI tests fetch is too old. Tried: "
                    + (", ".join(tried) or "nothing on PATH"))
    return binary


@dataclass
class Run:
    code: int
    out: str
    err: str


class Workdir:
    """A directory holding one synthesized template, where Terraform runs."""

    def __init__(self, root: Path, binary: str) -> None:
        self.root = root
        self.binary = binary
        self.env = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1",
                    "TF_INPUT": "0", "NO_COLOR": "1"}
        self.env.pop("TF_CLI_ARGS", None)
        self.env.pop("TF_WORKSPACE", None)

    def write(self, config: dict[str, Any]) -> None:
        (self.root / "main.tf.json").write_text(json.dumps(config, indent=2))

    def tf(self, *args: str, ok: bool = True) -> Run:
        proc = subprocess.run([self.binary, *args, "-no-color"], cwd=self.root,
                              capture_output=True, text=True, env=self.env, timeout=300)
        run = Run(proc.returncode, proc.stdout, proc.stderr)
        if ok and proc.returncode != 0:
            pytest.fail(f"terraform {' '.join(args)} failed ({proc.returncode}):\n"
                        f"{proc.stdout}\n{proc.stderr}")
        return run

    def apply(self) -> Run:
        return self.tf("apply", "-auto-approve", "-input=false")

    def outputs(self) -> dict[str, Any]:
        run = self.tf("output", "-json")
        return {k: v["value"] for k, v in json.loads(run.out).items()}


@pytest.fixture
def workdir(tmp_path: Path, terraform: str) -> Workdir:
    root = tmp_path / "work"
    root.mkdir()
    return Workdir(root, terraform)


@pytest.fixture
def template_file(tmp_path: Path):
    """Write a template file into tmp_path (dedented); returns its path."""

    def write(source: str, name: str = "infra.py") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(source))
        return path

    return write


def _synth_one(path: Path, template: str | None = None) -> dict[str, Any]:
    configs = pangea.synth(path)
    if template is None:
        assert len(configs) == 1, list(configs)
        return next(iter(configs.values()))
    return configs[template]


@pytest.fixture
def synth_one():
    """``synth_one(path, template=None)``: the Terraform JSON of a file's (only) template."""
    return _synth_one


MIRROR = Path(os.environ.get("PANGEA_PROVIDER_MIRROR", "/opt/tf-plugins"))
MIRROR_AWS = "5.100.0"  # the AWS provider version the local mirror holds


@pytest.fixture
def aws_validate(tmp_path: Path, terraform: str):
    """``aws_validate(config) -> Run``: ``terraform validate`` with the AWS provider from a
    local mirror (no download). The mirror holds AWS 5.100.0, not the 6.47.0 pin: the
    configuration's version constraint is set to the mirror's, so use only arguments both
    versions have.

    The CLI configuration names the provider binary with a development override, so validate
    runs without ``init``: installing the provider and checking its ~700 MB binary against the
    lock file (about a second of CPU per configuration) is not what is tested here; the CLI
    tests install providers from a mirror through the plugin cache. Validation is unchanged:
    the same Terraform loads the same provider binary's schema and validates every block."""
    provider_dir = MIRROR / "registry.terraform.io" / "hashicorp" / "aws" / MIRROR_AWS
    binary_dir = provider_dir / "linux_amd64"
    if not binary_dir.is_dir():
        pytest.skip(f"no local AWS provider mirror at {binary_dir}: terraform validate of "
                    "provider-backed configurations needs one (downloads are not allowed)")
    rc = tmp_path / "terraformrc"
    # Only AWS is available (no direct installation): downloads are not allowed.
    rc.write_text(textwrap.dedent(f"""
        provider_installation {{
          dev_overrides {{
            "registry.terraform.io/hashicorp/aws" = "{binary_dir}"
          }}
        }}
    """))
    counter = iter(range(1000))

    def validate(config: dict[str, Any]) -> Run:
        root = tmp_path / f"validate{next(counter)}"
        root.mkdir()
        config = json.loads(json.dumps(config))
        config["terraform"]["required_providers"]["aws"]["version"] = MIRROR_AWS
        work = Workdir(root, terraform)
        work.env["TF_CLI_CONFIG_FILE"] = str(rc)
        # Loading the AWS schema is mostly garbage collection at Go's default pace: 400 cuts
        # Terraform's and the provider's CPU by about a fifth for ~150 MB more heap.
        work.env.setdefault("GOGC", "400")
        work.write(config)
        return work.tf("validate", ok=False)

    return validate
