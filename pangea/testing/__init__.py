"""Test helpers for pangea templates: synthesize in a test, assert by address, snapshot the
JSON, and check a plan's JSON when Terraform is available.

```python
from pangea.testing import synth_template

def test_cluster_keeps_a_week_of_backups():
    docs = synth_template("infra.py", "documents", namespace="production",
                          settings={"instance_class": "db.r6g.large"})
    docs.assert_attribute("aws_docdb_cluster.main", "backup_retention_period", 7)
    assert docs.attribute("aws_docdb_cluster_instance.primary", "instance_class") == "db.r6g.large"
```

With pytest, the plugin (installed with pangea, entry point ``pytest11``) adds the fixtures
``pangea_synth`` (paths relative to the test file), ``pangea_snapshot`` and ``pangea_plan``.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Mapping

from pangea.namespace import NamespaceInfo, using_namespace

__all__ = [
    "SynthesizedTemplate",
    "TerraformUnavailable",
    "assert_matches_snapshot",
    "plan_json",
    "synth_template",
    "UPDATE_ENV",
]

UPDATE_ENV = "PANGEA_UPDATE_SNAPSHOTS"
_MISSING: Any = object()
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class SynthesizedTemplate:
    """One template's Terraform JSON, with lookups that fail with a readable message."""

    def __init__(self, name: str, config: dict[str, Any]) -> None:
        self.name = name
        self.config = config

    def __repr__(self) -> str:
        return f"<SynthesizedTemplate {self.name!r}: {len(self.addresses())} resources>"

    def addresses(self) -> list[str]:
        """Every resource and data source address, e.g. ``aws_docdb_cluster.main``."""
        found = []
        for kind, prefix in (("resource", ""), ("data", "data.")):
            for type_name, bodies in sorted((self.config.get(kind) or {}).items()):
                found += [f"{prefix}{type_name}.{name}" for name in sorted(bodies)]
        return found

    def resources(self, type_name: str | None = None) -> dict[str, dict[str, Any]]:
        """Address -> body, optionally only of one type (``"aws_docdb_cluster"``)."""
        result = {}
        for address in self.addresses():
            if type_name is None or address.split(".")[-2] == type_name:
                result[address] = self.resource(address)
        return result

    def resource(self, address: str) -> dict[str, Any]:
        """The JSON body of ``aws_x.name`` or ``data.aws_x.name``."""
        parts = address.split(".")
        kind, rest = ("data", parts[1:]) if parts[0] == "data" else ("resource", parts)
        if len(rest) == 2:
            body = (self.config.get(kind) or {}).get(rest[0], {}).get(rest[1])
            if body is not None:
                return body
        known = self.addresses()
        close = difflib.get_close_matches(address, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise AssertionError(
            f"template {self.name!r} declares no {address}{hint}; it declares: "
            f"{', '.join(known) or 'nothing'}"
        )

    def attribute(self, address: str, path: str, default: Any = _MISSING) -> Any:
        """A value inside a body: ``"tags.team"``, ``"retention_properties.x"``,
        ``"ingress[0].from_port"``. A one-object block (written as a list of one by Terraform
        or as an object) is entered without an index."""
        value: Any = self.resource(address)
        walked = []
        for match in _PART.finditer(path):
            key, index = match.group(1), match.group(2)
            if key is not None and isinstance(value, list) and len(value) == 1:
                value = value[0]
            try:
                value = value[int(index)] if index is not None else value[key]
            except (KeyError, IndexError, TypeError):
                if default is not _MISSING:
                    return default
                shown = ".".join(walked) or "(the body)"
                keys = sorted(value) if isinstance(value, dict) else None
                has = f"; it has: {', '.join(keys)}" if keys is not None else ""
                raise AssertionError(
                    f"{address}: no {path!r} in template {self.name!r} "
                    f"(stopped at {match.group(0)!r} after {shown}{has})"
                ) from None
            walked.append(match.group(0))
        return value

    def assert_attribute(self, address: str, path: str, expected: Any) -> None:
        actual = self.attribute(address, path)
        if actual != expected:
            raise AssertionError(
                f"{address}: {path} in template {self.name!r} is {actual!r}, expected {expected!r}"
            )

    def output(self, name: str) -> Any:
        """The value expression of an output (a literal or a ``${...}`` string)."""
        outputs = self.config.get("output") or {}
        if name not in outputs:
            raise AssertionError(
                f"template {self.name!r} has no output {name!r}; outputs: "
                f"{', '.join(sorted(outputs)) or 'none'}"
            )
        return outputs[name]["value"]

    def to_json(self) -> str:
        """Stable JSON text (sorted keys, two-space indent, final newline)."""
        return json.dumps(self.config, indent=2, sort_keys=True) + "\n"


def synth_template(
    file: str | os.PathLike[str],
    template: str | None = None,
    *,
    namespace: str = "default",
    settings: Mapping[str, Any] | None = None,
) -> SynthesizedTemplate:
    """Synthesize one template of ``file`` (the only one when ``template`` is None) as the
    ``pangea`` command would for ``namespace`` with these ``settings``."""
    import pangea

    with using_namespace(NamespaceInfo(namespace, settings or {})):
        result = pangea.synthesize(file, template)
    if template is None:
        if len(result.templates) != 1:
            raise AssertionError(
                f"{file} defines {len(result.templates)} templates "
                f"({', '.join(result.templates)}); name the one to test"
            )
        template = next(iter(result.templates))
    return SynthesizedTemplate(template, result.templates[template].config)


def assert_matches_snapshot(
    snapshot: str | os.PathLike[str], data: SynthesizedTemplate | Mapping[str, Any],
    *, update: bool | None = None,
) -> None:
    """Compare ``data``'s JSON with the file ``snapshot``; write it instead when ``update``
    (default: ``$PANGEA_UPDATE_SNAPSHOTS`` is set). A missing snapshot is a failure that
    says how to create it, so a CI run never passes on a snapshot it just wrote."""
    path = Path(snapshot)
    text = data.to_json() if isinstance(data, SynthesizedTemplate) else (
        json.dumps(data, indent=2, sort_keys=True) + "\n")
    if update is None:
        update = bool(os.environ.get(UPDATE_ENV))
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    if not path.is_file():
        raise AssertionError(
            f"snapshot {path} does not exist; create it with --pangea-update-snapshots "
            f"(pytest) or {UPDATE_ENV}=1, review it, and commit it"
        )
    expected = path.read_text(encoding="utf-8")
    if expected != text:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), text.splitlines(keepends=True),
            fromfile=f"{path} (snapshot)", tofile="synthesized"))
        raise AssertionError(
            f"synthesized JSON differs from snapshot {path}; if the change is intended, "
            f"update it with --pangea-update-snapshots or {UPDATE_ENV}=1\n{diff}"
        )


class TerraformUnavailable(Exception):
    """No Terraform/OpenTofu binary to plan with (the pytest fixture skips the test)."""


def find_terraform() -> str:
    found = os.environ.get("PANGEA_TERRAFORM") or shutil.which("tofu") or shutil.which("terraform")
    if not found:
        raise TerraformUnavailable(
            "no Terraform: set PANGEA_TERRAFORM or put tofu/terraform on PATH to check plans"
        )
    return found


def plan_json(
    data: SynthesizedTemplate | Mapping[str, Any],
    *,
    variables: Mapping[str, Any] | None = None,
    terraform: str | None = None,
    env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """``terraform show -json`` of a fresh plan of the configuration, made in a scratch
    directory with local state (so nothing real is read or changed beyond what the
    providers' data sources read). Providers must be installable (network, a mirror or a
    plugin cache) and, for real resources, configured."""
    binary = terraform or find_terraform()
    config = data.config if isinstance(data, SynthesizedTemplate) else dict(data)
    from pangea.cli.terraform import RUN_ENV

    run_env = {**os.environ, **RUN_ENV, **(env or {})}
    with tempfile.TemporaryDirectory(prefix="pangea-plan-") as scratch:
        work = Path(scratch)
        (work / "main.tf.json").write_text(json.dumps(config), encoding="utf-8")
        if variables:
            (work / "test.auto.tfvars.json").write_text(json.dumps(dict(variables)))

        def run(*args: str) -> str:
            proc = subprocess.run([binary, *args], cwd=work, env=run_env, capture_output=True,
                                  text=True, stdin=subprocess.DEVNULL)
            if proc.returncode != 0:
                raise AssertionError(
                    f"terraform {args[0]} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}"
                )
            return proc.stdout

        run("init", "-input=false", "-no-color", "-backend=false")
        run("plan", "-input=false", "-no-color", "-out=test.tfplan")
        return json.loads(run("show", "-json", "test.tfplan"))
