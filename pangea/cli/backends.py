"""Turn a namespace's state settings into Terraform backend and ``terraform_remote_state`` config.

The s3 backend renamed its settings in Terraform 1.6 / OpenTofu 1.6 (``endpoint`` became
``endpoints.s3``, ``force_path_style`` became ``use_path_style``, ``role_arn`` moved into
``assume_role``) and gained native locking (``use_lockfile``) in 1.10, so the block is written
for the binary that will read it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost: pangea._typing)
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from pangea._typing import NamedTuple

from pangea.cli.config import LocalState, Namespace, S3State
from pangea.names import contained_path


class BackendError(Exception):
    """The namespace asks for something the chosen Terraform binary cannot do."""


class BackendDialect(NamedTuple):
    """Which generation of s3 backend settings the Terraform binary understands."""

    modern_s3: bool = True  # Terraform/OpenTofu >= 1.6
    native_s3_lock: bool = True  # >= 1.10: use_lockfile
    binary_label: str = "Terraform"

    @classmethod
    def for_version(cls, version: tuple[int, int, int], label: str) -> "BackendDialect":
        return cls(
            modern_s3=version >= (1, 6, 0), native_s3_lock=version >= (1, 10, 0), binary_label=label
        )


MODERN = BackendDialect()


def local_state_path(state: LocalState, template: str) -> str:
    return str(contained_path(state.directory, f"{template}.tfstate"))


def backend_settings(
    namespace: Namespace, template: str, dialect: BackendDialect = MODERN
) -> tuple[str, dict[str, Any]]:
    """The backend type and its settings for one template's own state."""
    state = namespace.state
    if isinstance(state, LocalState):
        return "local", {"path": local_state_path(state, template)}
    return "s3", _s3_settings(namespace, state, template, dialect)


def backend_file(
    namespace: Namespace, template: str, dialect: BackendDialect = MODERN
) -> dict[str, Any]:
    """Contents of ``backend.tf.json``, written next to the template's ``main.tf.json``."""
    kind, settings = backend_settings(namespace, template, dialect)
    return {"terraform": {"backend": {kind: settings}}}


def remote_state_source(
    namespace: Namespace, template: str, dialect: BackendDialect = MODERN
) -> dict[str, Any]:
    """``terraform_remote_state`` arguments that read ``template``'s state in this namespace."""
    kind, settings = backend_settings(namespace, template, dialect)
    return {"backend": kind, "config": settings}


def _s3_settings(
    namespace: Namespace, state: S3State, template: str, dialect: BackendDialect
) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "bucket": state.bucket,
        "key": state.key_for(template),
        "region": state.region,
    }
    if state.dynamodb_table is not None:
        settings["dynamodb_table"] = state.dynamodb_table
    if state.use_lockfile:
        if not dialect.native_s3_lock:
            raise BackendError(
                f"namespace {namespace.name!r}: state.use_lockfile needs Terraform or OpenTofu "
                f"1.10 or newer, but the binary in use is {dialect.binary_label}; "
                "use state.dynamodb_table for locking, or point terraform.binary at a newer release"
            )
        settings["use_lockfile"] = True
    for name in (
        "encrypt",
        "kms_key_id",
        "profile",
        "skip_credentials_validation",
        "skip_metadata_api_check",
        "skip_region_validation",
    ):
        value = getattr(state, name)
        if value is not None:
            settings[name] = value
    if dialect.modern_s3:
        _add_modern_options(settings, state)
    else:
        _add_legacy_options(settings, state)
    return settings


def _add_modern_options(settings: dict[str, Any], state: S3State) -> None:
    if state.role_arn is not None:
        settings["assume_role"] = {"role_arn": state.role_arn}
    if state.endpoints:
        settings["endpoints"] = dict(sorted(state.endpoints.items()))
    if state.force_path_style is not None:
        settings["use_path_style"] = state.force_path_style
    if state.skip_requesting_account_id is not None:
        settings["skip_requesting_account_id"] = state.skip_requesting_account_id


def _add_legacy_options(settings: dict[str, Any], state: S3State) -> None:
    # Terraform < 1.6 has no skip_requesting_account_id; it is simply not needed there.
    if state.role_arn is not None:
        settings["role_arn"] = state.role_arn
    legacy_names = {
        "s3": "endpoint",
        "dynamodb": "dynamodb_endpoint",
        "sts": "sts_endpoint",
        "iam": "iam_endpoint",
    }
    for service, url in sorted(state.endpoints.items()):
        settings[legacy_names[service]] = url
    if state.force_path_style is not None:
        settings["force_path_style"] = state.force_path_style
