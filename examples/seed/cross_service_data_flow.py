"""Seed section "Enterprise Integration Patterns / 1. Cross-Service Data Flow".

One template with a store per data shape: Timestream for metrics, DocumentDB for documents,
Neptune for relationships and MemoryDB as a cache.

Corrections:

- The DocumentDB cluster had no master user. A new cluster needs ``master_username`` and a
  password; here DocumentDB generates the password and keeps it in Secrets Manager
  (``manage_master_user_password=True``), so no secret appears in code or state.
- The MemoryDB cluster had no ``acl_name``, a required argument. An ACL with one
  IAM-authenticated user is added (IAM authentication needs Redis OSS 7.0 or later, so
  ``engine_version="7.1"`` is set).
- Neither the DocumentDB nor the Neptune cluster could be destroyed as written (the provider
  takes a final snapshot by default and needs its name): both set
  ``final_snapshot_identifier``.
- The seed's clusters have no instances; as in the seed, the instances are left to the
  service templates (see database_cluster_patterns.py and graph_recommendations.py).
"""

from pangea import output, template
from pangea_aws import (
    aws_docdb_cluster,
    aws_memorydb_acl,
    aws_memorydb_cluster,
    aws_memorydb_user,
    aws_neptune_cluster,
    aws_timestream_database,
)


@template
def data_platform():
    timestream_db = aws_timestream_database("platform", database_name="data-platform")

    docdb_cluster = aws_docdb_cluster(
        "documents",
        cluster_identifier="platform-documents",
        master_username="platformadmin",
        manage_master_user_password=True,
        storage_encrypted=True,
        final_snapshot_identifier="platform-documents-final",
    )

    neptune_cluster = aws_neptune_cluster(
        "knowledge_graph",
        cluster_identifier="platform-knowledge-graph",
        final_snapshot_identifier="platform-knowledge-graph-final",
    )

    cache_user = aws_memorydb_user(
        "platform",
        user_name="platform-app",
        access_string="on ~platform:* +@read +@write",
        authentication_mode={"type": "iam"},
    )
    cache_acl = aws_memorydb_acl("platform", name="platform-cache-acl",
                                 user_names=[cache_user.user_name])
    memorydb_cluster = aws_memorydb_cluster(
        "cache",
        name="platform-cache",
        node_type="db.r6g.large",
        acl_name=cache_acl.name,
        engine="redis",
        engine_version="7.1",
    )

    output("timestream_database_arn", timestream_db.arn)
    output("documents_endpoint", docdb_cluster.endpoint)
    output("documents_secret_arn", docdb_cluster.master_user_secret_arn)
    output("graph_endpoint", neptune_cluster.endpoint)
    output("cache_address", memorydb_cluster.endpoint_address)
