"""``pangea unlock TEMPLATE``: release a state lock a crashed run left behind.

Who holds the lock is read the way Terraform reports it: a command that takes the lock
(``state rm -dry-run`` of an address no state holds, which never writes) is run with
``-lock-timeout=0s`` in a scratch directory configured with the template's backend, and its
lock-refused error carries the holder's ``Lock Info`` (ID, who, operation, created). The lock
is then released with ``terraform force-unlock -force ID``, after the user confirms.

A local state's lock is an operating-system lock on the state file: it lives exactly as long
as the process holding it, so it can never be stale. pangea checks it itself (no Terraform
needed) and, when a live process holds it, says so instead of force-unlocking.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pangea.cli import exit_codes
from pangea.cli.backends import backend_file, local_state_path
from pangea.cli.config import LocalState, Namespace, ProjectConfig
from pangea.cli.console import Console
from pangea.cli.state_files import private_dir
from pangea.cli.workspace import LOCK_FILE, render_json, write_atomic
from pangea.names import contained_path

LOCK_REFUSED = "Error acquiring the state lock"
# An address no state can hold (pangea never declares this type): the probe removes nothing.
PROBE_ADDRESS = "pangea_unlock_probe.none"
# What the probe prints when it took the lock (so nobody held it) and found nothing to remove.
_FREE_MARKERS = ("No state file was found", "No matching objects found", "Invalid target address")
_NO_STATE = "No state file was found"
_LOCK_FIELDS = ("ID", "Path", "Operation", "Who", "Version", "Created", "Info")
_FIELD_LINE = re.compile(r"^\s+(ID|Path|Operation|Who|Version|Created|Info):[ \t]*(.*)$")
_PROBE_TRIES = 3  # a lock released while Terraform read who held it: look again


class UnlockError(Exception):
    """The lock cannot be checked at all (say the state file is not ours to open); exit 1."""


@dataclass(frozen=True)
class LockInfo:
    """A state lock's record, as Terraform prints it under ``Lock Info:``."""

    id: str
    who: str = ""
    operation: str = ""
    created: str = ""
    path: str = ""
    version: str = ""
    info: str = ""

    def lines(self) -> list[str]:
        shown = [("ID", self.id), ("Who", self.who), ("Operation", self.operation),
                 ("Created", self.created), ("Path", self.path),
                 ("Terraform", self.version), ("Info", self.info)]
        return [f"  {label + ':':<11}{value}" for label, value in shown if value]


def parse_lock_info(text: str) -> LockInfo | None:
    """The ``Lock Info:`` block of a Terraform message, or None when it has none."""
    _, marker, rest = text.partition("Lock Info:")
    if not marker:
        return None
    found: dict[str, str] = {}
    for line in rest.splitlines():
        match = _FIELD_LINE.match(line)
        if match:
            found.setdefault(match.group(1), match.group(2).strip())
        elif line.strip() and found:
            break  # the block ended
    if not found.get("ID"):
        return None
    return LockInfo(
        id=found["ID"], who=found.get("Who", ""), operation=found.get("Operation", ""),
        created=found.get("Created", ""), path=found.get("Path", ""),
        version=found.get("Version", ""), info=found.get("Info", ""),
    )


def lock_info_from_record(record: dict[str, Any]) -> LockInfo | None:
    """A lock record as Terraform stores it (JSON with ID, Who, ...), e.g. a local .lock.info."""
    if not isinstance(record, dict) or not isinstance(record.get("ID"), str):
        return None

    def text(key: str) -> str:
        value = record.get(key)
        return value if isinstance(value, str) else ""

    return LockInfo(id=record["ID"], who=text("Who"), operation=text("Operation"),
                    created=text("Created"), path=text("Path"), version=text("Version"),
                    info=text("Info"))


def unlock_command(template: str, namespace: str) -> str:
    """The command line a user types to release the template's lock."""
    return f"pangea unlock {template} -n {namespace}"


_LOCK_FALSE_ADVICE = re.compile(
    r"For most commands, you can disable locking with the\s+\"-lock=false\"\s+flag, but this\s+"
    r"is not recommended\."
)


def point_to_unlock(output: str, template: str, namespace: str) -> str:
    """Terraform's lock error with its ``-lock=false`` advice (pangea has no such option)
    replaced by what pangea offers."""
    return _LOCK_FALSE_ADVICE.sub(
        f"pangea never disables locking; if the run that holds the lock crashed, "
        f"`{unlock_command(template, namespace)}` shows who holds it and releases it.",
        output,
    )


def lock_refused_hint(template: str, namespace: str) -> str:
    return (
        f"the state of template {template!r} in namespace {namespace!r} is locked by another "
        "run (Lock Info above): wait for it to finish, or pass --lock-timeout to wait for it; "
        f"if that run crashed, `{unlock_command(template, namespace)}` releases the lock"
    )


class _Probe:
    """The outcome of looking at a lock: free, held (with its record), and whether any state
    exists."""

    def __init__(self, held: LockInfo | None, state_exists: bool = True) -> None:
        self.held = held
        self.state_exists = state_exists


def run_unlock(args: Any, console: Console, project: ProjectConfig, namespace: Namespace) -> int:
    template = args.template
    where = f"template {template!r} in namespace {namespace.name!r}"
    busy = _pangea_run_in_progress(project, namespace.name, template)
    if busy:
        console.error(
            f"a pangea run on this machine is working on {where} right now "
            f"(it holds {busy}); its Terraform holds the state lock and releases it when it "
            "ends. Let it finish or stop it (Ctrl-C lets Terraform release the lock); "
            "nothing was unlocked"
        )
        return exit_codes.TERRAFORM_FAILED
    if isinstance(namespace.state, LocalState):
        try:
            return _unlock_local(console, namespace.state, template, where)
        except UnlockError as exc:
            console.error(f"{exc}; nothing was unlocked")
            return exit_codes.TERRAFORM_FAILED
    return _unlock_remote(args, console, project, namespace, template, where)


def _pangea_run_in_progress(project: ProjectConfig, namespace: str, template: str) -> Path | None:
    """The template's working-directory lock file if a live pangea run holds it."""
    path = contained_path(project.work_root, namespace, template) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return path
    finally:
        os.close(fd)  # closing releases a lock this probe took
    return None


# -- local state ---------------------------------------------------------------------------------


def local_lock_info_path(state_file: Path) -> Path:
    """Where Terraform's local backend notes who holds the lock: ``.<state>.lock.info``."""
    return state_file.parent / f".{state_file.name}.lock.info"


def local_lock_held(state_file: Path) -> bool:
    """Whether a live process holds Terraform's lock on the state file (an fcntl write lock on
    the whole file, as Terraform takes it); the OS drops it when that process ends."""
    try:
        fd = os.open(state_file, os.O_RDWR)  # a write lock needs a file open for writing
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise UnlockError(
            f"cannot open the state file {state_file} to check its lock "
            f"({exc.strerror or exc}); run pangea unlock as the user that owns the state"
        ) from None
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            return True
        raise
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _read_local_record(state_file: Path) -> LockInfo | None:
    try:
        return lock_info_from_record(json.loads(local_lock_info_path(state_file).read_text()))
    except (OSError, ValueError):
        return None


def _unlock_local(console: Console, state: LocalState, template: str, where: str) -> int:
    state_file = Path(local_state_path(state, template))
    record = _read_local_record(state_file)
    if local_lock_held(state_file):
        lines = [(f"the state of {where} ({state_file}) is locked by a process that is still "
                  "running on this machine:")]
        lines += record.lines() if record else ["  (its lock record could not be read)"]
        lines.append(
            "A local state lock belongs to that process and the operating system releases it "
            "when the process ends, so it is never stale: let that run finish, or stop it "
            "(Ctrl-C lets Terraform release the lock cleanly). pangea does not force-unlock "
            "it; nothing was unlocked"
        )
        console.error("\n".join(lines))
        return exit_codes.TERRAFORM_FAILED
    message = f"no lock is held on the state of {where} ({state_file})"
    if not state_file.exists():
        message += "; the template has no state there yet (check the template and namespace)"
    elif record is not None:
        who = f" by {record.who}" if record.who else ""
        when = f" at {record.created}" if record.created else ""
        message += (
            f"; the lock note of a run that ended without releasing it ({record.id}{who}{when}) "
            f"is left in {local_lock_info_path(state_file)}, and the next Terraform run replaces it"
        )
    console.result(message)
    return exit_codes.OK


# -- remote state (s3: DynamoDB table or native lock file) -------------------------------------


def _unlock_remote(args: Any, console: Console, project: ProjectConfig, namespace: Namespace,
                   template: str, where: str) -> int:
    from pangea.cli.terraform import TerraformFailedError, TerraformRunner, find_binary

    binary = find_binary(project.terraform_binary, project.source)
    runner = TerraformRunner(binary, stream=False)
    backend = backend_file(namespace, template, binary.dialect)
    scratch = _scratch_dir(project, namespace.name)
    try:
        write_atomic(scratch / "backend.tf.json", render_json(backend))
        try:
            runner.run("init", ["init", "-input=false", "-no-color"], scratch)
            probe = _probe(runner, scratch)
        except TerraformFailedError as failure:
            failure.where = where
            raise
        state = namespace.state.describe()
        if probe.held is None:
            message = f"no lock is held on the state of {where} ({state})"
            if not probe.state_exists:
                message += "; the template has no state there yet (check the template and namespace)"
            console.result(message)
            return exit_codes.OK
        lock = probe.held
        console.result("\n".join(
            [f"the state of {where} ({state}) is locked:", *lock.lines()]
        ))
        if not args.yes:
            if not console.is_interactive():
                console.error(
                    "releasing the lock needs confirmation, but standard input is not a "
                    "terminal; check that no run is using the state, then pass --yes to release "
                    "it without asking; nothing was unlocked"
                )
                return exit_codes.NOT_CONFIRMED
            if not console.confirm(
                f"Release this lock on template {template!r} in namespace {namespace.name!r}? "
                "Only do so if the run that took it has stopped: two runs writing one state "
                "can corrupt it."
            ):
                console.error(f"the lock on {where} was kept; nothing was unlocked")
                return exit_codes.NOT_CONFIRMED
        try:
            runner.run("force-unlock", ["force-unlock", "-force", "-no-color", lock.id], scratch)
        except TerraformFailedError as failure:
            failure.where = where
            failure.hint = ("the lock may have been released or taken anew meanwhile; "
                            f"run `{unlock_command(template, namespace.name)}` again to see")
            raise
        console.result(f"released the lock {lock.id} on the state of {where}")
        return exit_codes.OK
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _scratch_dir(project: ProjectConfig, namespace: str) -> Path:
    """A private directory beside the namespace's working directories; its leading dot keeps
    it apart from every template's (template names never start with a dot)."""
    parent = private_dir(contained_path(project.work_root, namespace))
    return Path(tempfile.mkdtemp(prefix=".unlock-", dir=parent))


def _probe(runner: Any, directory: Path) -> _Probe:
    from pangea.cli.terraform import TerraformFailedError

    args = ["state", "rm", "-dry-run", "-lock-timeout=0s", "-no-color", PROBE_ADDRESS]
    for _ in range(_PROBE_TRIES):
        result = runner.run("state rm -dry-run", args, directory, check=False)
        output = "\n".join(part for part in (result.stdout, result.stderr) if part.strip())
        if LOCK_REFUSED in output:
            held = parse_lock_info(output)
            if held is not None:
                return _Probe(held)
            continue  # released while Terraform read who held it: look again
        if result.returncode == 0 or any(marker in output for marker in _FREE_MARKERS):
            return _Probe(None, state_exists=_NO_STATE not in output)
        raise TerraformFailedError("state rm -dry-run (lock check)", result.returncode, output)
    raise TerraformFailedError("state rm -dry-run (lock check)", 1, output)
