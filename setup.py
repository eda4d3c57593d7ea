"""setuptools hook: a wheel of pangea includes every AWS type.

The types without override files are not committed (README, design notes: shipping every
type); a non-editable build (`pip install .`, `python -m build`) generates them from the
committed, sha256-pinned schema into the wheel's pangea_aws/schema_only. An editable install
leaves them to `make install`, which builds them in place (generated/pangea_aws/schema_only).

They are generated straight into the tree being installed (for a wheel, the tree setuptools
zips), not into build/lib: from there setuptools copied the ~9,000 files once more (1.2 s
of CPU of a 20 s `pip install .`). An editable install never runs install_lib.
"""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.install_lib import install_lib

ROOT = Path(__file__).resolve().parent


class InstallLibWithSchemaTypes(install_lib):
    def run(self) -> None:
        super().run()
        self._generated = self._generate(Path(self.install_dir))

    def get_outputs(self) -> list[str]:
        return super().get_outputs() + getattr(self, "_generated", [])

    def _generate(self, install_dir: Path) -> list[str]:
        sys.path.insert(0, str(ROOT))
        from codegen.errors import GeneratorError
        from codegen.model import SCHEMA_ONLY
        from codegen.pipeline.generate import Options, generate

        out = install_dir / "pangea_aws" / SCHEMA_ONLY
        try:
            code, lines = generate(Options(out=out, schema_only=True, lock_path=None))
        except GeneratorError as exc:
            raise SystemExit(f"generating the schema-only AWS types failed: {exc}") from None
        if code != 0:
            raise SystemExit("\n".join(lines))
        self.announce(lines[-1], level=2)
        return sorted(str(path) for path in out.rglob("*") if path.is_file())


setup(cmdclass={"install_lib": InstallLibWithSchemaTypes})
