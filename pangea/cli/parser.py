"""The command line: sub-commands and their options."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pangea.cli import exit_codes


class UsageError(Exception):
    """A command-line mistake; the message already carries the usage line."""


class _OrderedValue(argparse.Action):
    """Collects --var and --var-file into one list, keeping their command-line order
    (later ones win, as in Terraform)."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[override]
        items = list(getattr(namespace, self.dest, None) or [])
        items.append((self.const, values))
        setattr(namespace, self.dest, items)


class _Parser(argparse.ArgumentParser):
    # argparse would exit with 2, which `plan` uses for "changes present".
    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{self.format_usage().strip()}\n{self.prog}: {message}")

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse imports shutil (and the compression modules it loads) for the terminal
        # width of every formatter, including the one add_argument makes to check a metavar
        return self.formatter_class(prog=self.prog, width=_terminal_columns() - 2)


def _terminal_columns() -> int:
    """shutil.get_terminal_size().columns: $COLUMNS, else the width of the terminal on
    standard output, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


_EPILOG = "exit codes:\n" + "\n".join(
    f"  {code:>3}  {text}" for code, text in exit_codes.DESCRIPTIONS.items()
)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def version_text() -> str:
    """``pangea --version``: pangea's own version and each installed provider package's pin."""
    from importlib import metadata

    try:
        own = metadata.version("pangea")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        own = "unknown (not installed)"
    lines = [f"pangea {own}"]
    from pangea.providers import installed

    for provider in installed():
        lines.append(f"{provider.package}: {provider.source} {provider.version}")
    return "\n".join(lines)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``only`` (the command about to run), that command's
    arguments alone: building every command costs more than parsing one."""

    def wanted(name: str) -> bool:
        return only is None or only == name

    parser = _Parser(
        prog="pangea",
        description="Compile Python infrastructure templates to Terraform JSON and run Terraform/OpenTofu "
        "on them, one state per template and namespace.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="store_true", help="print pangea's version and its provider pins"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument(
            "file", metavar="FILE", type=Path, help="Python file defining the templates"
        )
        sub.add_argument(
            "-n",
            "--namespace",
            help="namespace to use (default: $PANGEA_NAMESPACE, "
            "else default_namespace from pangea.yaml, else 'default')",
        )
        sub.add_argument(
            "-t",
            "--template",
            action="append",
            dest="templates",
            metavar="NAME",
            help="only this template (repeatable; default: every template in FILE)",
        )
        sub.add_argument(
            "--config",
            type=Path,
            metavar="PATH",
            help="pangea.yaml to use (default: ./pangea.yaml)",
        )
        return sub

    def strictness(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--strict",
            action="store_true",
            help="treat warnings (deprecated arguments, settings that fail later, such as a "
            "destroy without a final snapshot) as errors: exit 3 and run nothing",
        )

    def run_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--parallelism",
            type=_positive,
            default=4,
            metavar="N",
            help="run up to N independent templates at once; a template waits for those whose "
            "outputs it reads (default: 4; apply and destroy ask one template at a time unless "
            "--auto-approve)",
        )

    def value_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--var",
            action=_OrderedValue,
            const="var",
            dest="values",
            default=[],
            metavar="NAME=VALUE",
            help="a value for a variable (repeatable; given to each template that declares it)",
        )
        sub.add_argument(
            "--var-file",
            action=_OrderedValue,
            const="var-file",
            dest="values",
            metavar="FILE",
            help="a .tfvars or .tfvars.json file of values (repeatable; later ones win)",
        )

    def terraform_options(sub: argparse.ArgumentParser) -> None:
        value_options(sub)
        run_options(sub)
        sub.add_argument(
            "--no-color",
            action="store_true",
            help="no colour in the plan (default: colour on a terminal unless $NO_COLOR is set)",
        )
        strictness(sub)
        sub.add_argument(
            "--lock-timeout",
            metavar="DURATION",
            default="0s",
            help="how long Terraform waits for a state lock, e.g. 30s (default: 0s, fail at once)",
        )
        sub.add_argument(
            "-v", "--verbose", action="store_true", help="show Terraform's own output as it runs"
        )
        sub.add_argument(
            "--reconfigure",
            action="store_true",
            help="re-initialise the backend ignoring the previous one (terraform init -reconfigure)",
        )

    def approval(sub: argparse.ArgumentParser, what: str) -> None:
        sub.add_argument(
            "--auto-approve",
            action=argparse.BooleanOptionalAction,
            default=False,
            help=f"{what} without asking (default: ask; refused when stdin is not a terminal)",
        )

    if wanted("synth"):
        synth = command("synth", "write the Terraform JSON of each template")
        synth.add_argument(
            "--out",
            type=Path,
            metavar="DIR",
            help="write DIR/<template>/main.tf.json and backend.tf.json (default: print JSON)",
        )
        strictness(synth)
    if wanted("validate"):
        strictness(command("validate", "check the templates against the provider schema, offline"))
    if wanted("list"):
        command("list", "list the templates in FILE")
    if wanted("plan"):
        plan = command(
            "plan", "plan each template and summarise its changes (exit 2 when there are changes)"
        )
        terraform_options(plan)
        plan.add_argument(
            "--json",
            action="store_true",
            help="print the plans as JSON on stdout: {template: {has_changes, counts, "
            "resource_changes, output_changes}} (sensitive values null)",
        )
    if wanted("apply"):
        apply = command("apply", "apply each template, in dependency order")
        terraform_options(apply)
        approval(apply, "apply")
    if wanted("destroy"):
        destroy = command("destroy", "destroy each template's resources, dependents first")
        terraform_options(destroy)
        approval(destroy, "destroy")
    if wanted("output"):
        output = command("output", "show each template's outputs (sensitive values masked)")
        output.add_argument(
            "--json",
            action="store_true",
            help="print JSON: {template: {output: {value, type, sensitive}}}, as terraform output "
            "-json; a sensitive value is null unless --show-sensitive",
        )
        run_options(output)
        output.add_argument("--show-sensitive", action="store_true", help="print sensitive values too")
        output.add_argument("--reconfigure", action="store_true", help=argparse.SUPPRESS)
        output.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    if wanted("unlock"):
        unlock_command(commands)
    if only is None:
        # Listed for --help only: main() hands `pangea provider ...` to pangea.cli.provider_add,
        # whose arguments take no template FILE.
        commands.add_parser(
            "provider", add_help=False,
            help="add a typed provider package to this project from its schema: pangea provider "
            "add SOURCE (--schema FILE | --terraform)",
        )
    return parser


def unlock_command(commands) -> None:
    """``pangea unlock TEMPLATE``: it names a template's state, so it takes no FILE."""
    text = ("release the state lock of a template that a crashed run left behind: shows who "
            "holds it, asks, then runs terraform force-unlock")
    unlock = commands.add_parser(
        "unlock", help=text, description=text, epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    unlock.add_argument("template", metavar="TEMPLATE", help="the template whose state is locked")
    unlock.add_argument(
        "-n", "--namespace",
        help="namespace of the state (default: $PANGEA_NAMESPACE, "
        "else default_namespace from pangea.yaml, else 'default')",
    )
    unlock.add_argument("--config", type=Path, metavar="PATH",
                        help="pangea.yaml to use (default: the nearest ./pangea.yaml)")
    unlock.add_argument(
        "--yes", action="store_true",
        help="release the lock without asking (needed when standard input is not a terminal)",
    )
