"""Find the Terraform/OpenTofu binary and run it in a template's working directory."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

from pangea.cli.state_files import PRIVATE_UMASK
from pangea.cli.backends import BackendDialect

BINARY_ENV = "PANGEA_TERRAFORM"
SEARCH_ORDER = ("tofu", "terraform")
_VERSION_LINE = re.compile(r"^(Terraform|OpenTofu) v(\d+)\.(\d+)\.(\d+)", re.MULTILINE)
# Terraform must neither prompt nor phone home: pangea runs it unattended and offline-safe.
# TF_FORK=0: Terraform before 1.1 otherwise runs every command as a second copy of itself
# under a crash-catching parent (twice the start-up); pangea shows its output either way.
RUN_ENV = {"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1", "TF_FORK": "0"}


class TerraformNotFoundError(Exception):
    """No usable binary; the message says where pangea looked and how to set one."""


class TerraformFailedError(Exception):
    """Terraform exited non-zero. ``output`` is its own message, ``returncode`` its status."""

    def __init__(self, step: str, returncode: int, output: str, where: str = "") -> None:
        self.step = step
        self.returncode = returncode
        self.output = output
        self.where = where
        self.hint = ""  # what the user can do about it, when pangea recognises the failure
        super().__init__(step, returncode)

    def __str__(self) -> str:
        where = f" for {self.where}" if self.where else ""
        hint = f"; {self.hint}" if self.hint else ""
        return (
            f"terraform {self.step}{where} failed with exit status {self.returncode} "
            f"(its message is above){hint}"
        )


@dataclass(frozen=True)
class TerraformBinary:
    path: str
    product: str  # "Terraform" or "OpenTofu"
    version: tuple[int, int, int]

    @property
    def label(self) -> str:
        return f"{self.product} {'.'.join(map(str, self.version))} ({self.path})"

    @property
    def dialect(self) -> BackendDialect:
        return BackendDialect.for_version(self.version, self.label)


def find_binary(
    configured: str | None, config_source: Path | None, environ: Mapping[str, str] = os.environ
) -> TerraformBinary:
    """``$PANGEA_TERRAFORM``, else ``terraform.binary`` from pangea.yaml, else tofu/terraform on PATH."""
    from_env = environ.get(BINARY_ENV)
    if from_env:
        return _probe(_resolve(from_env, f"${BINARY_ENV}", environ), f"${BINARY_ENV}")
    if configured:
        origin = f"terraform.binary in {config_source}" if config_source else "terraform.binary"
        base = config_source.parent if config_source else Path.cwd()
        candidate = configured
        if os.sep in configured and not os.path.isabs(configured):
            candidate = str(base / configured)  # relative paths are relative to pangea.yaml
        return _probe(_resolve(candidate, origin, environ), origin)
    search_path = environ.get("PATH", "")
    for name in SEARCH_ORDER:
        found = shutil.which(name, path=search_path)
        if found:
            return _probe(found, f"{name!r} on PATH")
    raise TerraformNotFoundError(
        "no Terraform binary found: looked for 'tofu' and then 'terraform' on PATH. "
        "Install OpenTofu or Terraform, or name the binary to use with  terraform: {binary: /path/to/terraform}  "
        f"in pangea.yaml or the {BINARY_ENV} environment variable"
    )


def _resolve(candidate: str, origin: str, environ: Mapping[str, str]) -> str:
    found = (
        shutil.which(candidate, path=environ.get("PATH", "")) if os.sep not in candidate else None
    )
    if found:
        return found
    if os.sep in candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    raise TerraformNotFoundError(
        f"the Terraform binary {candidate!r} (from {origin}) does not exist or is not executable; "
        f"fix {origin}, or unset it to use 'tofu' or 'terraform' from PATH"
    )


# What `<binary> version` said, by the file it ran: a process that runs several commands (the
# pytest plugin, tests, scripts calling pangea.cli.main) asks each binary once, and a binary
# replaced or changed since (another inode, size or time) is asked again. Failures are not kept.
_PROBED: dict[tuple[object, ...], TerraformBinary] = {}


def _probe(path: str, origin: str) -> TerraformBinary:
    try:
        st = os.stat(path)
        key: tuple[object, ...] | None = (path, st.st_dev, st.st_ino, st.st_size,
                                          st.st_mtime_ns, st.st_ctime_ns)
    except OSError:
        key = None
    known = _PROBED.get(key) if key is not None else None
    if known is not None:
        return known
    found = _ask_version(path, origin)
    if key is not None:
        _PROBED[key] = found
    return found


def _ask_version(path: str, origin: str) -> TerraformBinary:
    try:
        proc = subprocess.run(
            [path, "version"],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, **RUN_ENV},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TerraformNotFoundError(f"cannot run {path} (from {origin}): {exc}") from None
    match = _VERSION_LINE.search(proc.stdout)
    if proc.returncode != 0 or match is None:
        raise TerraformNotFoundError(
            f"{path} (from {origin}) does not look like Terraform or OpenTofu: "
            f"'{path} version' printed {proc.stdout.strip()[:200]!r}"
        )
    product, *numbers = match.groups()
    return TerraformBinary(path, product, tuple(int(n) for n in numbers))  # type: ignore[arg-type]


@dataclass
class RunResult:
    returncode: int
    stdout: str
    stderr: str


ProgressCallback = Callable[[float], None]


class TerraformRunner:
    """Runs one binary with the environment pangea needs; output is captured unless streaming."""

    heartbeat_seconds = 15.0

    def __init__(
        self,
        binary: TerraformBinary,
        stream: bool = False,
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        self.binary = binary
        self.stream = stream
        self.env = {**os.environ, **RUN_ENV, **(extra_env or {})}

    def run(
        self,
        step: str,
        args: Sequence[str],
        cwd: Path,
        *,
        check: bool = True,
        on_wait: ProgressCallback | None = None,
        capture: bool = False,
        success: tuple[int, ...] = (0,),
    ) -> RunResult:
        """Run ``binary args`` in ``cwd``; ``on_wait`` hears the elapsed time on long steps.

        An exit status outside ``success`` fails the step (when ``check``); ``plan
        -detailed-exitcode`` says "changes present" with 2.
        """
        cmd = [self.binary.path, *args]
        streaming = self.stream and not capture
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=None if streaming else subprocess.PIPE,
            stderr=None if streaming else subprocess.PIPE,
            text=True,
            umask=PRIVATE_UMASK,  # state, plans and lock info Terraform writes: owner only
        )
        started = time.monotonic()
        while True:
            try:
                stdout, stderr = proc.communicate(timeout=self.heartbeat_seconds)
                break
            except subprocess.TimeoutExpired:
                if on_wait is not None:
                    on_wait(time.monotonic() - started)
            except KeyboardInterrupt:
                # Terraform got the same SIGINT and is stopping cleanly (releasing locks): wait.
                proc.wait()
                raise
        result = RunResult(proc.returncode, stdout or "", stderr or "")
        if check and result.returncode not in success:
            raise TerraformFailedError(step, result.returncode, combined_output(result))
        return result


def combined_output(result: RunResult) -> str:
    parts = [result.stdout.strip(), result.stderr.strip()]  # the error comes last, as on a terminal
    return "\n".join(p for p in parts if p)


def print_failure(error: TerraformFailedError, stream=sys.stderr) -> None:
    if error.output:
        print(error.output, file=stream)
