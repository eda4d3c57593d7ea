"""The seed document's database platform as a complete stack on the real AWS provider.

    pangea list examples/database_infrastructure.py
    pangea validate examples/database_infrastructure.py              # offline schema check
    pangea synth examples/database_infrastructure.py --out build/example
    pangea plan examples/database_infrastructure.py --namespace development   # needs AWS

Nothing is hard-coded but names and sizes: availability zones, the account and the partition
are looked up; IDs and ARNs are references. Each template has its own Terraform state and
reads what it needs from the others' outputs (``remote_outputs``), in this order:

    network        VPC, subnets in three zones, a security group per database, RAM share
    platform       KMS key, SNS topic for database events, IAM role, License Manager
    documents      DocumentDB (master password from an ephemeral random_password)
    graph          Neptune (IAM role for bulk loads from S3)
    cache          MemoryDB (a password user; its password from random_password)
    time_series    Timestream, encrypted with the platform's key
    applications   what the applications read: endpoints and secret ARNs
"""

from __future__ import annotations

import json

from pangea import ephemeral, output, provider, remote_outputs, template, variable
from pangea_aws import (
    aws_docdb_cluster,
    aws_docdb_cluster_instance,
    aws_docdb_event_subscription,
    aws_docdb_subnet_group,
    aws_iam_role,
    aws_iam_role_policy,
    aws_kms_alias,
    aws_kms_key,
    aws_licensemanager_license_configuration,
    aws_memorydb_acl,
    aws_memorydb_cluster,
    aws_memorydb_subnet_group,
    aws_memorydb_user,
    aws_neptune_cluster,
    aws_neptune_cluster_instance,
    aws_neptune_event_subscription,
    aws_neptune_subnet_group,
    aws_ram_principal_association,
    aws_ram_resource_association,
    aws_ram_resource_share,
    aws_s3_bucket,
    aws_secretsmanager_secret,
    aws_secretsmanager_secret_version,
    aws_security_group,
    aws_sns_topic,
    aws_subnet,
    aws_timestreamwrite_database,
    aws_timestreamwrite_table,
    aws_vpc,
    aws_vpc_security_group_ingress_rule,
    data_aws_availability_zones,
    data_aws_caller_identity,
    data_aws_partition,
)
from pangea_random import random_password

REGION = "eu-west-1"
VPC_CIDR = "10.20.0.0/16"
ZONES = 3  # one database subnet per availability zone
PORTS = {"documents": 27017, "graph": 8182, "cache": 6379}  # each engine's client port


def aws() -> None:
    """Every template talks to the same region and tags what it creates."""
    provider("aws", region=REGION, default_tags={"tags": {"stack": "databases"}})


@template
def network() -> None:
    """The VPC the databases live in, and a share of its subnets with another account."""
    aws()
    zones = data_aws_availability_zones("available", state="available")
    vpc = aws_vpc("main", cidr_block=VPC_CIDR, enable_dns_support=True,
                  enable_dns_hostnames=True, tags={"Name": "databases"})
    subnets = [
        aws_subnet(f"database_{index}", vpc_id=vpc.id, availability_zone=zones.names[index],
                   cidr_block=f"10.20.{index}.0/24", tags={"Name": f"databases-{index}"})
        for index in range(ZONES)
    ]
    for engine, port in PORTS.items():
        group = aws_security_group(engine, name=f"databases-{engine}", vpc_id=vpc.id,
                                   description=f"{engine} clients inside the VPC")
        # Only addresses of this VPC reach the port; the group has no other rule.
        aws_vpc_security_group_ingress_rule(
            engine, security_group_id=group.id, ip_protocol="tcp", from_port=port,
            to_port=port, cidr_ipv4=vpc.cidr_block, description="clients in the VPC")
        output(f"{engine}_security_group_id", group.id)

    # RAM shares subnets (it cannot share database subnet groups): the consumer account
    # launches its own clients into them.
    consumer = variable("subnet_consumer", type="string",
                        description="account ID, OU ARN or organization ARN to share with")
    share = aws_ram_resource_share("subnets", name="database-subnets",
                                   allow_external_principals=False)
    for index, subnet in enumerate(subnets):
        aws_ram_resource_association(f"subnet_{index}", resource_arn=subnet.arn,
                                     resource_share_arn=share.arn)
    aws_ram_principal_association("consumer", principal=consumer,
                                  resource_share_arn=share.arn)

    output("vpc_id", vpc.id)
    output("vpc_cidr", vpc.cidr_block)
    output("subnet_ids", [subnet.id for subnet in subnets])
    output("subnet_share_arn", share.arn)


@template
def platform() -> None:
    """What the databases share: an encryption key, an event topic, an IAM role, licences."""
    aws()
    account = data_aws_caller_identity("current")
    partition = data_aws_partition("current")
    key = aws_kms_key(
        "data", description="database storage and secrets", enable_key_rotation=True,
        deletion_window_in_days=30,
        # The account administers the key through IAM (the default policy's statement).
        policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "AccountAdministersThroughIam", "Effect": "Allow",
            "Principal": {"AWS": f"arn:{partition.partition}:iam::{account.account_id}:root"},
            "Action": "kms:*", "Resource": "*"}]}))
    aws_kms_alias("data", name="alias/databases", target_key_id=key.key_id)

    # Event notifications carry no data; the topic keeps SNS's default encryption so that
    # every publishing service (DocumentDB and Neptune events, MemoryDB) can publish to it.
    topic = aws_sns_topic("events", name="database-events")

    # Neptune's bulk loader reads from S3 with a role that Neptune assumes (its principal is
    # RDS's, as Neptune is managed through the RDS API).
    loads = aws_s3_bucket("graph_loads", bucket_prefix="graph-loads-")
    loader = aws_iam_role(
        "graph_loader", name="neptune-bulk-loader",
        assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "rds.amazonaws.com"},
            "Action": "sts:AssumeRole"}]}))
    aws_iam_role_policy(
        "graph_loader", role=loader.id, name="read-graph-loads",
        policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": [f"{loads.arn}", f"{loads.arn}/*"]}]}))

    # Self-managed tools on EC2 beside the databases are licensed per vCPU.
    licences = aws_licensemanager_license_configuration(
        "analytics", name="analytics-tools", license_counting_type="vCPU",
        license_count=64, license_count_hard_limit=True)

    output("key_arn", key.arn)
    output("events_topic_arn", topic.arn)
    output("graph_loader_role_arn", loader.arn)
    output("graph_loads_bucket", loads.bucket)
    output("license_configuration_arn", licences.arn)


@template
def documents() -> None:
    """DocumentDB: a writer and a reader in the database subnets, encrypted, its master
    password generated at apply and kept only in Secrets Manager."""
    aws()
    net = remote_outputs("network")
    shared = remote_outputs("platform")
    # An ephemeral random_password is generated during each plan/apply and never stored in
    # a state; write-only arguments (*_wo) hand it to Secrets Manager and DocumentDB, which
    # receive it again only when *_wo_version changes (bump both to rotate).
    password = ephemeral("random_password", "master", length=32, special=False)
    secret = aws_secretsmanager_secret("master", name_prefix="documents-master-",
                                       kms_key_id=shared.key_arn, recovery_window_in_days=7)
    aws_secretsmanager_secret_version("master", secret_id=secret.id,
                                      secret_string_wo=password.result,
                                      secret_string_wo_version=1)
    subnets = aws_docdb_subnet_group("main", name="documents", subnet_ids=net.subnet_ids)
    cluster = aws_docdb_cluster(
        "main",
        cluster_identifier="documents",
        engine_version="5.0.0",
        master_username="docdbadmin",
        master_password_wo=password.result,
        master_password_wo_version=1,
        db_subnet_group_name=subnets.name,
        vpc_security_group_ids=[net.documents_security_group_id],
        storage_encrypted=True,
        kms_key_id=shared.key_arn,
        backup_retention_period=7,
        deletion_protection=True,
        final_snapshot_identifier="documents-final",
    )
    for index, role in enumerate(("writer", "reader")):
        aws_docdb_cluster_instance(role, identifier=f"documents-{role}",
                                   cluster_identifier=cluster.id, instance_class="db.r6g.large",
                                   promotion_tier=index)
    aws_docdb_event_subscription(
        "cluster", name="documents-events", sns_topic_arn=shared.events_topic_arn,
        source_type="db-cluster", source_ids=[cluster.id],
        event_categories=["failover", "failure", "maintenance", "notification"])
    output("endpoint", cluster.endpoint)
    output("reader_endpoint", cluster.reader_endpoint)
    output("master_secret_arn", secret.arn)


@template
def graph() -> None:
    """Neptune with IAM authentication, encrypted, loading from S3 with the platform's role."""
    aws()
    net = remote_outputs("network")
    shared = remote_outputs("platform")
    subnets = aws_neptune_subnet_group("main", name="graph", subnet_ids=net.subnet_ids)
    cluster = aws_neptune_cluster(
        "main",
        cluster_identifier="graph",
        engine="neptune",
        neptune_subnet_group_name=subnets.name,
        vpc_security_group_ids=[net.graph_security_group_id],
        iam_database_authentication_enabled=True,
        iam_roles=[shared.graph_loader_role_arn],
        storage_encrypted=True,
        kms_key_arn=shared.key_arn,
        backup_retention_period=7,
        deletion_protection=True,
        final_snapshot_identifier="graph-final",
    )
    aws_neptune_cluster_instance("writer", identifier="graph-writer",
                                 cluster_identifier=cluster.id, instance_class="db.r6g.large")
    aws_neptune_event_subscription(
        "cluster", name="graph-events", sns_topic_arn=shared.events_topic_arn,
        source_type="db-cluster", source_ids=[cluster.id])
    output("endpoint", cluster.endpoint)


@template
def cache() -> None:
    """MemoryDB with TLS: one password user in an ACL, data encrypted with the platform key."""
    aws()
    net = remote_outputs("network")
    shared = remote_outputs("platform")
    # MemoryDB stores user passwords in the user's own state (authentication_mode.passwords
    # has no write-only form), so this password is a random_password resource: it lands in
    # the state of this template, which must be protected (encrypted backend, restricted).
    password = random_password("app", length=32, special=False)
    secret = aws_secretsmanager_secret("app", name_prefix="cache-app-",
                                       kms_key_id=shared.key_arn, recovery_window_in_days=7)
    aws_secretsmanager_secret_version("app", secret_id=secret.id,
                                      secret_string_wo=password.result,
                                      secret_string_wo_version=1)
    user = aws_memorydb_user("app", user_name="app", access_string="on ~app:* +@all",
                             authentication_mode={"type": "password",
                                                  "passwords": [password.result]})
    acl = aws_memorydb_acl("app", name="app", user_names=[user.user_name])
    subnets = aws_memorydb_subnet_group("main", name="cache", subnet_ids=net.subnet_ids)
    cluster = aws_memorydb_cluster(
        "main",
        name="cache",
        node_type="db.r6g.large",
        num_shards=2,
        num_replicas_per_shard=1,
        acl_name=acl.name,
        subnet_group_name=subnets.name,
        security_group_ids=[net.cache_security_group_id],
        tls_enabled=True,
        kms_key_arn=shared.key_arn,
        sns_topic_arn=shared.events_topic_arn,
        snapshot_retention_limit=7,
    )
    output("address", cluster.cluster_endpoint[0].address)
    output("user_secret_arn", secret.arn)


@template
def time_series() -> None:
    """Timestream: a day in memory, 90 days on magnetic storage, encrypted with the key."""
    aws()
    shared = remote_outputs("platform")
    metrics = aws_timestreamwrite_database("metrics", database_name="application-metrics",
                                           kms_key_id=shared.key_arn)
    table = aws_timestreamwrite_table(
        "app", database_name=metrics.database_name, table_name="app-performance",
        retention_properties={"memory_store_retention_period_in_hours": 24,
                              "magnetic_store_retention_period_in_days": 90})
    output("table_arn", table.arn)


@template
def applications() -> None:
    """What the applications are configured with, read from the other templates' outputs."""
    documents_out = remote_outputs("documents")
    graph_out = remote_outputs("graph")
    cache_out = remote_outputs("cache")
    output("documents_endpoint", documents_out.endpoint)
    output("documents_secret_arn", documents_out.master_secret_arn)
    output("graph_url", f"wss://{graph_out.endpoint}:{PORTS['graph']}/gremlin")
    output("cache_url", f"rediss://{cache_out.address}:{PORTS['cache']}")
    output("cache_secret_arn", cache_out.user_secret_arn)
