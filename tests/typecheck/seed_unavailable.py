"""mypy input for tests/test_seed_names.py (checked in the session's one mypy run, never run):
a seed name that exists nowhere is reported as deprecated, an ordinary type is not."""

from pangea import template
from pangea_aws import aws_docdb_cluster, aws_licensemanager_report_generator


@template
def license_management() -> None:
    aws_docdb_cluster("docs", cluster_identifier="docs", skip_final_snapshot=True)
    aws_licensemanager_report_generator("compliance", {"report_frequency": "MONTH"})
