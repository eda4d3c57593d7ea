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
