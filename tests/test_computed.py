"""Computed properties (``computed:`` in override files) end to end, on the real generated
types: literal inputs are folded in as text, unknown values become references, expressions
stay expressions, and the result works as an argument and an output."""

from __future__ import annotations

import json
from typing import Any

from pangea import output, tf, variable
from pangea.expr import Expr, Interpolation, NumRef, StrRef
from pangea_aws import (
    aws_docdb_cluster,
    aws_memorydb_cluster,
    aws_memorydb_subnet_group,
    aws_timestreamwrite_table,
)

DOCDB = dict(cluster_identifier="main", manage_master_user_password=True,
             skip_final_snapshot=True)
TAIL = "/?tls=true&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false"
MEMORYDB = dict(acl_name="open-access", node_type="db.t4g.small")


def test_format_folds_literal_inputs_and_references_unknown_attributes(run_template) -> None:
    seen: dict[str, Any] = {}

    def body() -> None:
        cluster = aws_docdb_cluster("main", master_username="admin", **DOCDB)
        seen["connection"] = cluster.connection_string
        seen["writer"] = cluster.writer_address

    run_template(body)
    connection = seen["connection"]
    # the username was given as a literal: it is folded in; endpoint and port are not known
    assert isinstance(connection, Interpolation)
    assert str(connection) == (
        "mongodb://admin@${aws_docdb_cluster.main.endpoint}:${aws_docdb_cluster.main.port}" + TAIL)
    assert str(seen["writer"]) == (
        "${aws_docdb_cluster.main.endpoint}:${aws_docdb_cluster.main.port}")


def test_format_with_an_optional_input_given(run_template) -> None:
    seen: dict[str, Any] = {}

    def body() -> None:
        cluster = aws_docdb_cluster("main", master_username="admin", port=27018, **DOCDB)
        seen["writer"] = cluster.writer_address
        seen["reader"] = cluster.reader_address

    run_template(body)
    assert str(seen["writer"]) == "${aws_docdb_cluster.main.endpoint}:27018"
    assert str(seen["reader"]) == "${aws_docdb_cluster.main.reader_endpoint}:27018"


def test_format_keeps_inputs_given_as_expressions(run_template) -> None:
    seen: dict[str, Any] = {}

    def body() -> None:
        user = variable("user", type="string")
        a = aws_docdb_cluster("a", master_username=user, port=tf("var.port + 1"), **DOCDB)
        b = aws_docdb_cluster("b", master_username="${var.user}", **{**DOCDB,
                                                                      "cluster_identifier": "b"})
        seen["a"], seen["b"] = a.connection_string, b.connection_string

    run_template(body)
    assert str(seen["a"]) == (
        "mongodb://${var.user}@${aws_docdb_cluster.a.endpoint}:${var.port + 1}" + TAIL)
    assert str(seen["b"]) == (
        "mongodb://${var.user}@${aws_docdb_cluster.b.endpoint}:${aws_docdb_cluster.b.port}" + TAIL)


def test_format_with_every_input_literal_is_plain_text(run_template) -> None:
    seen: dict[str, Any] = {}

    def body() -> None:
        table = aws_timestreamwrite_table("t", database_name="metrics", table_name="cpu")
        seen["name"] = table.qualified_name
        partly = aws_timestreamwrite_table("u", database_name="metrics",
                                           table_name=tf("var.table"))
        seen["partly"] = partly.qualified_name

    run_template(body)
    assert seen["name"] == '"metrics"."cpu"' and type(seen["name"]) is str
    assert isinstance(seen["partly"], Interpolation)
    assert str(seen["partly"]) == '"metrics"."${var.table}"'


def test_format_on_counted_instances(run_template) -> None:
    seen: dict[str, Any] = {}

    def body() -> None:
        clusters = aws_docdb_cluster("c", count=2, master_username="admin", **DOCDB)
        seen["first"] = clusters[0].writer_address

    run_template(body)
    assert str(seen["first"]) == (
        "${aws_docdb_cluster.c[0].endpoint}:${aws_docdb_cluster.c[0].port}")


def test_expression_wraps_bare_references(run_template) -> None:
    seen: dict[str, Any] = {}

    def body() -> None:
        cache = aws_memorydb_cluster("cache", num_shards=2, tls_enabled=True, **MEMORYDB)
        seen["url"], seen["address"], seen["nodes"] = (
            cache.endpoint_url, cache.endpoint_address, cache.total_nodes)

    run_template(body)
    assert isinstance(seen["url"], StrRef) and isinstance(seen["nodes"], NumRef)
    assert str(seen["url"]) == (
        '${format("%s://%s:%s", aws_memorydb_cluster.cache.tls_enabled ? "rediss" : "redis", '
        "aws_memorydb_cluster.cache.cluster_endpoint[0].address, "
        "aws_memorydb_cluster.cache.cluster_endpoint[0].port)}")
    assert str(seen["address"]) == "${aws_memorydb_cluster.cache.cluster_endpoint[0].address}"
    # an expression always references the attributes, even those given as literals
    assert str(seen["nodes"]) == (
        "${aws_memorydb_cluster.cache.num_shards * "
        "(aws_memorydb_cluster.cache.num_replicas_per_shard + 1)}")
    assert seen["address"]._expr == "aws_memorydb_cluster.cache.cluster_endpoint[0].address"


def test_computed_values_as_arguments_outputs_and_in_f_strings(run_template) -> None:
    def body() -> None:
        docs = aws_docdb_cluster("docs", master_username="admin", **DOCDB)
        cache = aws_memorydb_cluster("cache", **MEMORYDB)
        aws_memorydb_subnet_group("a", subnet_ids=["subnet-1"],
                                  description=cache.endpoint_address)
        aws_memorydb_subnet_group("b", subnet_ids=["subnet-1"],
                                  description=f"docs at {docs.writer_address}")
        output("docs_uri", docs.connection_string)
        output("cache_url", cache.endpoint_url)
        output("nodes", cache.total_nodes)

    config = run_template(body)
    json.dumps(config)  # plain JSON
    groups = config["resource"]["aws_memorydb_subnet_group"]
    assert groups["a"]["description"] == (
        "${aws_memorydb_cluster.cache.cluster_endpoint[0].address}")
    assert groups["b"]["description"] == (
        "docs at ${aws_docdb_cluster.docs.endpoint}:${aws_docdb_cluster.docs.port}")
    outputs = config["output"]
    assert outputs["docs_uri"] == {"value": (
        "mongodb://admin@${aws_docdb_cluster.docs.endpoint}:${aws_docdb_cluster.docs.port}"
        + TAIL)}
    assert outputs["cache_url"]["value"].startswith(
        '${format("%s://%s:%s", aws_memorydb_cluster.cache.tls_enabled ? ')
    assert outputs["nodes"] == {"value": (
        "${aws_memorydb_cluster.cache.num_shards * "
        "(aws_memorydb_cluster.cache.num_replicas_per_shard + 1)}")}
    # the computed properties are not arguments: they are never written into the resource
    assert "connection_string" not in config["resource"]["aws_docdb_cluster"]["docs"]
    assert "endpoint_url" not in config["resource"]["aws_memorydb_cluster"]["cache"]


def test_computed_values_in_a_template_file(write_template) -> None:
    from pangea import synthesize

    path = write_template("""
        from pangea import template, output
        from pangea_aws import aws_docdb_cluster, aws_timestreamwrite_table

        @template("app")
        def app():
            docs = aws_docdb_cluster("docs", cluster_identifier="docs", master_username="app",
                                     manage_master_user_password=True, skip_final_snapshot=True,
                                     port=27017)
            table = aws_timestreamwrite_table("t", database_name="metrics", table_name="cpu")
            output("uri", docs.connection_string)
            output("table", table.qualified_name)
        """)
    config = synthesize(path).templates["app"].config
    assert config["output"] == {
        "uri": {"value": "mongodb://app@${aws_docdb_cluster.docs.endpoint}:27017" + TAIL},
        "table": {"value": '"metrics"."cpu"'},
    }


def test_a_computed_property_is_listed_among_valid_attributes(run_template) -> None:
    seen: dict[str, Any] = {}

    def body() -> None:
        cluster = aws_docdb_cluster("main", master_username="admin", **DOCDB)
        try:
            cluster.connection_strng  # noqa: B018
        except AttributeError as exc:
            seen["error"] = str(exc)
        seen["ref"] = cluster.member_count

    run_template(body)
    assert "Did you mean connection_string?" in seen["error"]
    assert isinstance(seen["ref"], Expr)
    assert str(seen["ref"]) == "${length(aws_docdb_cluster.main.cluster_members)}"
