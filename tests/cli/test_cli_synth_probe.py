"""`pangea synth --out` asks the Terraform binary for its version only when the backend
settings depend on it (the s3 backend); a local state is written the same for every binary."""

import json

from cli_samples import NETWORK_AND_APP

import pangea.cli.terraform as terraform
from pangea.cli.backends import MODERN


def _count_probes(monkeypatch) -> list[str]:
    probes: list[str] = []

    def find_binary(*args, **kwargs):
        probes.append("terraform version")
        return type("Binary", (), {"dialect": MODERN})()

    monkeypatch.setattr(terraform, "find_binary", find_binary)  # offline imports it on use
    return probes


def test_synth_out_with_local_state_runs_no_terraform(project, monkeypatch):
    probes = _count_probes(monkeypatch)
    project.write("infra.py", NETWORK_AND_APP)
    result = project.run("synth", "infra.py", "--out", "build")
    assert result.code == 0, result.err
    assert probes == []
    backend = json.loads((project.root / "build" / "app" / "backend.tf.json").read_text())
    assert "local" in backend["terraform"]["backend"]


def test_synth_out_with_s3_state_asks_the_binary(project, monkeypatch):
    probes = _count_probes(monkeypatch)
    project.write("infra.py", NETWORK_AND_APP)
    project.write("pangea.yaml", """
        namespaces:
          default:
            state: {type: s3, bucket: acme, region: eu-west-1, key_prefix: infra}
    """)
    result = project.run("synth", "infra.py", "--out", "build")
    assert result.code == 0, result.err
    assert probes == ["terraform version"]
