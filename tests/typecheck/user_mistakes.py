"""A user's template file with realistic mistakes, each marked # E (checked outside the repo).

Each mistake is independent: a checker types the result of a call it rejects as unknown,
which would hide any later mistake made with that result (so `cluster` itself is written
correctly)."""

from pangea import output, remote_outputs, template, variable
from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance, aws_docdb_clustr  # E: misspelt name
from pangea_aws import aws_timestreamwrite_table


@template
def documents() -> None:
    password = variable("master_password", type="string", sensitive="yes")  # E: sensitive is a bool
    cluster = aws_docdb_cluster(
        "main",
        cluster_identifier="app-docs",
        master_username="docdbadmin",
        master_password=password,
    )
    aws_docdb_cluster(
        "a",
        cluster_identifer="app-docs",  # E: misspelt keyword
    )
    aws_docdb_cluster("b", backup_retention_period="7")  # E: a string for a number
    aws_docdb_cluster("c", storage_encrypted="true")  # E: a string for a bool
    aws_docdb_cluster("d", arn="arn:aws:rds:eu-west-1:1:cluster:x")  # E: computed-only attribute
    aws_docdb_cluster_instance("primary", {"cluster_identifier": cluster.id})  # E: instance_class missing
    aws_docdb_cluster("e", engine="mongodb")  # E: not one of the enum's values
    aws_docdb_cluster("f", backup_retention_period=cluster.cluster_identifier)  # E: a string reference for a number
    aws_docdb_cluster("g", deletion_protection=cluster.endpoint)  # E: a string reference for a bool
    aws_docdb_cluster("h", id="app-docs")  # E: id is set by the provider
    aws_timestreamwrite_table("t", database_name="d", table_name="t", retention_properties={"memory_store_retention_period_in_hours": "24"})  # E: block value type
    output("endpoint", cluster.endpoint, sensitve=True)  # E: misspelt keyword of pangea's API
    port: str = cluster.port  # E: a number reference is not a string
    del port


@template
def app() -> None:
    docs = remote_outputs(42)  # E: a template name is a string
    output("docs", docs.endpoint)
