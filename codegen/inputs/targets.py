"""provider_schema/targets.yaml: which provider schema, pinned how, and which types to build."""

from __future__ import annotations

import hashlib
import lzma
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

from codegen.errors import GeneratorError

# PyYAML's C parser when it has one (ten times the pure-Python loader's speed), same results.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Group:
    name: str
    description: str
    resources: tuple[str, ...]
    data_sources: tuple[str, ...]
    supporting_resources: tuple[str, ...] = ()

    @property
    def all_resources(self) -> tuple[str, ...]:
        """The group's own resources plus those generated for its helpers."""
        return self.resources + self.supporting_resources


@dataclass(frozen=True)
class Targets:
    path: Path
    source: str
    version: str
    schema_file: str
    schema_sha256: str
    groups: dict[str, Group]
    name: str = "aws"  # local name in required_providers: the source's last part
    package: str = "pangea_aws"  # the generated Python package
    type_prefix: str = "aws_"  # every type name of the provider starts with it
    title: str = "AWS"  # how docs name the provider

    @property
    def short_source(self) -> str:
        """``registry.terraform.io/hashicorp/aws`` -> ``hashicorp/aws`` (for required_providers)."""
        parts = self.source.split("/")
        return "/".join(parts[-2:])

    def group(self, name: str) -> Group:
        if name not in self.groups:
            raise GeneratorError(
                f"{self.path}: no target group {name!r}; groups: {', '.join(sorted(self.groups))}")
        return self.groups[name]


_TOP = {"provider", "schema"}
_TOP_OPTIONAL = {"groups"}


def _require(mapping: object, keys: set[str], where: str, optional: Iterable[str] = ()) -> dict:
    if not isinstance(mapping, dict):
        raise GeneratorError(f"{where}: expected a mapping")
    unknown = set(mapping) - keys - set(optional)
    missing = keys - set(mapping)
    if unknown:
        raise GeneratorError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    if missing:
        raise GeneratorError(f"{where}: missing key(s) {', '.join(sorted(missing))}")
    return mapping


def _names(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GeneratorError(f"{where}: expected a list of type names")
    if len(set(value)) != len(value):
        raise GeneratorError(f"{where}: a type is listed twice")
    return tuple(value)


def load_targets(path: Path) -> Targets:
    try:
        raw = yaml.load(path.read_text(), Loader=SAFE_LOADER)
    except FileNotFoundError:
        raise GeneratorError(f"{path}: targets file not found") from None
    except yaml.YAMLError as exc:
        raise GeneratorError(f"{path}: not valid YAML: {exc}") from None
    top = _require(raw, _TOP, str(path), optional=_TOP_OPTIONAL)
    provider = _require(top["provider"], {"source", "version"}, f"{path}: provider",
                        optional={"package", "type_prefix", "title"})
    schema = _require(top["schema"], {"file", "sha256"}, f"{path}: schema")
    source = str(provider["source"])
    provider_name = source.rstrip("/").split("/")[-1]
    package = str(provider.get("package", f"pangea_{provider_name}"))
    type_prefix = str(provider.get("type_prefix", f"{provider_name}_"))
    if package != f"pangea_{provider_name}":
        raise GeneratorError(f"{path}: provider.package: {package!r}; a provider's package is "
                             f"named pangea_<name> (pangea_{provider_name}), which is how pangea "
                             "finds the package of a type")
    groups = {}
    raw_groups = top.get("groups") or {}
    for name, body in _require(raw_groups, set(), f"{path}: groups",
                               optional=set(raw_groups)).items():
        where = f"{path}: groups.{name}"
        body = _require(body, {"resources"}, where,
                        optional={"description", "data_sources", "supporting_resources"})
        groups[name] = Group(
            name=name,
            description=str(body.get("description", "")),
            resources=_names(body["resources"], f"{where}.resources"),
            data_sources=_names(body.get("data_sources", []), f"{where}.data_sources"),
            supporting_resources=_names(body.get("supporting_resources", []),
                                        f"{where}.supporting_resources"),
        )
    return Targets(path, source, str(provider["version"]), str(schema["file"]),
                   str(schema["sha256"]).lower(), groups, name=provider_name, package=package,
                   type_prefix=type_prefix,
                   title=str(provider.get("title", "/".join(source.split("/")[-2:]))))


def read_schema_bytes(schema_path: Path) -> bytes:
    """The schema document at ``schema_path``, or its xz-compressed copy ``<path>.xz`` (the
    pinned schemas are committed compressed under provider_schema/)."""
    try:
        data = schema_path.read_bytes()
        return lzma.decompress(data) if schema_path.name.endswith(".xz") else data
    except FileNotFoundError:
        compressed = schema_path.with_name(schema_path.name + ".xz")
        if not compressed.exists():
            raise
        return lzma.decompress(compressed.read_bytes())


def verify_schema_file(targets: Targets, schema_path: Path) -> bytes:
    """Read the schema file and refuse it unless its sha256 is the pinned one."""
    try:
        data = read_schema_bytes(schema_path)
    except FileNotFoundError:
        raise GeneratorError(
            f"provider schema {schema_path} (or {schema_path.name}.xz) not found; set SCHEMA_DIR "
            f"(make) or --schema-dir to the directory holding {targets.schema_file}") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != targets.schema_sha256:
        raise GeneratorError(
            f"{schema_path}: sha256 {digest} does not match the pin {targets.schema_sha256} in "
            f"{targets.path}.\n  If this is the schema you mean to use (a provider bump), diff it "
            f"first (make diff-schema CANDIDATE={schema_path}), then re-pin: set provider.version, "
            f"schema.file and schema.sha256 in {targets.path} and run make generate.")
    return data
