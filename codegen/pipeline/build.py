"""Provider schema -> intermediate model (names, types, blocks, shapes)."""

from __future__ import annotations

from typing import Any, Mapping

from codegen import naming
from codegen.errors import GeneratorError
from codegen.model import Attribute, Block, RuleSpec, Struct, TfType, TypeModel
from codegen.inputs.shapes import ShapeLock
from pangea import schema_doc, validation
from pangea.schema_doc import BlockType, NestedType, TypeSchema


class _Names:
    """Unique class-name stems within one module (block paths can collide when joined)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def claim(self, stem: str) -> str:
        name, n = stem, 2
        while name in self.used:
            name = f"{stem}{n}"
            n += 1
        self.used.add(name)
        return name


class _Builder:
    def __init__(self, kind: str, type_name: str, lock: ShapeLock) -> None:
        self.kind = kind
        self.type_name = type_name
        self.lock = lock
        self.names = _Names()
        self.base = naming.type_class_base(type_name, data_source=kind == "data")

    def struct(self, path: tuple[str, ...], *, top: bool = False, is_object: bool = False) -> Struct:
        if top:
            stem = self.names.claim(self.base)
            return Struct(model_name=stem + "Args", ref_name=stem + "Ref", dict_name=stem + "Dict",
                          path="")
        stem = self.names.claim(self.base + "".join(naming.camel(p) for p in path))
        return Struct(model_name=stem, ref_name=stem + "Ref", dict_name=stem + "Dict",
                      path=".".join(path), is_object_type=is_object)

    def parse_type(self, cty: Any, path: tuple[str, ...]) -> TfType:
        if isinstance(cty, str):
            if cty not in ("string", "number", "bool", "dynamic"):
                raise GeneratorError(f"{self.type_name}.{'.'.join(path)}: unknown type {cty!r}")
            return TfType(cty)
        if not isinstance(cty, list) or not cty:
            raise GeneratorError(f"{self.type_name}.{'.'.join(path)}: malformed type {cty!r}")
        head = cty[0]
        if head in ("list", "set", "map"):
            return TfType(head, element=self.parse_type(cty[1], path))
        if head == "tuple":
            return TfType("tuple", items=tuple(self.parse_type(t, path) for t in cty[1]))
        if head == "object":
            optional = set(cty[2]) if len(cty) > 2 else set()
            struct = self.struct(path, is_object=True)
            for name in sorted(cty[1]):
                struct.attributes.append(Attribute(
                    tf_name=name, py_name=naming.python_name(name),
                    type=self.parse_type(cty[1][name], path + (name,)),
                    required=name not in optional, optional=name in optional))
            return TfType("object", struct=struct)
        raise GeneratorError(f"{self.type_name}.{'.'.join(path)}: unknown type {cty!r}")

    def nested_type(self, nested: NestedType, path: tuple[str, ...]) -> tuple[TfType, str]:
        mode = nested.nesting_mode
        struct = self.struct(path, is_object=True)
        self.fill(struct, nested.block, path)
        obj = TfType("object", struct=struct)
        if mode == "single":
            return obj, mode
        if mode in ("list", "set", "map"):
            return TfType(mode, element=obj), mode
        raise GeneratorError(f"{self.type_name}.{'.'.join(path)}: unknown nesting_mode {mode!r}")

    def attribute(self, spec: schema_doc.Attribute, path: tuple[str, ...]) -> Attribute:
        here = path + (spec.name,)
        nested_mode = None
        if spec.nested is not None:
            tf_type, nested_mode = self.nested_type(spec.nested, here)
        elif spec.type is not None:
            tf_type = self.parse_type(spec.type, here)
        else:
            raise GeneratorError(f"{self.type_name}.{'.'.join(here)}: attribute has no type")
        return Attribute(
            tf_name=spec.name, py_name=naming.python_name(spec.name), type=tf_type,
            required=spec.required, optional=spec.optional, computed=spec.computed,
            sensitive=spec.sensitive, write_only=spec.write_only, deprecated=spec.deprecated,
            description=spec.description, nested_mode=nested_mode)

    def block(self, spec: BlockType, path: tuple[str, ...]) -> Block:
        here = path + (spec.name,)
        mode = spec.nesting_mode
        if mode not in ("single", "group", "list", "set", "map"):
            raise GeneratorError(f"{self.type_name}.{'.'.join(here)}: unknown nesting_mode {mode!r}")
        if mode in ("single", "group"):
            shape = "object"
        elif mode == "map":
            shape = "map"
        else:
            key = f"{self.kind}.{self.type_name}.{'.'.join(here)}"
            decided = self.lock.decide(key, spec.max_items)
            shape = "single" if decided == "single" else mode
        struct = self.struct(here)
        self.fill(struct, spec.block, here)
        struct.description = spec.block.description
        if spec.name == "timeouts":
            describe_timeouts(struct)
        return Block(tf_name=spec.name, py_name=naming.python_name(spec.name), mode=mode,
                     min_items=spec.min_items, max_items=spec.max_items, shape=shape,
                     struct=struct, deprecated=spec.block.deprecated,
                     description=struct.description)

    def fill(self, struct: Struct, block: schema_doc.Block, path: tuple[str, ...]) -> None:
        for name in sorted(block.attributes):
            struct.attributes.append(self.attribute(block.attributes[name], path))
        for name in sorted(block.block_types):
            blk = self.block(block.block_types[name], path)
            struct.blocks.append(blk)
            if blk.shape in ("list", "set") and (blk.min_items or blk.max_items):
                struct.rules.append(RuleSpec(validation.Length(
                    name, min=blk.min_items or None, max=blk.max_items or None)))
        _check_unique_python_names(self.type_name, struct)


def _check_unique_python_names(type_name: str, struct: Struct) -> None:
    seen: dict[str, str] = {}
    items: list[Attribute | Block] = [*struct.attributes, *struct.blocks]
    for item in items:
        other = seen.get(item.py_name)
        if other is not None:
            raise GeneratorError(
                f"{type_name}: {item.tf_name!r} and {other!r} both map to the Python name "
                f"{item.py_name!r}; extend codegen.naming.python_name")
        seen[item.py_name] = item.tf_name


# Terraform's timeouts block: the same meaning in every provider, rarely described by schemas
TIMEOUTS = "How long Terraform waits for each operation before it gives up."
TIMEOUT_OPERATIONS = ("create", "read", "update", "delete")


def describe_timeouts(struct: Struct) -> None:
    """Describe a ``timeouts`` block and its operations where the schema does not."""
    struct.description = struct.description or TIMEOUTS
    for attr in struct.attributes:
        if (attr.tf_name in TIMEOUT_OPERATIONS and not attr.description
                and attr.type.kind == "string"):
            attr.description = (f"How long to wait for the {attr.tf_name} operation, a duration "
                                'such as "30s", "10m" or "2h"; the provider\'s own default '
                                "when unset.")


# Attributes of a resource that the provider sets itself although its schema lists them as
# optional (the SDK's implicit id; tags plus the provider's default_tags). Terraform accepts a
# value, so the runtime takes one with a warning; stubs and docs do not offer them as arguments.
PROVIDER_MANAGED = ("id", "tags_all")


def mark_provider_managed(kind: str, struct: Struct) -> None:
    """Flag the provider-managed attributes of a resource (data sources use ``id`` as a real
    lookup argument, so theirs stay arguments)."""
    if kind != "resource":
        return
    for attr in struct.attributes:
        if attr.tf_name in PROVIDER_MANAGED and attr.optional and attr.computed:
            attr.managed = True


def build_type(kind: str, type_name: str, schema: Mapping[str, Any] | TypeSchema,
               lock: ShapeLock) -> TypeModel:
    """The model of one type, from its parsed schema (or a raw ``{"version", "block"}``)."""
    if not isinstance(schema, TypeSchema):
        schema = TypeSchema(kind, type_name, int(schema.get("version") or 0),
                            schema_doc.parse_block(schema["block"]))
    builder = _Builder(kind, type_name, lock)
    block = schema.block
    top = builder.struct((), top=True)
    builder.fill(top, block, ())
    top.description = block.description
    mark_provider_managed(kind, top)
    is_data = kind == "data"
    return TypeModel(
        kind=kind, type_name=type_name,
        function_name=naming.function_name(type_name, data_source=is_data),
        module=naming.module_name(type_name, data_source=is_data),
        struct=top, schema_version=schema.version,
        description=top.description, deprecated=block.deprecated)
