"""Every type of the pinned AWS schema ships: the committed group plus the schema-only types
that `make install` (or a wheel build) generates into pangea_aws/schema_only."""

from __future__ import annotations

import gzip
import hashlib
import json
import lzma
from pathlib import Path

import pytest

from codegen.errors import GeneratorError
from codegen.inputs.targets import load_targets, read_schema_bytes, verify_schema_file
from codegen.pipeline.write import read_tree, write_tree

PROJECT = Path(__file__).resolve().parents[2]
GENERATED = PROJECT / "generated"
SCHEMA_ONLY = GENERATED / "pangea_aws" / "schema_only"


def _pinned_schema() -> dict:
    targets = load_targets(PROJECT / "provider_schema" / "targets.yaml")
    data = verify_schema_file(targets, PROJECT / "provider_schema" / targets.schema_file)
    return json.loads(data)["provider_schemas"]["registry.terraform.io/hashicorp/aws"]


@pytest.fixture(scope="module")
def installed() -> Path:
    if not (SCHEMA_ONLY / "__init__.py").exists():
        pytest.fail("generated/pangea_aws/schema_only is missing: run `make install` (it builds "
                    "the schema-only types from the committed schema)")
    return SCHEMA_ONLY


def test_the_pinned_schemas_are_committed_compressed_and_match_their_pins() -> None:
    for pin in ("targets.yaml", "random.yaml", "tls.yaml", "google.yaml"):
        targets = load_targets(PROJECT / "provider_schema" / pin)
        packed = PROJECT / "provider_schema" / (targets.schema_file + ".xz")
        assert packed.is_file(), packed
        digest = hashlib.sha256(lzma.decompress(packed.read_bytes())).hexdigest()
        assert digest == targets.schema_sha256, pin


def test_a_schema_is_read_plain_or_xz_and_a_wrong_one_is_refused(tmp_path: Path) -> None:
    doc = b'{"provider_schemas": {}}'
    (tmp_path / "p.json.xz").write_bytes(lzma.compress(doc))
    assert read_schema_bytes(tmp_path / "p.json") == doc
    (tmp_path / "p.json").write_bytes(b"{}")
    assert read_schema_bytes(tmp_path / "p.json") == b"{}"  # the plain file wins
    (tmp_path / "q.json.gz").write_bytes(gzip.compress(doc))
    with pytest.raises(FileNotFoundError):
        read_schema_bytes(tmp_path / "q.json")  # only .xz is a committed form

    targets = load_targets(PROJECT / "provider_schema" / "targets.yaml")
    with pytest.raises(GeneratorError, match="does not match the pin"):
        verify_schema_file(targets, tmp_path / "p.json")


def test_pangea_aws_exports_every_type_of_the_pinned_schema(installed: Path) -> None:
    import pangea_aws

    schema = _pinned_schema()
    modules = pangea_aws._MODULES
    resources = sorted(n for n in modules if not n.startswith("data_"))
    data = sorted(n[len("data_"):] for n in modules if n.startswith("data_"))
    assert resources == sorted(schema["resource_schemas"])
    assert data == sorted(schema["data_source_schemas"])
    assert (len(resources), len(data)) == (1657, 662)


def test_every_type_has_a_module_a_stub_a_schema_and_a_page(installed: Path) -> None:
    import pangea_aws

    package = GENERATED / "pangea_aws"
    missing = []
    for function, module in pangea_aws._MODULES.items():
        base = package / module.replace(".", "/")
        for suffix in (".py", ".pyi", ".schema.json"):
            if not base.with_suffix(suffix).is_file():
                missing.append(f"{base}{suffix}")
        curated = not module.startswith("schema_only.")
        doc_name = ("data." + function[len("data_"):]) if function.startswith("data_") else function
        page = (GENERATED / "docs" if curated else installed / "docs") / f"{doc_name}.md"
        if not page.is_file():
            missing.append(str(page))
    assert missing == []


def test_schema_only_pages_say_so_and_curated_pages_do_not(installed: Path) -> None:
    vpc = (installed / "docs" / "aws_vpc.md").read_text()
    assert "Generated from the provider schema alone" in vpc
    assert "Generated from the provider schema alone" not in (
        GENERATED / "docs" / "aws_docdb_cluster.md").read_text()


def test_the_index_groups_by_service_and_marks_curated_types() -> None:
    index = (GENERATED / "docs" / "index.md").read_text()
    assert "1657 resource types and 662 data sources" in index
    docdb = index.split("\n## docdb\n", 1)[1].split("\n## ", 1)[0]
    assert "| resource | [`aws_docdb_cluster`](aws_docdb_cluster.md) | **curated** |" in docdb
    vpc = index.split("\n## vpc\n", 1)[1].split("\n## ", 1)[0]
    assert "[`aws_vpc`](../pangea_aws/schema_only/docs/aws_vpc.md) | *schema*" in vpc


def test_schema_only_types_are_typed_and_callable(installed: Path, run_template) -> None:
    from pangea_aws import aws_subnet, aws_vpc, data_aws_availability_zones

    def tpl() -> None:
        zones = data_aws_availability_zones("available", state="available")
        vpc = aws_vpc("main", cidr_block="10.0.0.0/16")
        aws_subnet("a", vpc_id=vpc.id, cidr_block="10.0.1.0/24",
                   availability_zone=zones.names[0])

    config = run_template(tpl)
    subnet = config["resource"]["aws_subnet"]["a"]
    assert subnet == {"availability_zone": "${data.aws_availability_zones.available.names[0]}",
                      "cidr_block": "10.0.1.0/24", "vpc_id": "${aws_vpc.main.id}"}


def test_the_committed_run_keeps_the_install_tree_and_replaces_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "generated"
    write_tree(root, {"pangea_aws/__init__.py": "old\n", "pangea_aws/gone.py": "x\n"})
    kept = root / "pangea_aws" / "schema_only" / "resources" / "aws_vpc.py"
    kept.parent.mkdir(parents=True)
    kept.write_text("install-time\n")
    write_tree(root, {"pangea_aws/__init__.py": "new\n"}, keep=("pangea_aws/schema_only",))
    assert read_tree(root) == {"pangea_aws/__init__.py": "new\n",
                               "pangea_aws/schema_only/resources/aws_vpc.py": "install-time\n"}
    assert read_tree(root, skip=("pangea_aws/schema_only",)) == {"pangea_aws/__init__.py": "new\n"}
