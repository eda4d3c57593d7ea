"""mypy input for tests/test_seed_names.py (checked in the session's one mypy run, never run):
an alias type-checks as its target function, so a keyword the target lacks is an error."""

from pangea import template
from pangea_aws import aws_timestream_database, aws_timestream_table


@template
def metrics() -> None:
    db = aws_timestream_database("metrics", database_name="metrics")
    aws_timestream_table("cpu", database_name=db.database_name, table_name="cpu")
    aws_timestream_database("bad", database_nam="metrics")  # E: the target has no database_nam
