"""Seed section "Architecture Patterns / 4. Graph Database for Recommendations".

A Neptune cluster with IAM database authentication, a writer instance and a read replica for
analytics. The seed's snippet is valid against the provider schema; its values are kept.

Corrections:

- The cluster had neither ``skip_final_snapshot`` nor ``final_snapshot_identifier``. The
  provider takes a final snapshot by default and cannot destroy the cluster without a name
  for it, so ``final_snapshot_identifier`` is set.
- The seed's comment calls the second instance a "read replica": in Neptune every instance
  after the first is a replica, and ``promotion_tier=1`` makes it the first candidate when the
  writer fails over. The writer keeps the default tier (0). No change was needed here.

The outputs use pangea's computed properties of a Neptune instance (Gremlin and openCypher
URLs built from its endpoint) and the cluster's reader endpoint for the analytics traffic.
"""

from pangea import output, template
from pangea_aws import aws_neptune_cluster, aws_neptune_cluster_instance


@template
def recommendation_engine():
    graph_cluster = aws_neptune_cluster(
        "recommendations",
        cluster_identifier="recommendation-graph",
        engine="neptune",
        backup_retention_period=7,
        iam_database_authentication_enabled=True,
        final_snapshot_identifier="recommendation-graph-final",
    )
    primary = aws_neptune_cluster_instance(
        "primary",
        identifier="recommendation-primary",
        cluster_identifier=graph_cluster.cluster_identifier,
        instance_class="db.r5.xlarge",
        engine="neptune",
    )
    aws_neptune_cluster_instance(
        "analytics",
        identifier="recommendation-analytics",
        cluster_identifier=graph_cluster.cluster_identifier,
        instance_class="db.r5.2xlarge",
        promotion_tier=1,
    )
    output("gremlin_endpoint", primary.gremlin_endpoint)
    output("opencypher_endpoint", primary.opencypher_endpoint)
    output("analytics_reader_endpoint", graph_cluster.reader_endpoint)
