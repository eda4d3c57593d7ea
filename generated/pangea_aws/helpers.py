"""Hand-written functions behind some of the seed document's names.

Each emits only types that the generated package has (see provider_schema/seed_names.yaml for
why each exists). They are exported from the package like the generated functions. This file
is hand-written: the generator copies it verbatim from extras/aws/ into the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from pangea.errors import ValidationError
from pangea.expr import Expr, ResourceRef, is_expression

if TYPE_CHECKING:
    from .data.aws_memorydb_cluster import DataAwsMemorydbClusterClusterEndpointRef
    from .resources.aws_backup_plan import AwsBackupPlanRef
    from .resources.aws_backup_selection import AwsBackupSelectionRef
    from .resources.aws_timestreamwrite_table import AwsTimestreamwriteTableRetentionProperties


@dataclass(frozen=True)
class DocdbClusterBackup:
    """What :func:`aws_docdb_cluster_backup` declared."""

    plan: "AwsBackupPlanRef"
    selection: "AwsBackupSelectionRef"


_CRON = re.compile(r"^cron\(.+\)$")


def aws_docdb_cluster_backup(
    name: str,
    *,
    cluster: ResourceRef | str,
    iam_role_arn: str | Expr,
    vault_name: str | Expr,
    schedule: str = "cron(0 5 ? * * *)",
    delete_after_days: int = 35,
    start_window_minutes: int | None = None,
    completion_window_minutes: int | None = None,
    tags: dict[str, str] | None = None,
) -> DocdbClusterBackup:
    """Back a DocumentDB cluster up on a schedule with AWS Backup.

    Declares ``aws_backup_plan.<name>`` (one rule: ``schedule`` in AWS Backup's cron syntax,
    recovery points kept ``delete_after_days``) and ``aws_backup_selection.<name>`` that assigns
    the cluster (a reference returned by ``aws_docdb_cluster`` or a cluster ARN) to the plan.
    The cluster's own ``backup_retention_period`` still governs its continuous backups.
    """
    from .resources.aws_backup_plan import aws_backup_plan
    from .resources.aws_backup_selection import aws_backup_selection

    address = f"aws_docdb_cluster_backup({name!r})"
    problems = []
    if isinstance(cluster, ResourceRef):
        if not cluster._address.startswith("aws_docdb_cluster."):
            problems.append(("cluster", f"must be an aws_docdb_cluster (got {cluster._address})"))
        cluster_arn: Any = cluster.arn  # type: ignore[attr-defined]
    elif isinstance(cluster, str) and (is_expression(cluster) or cluster.startswith("arn:")):
        cluster_arn = cluster
    else:
        problems.append(
            ("cluster", f"must be an aws_docdb_cluster reference or ARN (got {cluster!r})")
        )
        cluster_arn = None
    if not is_expression(schedule) and not _CRON.match(str(schedule)):
        problems.append(
            (
                "schedule",
                "must be an AWS Backup cron expression such as "
                f"'cron(0 5 ? * * *)' (got {schedule!r})",
            )
        )
    if (
        isinstance(delete_after_days, bool)
        or not isinstance(delete_after_days, int)
        or delete_after_days < 1
    ):
        problems.append(
            (
                "delete_after_days",
                f"must be a whole number of days >= 1 (got {delete_after_days!r})",
            )
        )
    if problems:
        raise ValidationError(address, problems)
    rule: dict[str, Any] = {
        "rule_name": f"{name}-daily",
        "target_vault_name": vault_name,
        "schedule": schedule,
        "lifecycle": {"delete_after": delete_after_days},
    }
    if start_window_minutes is not None:
        rule["start_window"] = start_window_minutes
    if completion_window_minutes is not None:
        rule["completion_window"] = completion_window_minutes
    plan = aws_backup_plan(name, name=f"{name}-docdb-backup", rule=[cast(Any, rule)], tags=tags)
    selection = aws_backup_selection(
        name,
        name=f"{name}-docdb",
        plan_id=plan.id,
        iam_role_arn=iam_role_arn,
        resources=[cluster_arn],
    )
    return DocdbClusterBackup(plan, selection)


def aws_timestream_table_retention_properties(
    *,
    memory_store_retention_period_in_hours: int | Expr,
    magnetic_store_retention_period_in_days: int | Expr,
) -> "AwsTimestreamwriteTableRetentionProperties":
    """The ``retention_properties`` block of ``aws_timestreamwrite_table``, validated now.

    Pass the result as ``retention_properties=`` to ``aws_timestreamwrite_table``.
    """
    from .resources.aws_timestreamwrite_table import (
        AwsTimestreamwriteTableRetentionProperties as Block,
    )

    address = "aws_timestream_table_retention_properties()"
    block = Block.model_validate(
        {
            "memory_store_retention_period_in_hours": memory_store_retention_period_in_hours,
            "magnetic_store_retention_period_in_days": magnetic_store_retention_period_in_days,
        },
        address=address,
    )
    values = {k: v for k, v in block.__dict__.items() if v is not None}
    problems = [p for rule in Block._rules for p in rule.check(values, Block._sensitive)]
    if problems:
        raise ValidationError(address, problems)
    return block


def aws_memorydb_cluster_endpoint(
    name: str, *, cluster_name: str | Expr
) -> "DataAwsMemorydbClusterClusterEndpointRef":
    """The endpoint (``.address``, ``.port``) of a MemoryDB cluster, looked up by name.

    Declares the data source ``data.aws_memorydb_cluster.<name>``. For a cluster declared in the
    same template, read ``cluster.cluster_endpoint[0]`` directly instead.
    """
    from .data.aws_memorydb_cluster import data_aws_memorydb_cluster

    return data_aws_memorydb_cluster(name, name=cluster_name).cluster_endpoint[0]


_MANAGED_PERMISSION = re.compile(r"^AWSRAM[A-Za-z0-9]+$")
_PARTITIONS = ("aws", "aws-cn", "aws-us-gov")


def aws_ram_managed_permission(permission_name: str, *, partition: str = "aws") -> str:
    """ARN of an AWS-managed RAM permission, for ``permission_arns`` of a resource share.

    ``aws_ram_managed_permission("AWSRAMDefaultPermissionSubnet")`` ->
    ``"arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet"``.
    """
    problems = []
    if not isinstance(permission_name, str) or not _MANAGED_PERMISSION.match(permission_name):
        problems.append(
            (
                "permission_name",
                "must be the name of an AWS-managed permission, "
                f"which starts with AWSRAM (got {permission_name!r})",
            )
        )
    if partition not in _PARTITIONS:
        problems.append(
            ("partition", f"must be one of {', '.join(_PARTITIONS)} (got {partition!r})")
        )
    if problems:
        raise ValidationError("aws_ram_managed_permission()", problems)
    return f"arn:{partition}:ram::aws:permission/{permission_name}"
