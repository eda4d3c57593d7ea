"""Seed section "Architecture Patterns / 2. Multi-Environment Database Strategy".

A DocumentDB global cluster with its primary cluster in us-east-1 and a read-only secondary
cluster in us-west-2.

Corrections:

- ``source_region`` is not an argument of ``aws_docdb_cluster`` (the seed borrowed it from
  RDS). Since AWS provider 6.0 every resource takes ``region``, which is how the secondary
  cluster and its instance are placed in us-west-2 without a second provider block.
- The seed set ``engine_version = "4.0.0"`` on the primary only and none on the global
  cluster, which would then be created with the default version; every member must run the
  global cluster's engine and version. The version is now set once on the global cluster and
  both clusters take ``engine`` and ``engine_version`` from it.
- The primary had no master credentials. Only secondary clusters inherit them; the primary of
  a new global cluster needs ``master_username`` and a password (a sensitive variable here).
  pangea cannot tell a primary from a secondary offline, so it does not report this one.
- Both member clusters set ``storage_encrypted=True`` so that they agree with the encrypted
  global cluster.
- A cluster without instances serves no traffic: each cluster gets one instance of a class
  that global clusters support (db.r5.large, the seed's class elsewhere).
- The secondary is created after the primary's instance (``depends_on``), as in the
  provider's own global-cluster example, so that the secondary Region is added only once the
  primary cluster is up.
- Final snapshots: the primary names one (destroying it would otherwise fail); the
  secondary, a copy of the primary's data, skips it.
"""

from pangea import output, template, variable
from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance, aws_docdb_global_cluster


@template
def production_database():
    password = variable("docdb_master_password", type="string", sensitive=True)
    docdb_global = aws_docdb_global_cluster(
        "global",
        global_cluster_identifier="app-docdb-global",
        engine="docdb",
        engine_version="4.0.0",
        storage_encrypted=True,
    )

    primary_cluster = aws_docdb_cluster(
        "primary",
        cluster_identifier="app-docdb-us-east-1",
        global_cluster_identifier=docdb_global.id,
        engine=docdb_global.engine,
        engine_version=docdb_global.engine_version,
        master_username="docdbadmin",
        master_password=password,
        backup_retention_period=30,
        storage_encrypted=True,
        final_snapshot_identifier="app-docdb-us-east-1-final",
    )
    primary_instance = aws_docdb_cluster_instance(
        "primary",
        identifier="app-docdb-us-east-1-1",
        cluster_identifier=primary_cluster.id,
        instance_class="db.r5.large",
    )

    replica_cluster = aws_docdb_cluster(
        "replica",
        region="us-west-2",
        cluster_identifier="app-docdb-us-west-2",
        global_cluster_identifier=docdb_global.id,
        engine=docdb_global.engine,
        engine_version=docdb_global.engine_version,
        storage_encrypted=True,
        skip_final_snapshot=True,
        depends_on=[primary_instance],
    )
    aws_docdb_cluster_instance(
        "replica",
        region="us-west-2",
        identifier="app-docdb-us-west-2-1",
        cluster_identifier=replica_cluster.id,
        instance_class="db.r5.large",
    )

    output("global_cluster_arn", docdb_global.arn)
    output("primary_endpoint", primary_cluster.endpoint)
    output("replica_reader_endpoint", replica_cluster.reader_endpoint)
