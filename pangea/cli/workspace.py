"""A template's working directory ``.pangea/<namespace>/<template>/`` and what pangea keeps there.

Besides the Terraform files it remembers a fingerprint of the configuration a saved plan was
made from (so ``apply`` can tell whether the plan still matches) and of the backend that was
initialised (so ``init`` only runs again when it must).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from pangea.cli.json_text import BACKEND_FILE, MAIN_FILE, render_json
from pangea.cli.state_files import PRIVATE_FILE, private_dir
from pangea.names import contained_path

PLAN_FILE = "pangea.tfplan"
PLAN_FINGERPRINT = "pangea.tfplan.fingerprint"
# The summary pangea showed for the saved plan, after the digest of that very plan file.
PLAN_SUMMARY = "pangea.tfplan.summary"
INIT_FINGERPRINT = ".pangea-init"
LOCK_FILE = ".pangea-lock"


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` in one step, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class TemplateWorkspace:
    directory: Path
    template: str
    namespace: str

    @classmethod
    def for_template(cls, work_root: Path, namespace: str, template: str) -> "TemplateWorkspace":
        return cls(contained_path(work_root, namespace, template), template, namespace)

    @property
    def plan_path(self) -> Path:
        return self.directory / PLAN_FILE

    def write_config(self, main: dict[str, Any], backend: dict[str, Any], binary_label: str) -> str:
        """Write both files; return the fingerprint of exactly what was written."""
        main_text, backend_text = render_json(main), render_json(backend)
        write_atomic(self.directory / MAIN_FILE, main_text)
        write_atomic(self.directory / BACKEND_FILE, backend_text)
        return _digest(main_text, backend_text, binary_label)

    def needs_init(self, backend: dict[str, Any], main: dict[str, Any], binary_label: str) -> bool:
        return (
            self._read(INIT_FINGERPRINT) != self._init_digest(backend, main, binary_label)
            or not (self.directory / ".terraform").is_dir()
        )

    def record_init(self, backend: dict[str, Any], main: dict[str, Any], binary_label: str) -> None:
        write_atomic(
            self.directory / INIT_FINGERPRINT, self._init_digest(backend, main, binary_label)
        )

    @staticmethod
    def _init_digest(backend: dict[str, Any], main: dict[str, Any], binary_label: str) -> str:
        # init depends on the backend and on which providers/modules the configuration needs.
        needs = {
            k: main.get("terraform", {}).get(k) for k in ("required_providers", "required_version")
        }
        return _digest(
            render_json(backend),
            render_json(needs),
            render_json({"module": main.get("module")}),
            binary_label,
        )

    def saved_plan_matches(self, fingerprint: str) -> bool:
        return self.plan_path.is_file() and self._read(PLAN_FINGERPRINT) == fingerprint

    def record_plan(self, fingerprint: str) -> None:
        write_atomic(self.directory / PLAN_FINGERPRINT, fingerprint)
        (self.directory / PLAN_SUMMARY).unlink(missing_ok=True)

    def record_plan_summary(self, summary: str) -> None:
        write_atomic(self.directory / PLAN_SUMMARY, f"{_file_digest(self.plan_path)}\n{summary}")

    def saved_plan_summary(self) -> str | None:
        """The summary recorded for the saved plan, if the plan is still that very file."""
        recorded = self._read(PLAN_SUMMARY)
        if recorded is None or not self.plan_path.is_file():
            return None
        digest, _, summary = recorded.partition("\n")
        return summary if digest == _file_digest(self.plan_path) else None

    def discard_plan(self) -> None:
        for name in (PLAN_FILE, PLAN_FINGERPRINT, PLAN_SUMMARY):
            try:
                (self.directory / name).unlink()
            except FileNotFoundError:
                pass

    def _read(self, name: str) -> str | None:
        try:
            return (self.directory / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    @contextmanager
    def locked(self, on_wait=None) -> Iterator[None]:
        """Hold this working directory for one pangea run; a second run on it waits its turn."""
        # Plans and state live here: the folders are private (0700), from .pangea down.
        for folder in (self.directory.parent.parent, self.directory.parent, self.directory):
            private_dir(folder)
        fd = os.open(self.directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
        with os.fdopen(fd, "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
