"""Extra public names of pangea_aws (provider_schema/seed_names.yaml): aliases, helpers and
names that exist nowhere, each checked against the generated types."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from codegen.errors import GeneratorError
from codegen.inputs.targets import SAFE_LOADER

_KINDS = {
    "generated": set(),
    "alias": {"target", "why"},
    "helper": {"function", "why", "does"},
    "unavailable": {"why", "instead"},
}
_OPTIONAL = {"source"}
HELPER_MODULE = "helpers"  # hand-written module inside the package, copied from its extras


@dataclass(frozen=True)
class PublicName:
    name: str
    kind: str
    target: str = ""  # alias: the generated function; helper: the function in HELPER_MODULE
    why: str = ""
    instead: str = ""
    does: str = ""
    source: str = ""

    @property
    def message(self) -> str:
        """What calling an unavailable name says."""
        return f"{self.name} does not exist: {self.why} Instead, {self.instead}"


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GeneratorError(f"{where}: expected non-empty text")
    return " ".join(value.split())


def load_public_names(path: Path, generated: set[str], helper_functions: set[str]) -> list[PublicName]:
    """Read and check the names file; ``generated`` are the generated function names."""
    if not path.exists():
        return []
    try:
        doc = yaml.load(path.read_text(), Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise GeneratorError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict) or set(doc) != {"names"} or not isinstance(doc["names"], dict):
        raise GeneratorError(f"{path}: expected a single key 'names' mapping name -> entry")
    out = []
    for name, entry in doc["names"].items():
        where = f"{path}: names.{name}"
        if not isinstance(entry, dict) or entry.get("kind") not in _KINDS:
            raise GeneratorError(f"{where}: 'kind' must be one of {', '.join(_KINDS)}")
        kind = entry["kind"]
        allowed = _KINDS[kind] | {"kind"} | _OPTIONAL
        unknown = sorted(set(entry) - allowed)
        missing = sorted(_KINDS[kind] - set(entry))
        if unknown or missing:
            raise GeneratorError(f"{where}: unknown keys {unknown} / missing keys {missing} for "
                                 f"kind {kind}")
        fields = {k: _text(v, f"{where}.{k}") for k, v in entry.items() if k != "kind"}
        if kind == "generated":
            if name not in generated:
                raise GeneratorError(f"{where}: listed as generated but the pinned schema has no "
                                     "such type in the target group (renamed or removed?)")
        elif name in generated:
            raise GeneratorError(f"{where}: listed as {kind} but the provider now has this type; "
                                 "change it to kind: generated")
        if kind == "alias" and fields["target"] not in generated:
            raise GeneratorError(f"{where}.target: {fields['target']} is not a generated type")
        if kind == "helper" and fields["function"] not in helper_functions:
            raise GeneratorError(f"{where}.function: {HELPER_MODULE}.py has no function "
                                 f"{fields['function']}")
        out.append(PublicName(
            name=name, kind=kind, target=fields.get("target", fields.get("function", "")),
            why=fields.get("why", ""), instead=fields.get("instead", ""),
            does=fields.get("does", ""), source=fields.get("source", "")))
    return out


def helper_functions(extras: Path) -> set[str]:
    """Public functions defined in the helpers module of a provider's extras directory (read
    without importing it)."""
    import ast

    path = extras / f"{HELPER_MODULE}.py"
    if not path.exists():
        return set()
    tree = ast.parse(path.read_text())
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
