"""Template files used by the command tests."""

# Two templates, one reading the other's outputs; no provider download needed.
NETWORK_AND_APP = """
import os
from pangea import template, output, variable, local, remote_outputs

@template("network")
def network():
    cidr = variable("cidr", type="string", default=os.environ.get("TEST_CIDR", "10.0.0.0/16"))
    local("cidr_copy", cidr)
    output("vpc_cidr", cidr, description="the network range")
    output("db_password", "hunter2-secret", sensitive=True)

@template("app")
def app():
    net = remote_outputs("network")
    output("cidr_seen", net.vpc_cidr)
"""


def native_lock_config(bucket: str, endpoint: str, key_prefix: str) -> str:
    """pangea.yaml for namespace 'blue' keeping state in a moto S3 bucket, locked by S3's own
    lock file (Terraform >= 1.10's use_lockfile) instead of a DynamoDB table."""
    return f"""
        namespaces:
          blue:
            state:
              type: s3
              bucket: {bucket}
              key_prefix: {key_prefix}
              region: us-east-1
              use_lockfile: true
              endpoints: {{s3: "{endpoint}", sts: "{endpoint}"}}
              force_path_style: true
              skip_credentials_validation: true
              skip_requesting_account_id: true
              skip_metadata_api_check: true
    """
