"""Override files: parsed once (one YAML reader for generate and diff), validated strictly
against the format and the schema, merged.

Format: overrides/README.md. Every problem names the file and the key path, so a provider
bump that removes an attribute surfaces here as a stale override; every problem of every
file is reported together, never only the first.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from codegen.errors import GeneratorError, GeneratorProblems, ProblemCollector
from codegen.model import (
    Attribute,
    ComputedProperty,
    Example,
    RuleSpec,
    Struct,
    TfType,
    TypeModel,
)
from pangea import validation

_TOP_KEYS = {"type", "summary", "description", "sources", "attributes", "blocks", "rules",
             "computed", "examples"}
_ATTR_KEYS = {"default", "default_emitted", "description", "notes", "source",
              *validation.ATTRIBUTE_RULE_KEYS}
_BLOCK_KEYS = {"description", "attributes", "blocks", "rules"}
# Rule keys whose value (a list) or whose keys (a mapping) name attributes or blocks of the
# rule's own level: the registry of rule kinds says which.
_RULE_NAME_KEYS = tuple(dict.fromkeys(
    key for kind in validation.RULE_KINDS.values()
    for key in (*kind.name_keys, *kind.name_map_keys)))
_COMPUTED_KEYS = {"type", "format", "expression", "description"}
_COMPUTED_TYPES = {"string", "number", "bool", "list(string)"}
_EXAMPLE_KEYS = {"title", "description", "code"}
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when PyYAML has it


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any, line: int, first_line: int) -> None:
        super().__init__(f"line {line}: key {key!r} is given twice (first on line {first_line}); "
                         "YAML would silently keep only the last one: merge the two entries")


class _StrictLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """Safe YAML that refuses a mapping key given twice."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = seen.setdefault(key, line)
            except TypeError:  # an unhashable key: SafeConstructor reports it below
                continue
            if first != line:
                raise _DuplicateKey(key, line, first)
        return super().construct_mapping(node, deep=deep)


@dataclass(frozen=True)
class Reference:
    """A Terraform name an override file refers to: where in the file, which schema path, and
    whether it must be an attribute, a block, or either (rules may name both)."""

    key: str
    path: tuple[str, ...]
    expected: str


@dataclass(frozen=True)
class OverrideFile:
    path: Path
    kind: str  # "resource" or "data"
    type_name: str
    doc: dict[str, Any] = field(compare=False)

    @property
    def name(self) -> str:
        """The file's stem: ``aws_x`` or ``data.aws_x`` (what the generator calls a doc name)."""
        return self.path.name[: -len(".yaml")]

    def references(self) -> list[Reference]:
        """Every attribute or block name the file refers to, for the bump's impact check.
        Structure errors are not judged here: merging validates the format strictly."""
        refs: list[Reference] = []
        _collect_references(self.doc, "", (), refs)
        return sorted(refs, key=lambda r: (r.key, r.path, r.expected))


def _collect_references(level: Any, key: str, path: tuple[str, ...],
                        refs: list[Reference]) -> None:
    if not isinstance(level, dict):
        return
    prefix = key + "." if key else ""
    attributes = level.get("attributes")
    if isinstance(attributes, dict):
        for name in attributes:
            refs.append(Reference(f"{prefix}attributes.{name}", path + (str(name),), "attribute"))
    blocks = level.get("blocks")
    if isinstance(blocks, dict):
        for name, body in blocks.items():
            block_key = f"{prefix}blocks.{name}"
            refs.append(Reference(block_key, path + (str(name),), "block"))
            _collect_references(body, block_key, path + (str(name),), refs)
    rules = level.get("rules")
    if not isinstance(rules, list):
        return
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        for rule_key in _RULE_NAME_KEYS:
            names = rule.get(rule_key)
            if isinstance(names, str):
                names = [names]
            if isinstance(names, (list, dict)):
                for name in names:
                    refs.append(Reference(f"{prefix}rules[{index}].{rule_key}",
                                          path + (str(name),), "either"))


def override_path(directory: Path, kind: str, type_name: str) -> Path:
    return directory / (f"data.{type_name}.yaml" if kind == "data" else f"{type_name}.yaml")


def override_target(file_name: str) -> tuple[str, str]:
    """``data.aws_x.yaml`` -> ("data", "aws_x"); ``aws_x.yaml`` -> ("resource", "aws_x")."""
    stem = file_name[: -len(".yaml")] if file_name.endswith(".yaml") else file_name
    if stem.startswith("data."):
        return "data", stem[len("data."):]
    return "resource", stem


def parse_override_file(path: Path) -> OverrideFile:
    """Read one override file: strict YAML (no duplicate keys), a mapping, and a ``type`` that
    matches the file name."""
    kind, type_name = override_target(path.name)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except _DuplicateKey as exc:
        raise GeneratorError(f"{path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise GeneratorError(f"{path}: not valid YAML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GeneratorError(f"{path}: cannot read the override file: {exc}") from None
    if not isinstance(doc, dict):
        raise GeneratorError(f"{path}: expected a mapping at the top level")
    expected = f"data.{type_name}" if kind == "data" else type_name
    if doc.get("type") != expected:
        raise GeneratorError(f"{path}: 'type' must be {expected!r} (got {doc.get('type')!r})")
    return OverrideFile(path, kind, type_name, doc)


@dataclass(frozen=True)
class OverrideFiles:
    """Every override file of a directory, parsed once; ``problems`` holds the files that
    could not be read (each message names the file)."""

    directory: Path | None
    files: dict[str, OverrideFile]
    problems: tuple[str, ...] = ()

    def for_type(self, kind: str, type_name: str) -> OverrideFile | None:
        return self.files.get(f"data.{type_name}" if kind == "data" else type_name)

    def stray(self, known: set[str]) -> list[Path]:
        """Files whose type is not generated (renamed or removed types, typos), including
        files that failed to parse."""
        if self.directory is None or not self.directory.exists():
            return []
        return sorted(p for p in self.directory.glob("*.yaml") if p.stem not in known)


def load_override_files(directory: Path | None) -> OverrideFiles:
    if directory is None or not directory.exists():
        return OverrideFiles(directory, {})
    collector = ProblemCollector()
    files = {}
    for path in sorted(directory.glob("*.yaml")):
        parsed = collector.run(parse_override_file, path)
        if parsed is not None:
            files[parsed.name] = parsed
    return OverrideFiles(directory, files, tuple(collector.problems))


def load_override(directory: Path, kind: str, type_name: str) -> OverrideFile | None:
    path = override_path(directory, kind, type_name)
    if not path.exists():
        return None
    return parse_override_file(path)


def stray_override_files(directory: Path, known: set[str]) -> list[Path]:
    """Override files whose type is not generated (renamed or removed types, typos)."""
    return OverrideFiles(directory, {}).stray(known)


class _Merger:
    """Merges one file into a model. Each entry (attribute, block, rule, computed property,
    example) is checked on its own, so one run reports every broken entry of the file."""

    def __init__(self, file: OverrideFile, model: TypeModel) -> None:
        self.file = file
        self.model = model
        self.collector = ProblemCollector()

    def each(self, step: Callable[..., Any], *args: Any) -> None:
        self.collector.run(step, *args)

    def fail(self, key: str, message: str) -> GeneratorError:
        return GeneratorError(f"{self.file.path}: {key}: {message}")

    def keys(self, mapping: Any, allowed: set[str], key: str) -> dict[str, Any]:
        if not isinstance(mapping, dict):
            raise self.fail(key, "expected a mapping")
        unknown = sorted(set(map(str, mapping)) - allowed)
        if unknown:
            raise self.fail(key, f"unknown key(s) {', '.join(unknown)}; allowed: "
                                 f"{', '.join(sorted(allowed))}")
        return mapping

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str):
            raise self.fail(key, "expected a string")
        return value.strip()

    def merge(self) -> None:
        doc = self.file.doc
        self.each(self.keys, doc, _TOP_KEYS, "(top level)")
        self.each(self.prose, doc)
        self.struct(self.model.struct, doc, "")
        if "computed" in doc:
            self.each(self.computed, doc["computed"])
        if "examples" in doc:
            self.each(self.examples, doc["examples"])
        self.collector.raise_if_any()

    def prose(self, doc: dict[str, Any]) -> None:
        model = self.model
        if "summary" in doc:
            model.summary = self.text(doc["summary"], "summary")
        if "description" in doc:
            model.description = self.text(doc["description"], "description")
        if "sources" in doc:
            sources = doc["sources"]
            if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
                raise self.fail("sources", "expected a list of URLs")
            model.sources = list(sources)

    def struct(self, struct: Struct, doc: dict[str, Any], key: str) -> None:
        prefix = f"{key}." if key else ""
        usable = set()
        for section, kind in (("attributes", dict), ("blocks", dict), ("rules", list)):
            if isinstance(doc.get(section) or kind(), kind):
                usable.add(section)
            else:
                expected = "a list of rules" if kind is list else "a mapping of name -> settings"
                self.collector.add(self.fail(f"{prefix}{section}", f"expected {expected}"))
        if "attributes" in usable:
            for name, body in (doc.get("attributes") or {}).items():
                self.each(self.attribute_entry, struct, str(name), body,
                          f"{prefix}attributes.{name}")
        if "blocks" in usable:
            for name, body in (doc.get("blocks") or {}).items():
                self.each(self.block_entry, struct, str(name), body, f"{prefix}blocks.{name}")
        if "rules" in usable:
            for i, rule in enumerate(doc.get("rules") or []):
                self.each(self.rule_entry, struct, rule, f"{prefix}rules[{i}]")

    def attribute_entry(self, struct: Struct, name: str, body: Any, where: str) -> None:
        attr = struct.attribute(name)
        if attr is None:
            raise self.fail(where, self.missing("attribute", name, struct))
        self.attribute(struct, attr, self.keys(body, _ATTR_KEYS, where), where)

    def block_entry(self, struct: Struct, name: str, body: Any, where: str) -> None:
        block = struct.block(name)
        if block is None:
            raise self.fail(where, self.missing("block", name, struct))
        body = self.keys(body, _BLOCK_KEYS, where)
        if "description" in body:
            block.description = self.text(body["description"], f"{where}.description")
        self.struct(block.struct, body, where)

    def rule_entry(self, struct: Struct, rule: Any, where: str) -> None:
        struct.rules.append(self.rule(struct, rule, where))

    def missing(self, what: str, name: str, struct: Struct) -> str:
        where = f" in block {struct.path}" if struct.path else ""
        names = [a.tf_name for a in struct.attributes] if what == "attribute" else [
            b.tf_name for b in struct.blocks]
        close = difflib.get_close_matches(name, names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return (f"{self.model.type_name} has no {what} {name!r}{where} in the pinned provider "
                f"schema (stale override after a provider bump?){hint}")

    def attribute(self, struct: Struct, attr: Attribute, body: dict[str, Any], where: str) -> None:
        if not attr.is_input and set(body) & {*validation.ATTRIBUTE_RULE_KEYS, "default",
                                               "default_emitted"}:
            raise self.fail(where, "is computed-only: it takes no input rules or default")
        source = body.get("source")
        for rule_kind in validation.ATTRIBUTE_KINDS:  # the registry: one class per kind
            if any(key in body for key in rule_kind.keys):
                rule = rule_kind.parse(attr, body, where, _RuleInput(self, struct))
                if rule is not None:
                    struct.rules.append(RuleSpec(rule, source if isinstance(source, str) else ""))
                    attr.constraints.append(rule.constraint(attr))
        if "default" in body:
            if not fits(body["default"], attr.type):
                raise self.fail(f"{where}.default", f"expected {attr.type.describe()} "
                                                    f"(got {body['default']!r})")
            attr.default = body["default"]
            attr.has_default = True
            emitted = body.get("default_emitted", False)
            if not isinstance(emitted, bool):
                raise self.fail(f"{where}.default_emitted", "expected true or false")
            attr.default_emitted = emitted
        elif "default_emitted" in body:
            raise self.fail(f"{where}.default_emitted", "given without a default")
        for key in ("description", "notes", "source"):
            if key in body:
                setattr(attr, key, self.text(body[key], f"{where}.{key}"))

    def rule(self, struct: Struct, entry: Any, where: str) -> RuleSpec:
        """One entry of a ``rules:`` list, parsed by its kind in the registry."""
        if not isinstance(entry, dict):
            raise self.fail(where, "expected a mapping")
        known = validation.RULE_KINDS
        kinds = [k for k in known if k in entry]
        if len(kinds) != 1:
            options = {o for kind in known.values() for o in (*kind.options, *kind.common_options)}
            unknown = sorted(str(k) for k in entry if k not in known and k not in options)
            if not kinds and unknown:
                close = difflib.get_close_matches(unknown[0], list(known), n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                raise self.fail(where, f"unknown rule kind {unknown[0]!r}{hint} (kinds: "
                                       + ", ".join(known) + ")")
            raise self.fail(where, "a rule has exactly one of " + ", ".join(known))
        kind = known[kinds[0]]
        self.keys(entry, {kind.key, *kind.options, *kind.common_options}, where)
        source = self.text(entry["source"], f"{where}.source") if "source" in entry else ""
        return RuleSpec(kind.parse(entry, where, _RuleInput(self, struct)), source)

    def names(self, struct: Struct, value: Any, where: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.fail(where, "expected a list of attribute names")
        for name in value:
            attr = struct.attribute(name)
            if attr is None and struct.block(name) is None:
                raise self.fail(where, self.missing("attribute", name, struct))
            if attr is not None and not attr.is_input:
                raise self.fail(where, f"{name} is computed-only; rules apply to arguments")
        return tuple(value)

    def computed(self, body: Any) -> None:
        if not isinstance(body, dict):
            raise self.fail("computed", "expected a mapping of property name -> definition")
        known = {a.tf_name for a in self.model.struct.attributes} | {
            b.tf_name for b in self.model.struct.blocks}
        for name, spec in body.items():
            self.each(self.computed_entry, known, name, spec)

    def computed_entry(self, known: set[str], name: Any, spec: Any) -> None:
        where = f"computed.{name}"
        spec = self.keys(spec, _COMPUTED_KEYS, where)
        if name in known:
            raise self.fail(where, "has the name of a schema attribute; choose another name")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", str(name)):
            raise self.fail(where, "property names are lowercase snake_case")
        kind = spec.get("type", "string")
        if kind not in _COMPUTED_TYPES:
            raise self.fail(f"{where}.type", f"expected one of {', '.join(sorted(_COMPUTED_TYPES))}")
        forms = [k for k in ("format", "expression") if k in spec]
        if len(forms) != 1:
            raise self.fail(where, "give exactly one of format or expression")
        text = self.text(spec[forms[0]], f"{where}.{forms[0]}")
        for placeholder in self.placeholders(text, f"{where}.{forms[0]}"):
            if placeholder not in known:
                raise self.fail(f"{where}.{forms[0]}",
                                f"{{{placeholder}}} is not an attribute of {self.model.type_name}")
        if forms[0] == "format" and kind != "string":
            raise self.fail(where, "a format always makes a string")
        self.model.computed.append(ComputedProperty(
            name=str(name), kind=kind,
            format=text if forms[0] == "format" else None,
            expression=text if forms[0] == "expression" else None,
            description=self.text(spec.get("description", ""), f"{where}.description")))

    def placeholders(self, text: str, where: str) -> list[str]:
        """The ``{name}`` fields of a computed template, parsed as the runtime will format it:
        only bare attribute names; literal braces are written ``{{`` and ``}}``."""
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError as exc:
            raise self.fail(where, f"not a valid template ({exc}); write literal braces as "
                                   "{{ and }}") from None
        names = []
        for _, field, spec, conversion in parsed:
            if field is None:
                continue
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", field) or spec or conversion:
                shown = "{" + field + (f"!{conversion}" if conversion else "") + (
                    f":{spec}" if spec else "") + "}"
                raise self.fail(where, f"{shown} is not a bare attribute name; placeholders are "
                                       "{name}, and literal braces are written {{ and }}")
            names.append(field)
        return names

    def examples(self, body: Any) -> None:
        if not isinstance(body, list):
            raise self.fail("examples", "expected a list")
        for i, item in enumerate(body):
            self.each(self.example_entry, i, item)

    def example_entry(self, i: int, item: Any) -> None:
        where = f"examples[{i}]"
        item = self.keys(item, _EXAMPLE_KEYS, where)
        if "title" not in item or "code" not in item:
            raise self.fail(where, "an example needs a title and code")
        code = self.text(item["code"], f"{where}.code") + "\n"
        try:
            compile(code, f"{self.file.path}:{where}", "exec")
        except SyntaxError as exc:
            raise self.fail(f"{where}.code", f"not valid Python: {exc.msg} (line {exc.lineno})") from None
        self.model.examples.append(Example(
            title=self.text(item["title"], f"{where}.title"), code=code,
            description=self.text(item.get("description", ""), f"{where}.description")))


def fits(value: Any, tf_type: TfType) -> bool:
    """Whether a literal from an override file is a value of the attribute's type."""
    kind = tf_type.kind
    if kind == "string":
        return isinstance(value, str)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("list", "set"):
        return isinstance(value, list) and all(fits(v, tf_type.elem) for v in value)
    if kind == "map":
        return isinstance(value, dict) and all(fits(v, tf_type.elem) for v in value.values())
    return kind == "dynamic"


class _RuleInput:
    """What a rule kind's ``parse`` needs from the loader (pangea.validation.RuleInput)."""

    def __init__(self, merger: _Merger, struct: Struct) -> None:
        self.merger, self.struct = merger, struct

    def fail(self, key: str, message: str) -> GeneratorError:
        return self.merger.fail(key, message)

    def text(self, value: Any, key: str) -> str:
        return self.merger.text(value, key)

    def names(self, value: Any, key: str) -> tuple[str, ...]:
        return self.merger.names(self.struct, value, key)

    def default_of(self, name: str) -> tuple[bool, Any]:
        attr = self.struct.attribute(name)
        return (True, attr.default) if attr is not None and attr.has_default else (False, None)

    def fits(self, value: Any, tf_type: Any) -> bool:
        return fits(value, tf_type)

    def table(self, value: Any, key: str) -> dict[str, Any]:
        """A YAML data file a rule reads (``arn_of_types: tables/x.yaml``): a path relative to
        the override file's directory, which it may not leave."""
        name = self.merger.text(value, key)
        base = self.merger.file.path.parent.resolve()
        path = (base / name).resolve()
        if not path.is_relative_to(base) or path.suffix != ".yaml":
            raise self.fail(key, f"{name!r} must name a .yaml file inside {base.name}/")
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
        except _DuplicateKey as exc:
            raise self.fail(key, f"{name}: {exc}") from None
        except yaml.YAMLError as exc:
            raise self.fail(key, f"{name}: not valid YAML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise self.fail(key, f"cannot read {name}: {exc}") from None
        if not isinstance(doc, dict):
            raise self.fail(key, f"{name}: expected a mapping at the top level")
        return doc


def merge_override(model: TypeModel, file: OverrideFile) -> None:
    """Merge ``file`` into ``model``; raises GeneratorProblems listing every broken entry."""
    _Merger(file, model).merge()
