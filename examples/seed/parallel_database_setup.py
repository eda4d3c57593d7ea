"""Seed section "Performance Optimization / 1. Resource Dependency Optimization".

Subnet groups and parameter groups for DocumentDB, Neptune and MemoryDB. None refers to
another, so Terraform creates all six at once.

Corrections:

- The seed elides every argument (``{...}``). Complete arguments are written here: each
  subnet group spans the same three private subnets, and each parameter group names its
  engine family (a required argument the seed could not omit) and sets one parameter that
  is commonly changed: TLS and audit logging for DocumentDB, audit logging for Neptune and
  the eviction policy for MemoryDB.
- The seed gave the DocumentDB and Neptune parameter groups the same label as the subnet
  groups (``:docdb``, ``:neptune``); that is fine in Terraform, since addresses include the
  type, and is kept.
"""

from pangea import output, template
from pangea_aws import (
    aws_docdb_cluster_parameter_group,
    aws_docdb_subnet_group,
    aws_memorydb_parameter_group,
    aws_memorydb_subnet_group,
    aws_neptune_cluster_parameter_group,
    aws_neptune_subnet_group,
)

PRIVATE_SUBNETS = [
    "subnet-0a1b2c3d4e5f60718",
    "subnet-0a1b2c3d4e5f60719",
    "subnet-0a1b2c3d4e5f60720",
]
TAGS = {"Environment": "production", "ManagedBy": "pangea"}


@template
def parallel_database_setup():
    # These can be created in parallel.
    docdb_subnet_group = aws_docdb_subnet_group(
        "docdb",
        name="app-docdb",
        description="Private subnets for the DocumentDB clusters",
        subnet_ids=PRIVATE_SUBNETS,
        tags=TAGS,
    )
    neptune_subnet_group = aws_neptune_subnet_group(
        "neptune",
        name="app-neptune",
        description="Private subnets for the Neptune clusters",
        subnet_ids=PRIVATE_SUBNETS,
        tags=TAGS,
    )
    memorydb_subnet_group = aws_memorydb_subnet_group(
        "memorydb",
        name="app-memorydb",
        description="Private subnets for the MemoryDB clusters",
        subnet_ids=PRIVATE_SUBNETS,
        tags=TAGS,
    )

    # Parameter groups can also be created in parallel.
    docdb_params = aws_docdb_cluster_parameter_group(
        "docdb",
        name="app-docdb5",
        family="docdb5.0",
        description="TLS required, audit logs on",
        parameter=[
            {"name": "tls", "value": "enabled"},
            {"name": "audit_logs", "value": "enabled"},
        ],
        tags=TAGS,
    )
    neptune_params = aws_neptune_cluster_parameter_group(
        "neptune",
        name="app-neptune13",
        family="neptune1.3",
        description="Audit logs on",
        parameter=[{"name": "neptune_enable_audit_log", "value": "1"}],
        tags=TAGS,
    )
    memorydb_params = aws_memorydb_parameter_group(
        "memorydb",
        name="app-memorydb-redis7",
        family="memorydb_redis7",
        description="Evict least recently used keys when memory is full",
        parameter=[{"name": "maxmemory-policy", "value": "allkeys-lru"}],
        tags=TAGS,
    )

    output("docdb_subnet_group", docdb_subnet_group.name)
    output("neptune_subnet_group", neptune_subnet_group.name)
    output("memorydb_subnet_group", memorydb_subnet_group.name)
    output("docdb_parameter_group", docdb_params.name)
    output("neptune_parameter_group", neptune_params.name)
    output("memorydb_parameter_group", memorydb_params.name)
