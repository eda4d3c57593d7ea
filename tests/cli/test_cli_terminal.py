"""The installed `pangea` command on a real pseudo-terminal: it asks, and only 'yes' applies."""

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from cli_samples import NETWORK_AND_APP

pytestmark = pytest.mark.terraform

PANGEA = Path(sys.executable).parent / "pangea"


def run_on_terminal(cwd, env, answer, *argv):
    controller, terminal = pty.openpty()
    try:
        proc = subprocess.Popen(
            [str(PANGEA), *argv],
            cwd=cwd,
            env=env,
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        os.write(controller, answer.encode())  # typed ahead; the terminal holds it until read
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(controller)
        os.close(terminal)
    return proc.returncode, out, err


def test_console_script_confirms_on_a_terminal(tmp_path, terraform_binary):
    if not PANGEA.exists():
        pytest.fail(f"the console script {PANGEA} is not installed; run make install")
    (tmp_path / "infra.py").write_text(NETWORK_AND_APP)
    env = {**os.environ, "PANGEA_TERRAFORM": str(terraform_binary)}
    env.pop("PANGEA_NAMESPACE", None)
    state = tmp_path / ".pangea" / "default" / ".state" / "network.tfstate"

    code, out, err = run_on_terminal(tmp_path, env, "nope\n", "apply", "infra.py", "-t", "network")
    assert code == 5, err
    assert "Apply these changes to template 'network'" in out and not state.exists()

    code, out, err = run_on_terminal(tmp_path, env, "yes\n", "apply", "infra.py", "-t", "network")
    assert code == 0, err
    assert json.loads(state.read_text())["outputs"]["vpc_cidr"]["value"] == "10.0.0.0/16"

    # Without a terminal the same command refuses instead of waiting for an answer.
    proc = subprocess.run(
        [str(PANGEA), "destroy", "infra.py"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 5 and "--auto-approve" in proc.stderr
