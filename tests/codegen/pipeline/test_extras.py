"""Hand-written package files (extras/<provider>/) ship in the generated package unchanged."""

from __future__ import annotations

from pathlib import Path

from codegen.pipeline.emit_package import extra_files
from codegen.inputs.public_names import helper_functions

PROJECT = Path(__file__).resolve().parents[3]


def test_every_extras_file_is_in_the_generated_package_byte_for_byte() -> None:
    extras = PROJECT / "extras" / "aws"
    files = extra_files(extras, "pangea_aws")
    assert "pangea_aws/helpers.py" in files
    for rel, text in files.items():
        assert (PROJECT / "generated" / rel).read_text() == text, (
            f"generated/{rel} differs from extras: format the extras file (ruff format) and "
            "run make generate")


def test_extras_are_copied_under_the_package_with_their_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "more.py").write_text("X = 1\n")
    (tmp_path / "top.py").write_text("def visible():\n    pass\n\n\ndef _hidden():\n    pass\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "top.cpython-311.pyc").write_text("")
    assert extra_files(tmp_path, "pangea_x") == {
        "pangea_x/sub/more.py": "X = 1\n",
        "pangea_x/top.py": "def visible():\n    pass\n\n\ndef _hidden():\n    pass\n",
    }
    assert extra_files(tmp_path / "missing", "pangea_x") == {}


def test_helper_names_are_read_from_the_providers_extras(tmp_path: Path) -> None:
    (tmp_path / "helpers.py").write_text("def visible():\n    pass\n\n\ndef _hidden():\n    pass\n")
    assert helper_functions(tmp_path) == {"visible"}
    assert helper_functions(tmp_path / "missing") == set()
