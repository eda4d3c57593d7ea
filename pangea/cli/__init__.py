"""The ``pangea`` command. ``main`` maps every expected failure to a message and an exit code."""

from __future__ import annotations

import sys
TYPE_CHECKING = False  # typing is not imported at run time (import cost: pangea._typing)
if TYPE_CHECKING:
    from typing import Callable, Sequence

from pangea.cli import exit_codes
from pangea.cli.console import Console
from pangea.cli.parser import UsageError, build_parser

__all__ = ["main"]


# command -> (module of pangea.cli, function); a command imports only its own module, so
# `synth` and `validate` never load the Terraform-running code.
_COMMANDS = {
    "list": ("offline", "run_list"),
    "validate": ("offline", "run_validate"),
    "synth": ("offline", "run_synth"),
    "plan": ("deploy", "run_plan"),
    "apply": ("deploy", "run_apply"),
    "destroy": ("deploy", "run_destroy"),
    "output": ("deploy", "run_output"),
}


_BUILT = frozenset([*_COMMANDS, "unlock"])  # commands build_parser can build alone


def _command(name: str) -> Callable:
    import importlib

    module, function = _COMMANDS[name]
    return getattr(importlib.import_module(f"pangea.cli.{module}"), function)


class _NeverRaised(Exception):
    """Stands for an exception class of a module this run did not import."""


def _raised_by(module: str, name: str) -> type[BaseException]:
    """An exception class of ``module`` if the command imported it (only then can it be
    raised); ``except`` clauses are evaluated only when an exception is being handled."""
    found = sys.modules.get(module)
    return getattr(found, name) if found is not None else _NeverRaised


def main(argv: Sequence[str] | None = None, console: Console | None = None) -> int:
    console = console or Console()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["--version"], ["-V"]):
        from pangea.cli.parser import version_text

        console.result(version_text())
        return exit_codes.OK
    if argv[:1] == ["provider"]:  # its own arguments (no template FILE)
        from pangea.cli.provider_add import main as provider_main

        return provider_main(argv[1:], console)
    try:
        # only the command about to run is built (all of them for --help or a mistake)
        args = build_parser(argv[0] if argv[:1] and argv[0] in _BUILT else None).parse_args(argv)
    except UsageError as exc:
        console.progress(str(exc))
        return exit_codes.INVALID_INPUT
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    return _dispatch(args, console)


def _unlock(args, console: Console) -> int:
    from pangea.cli.session import InputError, describe_namespace, open_namespace
    from pangea.cli.unlock import run_unlock
    from pangea.names import allowed, identifier_problem

    problem = identifier_problem("template", args.template)
    if problem:
        raise InputError(f"{problem}; {allowed('template')}")
    project, namespace = open_namespace(args)
    console.progress(describe_namespace(project, namespace))
    return run_unlock(args, console, project, namespace)


def _dispatch(args, console: Console) -> int:
    from pangea.cli.backends import BackendError
    from pangea.cli.session import InputError, describe, open_session
    from pangea.cli.config import ConfigError
    from pangea.cli.values import ValuesError
    from pangea.errors import PangeaError

    # The Terraform and state-file errors come only from modules a command imports (synth and
    # validate import neither): their classes are looked up as an exception is handled.
    try:
        if args.command == "unlock":  # names a template's state; no template file to read
            return _unlock(args, console)
        session = open_session(args)
        console.progress(describe(session))
        return _command(args.command)(session, args, console)
    except (ConfigError, InputError, PangeaError, BackendError, ValuesError,
            _raised_by("pangea.cli.state_files", "DamagedStateError")) as exc:
        console.error(str(exc))
        return exit_codes.INVALID_INPUT
    except _raised_by("pangea.cli.terraform", "TerraformNotFoundError") as exc:
        console.error(str(exc))
        return exit_codes.NO_TERRAFORM
    except _raised_by("pangea.cli.deploy", "NotConfirmed") as exc:
        console.error(str(exc))
        return exit_codes.NOT_CONFIRMED
    except _raised_by("pangea.cli.terraform", "TerraformFailedError") as exc:
        if exc.output:
            console.progress(exc.output)
        console.error(str(exc))
        # always 1, whatever Terraform's own status (the message names it): a crash of
        # Terraform before 1.1 exits 2, which scripts would read as `plan`'s "changes present"
        return exit_codes.TERRAFORM_FAILED
    except _raised_by("pangea.cli.plan_summary", "PlanFormatError") as exc:
        console.error(f"cannot read Terraform's plan: {exc}")
        return exit_codes.TERRAFORM_FAILED
    except KeyboardInterrupt:
        console.error("interrupted")
        return exit_codes.INTERRUPTED
