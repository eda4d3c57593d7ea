"""Seed section "Monitoring & Observability".

Send DocumentDB and Neptune cluster events to one SNS topic. The seed's snippet is valid
against the provider schema and is translated as written: no corrections were needed.

Notes:

- Without ``source_ids`` a subscription covers every resource of its ``source_type`` in the
  account and Region (here: every DocumentDB cluster, every Neptune cluster).
- The DocumentDB subscription keeps the seed's categories (failover, failure, maintenance);
  the Neptune one, like the seed's, sets none and so receives every cluster event.
"""

from pangea import output, template
from pangea_aws import aws_docdb_event_subscription, aws_neptune_event_subscription

ALERTS_TOPIC = "arn:aws:sns:us-east-1:123456789012:database-alerts"


@template
def database_monitoring():
    docdb_events = aws_docdb_event_subscription(
        "docdb_events",
        name="docdb-production-events",
        sns_topic_arn=ALERTS_TOPIC,
        source_type="db-cluster",
        event_categories=["failover", "failure", "maintenance"],
    )
    neptune_events = aws_neptune_event_subscription(
        "neptune_events",
        name="neptune-production-events",
        sns_topic_arn=ALERTS_TOPIC,
        source_type="db-cluster",
    )
    output("docdb_subscription_arn", docdb_events.arn)
    output("neptune_subscription_arn", neptune_events.arn)
