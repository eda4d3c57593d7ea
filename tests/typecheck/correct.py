"""Correct usage in every supported form: must type-check clean (no errors)."""

from pangea import count_index, local, output, provider, remote_outputs, template, tf, variable
from pangea.expr import ListRef, NumRef, StrRef
from pangea_aws import (
    aws_docdb_cluster,
    aws_docdb_cluster_instance,
    aws_memorydb_acl,
    aws_memorydb_cluster,
    aws_ram_principal_association,
    aws_ram_resource_share,
    aws_timestreamwrite_database,
    aws_timestreamwrite_table,
    data_aws_memorydb_acl,
)
from pangea_aws.resources.aws_docdb_cluster import (
    AwsDocdbClusterArgs,
    AwsDocdbClusterServerlessV2ScalingConfiguration,
)


@template
def correct() -> None:
    password = variable("password", type="string", sensitive=True)
    eu = provider("aws", region="eu-west-1", alias="eu")
    cluster = aws_docdb_cluster(
        "main",
        cluster_identifier="main",
        master_username="admin",
        master_password=password,
        port=27017,
        storage_encrypted=True,
        vpc_security_group_ids=["sg-1", tf("var.extra_sg")],
        tags={"team": "data"},
        serverless_v2_scaling_configuration={"min_capacity": 0.5, "max_capacity": 4},
        provider=eu,
        lifecycle={"prevent_destroy": True, "ignore_changes": ["tags"]},
    )
    aws_docdb_cluster(
        "dict_style",
        {"cluster_identifier": "other", "master_username": "admin",
         "manage_master_user_password": True, "port": tf("var.port")},
        depends_on=[cluster],
    )
    aws_docdb_cluster(
        "model_style",
        AwsDocdbClusterArgs(
            cluster_identifier="third",
            serverless_v2_scaling_configuration=AwsDocdbClusterServerlessV2ScalingConfiguration(
                min_capacity=1, max_capacity=2),
        ),
    )
    aws_docdb_cluster_instance("n", count=2, cluster_identifier=cluster.id,
                               identifier=f"node-{count_index()}", instance_class="db.r6g.large")
    endpoint: StrRef = cluster.endpoint
    port: NumRef = cluster.port
    members: ListRef[StrRef] | object = cluster.enabled_cloudwatch_logs_exports
    first: StrRef = cluster.cluster_members[0]
    output("endpoint", endpoint)
    output("url", f"mongodb://{endpoint}:{port}")
    output("first", first)
    del members

    database = aws_timestreamwrite_database("db", database_name="metrics")
    aws_timestreamwrite_table("t", database_name=database.database_name, table_name="t",
                              retention_properties={"memory_store_retention_period_in_hours": 24,
                                                    "magnetic_store_retention_period_in_days": 90})
    acl = aws_memorydb_acl("acl", name="acl")
    cache = aws_memorydb_cluster("c", name="c", acl_name=acl.name, node_type="db.t4g.small")
    address: StrRef = cache.cluster_endpoint[0].address
    local("cache_address", address)
    existing = data_aws_memorydb_acl("open", name="open-access")
    output("existing", existing.arn)
    share = aws_ram_resource_share("s", name="s")
    aws_ram_principal_association("p", principal="123456789012", resource_share_arn=share.arn)
    output("network", remote_outputs("network").vpc_id)

    # expressions keep their types: numbers, bools and untyped expressions where numbers and
    # bools go; any expression for a string (Terraform converts numbers and bools to strings)
    size = variable("size", type="number")
    encrypted = variable("encrypted", type="bool")
    anything = variable("anything")
    aws_docdb_cluster(
        "typed_refs",
        cluster_identifier=cluster.port,           # a number into a string: converted
        backup_retention_period=size,
        port=cluster.port,
        storage_encrypted=encrypted,
        deletion_protection=cluster.storage_encrypted,
        apply_immediately=anything,               # a variable without a type
        master_password_wo_version=tf("var.version"),
        skip_final_snapshot=remote_outputs("network").skip,
        engine="docdb",                            # one of the enum's values
        storage_type=tf("var.storage_type"),       # or an expression
        enabled_cloudwatch_logs_exports=["audit", "profiler"],
        count=size,
    )
