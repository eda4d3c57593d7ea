"""A database stack with no hard-coded IDs, from curated and schema-only types and the random
provider: must validate, synthesize and type-check clean (issue 10's "done when")."""

from pangea import output, template
from pangea_aws import (
    aws_docdb_cluster,
    aws_docdb_subnet_group,
    aws_iam_role,
    aws_kms_key,
    aws_licensemanager_license_configuration,
    aws_memorydb_cluster,
    aws_memorydb_subnet_group,
    aws_neptune_cluster,
    aws_neptune_subnet_group,
    aws_ram_resource_association,
    aws_ram_resource_share,
    aws_secretsmanager_secret,
    aws_secretsmanager_secret_version,
    aws_security_group,
    aws_sns_topic,
    aws_subnet,
    aws_timestreamwrite_database,
    aws_vpc,
    aws_vpc_security_group_ingress_rule,
    data_aws_availability_zones,
)
from pangea_random import random_password


@template
def stack() -> None:
    zones = data_aws_availability_zones("available", state="available")
    vpc = aws_vpc("main", cidr_block="10.0.0.0/16", enable_dns_hostnames=True)
    subnets = [
        aws_subnet(f"private_{i}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24",
                   availability_zone=zones.names[i])
        for i in range(3)
    ]
    subnet_ids = [s.id for s in subnets]
    group = aws_security_group("databases", name="databases", vpc_id=vpc.id)
    aws_vpc_security_group_ingress_rule(
        "docdb", security_group_id=group.id, ip_protocol="tcp", from_port=27017,
        to_port=27017, cidr_ipv4=vpc.cidr_block,
    )
    key = aws_kms_key("data", description="database storage", enable_key_rotation=True)
    topic = aws_sns_topic("events", name="database-events", kms_master_key_id=key.id)
    aws_iam_role(
        "monitoring", name="rds-monitoring",
        assume_role_policy='{"Version": "2012-10-17", "Statement": []}',
    )
    password = random_password("docdb", length=32, special=False)
    secret = aws_secretsmanager_secret("docdb", name="docdb-master", kms_key_id=key.arn)
    aws_secretsmanager_secret_version("docdb", secret_id=secret.id,
                                      secret_string=password.result)

    docdb_subnets = aws_docdb_subnet_group("docdb", name="docdb", subnet_ids=subnet_ids)
    aws_docdb_cluster(
        "docs", cluster_identifier="docs", master_username="docdbadmin",
        master_password=password.result, db_subnet_group_name=docdb_subnets.name,
        vpc_security_group_ids=[group.id], storage_encrypted=True, kms_key_id=key.arn,
        skip_final_snapshot=True,
    )
    neptune_subnets = aws_neptune_subnet_group("graph", name="graph", subnet_ids=subnet_ids)
    aws_neptune_cluster("graph", cluster_identifier="graph",
                        neptune_subnet_group_name=neptune_subnets.name,
                        vpc_security_group_ids=[group.id], skip_final_snapshot=True)
    cache_subnets = aws_memorydb_subnet_group("cache", name="cache", subnet_ids=subnet_ids)
    aws_memorydb_cluster("cache", name="cache", node_type="db.t4g.small", acl_name="open-access",
                         subnet_group_name=cache_subnets.name, security_group_ids=[group.id],
                         sns_topic_arn=topic.arn)
    aws_timestreamwrite_database("metrics", database_name="metrics", kms_key_id=key.arn)
    aws_licensemanager_license_configuration("oracle", name="oracle",
                                             license_counting_type="vCPU")
    share = aws_ram_resource_share("subnets", name="subnets", allow_external_principals=False)
    aws_ram_resource_association("subnet_0", resource_arn=subnets[0].arn,
                                 resource_share_arn=share.arn)
    output("vpc_id", vpc.id)
