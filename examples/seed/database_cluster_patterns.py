"""Seed section "Architecture Patterns / 1. Database Cluster Patterns", together with the
reference attributes listed under "Resource Reference System".

A DocumentDB cluster with a primary and a replica instance in two Availability Zones. The
seed's values are kept where the provider accepts them (engine version 4.0.0, instance class
db.r5.large, the identifiers and zones).

Corrections:

- The seed declares the resources at the top level of the file. pangea declares resources
  only while a template runs, so they are wrapped in the template
  ``database_cluster_patterns``.
- ``master_password`` was the literal "secure-password" in the source. It is now a sensitive
  variable, so the secret is supplied at plan time instead of living in the code (Terraform
  still keeps it in state; ``manage_master_user_password=True`` avoids even that).
- The cluster had neither ``skip_final_snapshot`` nor ``final_snapshot_identifier``. The
  provider's default is to take a final snapshot, and without a name for it destroying the
  cluster fails, so ``final_snapshot_identifier`` is set.
- "Resource Reference System" lists the attributes a cluster reference offers (id, arn,
  endpoint, reader_endpoint, cluster_members, hosted_zone_id, port); they are exported as
  outputs here, which is how another template reads them (``remote_outputs``).
"""

from pangea import output, template, variable
from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance


@template
def database_cluster_patterns():
    password = variable("docdb_master_password", type="string", sensitive=True)
    cluster = aws_docdb_cluster(
        "main",
        cluster_identifier="app-docdb-prod",
        engine_version="4.0.0",
        master_username="admin",
        master_password=password,
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
            instance_class="db.r5.large",
            availability_zone=zone,
        )

    # The references of "Resource Reference System".
    output("id", cluster.id)
    output("arn", cluster.arn)
    output("endpoint", cluster.endpoint)
    output("reader_endpoint", cluster.reader_endpoint)
    output("cluster_members", cluster.cluster_members)
    output("hosted_zone_id", cluster.hosted_zone_id)
    output("port", cluster.port)
