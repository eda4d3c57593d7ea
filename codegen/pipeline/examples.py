"""A minimal, valid call for any type, built from its model.

Used for the docs page of a type that has no hand-written example, and by the whole-provider
stress test. Values respect the override rules (enum, range, length); a string constrained by
a pattern becomes a Terraform variable, since a regular expression cannot be inverted here.
"""

from __future__ import annotations

from typing import Any

from codegen.model import Block, Struct, TfType, TypeModel
from pangea import validation


class _Var:
    """A placeholder rendered as a variable reference in example code."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"variable({self.name!r})"


def _rules(struct: Struct, name: str) -> list[validation.AttributeRule]:
    """The rules on one attribute, the one whose example value wins first."""
    found = [spec.rule for spec in struct.rules
             if isinstance(spec.rule, validation.AttributeRule) and spec.rule.attr == name]
    return sorted(found, key=lambda rule: rule.example_rank)


def _value(tf_type: TfType, rules: list[validation.AttributeRule], label: str) -> Any:
    kind = tf_type.kind
    item_kind = tf_type.elem.kind if kind in ("list", "set") else kind
    for rule in rules:
        if kind != item_kind and not rule.per_item:
            continue  # e.g. a length of a list counts items, not characters of one
        proposed = rule.example(item_kind)
        if proposed is validation.VARIABLE:
            return _Var(label) if kind == item_kind else [_Var(label)]
        if proposed is not None:
            return proposed if kind == item_kind else [proposed]
    if kind == "string":
        return "example"
    if kind == "number":
        return 1
    if kind == "bool":
        return True
    if kind == "dynamic":
        return "example"
    if kind in ("list", "set"):
        return [_value(tf_type.elem, [], label)]
    if kind == "map":
        return {"key": _value(tf_type.elem, [], label)}
    if kind == "tuple":
        return [_value(item, [], label) for item in tf_type.items]
    return _struct_value(tf_type.obj, label)


def _cross_rules(struct: Struct) -> list[validation.CrossRule]:
    return [spec.rule for spec in struct.rules if isinstance(spec.rule, validation.CrossRule)]


def _struct_value(struct: Struct, label: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    rules = _cross_rules(struct)
    required = {name for rule in rules for name in rule.example_needs()}
    for attr in struct.inputs():
        if attr.required or attr.tf_name in required:
            out[attr.tf_name] = _value(attr.type, _rules(struct, attr.tf_name),
                                       f"{label}_{attr.tf_name}")
    for block in struct.blocks:
        if block.required or block.tf_name in required:
            out[block.tf_name] = _block_value(block, f"{label}_{block.tf_name}")
    for name in [n for rule in rules for n in rule.example_needs_given(out)]:
        found_attr, found_block = struct.attribute(name), struct.block(name)
        if found_attr is not None:
            out[name] = _value(found_attr.type, _rules(struct, name), f"{label}_{name}")
        elif found_block is not None:
            out[name] = _block_value(found_block, f"{label}_{name}")
    return out


def _block_value(block: Block, label: str) -> Any:
    one = _struct_value(block.struct, label)
    if block.shape in ("object", "single"):
        return one
    if block.shape == "map":
        return {"example": one}
    return [one] * max(block.min_items, 1)


def required_arguments(model: TypeModel) -> dict[str, Any]:
    """Keyword arguments (Python names) that satisfy the schema's requirements."""
    values = _struct_value(model.struct, model.type_name)
    py = {a.tf_name: a.py_name for a in model.struct.attributes}
    py.update({b.tf_name: b.py_name for b in model.struct.blocks})
    return {py[k]: v for k, v in values.items()}


def _uses_variables(value: Any) -> bool:
    if isinstance(value, _Var):
        return True
    if isinstance(value, dict):
        return any(_uses_variables(v) for v in value.values())
    if isinstance(value, list):
        return any(_uses_variables(v) for v in value)
    return False


def example_code(model: TypeModel) -> str:
    """A complete template file declaring one instance of the type with required arguments."""
    kwargs = required_arguments(model)
    args = "".join(f"        {k}={v!r},\n" for k, v in kwargs.items())
    imports = "template, variable" if _uses_variables(kwargs) else "template"
    call = f'    {model.function_name}(\n        "example",\n{args}    )\n' if args else (
        f'    {model.function_name}("example")\n')
    return (f"from pangea import {imports}\nfrom {model.package} import {model.function_name}\n\n\n"
            f'@template("{model.function_name}_example")\ndef {model.function_name}_example():\n'
            f"{call}")
