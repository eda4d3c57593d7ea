"""Golden output: the exact module, stub and doc generated for a few small schemas.

After an intended generator change, refresh with ``PANGEA_UPDATE_GOLDEN=1 pytest
tests/codegen/pipeline/test_golden.py`` and review the diff. Without it, any difference fails.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PANGEA_UPDATE_GOLDEN") == "1"

SCHEMAS: dict[str, tuple[str, str, dict[str, Any]]] = {
    # a minimal resource: required, optional, optional+computed, computed, sensitive
    "aws_golden_basic": ("resource", "aws_golden_basic", {
        "description": "A small resource used by the golden tests.",
        "attributes": {
            "name": {"type": "string", "required": True, "description": "The name."},
            "port": {"type": "number", "optional": True},
            "id": {"type": "string", "optional": True, "computed": True},
            "arn": {"type": "string", "computed": True},
            "password": {"type": "string", "optional": True, "sensitive": True},
            "tags": {"type": ["map", "string"], "optional": True},
        },
    }),
    # blocks of each mode, an object type, a nested_type attribute and keyword names
    "aws_golden_nested": ("resource", "aws_golden_nested", {
        "attributes": {
            "from": {"type": "string", "optional": True},
            "schema": {"type": "bool", "optional": True},
            "endpoint": {"type": ["object", {"host": "string", "port": "number"}], "computed": True},
            "rules": {"nested_type": {"nesting_mode": "list", "attributes": {
                "action": {"type": "string", "required": True}}}, "optional": True},
            "legacy": {"type": "string", "optional": True, "deprecated": True,
                       "description": "Use from instead."},
        },
        "block_types": {
            "settings": {"nesting_mode": "list", "max_items": 1, "block": {"attributes": {
                "enabled": {"type": "bool", "optional": True}}}},
            "targets": {"nesting_mode": "set", "min_items": 1, "block": {"attributes": {
                "arn": {"type": "string", "required": True}}}},
            "labels": {"nesting_mode": "map", "block": {"attributes": {
                "value": {"type": "string", "optional": True}}}},
            "timeouts": {"nesting_mode": "single", "block": {"attributes": {
                "create": {"type": "string", "optional": True}}}},
        },
    }),
    "data.aws_golden_lookup": ("data", "aws_golden_lookup", {
        "attributes": {
            "name": {"type": "string", "required": True},
            "ids": {"type": ["set", "string"], "computed": True},
        },
    }),
}


def _generate(kind: str, type_name: str, block: dict[str, Any]) -> dict[str, str]:
    from codegen.pipeline.build import build_type
    from codegen.pipeline.emit_docs import emit_doc
    from codegen.pipeline.emit_python import emit_module
    from codegen.pipeline.format import format_file
    from codegen.inputs.shapes import ShapeLock

    model = build_type(kind, type_name, {"version": 0, "block": block}, ShapeLock(None))
    py, pyi = emit_module(model, "0.0.0-golden")
    files = {"module.py": format_file("m.py", py), "module.pyi": format_file("m.pyi", pyi),
             "doc.md": emit_doc(model, "0.0.0-golden")}
    try:
        from codegen.pipeline.emit_python import emit_schema
    except ImportError:  # older generators embed the schema in the module
        pass
    else:
        files["module.schema.json"] = emit_schema(model)
    return files


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_golden_output(name: str) -> None:
    files = _generate(*SCHEMAS[name])
    directory = GOLDEN / name
    if UPDATE:
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.iterdir():
            if stale.name not in files:
                stale.unlink()
        for file_name, text in files.items():
            (directory / file_name).write_text(text)
    problems = []
    for file_name, text in sorted(files.items()):
        path = directory / file_name
        if not path.exists():
            problems.append(f"missing golden file {path} (run with PANGEA_UPDATE_GOLDEN=1)")
            continue
        expected = path.read_text()
        if expected != text:
            diff = difflib.unified_diff(expected.splitlines(), text.splitlines(),
                                        f"{path} (golden)", f"{file_name} (generated now)",
                                        lineterm="", n=2)
            problems.append("\n".join(list(diff)[:80]))
    extra = sorted(p.name for p in directory.iterdir() if p.name not in files) \
        if directory.exists() else []
    if extra:
        problems.append(f"golden files no longer generated: {extra}")
    assert not problems, ("generated output differs from the golden files; if intended, rerun "
                          "with PANGEA_UPDATE_GOLDEN=1 and review:\n" + "\n".join(problems))


def test_golden_module_is_usable(tmp_path: Path, run_template) -> None:
    """The golden module is not just text: it imports and produces the expected JSON."""
    import importlib.util
    import sys

    path = tmp_path / "_golden_basic.py"
    path.write_text((GOLDEN / "aws_golden_basic" / "module.py").read_text())
    sidecar = GOLDEN / "aws_golden_basic" / "module.schema.json"
    if sidecar.exists():
        path.with_suffix(".schema.json").write_text(sidecar.read_text())
    spec = importlib.util.spec_from_file_location("_golden_basic", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["_golden_basic"] = module
    try:
        spec.loader.exec_module(module)
        config = run_template(lambda: module.aws_golden_basic("x", name="n", port=5432))
    finally:
        sys.modules.pop("_golden_basic", None)
    assert config["resource"] == {"aws_golden_basic": {"x": {"name": "n", "port": 5432}}}
    assert set(module.schema()["attributes"]) == {"arn", "id", "name", "password", "port", "tags"}
