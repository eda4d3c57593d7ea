"""Seed section "Enterprise Integration Patterns / 3. License Compliance Management".

Track Oracle Database licenses by vCPU with a hard limit.

Corrections:

- ``license_rules`` held "ALLOW_OUTBOUND_MOBILITY" and "ALLOW_HYPERVISOR_AFFINITY", which are
  not License Manager rules. Rules are written ``#name=value`` and the names allowed depend
  on the counting type; for vCPU counting they are allowedTenancy, honorVcpuOptimization,
  maximumVcpus and minimumVcpus. The rules here restrict tenancy to shared and
  dedicated-instance tenancy and count the vCPUs left after CPU optimization.
- The association pointed at an RDS database ARN. License configurations are associated with
  AMIs, EC2 instances and Dedicated Hosts (the UpdateLicenseSpecificationsForResource API);
  the association now names the AMI the Oracle instances are launched from, so every launch
  from it is counted.
- ``aws_licensemanager_report_generator`` does not exist in the Terraform AWS provider
  (calling it in pangea raises an error saying so). It is dropped. Instead, after applying
  this template, create the report generator outside Terraform, with the
  CreateLicenseManagerReportGenerator API, for example
  ``aws license-manager create-license-manager-report-generator
  --report-generator-name monthly-compliance-report
  --type LicenseConfigurationSummaryReport --report-frequency value=1,period=MONTH
  --report-context licenseConfigurationArns=<license_configuration_arn output>
  --client-token <unique token>``
  (its S3 bucket can be managed in Terraform). The output ``license_configuration_arn`` is
  the value that command needs.
"""

from pangea import output, template
from pangea_aws import aws_licensemanager_association, aws_licensemanager_license_configuration

ORACLE_AMI_ARN = "arn:aws:ec2:us-east-1::image/ami-0abcdef1234567890"


@template
def license_management():
    oracle_licenses = aws_licensemanager_license_configuration(
        "oracle",
        name="Oracle Database Standard Edition",
        license_counting_type="vCPU",
        license_count=100,
        license_count_hard_limit=True,
        license_rules=[
            "#allowedTenancy=EC2-Default,EC2-DedicatedInstance",
            "#honorVcpuOptimization=True",
        ],
    )
    aws_licensemanager_association(
        "oracle_ami",
        license_configuration_arn=oracle_licenses.arn,
        resource_arn=ORACLE_AMI_ARN,
    )
    output("license_configuration_arn", oracle_licenses.arn)
    output("license_configuration_id", oracle_licenses.license_configuration_id)
