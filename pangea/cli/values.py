"""Where Terraform variable values come from, and the arguments that hand them to Terraform.

Precedence, lowest first (later sources win, as in Terraform):

1. ``TF_VAR_<name>`` environment variables (Terraform reads them itself);
2. ``terraform.tfvars``, then ``terraform.tfvars.json``, beside the template file;
3. ``*.auto.tfvars`` and ``*.auto.tfvars.json`` beside the template file, in lexical order;
4. ``namespaces.<name>.values`` in ``pangea.yaml``;
5. ``--var-file FILE`` and ``--var NAME=VALUE``, in the order given on the command line.

1-3 and 5 are Terraform's own rules (pangea adds 4, the namespace's values, above the files
every namespace shares). Files are handed to Terraform by path (it parses HCL and JSON itself);
``--var`` goes to Terraform as ``-var`` for each template that declares the variable, so a
value meant for one template never reaches (and breaks) another. Values are never printed.
"""

from __future__ import annotations

import json
from pathlib import Path
TYPE_CHECKING = False  # typing is not imported at run time (import cost: pangea._typing)
if TYPE_CHECKING:
    from typing import Any, Iterable, Mapping, NamedTuple
else:
    from pangea._typing import NamedTuple

from pangea.names import identifier_problem

NAMESPACE_VALUES_FILE = "pangea.namespace.tfvars.json"


class ValuesError(Exception):
    """A ``--var``/``--var-file`` mistake; the message never contains a value."""


class CliVar(NamedTuple):
    name: str
    text: str  # as typed; Terraform interprets it by the variable's type


class CliVarFile(NamedTuple):
    path: Path  # absolute


CliValue = CliVar | CliVarFile


def parse_cli_values(items: Iterable[tuple[str, str]], cwd: Path) -> tuple[CliValue, ...]:
    """``[("var", "a=1"), ("var-file", "x.tfvars")]`` in command-line order -> typed values."""
    result: list[CliValue] = []
    for kind, raw in items:
        if kind == "var":
            name, sep, text = raw.partition("=")
            name = name.strip()
            if not sep:
                raise ValuesError(
                    f"--var {name!r}: expected NAME=VALUE, e.g. --var instance_class=db.t4g.medium"
                )
            if identifier_problem("variable", name) is not None:
                raise ValuesError(
                    f"--var: {name!r} is not a variable name (letters, digits, '_' and '-', "
                    "starting with a letter or '_'); expected NAME=VALUE"
                )
            result.append(CliVar(name, text))
        else:
            path = Path(raw).expanduser()
            path = path if path.is_absolute() else cwd / path
            if not path.is_file():
                raise ValuesError(f"--var-file {raw}: no such file; check the path")
            result.append(CliVarFile(path.resolve()))
    return tuple(result)


def conventional_files(directory: Path) -> tuple[Path, ...]:
    """The tfvars files Terraform loads automatically, in its order, found beside the templates."""
    found = [directory / name for name in ("terraform.tfvars", "terraform.tfvars.json")]
    auto = sorted(
        p.name
        for p in directory.glob("*.auto.tfvars*")
        if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )
    found += [directory / name for name in auto]
    return tuple(p for p in found if p.is_file())


class VariableValues(NamedTuple):
    """Every value source of one run, in precedence order (see the module docstring)."""

    files: tuple[Path, ...] = ()
    namespace_values: Mapping[str, Any] | None = None
    cli: tuple[CliValue, ...] = ()

    def check_declared(self, declared_by_template: Mapping[str, set[str]]) -> None:
        """A ``--var`` that no chosen template declares is a mistake (Terraform refuses it too)."""
        everything = set().union(*declared_by_template.values()) if declared_by_template else set()
        for value in self.cli:
            if isinstance(value, CliVar) and value.name not in everything:
                import difflib

                close = difflib.get_close_matches(value.name, sorted(everything), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                declared = ", ".join(sorted(everything)) or "none"
                templates = ", ".join(sorted(declared_by_template)) or "none"
                raise ValuesError(
                    f"--var {value.name}: no template in this run declares variable "
                    f"{value.name!r}{hint}; declared variables: {declared} "
                    f"(templates: {templates})"
                )

    def namespace_file(self, declared: set[str]) -> dict[str, Any]:
        """The namespace's values for the variables one template declares."""
        values = self.namespace_values or {}
        return {name: values[name] for name in sorted(values) if name in declared}

    def terraform_args(self, declared: set[str], namespace_file: Path | None) -> list[str]:
        """``-var-file``/``-var`` arguments for ``terraform plan``, lowest precedence first."""
        args = [f"-var-file={path}" for path in self.files]
        if namespace_file is not None:
            args.append(f"-var-file={namespace_file}")
        for value in self.cli:
            if isinstance(value, CliVarFile):
                args.append(f"-var-file={value.path}")
            elif value.name in declared:
                args.append(f"-var={value.name}={value.text}")
        return args

    def digest(self, declared: set[str]) -> str:
        """Changes when any value a template would receive changes (for saved-plan reuse)."""
        import hashlib  # plan and apply only

        h = hashlib.sha256()
        for path in self.files:
            h.update(str(path).encode() + b"\0" + _read_bytes(path) + b"\0")
        h.update(json.dumps(self.namespace_file(declared), sort_keys=True).encode() + b"\0")
        for value in self.cli:
            if isinstance(value, CliVarFile):
                h.update(str(value.path).encode() + b"\0" + _read_bytes(value.path) + b"\0")
            elif value.name in declared:
                h.update(f"{value.name}={value.text}".encode() + b"\0")
        return h.hexdigest()


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def declared_variables(config: Mapping[str, Any]) -> set[str]:
    return set((config.get("variable") or {}).keys())


MISSING_VALUE_HINT = (
    "give it a value with --var NAME=VALUE, --var-file FILE, terraform.tfvars or "
    "*.auto.tfvars beside the template file, namespaces.<namespace>.values in pangea.yaml, "
    "or the TF_VAR_NAME environment variable"
)
