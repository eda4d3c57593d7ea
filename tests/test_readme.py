"""The README's tour is real code: it synthesizes, and its JSON checks against the schema."""

from __future__ import annotations

import re

import pangea
from pangea.schema_check import check_config
from tests.conftest import PROJECT_ROOT


def _tour() -> str:
    text = (PROJECT_ROOT / "README.md").read_text()
    section = text[text.index("## A short tour"):text.index("## The pangea command")]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, "the tour has one Python block"
    return blocks[0]


def test_the_readme_tour_synthesizes_and_checks_clean(tmp_path, pinned_lookup) -> None:
    path = tmp_path / "tour.py"
    path.write_text(_tour())
    configs = pangea.synth(path)
    assert list(configs) == ["documents", "app"]
    cluster = configs["documents"]["resource"]["aws_docdb_cluster"]["main"]
    assert cluster["backup_retention_period"] == 7
    assert configs["documents"]["resource"]["aws_docdb_cluster_instance"]["primary"][
        "cluster_identifier"] == "${aws_docdb_cluster.main.id}"
    assert configs["app"]["output"]["docs_endpoint"]["value"] == (
        "${data.terraform_remote_state.documents.outputs.endpoint}")
    for config in configs.values():
        assert check_config(config, pinned_lookup) == []


def test_the_readme_error_example_is_what_pangea_says(tmp_path) -> None:
    """The README quotes the message for backup_retention_period=40; keep it true."""
    path = tmp_path / "infra.py"
    path.write_text(_tour().replace("backup_retention_period=7", "backup_retention_period=40"))
    try:
        pangea.synth(path)
    except pangea.PangeaError as error:
        message = str(error)
    else:
        raise AssertionError("backup_retention_period=40 was accepted")
    quoted = re.search(r"`infra\.py:\d+: (template 'documents': .*?)`",
                       (PROJECT_ROOT / "README.md").read_text(), flags=re.DOTALL)
    assert quoted, "the README quotes the error"
    assert message.split(": ", 1)[1] == " ".join(quoted.group(1).split())


def test_the_readme_provider_error_is_what_pangea_says(tmp_path) -> None:
    path = tmp_path / "infra.py"
    tour = _tour()
    assert 'provider("aws", region=' in tour
    path.write_text(tour.replace('provider("aws", region=', 'provider("aws", regoin='))
    try:
        pangea.synth(path)
    except pangea.PangeaError as error:
        message = str(error)
    else:
        raise AssertionError("regoin was accepted")
    quoted = re.search(r"`(provider\.aws: regoin: .*?)`", (PROJECT_ROOT / "README.md").read_text())
    assert quoted, "the README quotes the error"
    assert message.endswith(quoted.group(1))
