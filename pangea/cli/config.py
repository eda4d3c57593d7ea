"""Load and strictly validate ``pangea.yaml``: namespaces, their state backends, the Terraform binary.

Every problem is reported as ``FILE:LINE: KEY: message`` with a suggested fix, so a typo in the
file never turns into a silently ignored setting.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType
TYPE_CHECKING = False  # typing is not imported at run time (import cost: pangea._typing)
if TYPE_CHECKING:
    from typing import Any, Mapping, NamedTuple

    import yaml
else:
    from pangea._typing import NamedTuple

    class _ImportedOnUse:
        """PyYAML, imported when a pangea.yaml is read: most runs have none, and the import
        is a noticeable part of a small `pangea synth`."""

        def __getattr__(self, name: str) -> Any:
            import yaml as module

            globals()["yaml"] = module
            return getattr(module, name)

    yaml = _ImportedOnUse()

from pangea.names import allowed, contained_key, contained_path, identifier_problem

CONFIG_FILENAME = "pangea.yaml"
IMPLICIT_NAMESPACE = "default"
STATE_DIRNAME = ".pangea"
# The default of an optional mapping: shared by every instance, so it cannot be changed.
_EMPTY: Mapping[str, Any] = MappingProxyType({})


class ConfigError(Exception):
    """``pangea.yaml`` is wrong, or a namespace is unknown. ``str()`` is the full message."""


# NamedTuples rather than dataclasses: importing dataclasses (and inspect), and making each
# class, is a noticeable part of a small `pangea synth` or `validate`.
class LocalState(NamedTuple):
    directory: Path  # absolute; each template's state is <directory>/<template>.tfstate

    def describe(self) -> str:
        return f"local {self.directory}"


class S3State(NamedTuple):
    bucket: str
    key_prefix: str
    region: str
    dynamodb_table: str | None = None
    use_lockfile: bool = False
    encrypt: bool | None = None
    kms_key_id: str | None = None
    role_arn: str | None = None
    profile: str | None = None
    endpoints: Mapping[str, str] = _EMPTY
    force_path_style: bool | None = None
    skip_credentials_validation: bool | None = None
    skip_metadata_api_check: bool | None = None
    skip_region_validation: bool | None = None
    skip_requesting_account_id: bool | None = None

    def key_for(self, template: str) -> str:
        # Checked here, where the key is made: Terraform's DynamoDB lock id is bucket/key too.
        return contained_key(self.key_prefix, f"{template}.tfstate")

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.key_prefix.strip('/')}"


StateConfig = LocalState | S3State


class Namespace(NamedTuple):
    name: str
    state: StateConfig
    # Free-form settings templates read through pangea.namespace().settings.
    settings: Mapping[str, Any] = _EMPTY
    # Terraform variable values for this namespace (between tfvars files and the command line).
    values: Mapping[str, Any] = _EMPTY


class ProjectConfig(NamedTuple):
    root: Path  # directory holding pangea.yaml (or the working directory without one)
    source: Path | None  # the pangea.yaml read, None when there is none
    default_namespace: str
    namespaces: dict[str, Namespace] | None  # None: every namespace is an implicit local one
    terraform_binary: str | None

    @property
    def work_root(self) -> Path:
        return self.root / STATE_DIRNAME

    def namespace(self, name: str) -> Namespace:
        # Names become directory names and S3 key parts: the one identifier rule keeps them
        # portable and free of path tricks.
        problem = identifier_problem("namespace", name)
        if problem is not None:
            raise ConfigError(f"{problem}: {allowed('namespace')}")
        if self.namespaces is None:
            return implicit_namespace(self.root, name)
        if name in self.namespaces:
            return self.namespaces[name]
        declared = ", ".join(sorted(self.namespaces)) or "none"
        raise ConfigError(
            f"{self.source}: namespace {name!r} is not declared under 'namespaces' "
            f"(declared: {declared}){_did_you_mean(name, self.namespaces)}; "
            f"add it to {CONFIG_FILENAME} or pick a declared one with --namespace"
        )


def implicit_namespace(root: Path, name: str) -> Namespace:
    return Namespace(name, LocalState(default_local_dir(root, name)))


def default_local_dir(root: Path, namespace: str) -> Path:
    # Beside the per-template working directories, under a name no template can take.
    return contained_path(root / STATE_DIRNAME, namespace, ".state")


def find_config(start: Path) -> Path | None:
    """The nearest ``pangea.yaml`` in ``start`` or one of its parents, as git finds ``.git``."""
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILENAME
        if candidate.is_file():
            return candidate
    return None


def load_project(cwd: Path, explicit: Path | None = None) -> ProjectConfig:
    """Read ``explicit``, else the nearest ``pangea.yaml`` walking up from ``cwd``; without one,
    return the implicit local setup rooted at ``cwd``."""
    cwd = cwd.resolve()
    path = explicit if explicit is not None else find_config(cwd)
    if path is None:
        return ProjectConfig(cwd, None, IMPLICIT_NAMESPACE, None, None)
    path = (cwd / path).resolve() if not Path(path).is_absolute() else Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found; check the --config path")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> ProjectConfig:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}{line}: not valid YAML: {problem}") from None
    return _Reader(path).project(node)


class _Reader:
    """Walks the YAML node tree so every error can name the line it comes from."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: yaml.Node | None, key: str, message: str) -> ConfigError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        where = f"{key}: " if key else ""
        return ConfigError(f"{self.path}{line}: {where}{message}")

    def mapping(self, node: yaml.Node, key: str, allowed: dict[str, str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, key, f"expected a mapping of keys, got {_kind(node)}")
        entries: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            full = f"{key}.{name}" if key else str(name)
            if name is None:
                raise self.fail(key_node, key, "keys must be plain names")
            if name in entries:
                raise self.fail(key_node, full, "duplicate key; keep only one")
            if name not in allowed:
                listed = ", ".join(allowed)
                raise self.fail(
                    key_node,
                    full,
                    f"unknown key{_did_you_mean(name, allowed)}; allowed here: {listed}",
                )
            entries[name] = value_node
        return entries

    def scalar(self, node: yaml.Node, key: str, kind: type, hint: str) -> Any:
        value = _construct(node) if isinstance(node, yaml.ScalarNode) else None
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            raise self.fail(node, key, f"expected {hint}, got {_kind(node, value)}")
        return value

    def string(self, node: yaml.Node, key: str) -> str:
        value = self.scalar(node, key, str, "a string")
        if not value.strip():
            raise self.fail(node, key, "must not be empty")
        return value

    def boolean(self, node: yaml.Node, key: str) -> bool:
        return self.scalar(node, key, bool, "true or false")

    def name(self, node: yaml.Node, key: str) -> str:
        value = self.string(node, key)
        problem = identifier_problem("namespace", value)
        if problem is not None:
            raise self.fail(node, key, f"{problem}: {allowed('namespace')}")
        return value

    # --- sections -------------------------------------------------------------------------

    def project(self, root: yaml.Node | None) -> ProjectConfig:
        base = self.path.parent
        if root is None:  # empty file: same as no file, but remembered as the source
            return ProjectConfig(base, self.path, IMPLICIT_NAMESPACE, None, None)
        top = self.mapping(root, "", _TOP_KEYS)
        namespaces = None
        if "namespaces" in top:
            namespaces = self.namespaces(top["namespaces"], base)
        default = IMPLICIT_NAMESPACE
        if "default_namespace" in top:
            node = top["default_namespace"]
            default = self.name(node, "default_namespace")
            if namespaces is not None and default not in namespaces:
                declared = ", ".join(namespaces) or "none"
                raise self.fail(
                    node,
                    "default_namespace",
                    f"{default!r} is not declared under 'namespaces' (declared: {declared})",
                )
        elif namespaces is not None and IMPLICIT_NAMESPACE not in namespaces:
            first = next(iter(namespaces), None)
            if first is not None:
                default = first if len(namespaces) == 1 else default
        binary = None
        if "terraform" in top:
            section = self.mapping(top["terraform"], "terraform", _TERRAFORM_KEYS)
            if "binary" in section:
                binary = self.string(section["binary"], "terraform.binary")
        return ProjectConfig(base, self.path, default, namespaces, binary)

    def namespaces(self, node: yaml.Node, base: Path) -> dict[str, Namespace]:
        if isinstance(node, yaml.ScalarNode) and _construct(node) is None:
            raise self.fail(node, "namespaces", "is empty; declare at least one namespace")
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, "namespaces", f"expected a mapping of names, got {_kind(node)}")
        result: dict[str, Namespace] = {}
        locations: dict[str, tuple[str, yaml.Node]] = {}
        for key_node, value_node in node.value:
            name = self.name(key_node, "namespaces")
            key = f"namespaces.{name}"
            if name in result:
                raise self.fail(key_node, key, "duplicate namespace; keep only one")
            section = self.mapping(value_node, key, _NAMESPACE_KEYS)
            if "state" not in section:
                raise self.fail(
                    value_node, key, "missing 'state'; add for example  state: {type: local}"
                )
            state = self.state(section["state"], f"{key}.state", base, name)
            settings = self.free_mapping(section["settings"], f"{key}.settings", names=False) \
                if "settings" in section else {}
            values = self.free_mapping(section["values"], f"{key}.values", names=True) \
                if "values" in section else {}
            where = _state_location(state)
            if where in locations:
                other, _ = locations[where]
                raise self.fail(
                    key_node,
                    key,
                    f"stores state at the same place as namespace {other!r} ({where}); "
                    "give each namespace its own path or key_prefix so they never share state",
                )
            locations[where] = (name, key_node)
            result[name] = Namespace(name, state, settings, values)
        return result

    def state(self, node: yaml.Node, key: str, base: Path, namespace: str) -> StateConfig:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, key, f"expected a mapping with a 'type', got {_kind(node)}")
        type_node = next((v for k, v in node.value if getattr(k, "value", None) == "type"), None)
        if type_node is None:
            raise self.fail(node, key, "missing 'type'; use 'local' or 's3'")
        kind = self.string(type_node, f"{key}.type")
        if kind == "local":
            return self.local_state(node, key, base, namespace)
        if kind == "s3":
            return self.s3_state(node, key, namespace)
        raise self.fail(
            type_node, f"{key}.type", f"unknown state type {kind!r}; use 'local' or 's3'"
        )

    def local_state(self, node: yaml.Node, key: str, base: Path, namespace: str) -> LocalState:
        section = self.mapping(node, key, _LOCAL_KEYS)
        if "path" not in section:
            return LocalState(default_local_dir(base, namespace))
        raw = Path(os.path.expanduser(self.string(section["path"], f"{key}.path")))
        return LocalState((base / raw).resolve() if not raw.is_absolute() else raw)

    def s3_state(self, node: yaml.Node, key: str, namespace: str) -> S3State:
        section = self.mapping(node, key, _S3_KEYS)
        for required in ("bucket", "region"):
            if required not in section:
                raise self.fail(node, key, f"missing '{required}', which the s3 state needs")
        values: dict[str, Any] = {"key_prefix": namespace}
        for name, value_node in section.items():
            if name == "type":
                continue
            sub = f"{key}.{name}"
            if name == "endpoints":
                values[name] = self.endpoints(value_node, sub)
            elif _S3_KEYS[name] == "bool":
                values[name] = self.boolean(value_node, sub)
            elif name == "key_prefix":
                values[name] = self.scalar(value_node, sub, str, "a string").strip("/")
            else:
                values[name] = self.string(value_node, sub)
        return S3State(**values)

    def free_mapping(self, node: yaml.Node, key: str, names: bool) -> dict[str, Any]:
        """A mapping of any keys to plain data (strings, numbers, booleans, lists, mappings).

        ``names``: keys are Terraform variable names."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, key, f"expected a mapping, got {_kind(node)}")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            name = _construct(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(name, str) or not name:
                raise self.fail(key_node, key, "keys must be plain names")
            full = f"{key}.{name}"
            problem = identifier_problem("variable", name) if names else None
            if problem is not None:
                raise self.fail(key_node, full, f"{problem}: {allowed('variable')}")
            if name in result:
                raise self.fail(key_node, full, "duplicate key; keep only one")
            result[name] = self.plain(value_node, full)
        return result

    def plain(self, node: yaml.Node, key: str) -> Any:
        """Plain data only: what JSON and Terraform can carry (no dates, no binary, no tags)."""
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                name = _construct(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(name, str):
                    raise self.fail(key_node, key, "mapping keys must be strings")
                result[name] = self.plain(value_node, f"{key}.{name}")
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.plain(item, f"{key}[{i}]") for i, item in enumerate(node.value)]
        value = _construct(node)  # type: ignore[arg-type]
        if value is None or isinstance(value, (str, bool, int, float)):
            return value
        raise self.fail(
            node, key, f"expected a string, number, boolean, list or mapping, got "
            f"{type(value).__name__}; quote it to keep it as a string"
        )

    def endpoints(self, node: yaml.Node, key: str) -> dict[str, str]:
        section = self.mapping(node, key, _ENDPOINT_KEYS)
        return {name: self.string(value, f"{key}.{name}") for name, value in section.items()}


def _state_location(state: StateConfig) -> str:
    if isinstance(state, LocalState):
        return str(state.directory)
    return f"s3://{state.bucket}/{state.key_prefix.strip('/')}"


_LOADERS: list[Any] = []  # one SafeLoader, made on first use


def _construct(node: yaml.ScalarNode) -> Any:
    if not _LOADERS:
        _LOADERS.append(yaml.SafeLoader(""))
    return _LOADERS[0].construct_object(node, deep=True)


def _kind(node: yaml.Node, value: Any = None) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if value is None and isinstance(node, yaml.ScalarNode):
        value = _construct(node)
    names: dict[type, str] = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
    }
    if value is None:
        return "nothing (null)"
    return f"{names.get(type(value), type(value).__name__)} ({value!r})"


def _did_you_mean(name: str, choices: Any) -> str:
    import difflib  # only to word a mistake

    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


_TOP_KEYS = {"default_namespace": "str", "namespaces": "map", "terraform": "map"}
_TERRAFORM_KEYS = {"binary": "str"}
_NAMESPACE_KEYS = {"state": "map", "settings": "map", "values": "map"}
_LOCAL_KEYS = {"type": "str", "path": "str"}
_ENDPOINT_KEYS = {"s3": "str", "dynamodb": "str", "sts": "str", "iam": "str"}
_S3_KEYS = {
    "type": "str",
    "bucket": "str",
    "key_prefix": "str",
    "region": "str",
    "dynamodb_table": "str",
    "use_lockfile": "bool",
    "encrypt": "bool",
    "kms_key_id": "str",
    "role_arn": "str",
    "profile": "str",
    "endpoints": "map",
    "force_path_style": "bool",
    "skip_credentials_validation": "bool",
    "skip_metadata_api_check": "bool",
    "skip_region_validation": "bool",
    "skip_requesting_account_id": "bool",
}
