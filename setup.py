"""setuptools hook: a wheel of pangea includes every AWS type.

The types without override files are not committed (README, design notes: shipping every
type); a non-editable build (`pip install .`, `python -m build`) generates them from the
committed, sha256-pinned schema into the wheel's pangea_aws/schema_only. An editable install
leaves them to `make install`, which builds them in place (generated/pangea_aws/schema_only).
"""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithSchemaTypes(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        sys.path.insert(0, str(ROOT))
        from codegen.errors import GeneratorError
        from codegen.model import SCHEMA_ONLY
        from codegen.pipeline.generate import Options, generate

        out = Path(self.build_lib) / "pangea_aws" / SCHEMA_ONLY
        try:
            code, lines = generate(Options(out=out, schema_only=True, lock_path=None))
        except GeneratorError as exc:
            raise SystemExit(f"generating the schema-only AWS types failed: {exc}") from None
        if code != 0:
            raise SystemExit("\n".join(lines))
        self.announce(lines[-1], level=2)


setup(cmdclass={"build_py": BuildPyWithSchemaTypes})
