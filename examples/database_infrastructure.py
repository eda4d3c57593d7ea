"""The seed document's database platform, written for pangea and the real AWS provider.

    pangea synth examples/database_infrastructure.py --out build/example
    pangea validate examples/database_infrastructure.py
    pangea plan examples/database_infrastructure.py --namespace development   # needs AWS

Each template gets its own Terraform state. `applications` reads the outputs of the others.
"""

from pangea import output, remote_outputs, template, variable
from pangea_aws import (
    aws_docdb_cluster,
    aws_docdb_cluster_instance,
    aws_docdb_subnet_group,
    aws_memorydb_acl,
    aws_memorydb_cluster,
    aws_memorydb_user,
    aws_ram_principal_association,
    aws_ram_resource_association,
    aws_ram_resource_share,
    aws_timestream_database,
    aws_timestream_table,
    aws_timestream_table_retention_properties,
)

SUBNETS = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719", "subnet-0a1b2c3d4e5f60720"]


@template
def document_databases():
    """A DocumentDB cluster with a writer and a reader instance."""
    password = variable("docdb_master_password", type="string", sensitive=True)
    subnets = aws_docdb_subnet_group("main", name="app-docdb", subnet_ids=SUBNETS)
    cluster = aws_docdb_cluster(
        "main",
        cluster_identifier="app-docdb-prod",
        engine_version="5.0.0",
        master_username="docdbadmin",
        master_password=password,
        db_subnet_group_name=subnets.name,
        backup_retention_period=7,
        storage_encrypted=True,
        deletion_protection=True,
        final_snapshot_identifier="app-docdb-prod-final",
    )
    for name, zone in (("primary", "us-east-1a"), ("replica", "us-east-1b")):
        aws_docdb_cluster_instance(
            name,
            identifier=f"app-docdb-{name}",
            cluster_identifier=cluster.id,
            instance_class="db.r6g.large",
            availability_zone=zone,
        )
    output("endpoint", cluster.endpoint)
    output("reader_endpoint", cluster.reader_endpoint)
    output("connection_string", cluster.connection_string, sensitive=True)


@template
def time_series():
    """Timestream database and table: a day in memory, 90 days on magnetic storage."""
    metrics = aws_timestream_database("metrics", database_name="application-metrics")
    table = aws_timestream_table(
        "app_metrics",
        database_name=metrics.database_name,
        table_name="app-performance",
        retention_properties=aws_timestream_table_retention_properties(
            memory_store_retention_period_in_hours=24,
            magnetic_store_retention_period_in_days=90,
        ),
    )
    output("table_arn", table.arn)


@template
def caching_layer():
    """MemoryDB with TLS and an ACL holding one user."""
    user = aws_memorydb_user(
        "cache",
        user_name="cache-user",
        access_string="on ~* &* +@all",
        authentication_mode={"type": "iam"},
    )
    acl = aws_memorydb_acl("app_cache", name="app-cache-acl", user_names=[user.user_name])
    cache = aws_memorydb_cluster(
        "main",
        name="app-cache-cluster",
        node_type="db.r6g.large",
        num_shards=2,
        num_replicas_per_shard=1,
        acl_name=acl.name,
        tls_enabled=True,
    )
    output("cache_address", cache.cluster_endpoint[0].address)


@template
def shared_services():
    """Share the database subnets with another account through RAM."""
    share = aws_ram_resource_share(
        "databases", name="shared-database-subnets", allow_external_principals=False
    )
    for index, subnet in enumerate(SUBNETS):
        aws_ram_resource_association(
            f"subnet_{index}",
            resource_arn=f"arn:aws:ec2:us-east-1:111122223333:subnet/{subnet}",
            resource_share_arn=share.arn,
        )
    aws_ram_principal_association(
        "dev_account", principal="123456789012", resource_share_arn=share.arn
    )
    output("share_arn", share.arn)


@template
def applications():
    """Configuration for the applications, read from the other templates' outputs."""
    docs = remote_outputs("document_databases")
    cache = remote_outputs("caching_layer")
    output("docdb_endpoint", docs.endpoint)
    output("cache_url", f"rediss://{cache.cache_address}:6379")
