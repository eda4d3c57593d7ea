"""Type mapping and every nesting mode, on a small hand-written schema: build the model, emit
the module, import it, and use it inside a template."""

from __future__ import annotations

import ast
import re
import warnings
from typing import Any

import pytest

from pangea import PangeaDeprecationWarning, PangeaWarning, ValidationError, tf, variable

BLOCK: dict[str, Any] = {
    "attributes": {
        "id": {"type": "string", "optional": True, "computed": True},
        "arn": {"type": "string", "computed": True},
        "name": {"type": "string", "required": True},
        "size": {"type": "number", "optional": True},
        "enabled": {"type": "bool", "optional": True},
        "zones": {"type": ["list", "string"], "optional": True},
        "ids": {"type": ["set", "string"], "optional": True},
        "tags": {"type": ["map", "string"], "optional": True},
        "matrix": {"type": ["list", ["list", "number"]], "optional": True},
        "endpoint": {"type": ["object", {"address": "string", "port": "number"}], "optional": True},
        "loose": {"type": ["object", {"a": "string", "b": "number"}, ["b"]], "optional": True},
        "pair": {"type": ["tuple", ["string", "number"]], "optional": True},
        "anything": {"type": "dynamic", "optional": True},
        "secret": {"type": "string", "optional": True, "sensitive": True},
        "password_wo": {"type": "string", "optional": True, "write_only": True, "sensitive": True},
        "old_flag": {"type": "bool", "optional": True, "deprecated": True,
                     "description": "Use enabled instead."},
        "members": {"type": ["list", "string"], "computed": True},
        "endpoints": {"type": ["list", ["object", {"address": "string"}]], "computed": True},
        "and": {"type": "string", "optional": True},
        "from": {"type": "number", "optional": True},
        "lambda": {"type": "bool", "optional": True},
        "self": {"type": "string", "optional": True},
        "json": {"type": "string", "optional": True},
        "schema": {"type": "string", "optional": True},
        "fields": {"type": ["list", "string"], "optional": True},
        "one": {"nested_type": {"nesting_mode": "single", "attributes": {
            "x": {"type": "string", "required": True}, "y": {"type": "number", "optional": True}}},
            "optional": True},
        "many": {"nested_type": {"nesting_mode": "list", "attributes": {
            "x": {"type": "string", "required": True}}}, "optional": True},
        "uniq": {"nested_type": {"nesting_mode": "set", "attributes": {
            "x": {"type": "string", "required": True}}}, "optional": True},
        "named": {"nested_type": {"nesting_mode": "map", "attributes": {
            "x": {"type": "string", "required": True}}}, "optional": True},
    },
    "block_types": {
        "single_b": {"nesting_mode": "single", "block": {"attributes": {
            "v": {"type": "string", "required": True}, "out": {"type": "string", "computed": True}}}},
        "group_b": {"nesting_mode": "group", "block": {"attributes": {
            "v": {"type": "string", "optional": True}}}},
        "list_b": {"nesting_mode": "list", "min_items": 1, "max_items": 3, "block": {
            "attributes": {"v": {"type": "string", "required": True}},
            "block_types": {"inner": {"nesting_mode": "list", "max_items": 1, "block": {
                "attributes": {"w": {"type": "number", "optional": True}}}}}}},
        "set_b": {"nesting_mode": "set", "block": {"attributes": {
            "v": {"type": "string", "required": True}}}},
        "one_b": {"nesting_mode": "list", "max_items": 1, "block": {"attributes": {
            "v": {"type": "string", "optional": True}}}},
        "map_b": {"nesting_mode": "map", "block": {"attributes": {
            "v": {"type": "string", "required": True}}}},
        "old_block": {"nesting_mode": "list", "block": {"deprecated": True, "attributes": {
            "v": {"type": "string", "optional": True}}}},
    },
}
T = "aws_test_thing"
REQUIRED = {"name": "n", "list_b": [{"v": "a"}]}


@pytest.fixture
def mod(generated_module):
    return generated_module(BLOCK, T)


@pytest.fixture
def body(mod, run_template):
    """Declare one resource with the given arguments; return its JSON body."""

    def declare(**kwargs: Any) -> dict[str, Any]:
        args = {**REQUIRED, **kwargs}
        config = run_template(lambda: getattr(mod, T)("x", **args))
        return config["resource"][T]["x"]

    return declare


def problems_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return dict(excinfo.value.problems)


# -- the emitted text ---------------------------------------------------------------------

def test_module_and_stub_are_valid_python(emit_sources) -> None:
    py, pyi, _ = emit_sources(BLOCK, T)
    ast.parse(py)
    ast.parse(pyi)


def test_stub_keyword_parameters_cover_exactly_the_inputs(emit_sources) -> None:
    _, pyi, _ = emit_sources(BLOCK, T)
    tree = ast.parse(pyi)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == T]
    assert len(functions) == 1  # one signature, so checkers name the argument in error messages
    kwargs = functions[0].args.kwonlyargs
    names = {a.arg for a in kwargs} - {"depends_on", "count", "for_each", "provider", "lifecycle"}
    expected = {"name", "size", "enabled", "zones", "ids", "tags", "matrix", "endpoint",
                "loose", "pair", "anything", "secret", "password_wo", "old_flag", "and_",
                "from_", "lambda_", "self_", "json_", "schema_", "fields_", "one", "many",
                "uniq", "named", "single_b", "group_b", "list_b", "set_b", "one_b", "map_b",
                "old_block"}
    # no computed-only attribute (arn, members, endpoints), no provider-managed one (id)
    assert names == expected
    # every keyword may be left out (the arguments may come as a dict); required ones refuse None
    assert all(d is not None for d in functions[0].args.kw_defaults)
    required = {a.arg for a in kwargs if "None" not in ast.unparse(a.annotation)}
    assert required == {"name", "list_b"}


# -- primitives -------------------------------------------------------------------------

def test_primitive_literals(body) -> None:
    out = body(size=3, enabled=False)
    assert out["name"] == "n" and out["size"] == 3 and out["enabled"] is False
    assert body(size=2.5)["size"] == 2.5


@pytest.mark.parametrize("field, value, expected", [
    ("size", "5", "a number"), ("size", True, "a number"), ("enabled", 1, "a bool"),
    ("enabled", "true", "a bool"), ("name", 5, "a string"), ("zones", "a", "a list of string"),
    ("tags", ["x"], "a map of string"),
])
def test_wrong_literal_types_are_refused(body, field, value, expected) -> None:
    with pytest.raises(ValidationError) as excinfo:
        body(**{field: value})
    message = problems_of(excinfo)[field]
    assert f"must be {expected}" in message and repr(value) in message


def test_expressions_are_accepted_for_every_primitive(body, mod, run_template) -> None:
    def tpl() -> None:
        count = variable("n", type="number")
        flag = variable("f", type=bool)
        getattr(mod, T)("x", name=tf("upper(var.s)"), size=count, enabled=flag, list_b=[{"v": "a"}])
        getattr(mod, T)("y", name="n", size="${var.n + 1}", enabled="${var.f}",
                        list_b=[{"v": "a"}])

    res = run_template(tpl)["resource"][T]
    assert res["x"]["name"] == "${upper(var.s)}"
    assert res["x"]["size"] == "${var.n}" and res["x"]["enabled"] == "${var.f}"
    assert res["y"]["size"] == "${var.n + 1}" and res["y"]["enabled"] == "${var.f}"


def test_a_plain_string_is_not_an_expression_for_a_number(body) -> None:
    with pytest.raises(ValidationError) as excinfo:
        body(size="var.n")
    assert "size" in problems_of(excinfo)


# -- collections, objects, tuples, dynamic ----------------------------------------------

def test_collections(body) -> None:
    out = body(zones=["b", "a"], ids={"z", "y"}, tags={"k": "v"}, matrix=[[1, 2], [3]])
    assert out["zones"] == ["b", "a"]  # lists keep their order
    assert out["ids"] == ["y", "z"]  # a Python set is sorted (deterministic output)
    assert out["tags"] == {"k": "v"}
    assert out["matrix"] == [[1, 2], [3]]
    assert body(ids=["z", "y"])["ids"] == ["z", "y"]  # a list for a set keeps the given order


def test_collection_elements_are_type_checked(body) -> None:
    with pytest.raises(ValidationError) as excinfo:
        body(matrix=[[1, "two"]])
    assert "matrix" in next(iter(problems_of(excinfo)))


def test_collection_elements_may_be_expressions(body) -> None:
    out = body(zones=["a", tf("var.z")], tags={"k": tf("var.v")}, matrix=[tf("var.row")])
    assert out["zones"] == ["a", "${var.z}"]
    assert out["tags"] == {"k": "${var.v}"}
    assert out["matrix"] == ["${var.row}"]


def test_whole_collection_may_be_an_expression(body) -> None:
    out = body(zones=tf("var.zones"), tags="${var.tags}")
    assert out["zones"] == "${var.zones}" and out["tags"] == "${var.tags}"


def test_object_type_attributes(body) -> None:
    out = body(endpoint={"address": "h", "port": 1}, loose={"a": "x"})
    assert out["endpoint"] == {"address": "h", "port": 1}
    assert out["loose"] == {"a": "x"}  # optional object attribute b may be left out
    with pytest.raises(ValidationError) as excinfo:
        body(endpoint={"address": "h"})
    # the object was given: the problem is its missing attribute, not the object itself
    assert problems_of(excinfo) == {"endpoint.port": "is required (a number)"}
    with pytest.raises(ValidationError) as excinfo:
        body(endpoint={"address": "h", "port": 1, "extra": 2})
    assert list(problems_of(excinfo)) == ["endpoint.extra"]


def test_tuple_and_dynamic(body) -> None:
    out = body(pair=("a", 1), anything={"free": ["form", 1, None]})
    assert out["pair"] == ["a", 1]
    assert out["anything"] == {"free": ["form", 1, None]}
    with pytest.raises(ValidationError):
        body(pair=(1, "a"))


# -- nested_type attributes ---------------------------------------------------------------

def test_nested_type_single_list_set_map(body) -> None:
    out = body(one={"x": "a"}, many=[{"x": "b"}, {"x": "c"}], uniq=[{"x": "d"}],
               named={"k": {"x": "e"}})
    assert out["one"] == {"x": "a"}
    assert out["many"] == [{"x": "b"}, {"x": "c"}]
    assert out["uniq"] == [{"x": "d"}]
    assert out["named"] == {"k": {"x": "e"}}


def test_nested_type_required_inner_attribute(body) -> None:
    with pytest.raises(ValidationError) as excinfo:
        body(many=[{"x": "b"}, {}])
    assert problems_of(excinfo) == {"many[1].x": "is required (a string)"}
    with pytest.raises(ValidationError) as excinfo:
        body(named={"k": {"y": 1}})
    assert any(re.fullmatch(r"named\[['\"]k['\"]\]\.(x|y)", p) for p in problems_of(excinfo)), \
        problems_of(excinfo)


# -- blocks --------------------------------------------------------------------------------

def test_single_and_group_blocks_take_one_dict(body) -> None:
    out = body(single_b={"v": "s"}, group_b={"v": "g"})
    assert out["single_b"] == {"v": "s"} and out["group_b"] == {"v": "g"}


def test_list_set_and_map_blocks(body) -> None:
    out = body(list_b=[{"v": "1"}, {"v": "2", "inner": {"w": 3}}], set_b=[{"v": "s"}],
               map_b={"label": {"v": "m"}})
    assert out["list_b"] == [{"v": "1"}, {"v": "2", "inner": {"w": 3}}]
    assert out["set_b"] == [{"v": "s"}]
    assert out["map_b"] == {"label": {"v": "m"}}


def test_list_block_limited_to_one_item_is_one_dict(body) -> None:
    assert body(one_b={"v": "o"})["one_b"] == {"v": "o"}
    with pytest.raises(ValidationError):
        body(one_b=[{"v": "o"}, {"v": "p"}])


def test_block_min_and_max_items(body, mod, run_template) -> None:
    with pytest.raises(ValidationError) as excinfo:
        run_template(lambda: getattr(mod, T)("x", name="n"))
    assert "is required" in problems_of(excinfo)["list_b"]
    with pytest.raises(ValidationError) as excinfo:
        body(list_b=[{"v": str(i)} for i in range(4)])
    assert "at most 3 items" in problems_of(excinfo)["list_b"]


def test_block_body_errors_carry_the_path(body) -> None:
    with pytest.raises(ValidationError) as excinfo:
        body(list_b=[{"v": "1"}, {"v": "2", "inner": {"w": "x"}}])
    assert "list_b[1].inner.w" in problems_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        body(map_b={"label": {}})
    assert any(re.fullmatch(r"map_b\[['\"]label['\"]\]\.v", p) for p in problems_of(excinfo)), \
        problems_of(excinfo)


def test_unknown_name_inside_a_block_is_reported_at_its_path(body) -> None:
    with pytest.raises(ValidationError) as excinfo:
        body(single_b={"v": "s", "vv": 1})
    (path, message), = excinfo.value.problems
    assert path == "single_b.vv" and "did you mean v" in message


def test_block_given_a_non_dict(body) -> None:
    with pytest.raises(ValidationError) as excinfo:
        body(single_b="s")
    assert "single_b" in problems_of(excinfo)


# -- required / computed / sensitive / write-only / deprecated ---------------------------

def test_missing_required_attribute(mod, run_template) -> None:
    with pytest.raises(ValidationError) as excinfo:
        run_template(lambda: getattr(mod, T)("x", list_b=[{"v": "a"}]))
    assert problems_of(excinfo) == {"name": "is required (a string)"}


@pytest.mark.parametrize("name", ["arn", "members", "endpoints"])
def test_computed_only_attributes_are_refused(body, name) -> None:
    with pytest.raises(ValidationError) as excinfo:
        body(**{name: "x"})
    assert "computed by the provider" in problems_of(excinfo)[name]


def test_computed_only_attribute_inside_a_block_is_refused(body) -> None:
    with pytest.raises(ValidationError) as excinfo:
        body(single_b={"v": "s", "out": "o"})
    (path, message), = excinfo.value.problems
    assert path == "single_b.out" and "computed by the provider" in message


def test_provider_managed_id_is_written_with_a_warning(body) -> None:
    # The schema lists id as optional, so Terraform accepts a value: written, with a warning
    # that names the attribute and the fix (stubs and docs do not offer it).
    with pytest.warns(PangeaWarning, match=r"(?s)aws_test_thing\.x: id: is the identifier the "
                                           r"provider assigns.*remove id="):
        assert body(id="abc")["id"] == "abc"


def test_no_managed_warning_when_id_is_not_given(body) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "id" not in body(size=1)


def test_sensitive_and_write_only_values_are_written_but_never_shown(body) -> None:
    out = body(secret="s3cr3t-value", password_wo="wo-value")
    assert out["secret"] == "s3cr3t-value" and out["password_wo"] == "wo-value"
    with pytest.raises(ValidationError) as excinfo:
        body(secret=12345678)
    assert "12345678" not in str(excinfo.value)
    assert "sensitive value hidden" in str(excinfo.value)


def test_deprecated_attribute_and_block_warn(body) -> None:
    with pytest.warns(PangeaDeprecationWarning, match=r"old_flag: is deprecated.*Use enabled"):
        assert body(old_flag=True)["old_flag"] is True
    with pytest.warns(PangeaDeprecationWarning, match="old_block: is deprecated"):
        body(old_block=[{"v": "x"}])


def test_no_warning_without_deprecated_arguments(body) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        body(enabled=True)


def test_unknown_argument_is_refused_with_a_suggestion(body) -> None:
    with pytest.raises(ValidationError) as excinfo:
        body(enabeld=True)
    assert "did you mean enabled" in problems_of(excinfo)["enabeld"]


# -- Python keywords and reserved names ----------------------------------------------------

KEYWORDS = {"and_": ("and", "a"), "from_": ("from", 1), "lambda_": ("lambda", True),
            "self_": ("self", "s"), "json_": ("json", "j"), "schema_": ("schema", "sc"),
            "fields_": ("fields", ["f"])}


def test_keyword_names_as_python_keywords(body) -> None:
    out = body(**{py: value for py, (_, value) in KEYWORDS.items()})
    for _, (tf_name, value) in KEYWORDS.items():
        assert out[tf_name] == value
    assert not any(k.endswith("_") for k in out)


def test_keyword_names_in_dict_style_use_terraform_names(mod, run_template) -> None:
    attrs = {**REQUIRED, **{tf_name: value for tf_name, value in KEYWORDS.values()}}
    dict_style = run_template(lambda: getattr(mod, T)("x", attrs))
    kw_style = run_template(lambda: getattr(mod, T)(
        "x", **REQUIRED, **{py: value for py, (_, value) in KEYWORDS.items()}))
    assert dict_style == kw_style


def test_keyword_names_as_references(mod, run_template) -> None:
    seen = {}

    def tpl() -> None:
        ref = getattr(mod, T)("x", **REQUIRED)
        seen.update({py: str(getattr(ref, py)) for py in KEYWORDS})

    run_template(tpl)
    assert seen == {py: f"${{{T}.x.{tf_name}}}" for py, (tf_name, _) in KEYWORDS.items()}


def test_keyword_name_error_uses_the_terraform_name(body) -> None:
    with pytest.raises(ValidationError) as excinfo:
        body(from_="one")
    assert "from" in problems_of(excinfo)


# -- references ------------------------------------------------------------------------------

def test_references_of_every_shape(mod, run_template) -> None:
    seen: dict[str, str] = {}

    def tpl() -> None:
        r = getattr(mod, T)("x", **REQUIRED)
        seen.update({
            "arn": str(r.arn), "size": str(r.size), "zone0": str(r.zones[0]),
            "id0": str(r.ids[0]), "tag": str(r.tags["k"]), "row": str(r.matrix[1][0]),
            "endpoint": str(r.endpoint.port), "pair": str(r.pair[1]),
            "any": str(r.anything.deep["key"]), "one": str(r.one.y), "many": str(r.many[2].x),
            "uniq": str(r.uniq[0].x), "named": str(r.named["k"].x),
            "single": str(r.single_b.out), "group": str(r.group_b.v),
            "list_b": str(r.list_b[1].inner.w), "set_b": str(r.set_b[0].v),
            "one_b": str(r.one_b.v), "map_b": str(r.map_b["lbl"].v),
            "computed_list": str(r.endpoints[0].address), "fstring": f"at {r.endpoint.address}",
        })

    run_template(tpl)
    p = f"{T}.x"
    assert seen == {
        "arn": f"${{{p}.arn}}", "size": f"${{{p}.size}}", "zone0": f"${{{p}.zones[0]}}",
        "id0": f"${{tolist({p}.ids)[0]}}", "tag": f'${{{p}.tags["k"]}}',
        "row": f"${{{p}.matrix[1][0]}}", "endpoint": f"${{{p}.endpoint.port}}",
        "pair": f"${{{p}.pair[1]}}", "any": f'${{{p}.anything.deep["key"]}}',
        "one": f"${{{p}.one.y}}", "many": f"${{{p}.many[2].x}}",
        "uniq": f"${{tolist({p}.uniq)[0].x}}", "named": f'${{{p}.named["k"].x}}',
        "single": f"${{{p}.single_b.out}}", "group": f"${{{p}.group_b.v}}",
        "list_b": f"${{{p}.list_b[1].inner[0].w}}", "set_b": f"${{tolist({p}.set_b)[0].v}}",
        "one_b": f"${{{p}.one_b[0].v}}", "map_b": f'${{{p}.map_b["lbl"].v}}',
        "computed_list": f"${{{p}.endpoints[0].address}}",
        "fstring": f"at ${{{p}.endpoint.address}}",
    }


def test_unknown_reference_attribute_names_valid_ones(mod, run_template) -> None:
    def tpl() -> None:
        r = getattr(mod, T)("x", **REQUIRED)
        with pytest.raises(AttributeError, match=r"Did you mean size\?.*Valid attributes: .*zones"):
            r.sizee  # noqa: B018
        with pytest.raises(AttributeError, match=r"Valid attributes: out, v"):
            r.single_b.nope  # noqa: B018

    run_template(tpl)


def test_references_as_arguments_of_another_resource(mod, run_template) -> None:
    def tpl() -> None:
        a = getattr(mod, T)("a", **REQUIRED)
        getattr(mod, T)("b", name=a.arn, size=a.endpoint.port, zones=a.members,
                        list_b=[{"v": a.list_b[0].v}], tags={"from": a.name})

    b = run_template(tpl)["resource"][T]["b"]
    assert b["name"] == f"${{{T}.a.arn}}"
    assert b["size"] == f"${{{T}.a.endpoint.port}}"
    assert b["zones"] == f"${{{T}.a.members}}"
    assert b["list_b"] == [{"v": f"${{{T}.a.list_b[0].v}}"}]
    assert b["tags"] == {"from": f"${{{T}.a.name}}"}


# -- data sources and the embedded schema --------------------------------------------------

def test_data_source_module(generated_module, run_template) -> None:
    block = {"attributes": {"name": {"type": "string", "required": True},
                            "arn": {"type": "string", "computed": True}}}
    mod = generated_module(block, "aws_test_lookup", kind="data")
    seen = {}

    def tpl() -> None:
        d = mod.data_aws_test_lookup("q", name="n")
        seen["arn"] = str(d.arn)

    config = run_template(tpl)
    assert config["data"]["aws_test_lookup"]["q"] == {"name": "n"}
    assert seen["arn"] == "${data.aws_test_lookup.q.arn}"


def test_embedded_schema_checks_the_produced_json(mod, run_template) -> None:
    from pangea.schema_check import check_config

    def tpl() -> None:
        getattr(mod, T)("x", name="n", size=1, zones=["a"], ids={"b"}, tags={"k": "v"},
                        endpoint={"address": "h", "port": 1}, one={"x": "a"},
                        many=[{"x": "b"}], named={"k": {"x": "c"}}, single_b={"v": "s"},
                        list_b=[{"v": "1", "inner": {"w": 2}}], set_b=[{"v": "s"}],
                        map_b={"l": {"v": "m"}}, **{"and_": "a", "from_": 2})

    config = run_template(tpl)

    def lookup(kind: str, type_name: str):
        return mod.schema() if (kind, type_name) == ("resource", T) else None

    assert check_config(config, lookup) == []
    # and the check is real: the embedded schema rejects what the model rejects
    broken = {"resource": {T: {"x": {"list_b": [{"v": "1"}], "arn": "no"}}}}
    messages = [str(p) for p in check_config(broken, lookup)]
    assert any("name" in m for m in messages) and any("arn" in m for m in messages)


def test_embedded_schema_matches_the_input_schema_without_prose(mod) -> None:
    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items()
                    if k not in ("description", "description_kind", "deprecated")
                    or (k == "deprecated" and "type" in node)}
        return node

    expected = strip(BLOCK)
    assert strip(mod.schema()) == expected
