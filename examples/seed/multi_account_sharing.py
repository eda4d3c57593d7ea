"""Seed section "Enterprise Integration Patterns / 2. Multi-Account Resource Sharing".

Share database networking with a development account through AWS RAM.

Corrections:

- The seed associated the DocumentDB subnet group with the resource share. RAM shares only
  the resource types listed in its documentation (VPC subnets, transit gateways, Route 53
  Resolver rules, License Manager configurations, ...); DocumentDB subnet groups are not
  among them, so the association would fail when applied. The share now holds the VPC
  subnets themselves; the other account builds its own subnet groups from the shared
  subnets. The DocumentDB subnet group stays, for this account's clusters. (pangea does not
  yet catch this mistake itself; see tests/test_seed_examples.py.)
- "subnet-12345", "subnet-67890" and "subnet-abcde" are not subnet IDs AWS can return (a
  subnet ID is "subnet-" and 8 or 17 hexadecimal digits); realistic IDs are used.
- The share names its permission explicitly: the AWS-managed subnet permission, whose ARN
  the ``aws_ram_managed_permission`` helper (a seed name) returns.
- ``allow_external_principals=False`` (kept) means the principal must belong to this
  account's organization, and sharing within the organization must be turned on once per
  organization (``aws_ram_sharing_with_organization``, from the management account).
"""

from pangea import output, template
from pangea_aws import (
    aws_docdb_subnet_group,
    aws_ram_managed_permission,
    aws_ram_principal_association,
    aws_ram_resource_association,
    aws_ram_resource_share,
)

OWNER_ACCOUNT = "111122223333"
SUBNETS = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719", "subnet-0a1b2c3d4e5f60720"]


@template
def shared_database_services():
    shared_subnet_group = aws_docdb_subnet_group(
        "shared",
        name="shared-docdb-subnets",
        subnet_ids=SUBNETS,
    )
    db_share = aws_ram_resource_share(
        "databases",
        name="shared-database-resources",
        allow_external_principals=False,
        permission_arns=[aws_ram_managed_permission("AWSRAMDefaultPermissionSubnet")],
    )
    for index, subnet in enumerate(SUBNETS):
        aws_ram_resource_association(
            f"subnet_{index}",
            resource_arn=f"arn:aws:ec2:us-east-1:{OWNER_ACCOUNT}:subnet/{subnet}",
            resource_share_arn=db_share.arn,
        )
    aws_ram_principal_association(
        "dev_account",
        principal="123456789012",
        resource_share_arn=db_share.arn,
    )
    output("share_arn", db_share.arn)
    output("docdb_subnet_group", shared_subnet_group.name)
