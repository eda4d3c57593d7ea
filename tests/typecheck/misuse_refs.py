"""An unknown attribute of a typed reference must be a type error (not only a runtime
AttributeError). Type-checked, never run."""

from pangea import template
from pangea_aws import aws_docdb_cluster


@template
def misuse_refs() -> None:
    cluster = aws_docdb_cluster("main", cluster_identifier="main")
    print(cluster.endpont)  # E: unknown reference attribute
    print(cluster.serverless_v2_scaling_configuration.maximum)  # E: unknown block attribute
