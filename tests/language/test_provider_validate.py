"""terraform validate, with the AWS provider from a local mirror, accepts what pangea writes
for dynamic blocks, ephemeral resources, write-only arguments and raw overrides, and refuses
what pangea refuses (an ephemeral value in an ordinary argument). Slow: loading the provider
takes seconds."""

from __future__ import annotations

import copy

import pytest

from pangea import dynamic, ephemeral, override, variable
from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_parameter_group

pytestmark = pytest.mark.slow


def _stack():
    settings = variable("settings", type="map(string)", default={"tls": "enabled"})
    group = aws_docdb_cluster_parameter_group(
        "params", family="docdb5.0",
        parameter=[{"name": "audit_logs", "value": "enabled"},
                   dynamic(for_each=settings, content=lambda p: {"name": p.key,
                                                                 "value": p.value})])
    override(group, "parameter[0].apply_method", "pending-reboot")
    override(group, "lifecycle.postcondition", [{"condition": "${length(self.parameter) > 0}",
                                                 "error_message": "no parameters"}])
    password = ephemeral("aws_secretsmanager_random_password", "master", password_length=32)
    aws_docdb_cluster("docs", cluster_identifier="app-docs", master_username="docdbadmin",
                      master_password_wo=password.random_password, master_password_wo_version=1,
                      db_cluster_parameter_group_name=group.name, skip_final_snapshot=True)


def test_terraform_validates_the_language_features(run_template, aws_validate) -> None:
    config = run_template(_stack)
    assert config["terraform"]["required_version"] == ">= 1.11"
    run = aws_validate(config)
    assert run.code == 0, run.out + run.err

    # What pangea refuses, Terraform refuses too: the same value in the ordinary argument.
    wrong = copy.deepcopy(config)
    cluster = wrong["resource"]["aws_docdb_cluster"]["docs"]
    cluster["master_password"] = cluster.pop("master_password_wo")
    del cluster["master_password_wo_version"]
    refused = aws_validate(wrong)
    assert refused.code != 0
    assert "Invalid use of ephemeral value" in refused.err
    assert "not a\nwrite-only attribute" in refused.err
