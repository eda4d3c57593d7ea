"""A minimal, valid call for any type, built from its model.

Used for the docs page of a type that has no hand-written example, and by the whole-provider
stress test. Values respect the override rules (enum, range, length); a string constrained by
a pattern becomes a Terraform variable, since a regular expression cannot be inverted here.
"""

from __future__ import annotations

from typing import Any

from codegen.model import Block, Struct, TfType, TypeModel


class _Var:
    """A placeholder rendered as a variable reference in example code."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"variable({self.name!r})"


def _rules(struct: Struct, name: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for rule in struct.rules:
        if rule.args and rule.args[0] == name:
            found[rule.kind] = dict(rule.kwargs) | {"args": rule.args}
    return found


def _value(tf_type: TfType, rules: dict[str, Any], label: str) -> Any:
    if "OneOf" in rules:
        allowed = rules["OneOf"]["args"][1]
        return allowed[0] if tf_type.kind != "list" and tf_type.kind != "set" else [allowed[0]]
    if "Pattern" in rules and tf_type.kind == "string":
        return _Var(label)
    kind = tf_type.kind
    if kind == "string":
        length = rules.get("Length", {})
        size = max(length.get("min") or 0, 7)
        if length.get("max"):
            size = min(size, length["max"])
        return ("example" + "x" * size)[:size]
    if kind == "number":
        low = rules.get("Range", {}).get("min")
        return low if low is not None else 1
    if kind == "bool":
        return True
    if kind == "dynamic":
        return "example"
    if kind in ("list", "set"):
        return [_value(tf_type.elem, {}, label)]
    if kind == "map":
        return {"key": _value(tf_type.elem, {}, label)}
    if kind == "tuple":
        return [_value(item, {}, label) for item in tf_type.items]
    return _struct_value(tf_type.obj, label)


def _required_by_rules(struct: Struct) -> set[str]:
    """Names an override rule requires when nothing else is set (``requires`` with no
    condition, or with ``unless_set``), and the first name of each ``exactly_one_of`` or
    ``at_least_one_of``."""
    names: set[str] = set()
    for rule in struct.rules:
        options = dict(rule.kwargs)
        if rule.kind == "Conditional" and not options.get("forbid") and not (
                options.get("when_set") or options.get("when_equals")):
            names.update(rule.args[0])
        elif rule.kind in ("ExactlyOneOf", "AtLeastOneOf"):
            names.add(rule.args[0][0])
    return names


def _struct_value(struct: Struct, label: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    required = _required_by_rules(struct)
    for attr in struct.inputs():
        if attr.required or attr.tf_name in required:
            out[attr.tf_name] = _value(attr.type, _rules(struct, attr.tf_name),
                                       f"{label}_{attr.tf_name}")
    for block in struct.blocks:
        if block.required or block.tf_name in required:
            out[block.tf_name] = _block_value(block, f"{label}_{block.tf_name}")
    for name in _required_by_values(struct, out):
        found_attr, found_block = struct.attribute(name), struct.block(name)
        if found_attr is not None:
            out[name] = _value(found_attr.type, _rules(struct, name), f"{label}_{name}")
        elif found_block is not None:
            out[name] = _block_value(found_block, f"{label}_{name}")
    return out


def _required_by_values(struct: Struct, values: dict[str, Any]) -> list[str]:
    """Names a ``requires ... when_equals`` rule asks for, given the values chosen so far."""
    names = []
    for rule in struct.rules:
        options = dict(rule.kwargs)
        equals = options.get("when_equals")
        defaults = dict(options.get("defaults") or ())  # an omitted attribute takes its default
        if rule.kind == "Conditional" and equals and not options.get("forbid") and all(
                values.get(k, defaults.get(k)) == v for k, v in equals):
            names += [n for n in rule.args[0] if n not in values]
    return names


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
