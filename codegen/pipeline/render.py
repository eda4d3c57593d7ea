"""The jinja2 environment: StrictUndefined, so a missing value is an error, never blank."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"


def python_string(value: str) -> str:
    """A double-quoted Python string literal (jinja's tojson escapes quotes for HTML)."""
    return json.dumps(value, ensure_ascii=False)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pystr"] = python_string
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
