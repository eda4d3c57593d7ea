"""Intentional misuse. Every line marked with an E comment must get a mypy error (and no other
line may); the exact errors are pinned in misuse.expected. Type-checked, never run.

Known limitations, not listed: a plain string where a list of strings is expected
(``vpc_security_group_ids="sg-1"``) type-checks, because ``str`` is a ``Sequence[str]``; a
required argument left out of a keyword-style call type-checks, because the one signature also
takes the arguments as a dict (a dict's missing required key is flagged, line "i"). The runtime
refuses both."""

from pangea import template
from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance, aws_timestreamwrite_table


@template
def misuse() -> None:
    cluster = aws_docdb_cluster("main", cluster_identifier="main")
    aws_docdb_cluster("a", cluster_identifer="x")  # E: unknown keyword
    aws_docdb_cluster("b", port="27017")  # E: literal of the wrong type (number)
    aws_docdb_cluster("c", storage_encrypted="yes")  # E: literal of the wrong type (bool)
    aws_docdb_cluster("e", tags=["a"])  # E: a list is not a map
    aws_docdb_cluster_instance("g", {"cluster_identifier": "c", "instance_class": 5})  # E: dict, wrong type
    aws_docdb_cluster_instance("h", {"cluster_identifier": "c", "instance_clas": "x"})  # E: dict, unknown key
    aws_docdb_cluster_instance("i", {"cluster_identifier": "c"})  # E: dict, missing required
    aws_docdb_cluster("j", arn="arn:aws:rds:x")  # E: computed-only attribute as input
    aws_docdb_cluster("k", serverless_v2_scaling_configuration={"min_capacity": 1})  # E: block, missing key
    aws_timestreamwrite_table("l", database_name="d", table_name="t", retention_properties={"memory_store_retention_period_in_hours": "24"})  # E: block, wrong type
    port: str = cluster.port  # E: a number reference is not a str
    aws_docdb_cluster("m", depends_on=cluster)  # E: depends_on takes a list
    aws_docdb_cluster("n", lifecycle={"prevent_destory": True})  # E: unknown lifecycle key
    aws_docdb_cluster(cluster_identifier="o")  # E: the resource name is required
    aws_docdb_cluster("p", count="2")  # E: count is a number
    aws_docdb_cluster("q", engine="mongodb")  # E: not one of the enum's values
    aws_docdb_cluster("r", enabled_cloudwatch_logs_exports=["audit", "slowlog"])  # E: enum element
    aws_docdb_cluster("s", backup_retention_period=cluster.endpoint)  # E: string ref for a number
    aws_docdb_cluster("t", storage_encrypted=cluster.arn)  # E: string ref for a bool
    aws_docdb_cluster("u", deletion_protection=cluster.port)  # E: number ref for a bool
    aws_docdb_cluster("v", id="main")  # E: id is provider-managed, not an argument
    aws_docdb_cluster("w", tags_all={"a": "b"})  # E: tags_all is provider-managed
    del port
