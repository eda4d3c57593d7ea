"""The committed generated package: imports, laziness, stubs that match the runtime, and
references that render everywhere."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

import pangea_aws
from pangea import output
from pangea.declare import META_ARGUMENTS

PACKAGE_DIR = Path(pangea_aws.__file__).parent
# the committed types, and a sample of those generated from the schema alone at install time
# (tests/test_whole_provider.py exercises every one of them)
SCHEMA_ONLY_SAMPLE = ("aws_vpc", "aws_instance", "aws_s3_bucket", "aws_iam_role",
                      "data_aws_availability_zones", "aws_lightsail_bucket_resource_access",
                      "aws_servicecatalog_tag_option_resource_association")
MODULES = dict(sorted((f, m) for f, m in pangea_aws._MODULES.items()
                      if not m.startswith("schema_only.") or f in SCHEMA_ONLY_SAMPLE))
DATA_META = tuple(m for m in META_ARGUMENTS if m != "lifecycle")

CLUSTER = dict(cluster_identifier="main", master_username="admin",
               manage_master_user_password=True, skip_final_snapshot=True)


def _module(function: str):
    return importlib.import_module(f"pangea_aws.{MODULES[function]}")


# -- imports ---------------------------------------------------------------------------------

@pytest.mark.parametrize("function", list(MODULES))
def test_every_generated_module_imports_and_exports_its_function(function: str) -> None:
    module = _module(function)
    assert callable(getattr(module, function))
    assert getattr(pangea_aws, function) is getattr(module, function)
    spec = module.SPEC
    assert spec.kind == ("data" if function.startswith("data_") else "resource")
    assert function.endswith(spec.type_name)
    assert isinstance(module.schema(), dict) and "attributes" in module.schema()


def test_package_files() -> None:
    assert (PACKAGE_DIR / "py.typed").exists()
    assert (PACKAGE_DIR / "__init__.pyi").exists()
    for module in MODULES.values():
        base = PACKAGE_DIR / module.replace(".", "/")
        assert base.with_suffix(".py").exists() and base.with_suffix(".pyi").exists(), module
    assert pangea_aws.PROVIDER_SOURCE == "hashicorp/aws"
    assert pangea_aws.PROVIDER_VERSION == "6.47.0"


def test_importing_the_package_imports_no_type_module() -> None:
    code = textwrap.dedent("""
        import sys, pangea_aws
        loaded = lambda: sorted(m for m in sys.modules if m.startswith("pangea_aws."))
        before = loaded()
        pangea_aws.aws_memorydb_acl
        after = loaded()
        print(json.dumps([before, after]))
    """)
    out = subprocess.run([sys.executable, "-c", "import json\n" + code], capture_output=True,
                         text=True, check=True)
    before, after = json.loads(out.stdout)
    assert before == []
    assert after == ["pangea_aws.resources", "pangea_aws.resources.aws_memorydb_acl"]


def test_the_module_table_read_by_name_agrees_with_the_built_one() -> None:
    """The package keeps where each type lives as text (a dict of every type cost most of
    ``import pangea_aws``): looking a name up in it finds the module ``_MODULES`` (built when
    first read) lists, for every type, and nothing else."""
    modules = pangea_aws._MODULES
    assert len(modules) > 2000 and list(modules) == sorted(modules)
    for function, module in modules.items():
        assert pangea_aws._module_of(function) == module, function
    assert pangea_aws.__all__ == sorted({*modules, *pangea_aws._ALIASES, *pangea_aws._HELPERS,
                                         *pangea_aws._UNAVAILABLE})
    # a data source's module name is not a function; text around a name matches nothing
    for name in ("aws_docdb_engine_version", "resources", "", "docdb_cluster",
                 "aws_docdb_cluster\naws_docdb_cluster_instance", "aws_docdb_cluster "):
        assert pangea_aws._module_of(name) is None, name
    with pytest.raises(AttributeError):
        getattr(pangea_aws, "aws_docdb_cluster\naws_docdb_cluster_instance")


def test_unknown_package_name_suggests() -> None:
    with pytest.raises(AttributeError, match="did you mean aws_docdb_cluster"):
        pangea_aws.aws_docdb_clustr  # noqa: B018


def test_dir_lists_every_function() -> None:
    assert set(MODULES) <= set(dir(pangea_aws))


# -- stubs match the runtime ------------------------------------------------------------------

@lru_cache(maxsize=None)
def _stub(function: str) -> ast.Module:
    """The parsed stub of the function's module, read once for every test of it."""
    return ast.parse((PACKAGE_DIR / (MODULES[function].replace(".", "/") + ".pyi")).read_text())


def _stub_functions(function: str) -> dict[str, list[ast.FunctionDef]]:
    found: dict[str, list[ast.FunctionDef]] = {}
    for node in _stub(function).body:
        if isinstance(node, ast.FunctionDef):
            found.setdefault(node.name, []).append(node)
    return found


def _kwonly(fn: ast.FunctionDef) -> dict[str, bool]:
    """keyword-only parameter -> has a default."""
    return {p.arg: default is not None for p, default in zip(fn.args.kwonlyargs,
                                                              fn.args.kw_defaults)}


@pytest.mark.parametrize("function", list(MODULES))
def test_stub_signature_matches_the_model(function: str) -> None:
    module = _module(function)
    signatures = _stub_functions(function)[function]
    # one signature (no overloads), so checkers name the offending argument
    assert len(signatures) == 1
    signature, = signatures
    meta = DATA_META if module.SPEC.kind == "data" else META_ARGUMENTS
    # (name, attrs=None, /, *, arguments..., meta...); the positional name yields to an
    # argument called resource_name
    name = "_resource_name" if "resource_name" in module.SPEC.args._fields else "resource_name"
    assert [p.arg for p in signature.args.posonlyargs] == [name, "attrs"]
    # every input field of the model but the provider-managed ones, each with a default (the
    # arguments may come as a dict instead); a required one does not take None
    args = module.SPEC.args
    expected = {name: True for name in args._fields if args._tf_names.get(name, name)
                not in args._managed}
    expected.update({m: True for m in meta})
    assert _kwonly(signature) == expected
    annotations = {p.arg: ast.unparse(p.annotation)  # type: ignore[arg-type]
                   for p in signature.args.kwonlyargs}
    for field_name, field in args._fields.items():
        if field_name in annotations:
            assert ("None" not in annotations[field_name]) == field.required, field_name


@pytest.mark.parametrize("function", list(MODULES))
def test_stub_reference_properties_match_the_runtime(function: str) -> None:
    module = _module(function)
    ref_cls = module.SPEC.ref
    classes = {n.name: n for n in _stub(function).body if isinstance(n, ast.ClassDef)}
    props = {s.name for s in classes[ref_cls.__name__].body if isinstance(s, ast.FunctionDef)}
    assert props == set(ref_cls._attribute_names())
    # every attribute of the schema is offered
    schema = module.schema()
    tf_names = set(schema["attributes"]) | set(schema.get("block_types", {}))
    runtime_tf = {getattr(ref_cls, n).name for n in ref_cls._attribute_names()
                  if hasattr(getattr(ref_cls, n), "factory")}
    assert runtime_tf == tf_names


# -- references --------------------------------------------------------------------------------

def test_reference_renders_in_json_str_and_fstrings(run_template) -> None:
    from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance

    seen: dict[str, Any] = {}

    def tpl() -> None:
        cluster = aws_docdb_cluster("main", **CLUSTER)
        aws_docdb_cluster_instance("one", cluster_identifier=cluster.id,
                                   instance_class="db.r6g.large",
                                   tags={"endpoint": f"{cluster.endpoint}"})
        seen["str"] = str(cluster.endpoint)
        seen["fstring"] = f"mongodb://{cluster.endpoint}:27017"
        seen["format"] = "{}".format(cluster.endpoint)
        seen["repr"] = repr(cluster.endpoint)
        output("endpoint", cluster.endpoint)

    config = run_template(tpl)
    ref = "${aws_docdb_cluster.main.endpoint}"
    assert seen["str"] == ref and seen["format"] == ref
    assert seen["fstring"] == f"mongodb://{ref}:27017"
    assert ref in seen["repr"]
    assert config["output"]["endpoint"]["value"] == ref
    instance = config["resource"]["aws_docdb_cluster_instance"]["one"]
    assert instance["cluster_identifier"] == "${aws_docdb_cluster.main.id}"
    assert instance["tags"] == {"endpoint": ref}


def test_collections_index_and_nested_blocks_navigate(run_template) -> None:
    from pangea_aws import aws_docdb_cluster, aws_memorydb_cluster

    seen: dict[str, str] = {}

    def tpl() -> None:
        cluster = aws_docdb_cluster("main", **CLUSTER)
        seen["member"] = str(cluster.cluster_members[0])  # a set in the schema
        seen["log"] = str(cluster.enabled_cloudwatch_logs_exports[1])  # a list
        seen["tag"] = str(cluster.tags["team"])
        seen["scaling"] = str(cluster.serverless_v2_scaling_configuration.max_capacity)
        mem = aws_memorydb_cluster("m", name="m", acl_name="open-access", node_type="db.t4g.small")
        seen["endpoint"] = str(mem.cluster_endpoint[0].address)
        seen["node"] = str(mem.shards[0].nodes[1].endpoint[0].port)
        seen["timeouts"] = str(mem.timeouts.create)

    run_template(tpl)
    assert seen == {
        "member": "${tolist(aws_docdb_cluster.main.cluster_members)[0]}",
        "log": "${aws_docdb_cluster.main.enabled_cloudwatch_logs_exports[1]}",
        "tag": '${aws_docdb_cluster.main.tags["team"]}',
        "scaling": "${aws_docdb_cluster.main.serverless_v2_scaling_configuration[0].max_capacity}",
        "endpoint": "${aws_memorydb_cluster.m.cluster_endpoint[0].address}",
        "node": "${tolist(tolist(aws_memorydb_cluster.m.shards)[0].nodes)[1].endpoint[0].port}",
        "timeouts": "${aws_memorydb_cluster.m.timeouts.create}",
    }


def test_unknown_reference_attribute_names_the_valid_ones(run_template) -> None:
    from pangea_aws import aws_docdb_cluster

    def tpl() -> None:
        cluster = aws_docdb_cluster("main", **CLUSTER)
        with pytest.raises(AttributeError) as excinfo:
            cluster.endpont  # noqa: B018
        message = str(excinfo.value)
        assert "'endpont'" in message and "Did you mean endpoint" in message
        for name in ("arn", "cluster_members", "endpoint", "reader_endpoint", "port"):
            assert name in message
        with pytest.raises(AttributeError, match="Valid attributes: max_capacity, min_capacity"):
            cluster.serverless_v2_scaling_configuration.maximum  # noqa: B018

    run_template(tpl)


def test_references_cannot_be_python_conditions_or_iterated(run_template) -> None:
    from pangea_aws import aws_docdb_cluster

    def tpl() -> None:
        cluster = aws_docdb_cluster("main", **CLUSTER)
        with pytest.raises(TypeError, match="apply time"):
            bool(cluster.storage_encrypted)
        with pytest.raises(TypeError, match="cannot be iterated"):
            list(cluster.cluster_members)

    run_template(tpl)


def test_computed_properties_fold_literals(run_template) -> None:
    from pangea_aws import aws_docdb_cluster

    seen: dict[str, Any] = {}

    def tpl() -> None:
        cluster = aws_docdb_cluster("main", port=27018, **CLUSTER)
        seen["writer"] = str(cluster.writer_address)
        seen["count"] = str(cluster.member_count)

    run_template(tpl)
    assert seen["writer"] == "${aws_docdb_cluster.main.endpoint}:27018"
    assert seen["count"] == "${length(aws_docdb_cluster.main.cluster_members)}"


# -- call styles --------------------------------------------------------------------------------

def test_dict_keyword_and_model_call_styles_give_identical_json(run_template) -> None:
    from pangea_aws import aws_docdb_cluster
    from pangea_aws.resources.aws_docdb_cluster import (
        AwsDocdbClusterArgs,
        AwsDocdbClusterServerlessV2ScalingConfiguration,
    )

    args = dict(CLUSTER, port=27017, tags={"team": "data"}, vpc_security_group_ids=["sg-1"],
                serverless_v2_scaling_configuration={"min_capacity": 0.5, "max_capacity": 4})

    kw = run_template(lambda: aws_docdb_cluster("main", **args))
    as_dict = run_template(lambda: aws_docdb_cluster("main", args))
    model_args = dict(args, serverless_v2_scaling_configuration=(
        AwsDocdbClusterServerlessV2ScalingConfiguration(min_capacity=0.5, max_capacity=4)))
    as_model = run_template(lambda: aws_docdb_cluster("main", AwsDocdbClusterArgs(**model_args)))
    mixed = run_template(lambda: aws_docdb_cluster(
        "main", {k: v for k, v in args.items() if k != "port"}, port=27017))
    assert kw == as_dict == as_model == mixed
    body = kw["resource"]["aws_docdb_cluster"]["main"]
    assert body["serverless_v2_scaling_configuration"] == {"max_capacity": 4, "min_capacity": 0.5}


def test_same_argument_in_dict_and_keyword_is_refused(run_template) -> None:
    from pangea import ValidationError
    from pangea_aws import aws_docdb_cluster

    with pytest.raises(ValidationError, match="given both in the dict and as a keyword"):
        run_template(lambda: aws_docdb_cluster("main", dict(CLUSTER), cluster_identifier="x"))


# -- meta-arguments ------------------------------------------------------------------------------

def test_meta_arguments(run_template) -> None:
    from pangea import count_index, each_key, each_value, provider
    from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance, aws_docdb_subnet_group

    def tpl() -> None:
        eu = provider("aws", region="eu-west-1", alias="eu")
        group = aws_docdb_subnet_group("g", subnet_ids=["s-1"], provider=eu)
        cluster = aws_docdb_cluster("main", **CLUSTER, db_subnet_group_name=group.name,
                                    depends_on=[group], lifecycle={
                                        "prevent_destroy": True,
                                        "ignore_changes": ["tags", "engine_version"],
                                        "create_before_destroy": False})
        aws_docdb_cluster_instance("n", count=3, cluster_identifier=cluster.id,
                                   identifier=f"node-{count_index()}", instance_class="db.r6g.large")
        aws_docdb_cluster_instance("e", for_each={"a": "db.r6g.large", "b": "db.r6g.xlarge"},
                                   cluster_identifier=cluster.id, identifier=each_key(),
                                   instance_class=each_value(), depends_on=["aws_docdb_cluster.main"])

    config = run_template(tpl)
    res = config["resource"]
    assert config["provider"] == {"aws": [{"alias": "eu", "region": "eu-west-1"}]}
    assert res["aws_docdb_subnet_group"]["g"]["provider"] == "aws.eu"
    main = res["aws_docdb_cluster"]["main"]
    assert main["depends_on"] == ["aws_docdb_subnet_group.g"]
    assert main["lifecycle"] == {"prevent_destroy": True, "ignore_changes": ["tags", "engine_version"],
                                 "create_before_destroy": False}
    n = res["aws_docdb_cluster_instance"]["n"]
    assert n["count"] == 3 and n["identifier"] == "node-${count.index}"
    e = res["aws_docdb_cluster_instance"]["e"]
    assert e["for_each"] == {"a": "db.r6g.large", "b": "db.r6g.xlarge"}
    assert e["identifier"] == "${each.key}" and e["instance_class"] == "${each.value}"
    assert e["depends_on"] == ["aws_docdb_cluster.main"]


@pytest.mark.parametrize("meta, match", [
    ({"count": 2, "for_each": ["a"]}, "count and for_each cannot both be set"),
    ({"lifecycle": {"prevent_destory": True}}, "did you mean prevent_destroy"),
    ({"lifecycle": {"ignore_changes": ["tagz"]}}, "did you mean tags"),
    ({"lifecycle": {"prevent_destroy": "yes"}}, "must be a bool"),
    ({"depends_on": [42]}, "depends_on"),
    ({"provider": "${var.p}"}, "provider"),
])
def test_bad_meta_arguments(run_template, meta, match) -> None:
    from pangea import PangeaError
    from pangea_aws import aws_docdb_cluster

    with pytest.raises(PangeaError, match=match):
        run_template(lambda: aws_docdb_cluster("main", **CLUSTER, **meta))


def test_indexing_a_counted_resource(run_template) -> None:
    from pangea_aws import aws_docdb_cluster_instance

    seen = {}

    def tpl() -> None:
        nodes = aws_docdb_cluster_instance("n", count=2, cluster_identifier="c",
                                           instance_class="db.r6g.large")
        seen["first"] = str(nodes[0].endpoint)
        seen["keyed"] = str(nodes["a"].arn)

    run_template(tpl)
    assert seen == {"first": "${aws_docdb_cluster_instance.n[0].endpoint}",
                    "keyed": '${aws_docdb_cluster_instance.n["a"].arn}'}


def test_data_source_call(run_template) -> None:
    from pangea_aws import data_aws_memorydb_acl

    seen = {}

    def tpl() -> None:
        acl = data_aws_memorydb_acl("open", name="open-access")
        seen["arn"] = str(acl.arn)

    config = run_template(tpl)
    assert config["data"]["aws_memorydb_acl"]["open"] == {"name": "open-access"}
    assert seen["arn"] == "${data.aws_memorydb_acl.open.arn}"
    assert config["terraform"]["required_providers"]["aws"] == {"source": "hashicorp/aws",
                                                                 "version": "6.47.0"}
