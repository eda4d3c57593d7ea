"""pangea.testing and its pytest plugin, run the way a user's test suite runs them (pytester)."""

import textwrap

import pytest

from pangea.testing import SynthesizedTemplate, assert_matches_snapshot, synth_template

pytest_plugins = ["pytester"]

# pytester's in-process runs drop the modules imported during them (its snapshot is taken when
# the fixture starts): import the type modules the user's file uses now, so that later tests
# keep seeing the same module objects.
import pangea_aws  # noqa: E402

assert pangea_aws.aws_docdb_cluster and pangea_aws.aws_docdb_cluster_instance

INFRA = '''
from pangea import namespace, output, template, variable
from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance


@template
def documents():
    ns = namespace()
    cluster = aws_docdb_cluster(
        "main",
        cluster_identifier=f"docs-{ns.name}",
        master_username="docdbadmin",
        master_password=variable("master_password", type="string", sensitive=True),
        backup_retention_period=7,
        tags={"team": "data"},
        skip_final_snapshot=True,
    )
    aws_docdb_cluster_instance(
        "primary",
        identifier=f"docs-{ns.name}-1",
        cluster_identifier=cluster.id,
        instance_class=ns.settings.get("instance_class", "db.t4g.medium"),
    )
    output("endpoint", cluster.endpoint)


@template
def plain():
    size = variable("size", type="number", default=2)
    output("doubled", size)
'''

USER_TESTS = '''
import pytest


def test_production_uses_the_large_class(pangea_synth):
    docs = pangea_synth("infra.py", "documents", namespace="production",
                        settings={"instance_class": "db.r6g.large"})
    docs.assert_attribute("aws_docdb_cluster_instance.primary", "instance_class", "db.r6g.large")
    docs.assert_attribute("aws_docdb_cluster.main", "tags.team", "data")
    assert docs.attribute("aws_docdb_cluster.main", "cluster_identifier") == "docs-production"


def test_snapshot(pangea_synth, pangea_snapshot):
    pangea_snapshot(pangea_synth("infra.py", "documents"))


def test_plan(pangea_synth, pangea_plan):
    plan = pangea_plan(pangea_synth("infra.py", "plain"), variables={"size": 3})
    assert plan["planned_values"]["outputs"]["doubled"]["value"] == 3
'''


@pytest.fixture
def user_project(pytester):
    pytester.makepyfile(infra=INFRA)
    pytester.makepyfile(test_infra=USER_TESTS)
    return pytester


@pytest.mark.terraform
def test_a_users_suite_synthesizes_snapshots_and_plans(user_project, monkeypatch, terraform_binary):
    monkeypatch.setenv("PANGEA_TERRAFORM", str(terraform_binary))
    monkeypatch.delenv("PANGEA_UPDATE_SNAPSHOTS", raising=False)
    first = user_project.runpytest_inprocess("-p", "no:cacheprovider")
    # No snapshot yet: that test fails and says how to create one; the others pass.
    first.assert_outcomes(passed=2, failed=1)
    first.stdout.fnmatch_lines(["*snapshot*does not exist; create it with --pangea-update-snapshots*"])

    written = user_project.runpytest_inprocess("-p", "no:cacheprovider", "--pangea-update-snapshots")
    written.assert_outcomes(passed=3)
    snapshot = user_project.path / "__snapshots__" / "test_infra" / "test_snapshot.json"
    assert '"backup_retention_period": 7' in snapshot.read_text()

    user_project.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=3)

    # A change to the template shows up as a diff against the snapshot.
    (user_project.path / "infra.py").write_text(INFRA.replace("backup_retention_period=7",
                                                              "backup_retention_period=14"))
    changed = user_project.runpytest_inprocess("-p", "no:cacheprovider", "-k", "snapshot")
    changed.assert_outcomes(failed=1)
    changed.stdout.fnmatch_lines(['*-  *"backup_retention_period": 7,*',
                                  '*+  *"backup_retention_period": 14,*'])


def test_plan_fixture_skips_without_terraform(user_project, monkeypatch):
    monkeypatch.delenv("PANGEA_TERRAFORM", raising=False)
    monkeypatch.setenv("PATH", str(user_project.path))
    result = user_project.runpytest_inprocess("-p", "no:cacheprovider", "-k", "plan", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no Terraform: set PANGEA_TERRAFORM*"])


def test_lookups_fail_with_what_is_there(tmp_path):
    (tmp_path / "infra.py").write_text(INFRA)
    docs = synth_template(tmp_path / "infra.py", "documents")
    with pytest.raises(AssertionError, match=r"did you mean 'aws_docdb_cluster\.main'"):
        docs.resource("aws_docdb_cluster.mian")
    with pytest.raises(AssertionError, match="it has: team"):
        docs.attribute("aws_docdb_cluster.main", "tags.owner")
    with pytest.raises(AssertionError, match="is 7, expected 8"):
        docs.assert_attribute("aws_docdb_cluster.main", "backup_retention_period", 8)
    assert docs.output("endpoint") == "${aws_docdb_cluster.main.endpoint}"
    assert list(docs.resources("aws_docdb_cluster")) == ["aws_docdb_cluster.main"]
    with pytest.raises(AssertionError, match="defines 2 templates"):
        synth_template(tmp_path / "infra.py")


def test_snapshot_function_without_pytest(tmp_path):
    data = SynthesizedTemplate("t", {"output": {"x": {"value": 1}}})
    target = tmp_path / "snap.json"
    assert_matches_snapshot(target, data, update=True)
    assert_matches_snapshot(target, data, update=False)
    with pytest.raises(AssertionError, match="differs from snapshot"):
        assert_matches_snapshot(target, {"other": 1}, update=False)
