"""Check ``provider("aws", region=...)`` settings against the provider's configuration schema.

Each generated provider package ships ``provider_config.json``: the provider's own
configuration block in Terraform's schema notation (from ``terraform providers schema -json``,
or, for AWS, from ``provider_schema/provider_config/aws.json``, which cites its sources).
A provider without that file is not checked. Blocks named in ``open_blocks`` (AWS
``endpoints``) are checked for their shape but not for their attribute names, which change
with nearly every provider release.
"""

from __future__ import annotations

import importlib
import json
import sys
from functools import lru_cache
from typing import Any

from pangea.expr import is_interpolated
from pangea.schema_check import Problem, check_body
from pangea.schema_doc import parse_block

CONFIG_FILE = "provider_config.json"
PROVIDER_META = ("alias", "version")


def _package_for(name: str) -> str | None:
    """The generated package of provider ``name`` (registered, or installed as
    ``pangea_<name>``)."""
    from pangea.providers import find

    provider = find(name)
    return provider.package if provider is not None else None


@lru_cache(maxsize=None)
def config_schema(name: str) -> dict[str, Any] | None:
    """``{"block": ..., "open_blocks": [...]}`` for provider ``name``, or None when unknown."""
    package = _package_for(name)
    if package is None:
        return None
    module = sys.modules.get(package)
    if module is None:
        try:
            module = importlib.import_module(package)
        except ImportError:
            return None
    from importlib import resources

    try:
        text = resources.files(module).joinpath(CONFIG_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError, TypeError):
        return None
    data = json.loads(text)
    return data if isinstance(data.get("block"), dict) else None


def check_provider_settings(name: str, body: dict[str, Any]) -> list[Problem]:
    """Every problem in one provider configuration body (unknown settings with a suggestion,
    wrong value types, bad blocks); empty when the provider's schema is unknown."""
    schema = config_schema(name)
    if schema is None:
        return []
    block = schema["block"]
    open_blocks = set(schema.get("open_blocks", ()))
    address = f"provider.{name}"
    closed = {k: v for k, v in body.items() if k not in open_blocks}
    problems: list[Problem] = []
    if open_blocks:
        block = {
            **block,
            "block_types": {
                k: v for k, v in block.get("block_types", {}).items() if k not in open_blocks
            },
        }
        for key in sorted(open_blocks & set(body)):
            problems += _open_block_problems(address, key, body[key])
    # Keys of open blocks were taken out of the body, so the typed check sees only the rest.
    problems += check_body(address, parse_block(block), closed, meta=PROVIDER_META)
    return sorted(problems)


def _open_block_problems(address: str, key: str, value: Any) -> list[Problem]:
    problems: list[Problem] = []
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        path = f"{key}[{index}]" if isinstance(value, list) else key
        if isinstance(item, str) and is_interpolated(item):
            continue
        if not isinstance(item, dict):
            problems.append(Problem(address, path, "expected a block (a mapping of settings)"))
            continue
        for name, setting in sorted(item.items()):
            if not isinstance(setting, str):
                problems.append(Problem(address, f"{path}.{name}", "expected a string (a URL)"))
    return problems
