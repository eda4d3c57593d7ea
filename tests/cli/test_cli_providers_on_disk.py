"""A shared plugin cache and the dependency lock file beside the templates."""

import json
import os
from pathlib import Path

import pytest

from pangea import providers
from pangea.cli import lockfile

AWS = "registry.terraform.io/hashicorp/aws"
RANDOM = "registry.terraform.io/hashicorp/random"


def block(address, version, digest="h1:abc="):
    return (
        f'provider "{address}" {{\n  version     = "{version}"\n  constraints = "{version}"\n'
        f'  hashes = [\n    "{digest}",\n  ]\n}}\n'
    )


def test_blocks_are_parsed_and_rendered_sorted_with_terraforms_header():
    text = lockfile.render({RANDOM: block(RANDOM, "3.7.2"), AWS: block(AWS, "6.47.0")})
    assert text.startswith("# This file is maintained automatically by \"terraform init\".")
    assert text.index(AWS) < text.index(RANDOM)
    assert lockfile.parse_blocks(text) == {AWS: block(AWS, "6.47.0"), RANDOM: block(RANDOM, "3.7.2")}


def test_merge_out_keeps_other_templates_providers_and_takes_the_new_entries(tmp_path):
    project_lock = tmp_path / lockfile.LOCK_FILE
    project_lock.write_text(lockfile.render({AWS: block(AWS, "6.46.0"), RANDOM: block(RANDOM, "3.7.2")}))
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / lockfile.LOCK_FILE).write_text(lockfile.render({AWS: block(AWS, "6.47.0")}))
    assert lockfile.merge_out(workdir, project_lock) is True
    merged = lockfile.parse_blocks(project_lock.read_text())
    assert merged == {AWS: block(AWS, "6.47.0"), RANDOM: block(RANDOM, "3.7.2")}
    assert lockfile.merge_out(workdir, project_lock) is False  # nothing new: file untouched


def test_a_changed_project_lock_file_asks_for_init(tmp_path):
    project_lock = tmp_path / lockfile.LOCK_FILE
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / lockfile.LOCK_FILE).write_text(lockfile.render({AWS: block(AWS, "6.47.0")}))
    project_lock.write_text(lockfile.render({AWS: block(AWS, "6.47.0"), RANDOM: block(RANDOM, "3.7.2")}))
    assert not lockfile.needs_refresh(project_lock, workdir)  # random is another template's
    project_lock.write_text(lockfile.render({AWS: block(AWS, "6.48.0")}))  # e.g. after git pull
    assert lockfile.needs_refresh(project_lock, workdir)


def test_plugin_cache_goes_under_dot_pangea_unless_the_user_set_one(tmp_path):
    from pangea.cli.plugin_cache import plugin_cache_env

    env = plugin_cache_env(tmp_path / ".pangea", environ={})
    assert env == {"TF_PLUGIN_CACHE_DIR": str(tmp_path / ".pangea" / "plugin-cache")}
    assert (tmp_path / ".pangea" / "plugin-cache").is_dir()
    assert plugin_cache_env(tmp_path / ".pangea", environ={"TF_PLUGIN_CACHE_DIR": "/mine"}) == {}


_HOLD_INIT = """
import sys, time
from pangea.cli.plugin_cache import exclusive_init
with exclusive_init({"TF_PLUGIN_CACHE_DIR": sys.argv[1]}):
    print(f"{time.monotonic()} start", flush=True)
    time.sleep(0.4)
    print(f"{time.monotonic()} end", flush=True)
"""


def test_inits_sharing_a_plugin_cache_never_overlap(tmp_path):
    """Terraform's plugin cache is not safe for concurrent inits ("file exists" when two inits
    fill it): threads of one run and separate pangea processes take turns on it."""
    import subprocess
    import sys
    import threading
    import time

    from pangea.cli.plugin_cache import exclusive_init

    cache = tmp_path / "plugin-cache"
    cache.mkdir()
    spans: list[tuple[float, float]] = []

    def hold() -> None:
        with exclusive_init({"TF_PLUGIN_CACHE_DIR": str(cache)}):
            start = time.monotonic()
            time.sleep(0.4)
            spans.append((start, time.monotonic()))

    others = [subprocess.Popen([sys.executable, "-c", _HOLD_INIT, str(cache)],
                               stdout=subprocess.PIPE, text=True) for _ in range(2)]
    threads = [threading.Thread(target=hold) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for other in others:
        out, _ = other.communicate(timeout=60)
        assert other.returncode == 0
        times = [float(line.split()[0]) for line in out.splitlines()]
        spans.append((times[0], times[1]))
    spans.sort()
    assert len(spans) == 5
    for (_, end), (next_start, _) in zip(spans, spans[1:]):
        assert next_start >= end, f"two inits held the plugin cache at once: {spans}"


MIRROR = Path("/opt/tf-plugins/registry.terraform.io/hashicorp/aws/5.100.0")

TWO_TEMPLATES = """
from pangea import template, output, provider

CREDENTIALS = dict(region="us-east-1", access_key="x", secret_key="y",
                   skip_credentials_validation=True, skip_requesting_account_id=True,
                   skip_metadata_api_check=True)

@template
def one():
    provider("aws", **CREDENTIALS)
    output("a", 1)

@template
def two():  # nothing to change: Terraform says so, and pangea does not read the plan back
    provider("aws", **CREDENTIALS)
"""


@pytest.mark.slow
@pytest.mark.terraform
@pytest.mark.skipif(not MIRROR.is_dir(), reason="needs the AWS provider 5.100.0 in /opt/tf-plugins")
def test_one_provider_copy_for_all_templates_and_the_lock_file_beside_them(
    tf_project, monkeypatch, tmp_path_factory
):
    """Real Terraform and a real provider from a local filesystem mirror (no network)."""
    import pangea_aws

    cli_config = tmp_path_factory.mktemp("tfrc") / "cli.tfrc"
    cli_config.write_text(
        'provider_installation {\n  filesystem_mirror {\n    path = "/opt/tf-plugins"\n'
        '    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n'
    )
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(cli_config))
    # Terraform and the AWS provider (Go) collect garbage less often: about 12% less CPU per
    # plan or show for ~150 MB more heap; what they do is unchanged.
    monkeypatch.setenv("GOGC", os.environ.get("GOGC", "400"))
    monkeypatch.delenv("TF_PLUGIN_CACHE_DIR", raising=False)
    # Pin the mirror's version for this run.
    monkeypatch.setitem(providers._BY_NAME, "aws",
                        pangea_aws.PROVIDER._replace(version="5.100.0"))
    monkeypatch.setattr(providers, "_FOR_TYPE", {})  # forget answers given for the real pin
    tf_project.write("infra/infra.py", TWO_TEMPLATES)
    result = tf_project.run("plan", "infra/infra.py")
    assert result.code == 2, result.err
    assert "one: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 output changed" in result.out
    assert "two: no changes" in result.out

    package = "registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64"
    cached = tf_project.root / ".pangea" / "plugin-cache" / package
    assert (cached / "terraform-provider-aws_v5.100.0_x5").is_file()
    for template in ("one", "two"):
        installed = tf_project.root / ".pangea/default" / template / ".terraform/providers" / package
        # Terraform links the cached package in instead of copying 700 MB per template.
        assert installed.is_symlink() and Path(os.readlink(installed)) == cached

    lock = tf_project.root / "infra" / ".terraform.lock.hcl"
    assert lock.is_file(), "the lock file belongs beside the templates, to be committed"
    assert 'version     = "5.100.0"' in lock.read_text()
    assert "recorded provider versions in" in result.err

    # A later run copies the committed file in: no init needed, no change to the file.
    before = lock.read_text()
    again = tf_project.run("plan", "infra/infra.py")
    assert again.code == 2, again.err
    assert "): init" not in again.err and lock.read_text() == before
