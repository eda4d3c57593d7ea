"""Backend and remote-state settings per namespace, template and Terraform generation."""

from pathlib import Path

import pytest

from pangea.cli.backends import BackendDialect, BackendError, backend_file, remote_state_source
from pangea.cli.config import LocalState, Namespace, S3State

TF_1_0 = BackendDialect.for_version((1, 0, 3), "Terraform 1.0.3")
TF_1_11 = BackendDialect.for_version((1, 11, 4), "Terraform 1.11.4")

S3 = S3State(
    bucket="b",
    key_prefix="team/prod",
    region="us-east-1",
    dynamodb_table="locks",
    encrypt=True,
    role_arn="arn:aws:iam::1:role/r",
    endpoints={"s3": "http://127.0.0.1:1", "dynamodb": "http://127.0.0.1:2"},
    force_path_style=True,
    skip_credentials_validation=True,
    skip_requesting_account_id=True,
)


def test_local_state_is_one_file_per_template():
    ns = Namespace("dev", LocalState(Path("/p/.pangea/dev/.state")))
    assert backend_file(ns, "network") == {
        "terraform": {"backend": {"local": {"path": "/p/.pangea/dev/.state/network.tfstate"}}}
    }
    assert remote_state_source(ns, "app") == {
        "backend": "local",
        "config": {"path": "/p/.pangea/dev/.state/app.tfstate"},
    }


def test_s3_settings_for_terraform_1_0_use_the_old_names():
    settings = backend_file(Namespace("prod", S3), "network", TF_1_0)["terraform"]["backend"]["s3"]
    assert settings == {
        "bucket": "b",
        "key": "team/prod/network.tfstate",
        "region": "us-east-1",
        "dynamodb_table": "locks",
        "encrypt": True,
        "role_arn": "arn:aws:iam::1:role/r",
        "endpoint": "http://127.0.0.1:1",
        "dynamodb_endpoint": "http://127.0.0.1:2",
        "force_path_style": True,
        "skip_credentials_validation": True,
    }


def test_s3_settings_for_terraform_1_6_and_later_use_the_new_names():
    settings = backend_file(Namespace("prod", S3), "network", TF_1_11)["terraform"]["backend"]["s3"]
    assert settings["endpoints"] == {"dynamodb": "http://127.0.0.1:2", "s3": "http://127.0.0.1:1"}
    assert settings["assume_role"] == {"role_arn": "arn:aws:iam::1:role/r"}
    assert settings["use_path_style"] is True and settings["skip_requesting_account_id"] is True
    assert not {"endpoint", "dynamodb_endpoint", "force_path_style", "role_arn"} & settings.keys()


def test_remote_state_reads_the_same_place_the_backend_writes():
    ns = Namespace("prod", S3)
    source = remote_state_source(ns, "network", TF_1_0)
    assert source["backend"] == "s3"
    assert source["config"] == backend_file(ns, "network", TF_1_0)["terraform"]["backend"]["s3"]


def test_use_lockfile_is_written_for_new_binaries_and_refused_for_old_ones():
    ns = Namespace("prod", S3State(bucket="b", key_prefix="p", region="r", use_lockfile=True))
    assert backend_file(ns, "t", TF_1_11)["terraform"]["backend"]["s3"]["use_lockfile"] is True
    with pytest.raises(BackendError) as info:
        backend_file(ns, "t", TF_1_0)
    assert "use_lockfile needs Terraform or OpenTofu 1.10" in str(info.value)
    assert "dynamodb_table" in str(info.value) and "'prod'" in str(info.value)
