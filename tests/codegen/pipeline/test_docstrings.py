"""What an editor shows on hover (the generated functions' docstrings), the registry links in
them, provider-managed attributes and the described-or-marked rule of the docs pages."""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.model import TypeModel
from codegen.pipeline.docstrings import NOT_DESCRIBED, docstring_literal, registry_url
from pangea import PangeaWarning

ROOT = Path(__file__).resolve().parents[3]
GENERATED = ROOT / "generated"
PIN = yaml.safe_load((ROOT / "provider_schema" / "targets.yaml").read_text())["provider"]
# A page of the Terraform registry at an exact provider version.
REGISTRY_PAGE = re.compile(r"https://registry\.terraform\.io/providers/[a-z0-9-]+/[a-z0-9-]+/"
                           r"\d+\.\d+\.\d+/docs/(resources|data-sources)/[a-z0-9_]+")


def _function_docstring(stub: Path, name: str) -> str:
    tree = ast.parse(stub.read_text())
    docs = {ast.get_docstring(node) for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name == name}
    docs.discard(None)
    assert len(docs) == 1, f"{stub}: expected one docstring for {name}, got {docs}"
    return docs.pop()


def _argument(doc: str, name: str) -> str:
    """The docstring's entry for one argument, its wrapped lines joined."""
    match = re.search(rf"^    {name}: (.*?)(?=^    \w+: |\Z)", doc, re.MULTILINE | re.DOTALL)
    assert match, f"no entry for {name} in:\n{doc}"
    return " ".join(match.group(1).split())


def _model(kind: str, type_name: str) -> TypeModel:
    from codegen.model import Struct

    return TypeModel(kind=kind, type_name=type_name, function_name=type_name, module="m",
                     struct=Struct("A", "R", "D", ""))


# -- registry links -------------------------------------------------------------------------

@pytest.mark.parametrize("source, kind, type_name, prefix, expected", [
    ("registry.terraform.io/hashicorp/aws", "resource", "aws_docdb_cluster", "aws_",
     "https://registry.terraform.io/providers/hashicorp/aws/6.47.0/docs/resources/docdb_cluster"),
    ("registry.terraform.io/hashicorp/aws", "data", "aws_docdb_engine_version", "aws_",
     "https://registry.terraform.io/providers/hashicorp/aws/6.47.0/docs/data-sources/"
     "docdb_engine_version"),
    ("hashicorp/random", "resource", "random_password", "random_",
     "https://registry.terraform.io/providers/hashicorp/random/6.47.0/docs/resources/password"),
    ("registry.opentofu.org/hashicorp/aws", "resource", "aws_vpc", "aws_", ""),
])
def test_registry_url(source, kind, type_name, prefix, expected) -> None:
    url = registry_url(source, "6.47.0", _model(kind, type_name), prefix)
    assert url == expected
    if url:
        assert REGISTRY_PAGE.fullmatch(url)


# -- the docstring of a curated type --------------------------------------------------------

def test_docstring_gives_summary_link_description_constraint_and_default() -> None:
    doc = _function_docstring(GENERATED / "pangea_aws/resources/aws_docdb_cluster.pyi",
                              "aws_docdb_cluster")
    overrides = yaml.safe_load((ROOT / "overrides/aws_docdb_cluster.yaml").read_text())
    assert doc.startswith(overrides["summary"].split()[0])
    links = re.findall(r"https://\S+", doc.split("Args:")[0])
    assert links == [f"https://registry.terraform.io/providers/hashicorp/aws/{PIN['version']}"
                     "/docs/resources/docdb_cluster"]
    assert REGISTRY_PAGE.fullmatch(links[0])
    entry = _argument(doc, "backup_retention_period")
    description = overrides["attributes"]["backup_retention_period"]["description"]
    assert entry.startswith(" ".join(description.split()))
    assert "Constraints: 1 to 35." in entry
    assert "Default 1 (the provider's default)." in entry
    assert "Constraints: one of `docdb`." in _argument(doc, "engine")
    assert "Sensitive" in _argument(doc, "master_password")
    assert _argument(doc, "allow_major_version_upgrade") == NOT_DESCRIBED or \
        "allow_major_version_upgrade" in overrides["attributes"]


def test_data_source_docstring_links_the_data_source_page() -> None:
    doc = _function_docstring(GENERATED / "pangea_aws/data/aws_docdb_engine_version.pyi",
                              "data_aws_docdb_engine_version")
    assert re.search(r"/docs/data-sources/docdb_engine_version\b", doc)


def test_every_argument_of_the_signature_has_an_entry() -> None:
    stub = GENERATED / "pangea_aws/resources/aws_docdb_cluster.pyi"
    doc = _function_docstring(stub, "aws_docdb_cluster")
    tree = ast.parse(stub.read_text())
    keywords = {a.arg for node in tree.body if isinstance(node, ast.FunctionDef)
                and node.name == "aws_docdb_cluster" for a in node.args.kwonlyargs}
    keywords -= {"depends_on", "count", "for_each", "provider", "lifecycle"}
    entries = set(re.findall(r"^    (\w+): ", doc, re.MULTILINE))
    assert keywords and entries == keywords


@pytest.mark.parametrize("text", ['a """quoted""" word', "a back\\slash \\n", 'ends with "'])
def test_docstring_literal_keeps_any_text(text: str) -> None:
    literal = docstring_literal(f"Summary.\n\nArgs:\n    x: {text}", 4)
    tree = ast.parse(f"def f():\n    {literal}\n")
    assert ast.get_docstring(tree.body[0]) == f"Summary.\n\nArgs:\n    x: {text}"


# -- provider-managed attributes ------------------------------------------------------------

def test_id_and_tags_all_are_not_offered_but_stay_readable() -> None:
    stub = (GENERATED / "pangea_aws/resources/aws_docdb_cluster.pyi").read_text()
    tree = ast.parse(stub)
    function = [n for n in tree.body if isinstance(n, ast.FunctionDef)
                and n.name == "aws_docdb_cluster"]
    offered = {a.arg for node in function for a in node.args.kwonlyargs}
    assert "cluster_identifier" in offered and not offered & {"id", "tags_all"}
    assert '"id":' not in stub and '"tags_all":' not in stub  # TypedDict keys
    assert "def id(self) -> StrRef" in stub and "def tags_all(self) -> MapRef[StrRef]" in stub
    page = (GENERATED / "docs/aws_docdb_cluster.md").read_text()
    arguments = page.split("## Arguments")[1].split("## Attributes of the reference")[0]
    assert "| `id` |" not in arguments and "| `tags_all` |" not in arguments
    assert "`id` and `tags_all` are set by the provider" in arguments
    assert "| `id` |" in page.split("## Attributes of the reference")[1]


def test_a_data_source_keeps_id_as_an_argument() -> None:
    # data sources use id as a lookup argument (data.aws_vpc), so it stays offered
    stub = (GENERATED / "pangea_aws/data/aws_memorydb_cluster.pyi").read_text()
    assert re.search(r"^    id: str \| Expr \| None = \.\.\.,$", stub, re.MULTILINE)


MANAGED: dict[str, Any] = {"attributes": {
    "id": {"type": "string", "optional": True, "computed": True},
    "tags": {"type": ["map", "string"], "optional": True},
    "tags_all": {"type": ["map", "string"], "optional": True, "computed": True},
}}


def test_tags_all_given_anyway_is_written_with_a_warning(generated_module, run_template) -> None:
    module = generated_module(MANAGED, "aws_test_tagged")
    with pytest.warns(PangeaWarning, match=r"(?s)aws_test_tagged\.x: tags_all: is managed by the "
                                           r"provider.*set tags="):
        config = run_template(lambda: module.aws_test_tagged("x", {"tags_all": {"a": "b"}}))
    assert config["resource"]["aws_test_tagged"]["x"] == {"tags_all": {"a": "b"}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run_template(lambda: module.aws_test_tagged("y", tags={"a": "b"}))


# -- docs pages -----------------------------------------------------------------------------

def _pages() -> list[Path]:
    return sorted((GENERATED / "docs").glob("*.md"))


def test_every_argument_row_is_described_or_marked() -> None:
    empty = []
    for page in _pages():
        for line in page.read_text().splitlines():
            cells = line.split(" | ")
            if line.startswith("| `") and len(cells) == 6 and cells[5].strip(" |") == "":
                empty.append(f"{page.name}: {cells[0]}")
    assert empty == []


def test_no_page_has_an_empty_summary() -> None:
    pages = [p for p in _pages() if p.name != "index.md"]
    assert len(pages) > 50
    for page in pages:
        summary = page.read_text().split("\n\n")[1]
        assert summary.strip() and not summary.startswith("Terraform "), page.name
