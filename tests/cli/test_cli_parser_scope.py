"""`pangea COMMAND ...` builds only that command's parser: the same arguments, help and errors
as the whole command line, for less start-up work."""

from __future__ import annotations

import contextlib
import io

import pytest

from pangea.cli.parser import UsageError, build_parser

COMMANDS = ["synth", "validate", "list", "plan", "apply", "destroy", "output", "unlock"]
CASES = [
    *([name, "--help"] for name in COMMANDS),
    ["synth", "x.py", "--out", "b", "-t", "a", "-t", "b", "--strict"],
    ["validate", "x.py", "-n", "dev", "--config", "p.yaml"],
    ["list", "x.py"],
    ["plan", "x.py", "--var", "a=1", "--var-file", "f", "--json", "--parallelism", "2",
     "--lock-timeout", "5s", "-v", "--no-color", "--reconfigure"],
    ["apply", "x.py", "--auto-approve"],
    ["destroy", "x.py", "--no-auto-approve"],
    ["output", "x.py", "--json", "--show-sensitive"],
    ["unlock", "net", "--yes", "-n", "blue"],
    ["synth"],
    ["synth", "x.py", "--bogus"],
    ["plan", "x.py", "--parallelism", "0"],
    ["list", "x.py", "extra"],
]


def _outcome(argv: list[str], only: str | None):
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            return vars(build_parser(only).parse_args(argv)), printed.getvalue()
    except SystemExit as exc:  # --help
        return ("exit", exc.code), printed.getvalue()
    except UsageError as exc:
        return ("usage error", str(exc)), printed.getvalue()


@pytest.mark.parametrize("columns", ["100", "60"])
@pytest.mark.parametrize("argv", CASES, ids=" ".join)
def test_one_command_parses_and_explains_as_the_whole_command_line(argv, columns, monkeypatch):
    monkeypatch.setenv("COLUMNS", columns)  # the help is wrapped at the terminal's width
    assert _outcome(argv, argv[0]) == _outcome(argv, None)


def test_help_text_follows_the_terminal_width(monkeypatch):
    # (descriptions and the exit-code list are kept as written; argument help is wrapped)
    monkeypatch.setenv("COLUMNS", "50")
    narrow = build_parser("synth").format_help()
    monkeypatch.setenv("COLUMNS", "120")
    wide = build_parser("synth").format_help()
    assert "    synth     write the Terraform JSON of each\n" in narrow
    assert "    synth     write the Terraform JSON of each template\n" in wide


def test_the_whole_command_line_lists_every_command():
    text = build_parser().format_help()
    for name in [*COMMANDS, "provider"]:
        assert f"    {name} " in text
