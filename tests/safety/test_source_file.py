"""A template file that Python cannot read is named in the error."""

from pathlib import Path

import pytest

import pangea


def test_a_file_with_a_nul_byte_is_named_in_the_error(tmp_path: Path):
    path = tmp_path / "t.py"
    path.write_bytes(b"from pangea import template\nx = 1\0\n")
    with pytest.raises(pangea.PangeaError) as excinfo:
        pangea.synth(path)
    message = str(excinfo.value)
    assert message.startswith(str(path)) and "null bytes" in message and "NUL byte" in message
