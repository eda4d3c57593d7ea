"""Every example on the generated reference pages synthesizes and checks clean against the
pinned provider schema.

The examples come from the overrides' ``examples:`` or, for types without one, are generated
from the required arguments (codegen/pipeline/examples.py). They are read back from the Markdown pages
themselves, so what a reader copies is what is tested.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import pangea
from pangea.schema_check import check_config

DOCS = Path(__file__).resolve().parent.parent / "generated" / "docs"
_FENCE = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _examples_section(text: str) -> str:
    """The text of the page's "## Examples" section (up to the next level-2 heading)."""
    match = re.search(r"^## Examples\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.glob("*.md") if p.name != "index.md")


def _examples(page: Path) -> list[str]:
    return _FENCE.findall(_examples_section(page.read_text()))


CASES = [pytest.param(page, index, code, id=f"{page.stem}[{index}]")
         for page in _pages() for index, code in enumerate(_examples(page))]


def test_the_pages_are_there() -> None:
    """Guards the parametrization below against silently collecting nothing."""
    assert len(_pages()) >= 57, [p.name for p in _pages()]
    assert len(CASES) >= len(_pages())


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_every_page_has_an_example(page: Path) -> None:
    assert _examples(page), f"{page.name} has no ```python block under '## Examples'"


@pytest.mark.parametrize(("page", "index", "code"), CASES)
def test_docs_example_synthesizes_and_checks_clean(page: Path, index: int, code: str,
                                                   tmp_path: Path, pinned_lookup) -> None:
    path = tmp_path / f"{page.stem.replace('.', '_')}_{index}.py"
    path.write_text(code)
    try:
        configs = pangea.synth(path)
    except pangea.PangeaError as exc:
        pytest.fail(f"{page.name} example {index} does not synthesize:\n{exc}")
    assert configs, f"{page.name} example {index} declares no template"
    type_name = page.stem.removeprefix("data.")
    section = "data" if page.stem.startswith("data.") else "resource"
    declared = [t for c in configs.values() for t in c.get(section, {})]
    assert type_name in declared, (
        f"{page.name} example {index} does not declare a {type_name} (declares {declared})")
    for name, config in configs.items():
        problems = check_config(config, pinned_lookup)
        assert problems == [], (f"{page.name} example {index}, template {name!r}:\n"
                                + "\n".join(map(str, problems)))
