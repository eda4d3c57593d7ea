"""Seed section "Testing & Validation / Resource Testing Pattern": the template ``test``.

A throwaway DocumentDB cluster whose endpoint and ARN are exported for a test harness to
check. The seed's snippet is valid against the provider schema; the names, identifiers and
``skip_final_snapshot`` are kept, and its two ``output ... do value ... end`` blocks become
``output(name, value)`` calls.

Corrections:

- ``master_password`` was the literal "testpassword123" in the source; it is a sensitive
  variable now, even for a test cluster, so the file carries no credentials.

Run it like the seed's commands, with pangea's CLI:
``pangea plan examples/seed/testing_validation.py --template test --namespace development``.
"""

from pangea import output, template, variable
from pangea_aws import aws_docdb_cluster


@template
def test():
    password = variable("test_master_password", type="string", sensitive=True)
    cluster = aws_docdb_cluster(
        "test",
        cluster_identifier="test-cluster",
        master_username="testuser",
        master_password=password,
        skip_final_snapshot=True,
    )
    output("cluster_endpoint", cluster.endpoint)
    output("cluster_arn", cluster.arn)
