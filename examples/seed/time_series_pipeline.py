"""Seed section "Architecture Patterns / 3. Time Series Data Pipeline".

A Timestream database and table of raw metrics, and a scheduled query that rolls them up
every hour into a second table. The seed's names are kept: ``aws_timestream_database``,
``aws_timestream_table`` and ``aws_timestream_scheduled_query`` are aliases of the provider's
``aws_timestreamwrite_database``, ``aws_timestreamwrite_table`` and
``aws_timestreamquery_scheduled_query`` (same functions; the JSON has the provider's types).

Corrections:

- The scheduled query lacked everything the provider requires besides name, query and
  schedule: ``execution_role_arn`` (a required argument), and the blocks
  ``notification_configuration`` (SNS topic), ``error_report_configuration`` (S3 bucket) and
  ``target_configuration`` (where the results go). All are added.
- Its blocks are lists in the provider schema (no max_items), so each is a list holding one
  dict; the seed gave ``schedule_configuration`` as a bare dict.
- The seed's query wrote its results nowhere. A second table, ``app-performance-hourly``,
  receives them; the target configuration maps the result columns to it: ``hour`` is the time
  column, ``host`` a dimension (at least one dimension mapping is required, so the query now
  groups by host) and the two aggregates are measures of one multi-measure record.
- ``WHERE time > ago(24h)`` run every hour would recompute (and rewrite) a whole day each
  run. The query reads the hour before ``@scheduled_runtime``, the reserved parameter that
  holds the scheduled time, so re-runs give the same result.
- ``retention_properties`` is built with the ``aws_timestream_table_retention_properties``
  helper, the seed's retention-properties name, which validates the block when it is built.
"""

from pangea import output, template
from pangea_aws import (
    aws_timestream_database,
    aws_timestream_scheduled_query,
    aws_timestream_table,
    aws_timestream_table_retention_properties,
)

ACCOUNT = "123456789012"


@template
def metrics_infrastructure():
    metrics_db = aws_timestream_database("metrics", database_name="application-metrics")
    metrics_table = aws_timestream_table(
        "app_metrics",
        database_name=metrics_db.database_name,
        table_name="app-performance",
        retention_properties=aws_timestream_table_retention_properties(
            memory_store_retention_period_in_hours=24,
            magnetic_store_retention_period_in_days=90,
        ),
    )
    hourly_table = aws_timestream_table(
        "app_metrics_hourly",
        database_name=metrics_db.database_name,
        table_name="app-performance-hourly",
        retention_properties=aws_timestream_table_retention_properties(
            memory_store_retention_period_in_hours=24,
            magnetic_store_retention_period_in_days=730,
        ),
    )

    rollup = aws_timestream_scheduled_query(
        "hourly_rollup",
        name="hourly-performance-rollup",
        execution_role_arn=f"arn:aws:iam::{ACCOUNT}:role/timestream-scheduled-query",
        query_string=(
            "SELECT host, BIN(time, 1h) AS hour, "
            "AVG(cpu_utilization) AS avg_cpu, MAX(memory_usage) AS max_memory "
            f'FROM "{metrics_db.database_name}"."{metrics_table.table_name}" '
            "WHERE time BETWEEN @scheduled_runtime - 1h AND @scheduled_runtime "
            "GROUP BY host, BIN(time, 1h)"
        ),
        schedule_configuration=[{"schedule_expression": "rate(1 hour)"}],
        notification_configuration=[
            {"sns_configuration": [
                {"topic_arn": f"arn:aws:sns:us-east-1:{ACCOUNT}:timestream-query-events"}]}
        ],
        error_report_configuration=[
            {"s3_configuration": [{"bucket_name": f"timestream-query-errors-{ACCOUNT}",
                                   "object_key_prefix": "hourly-performance-rollup/",
                                   "encryption_option": "SSE_S3"}]}
        ],
        target_configuration=[{
            "timestream_configuration": [{
                "database_name": metrics_db.database_name,
                "table_name": hourly_table.table_name,
                "time_column": "hour",
                "dimension_mapping": [{"name": "host", "dimension_value_type": "VARCHAR"}],
                "multi_measure_mappings": [{
                    "target_multi_measure_name": "hourly_performance",
                    "multi_measure_attribute_mapping": [
                        {"source_column": "avg_cpu", "measure_value_type": "DOUBLE"},
                        {"source_column": "max_memory", "measure_value_type": "DOUBLE"},
                    ],
                }],
            }],
        }],
    )
    output("raw_table_arn", metrics_table.arn)
    output("scheduled_query_arn", rollup.arn)
