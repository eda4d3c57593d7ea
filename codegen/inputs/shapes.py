"""The committed decision of how each list/set block looks in Python.

A block the provider limits to one item (``max_items = 1``) is taken and navigated as a
single object; any other list/set block as a list. The decision is recorded per block in
``provider_schema/shapes.lock.json``. After a provider bump the recorded decision wins, and a
block whose limit no longer fits its recorded shape stops generation with a message: a bump
cannot silently change what user code must pass.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from codegen.errors import GeneratorError

LOCK_FORMAT = 1


@dataclass
class ShapeLock:
    path: Path | None
    recorded: dict[str, str] = field(default_factory=dict)
    decided: dict[str, str] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    accept_changes: bool = False

    @classmethod
    def load(cls, path: Path | None, *, accept_changes: bool = False) -> "ShapeLock":
        """The lock file parsed once (the generator and the bump diff both read it here); a
        missing file is an empty lock."""
        if path is None or not path.exists():
            return cls(path, accept_changes=accept_changes)
        try:
            doc = json.loads(path.read_text())
        except json.JSONDecodeError as exc:
            raise GeneratorError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(doc, dict) or doc.get("format") != LOCK_FORMAT or not isinstance(
                doc.get("blocks"), dict):
            raise GeneratorError(f"{path}: expected {{'format': {LOCK_FORMAT}, 'blocks': {{...}}}}"
                                 "; regenerate it with `make generate`")
        problems = entry_problems(doc["blocks"])
        if problems:
            raise GeneratorError(f"{path}: blocks: " + "; ".join(problems))
        return cls(path, dict(doc["blocks"]), accept_changes=accept_changes)

    def decide(self, key: str, max_items: int | None) -> str:
        """The Python shape for a list/set block: 'single' or 'list'."""
        natural = "single" if max_items == 1 else "list"
        recorded = self.recorded.get(key)
        shape = natural
        if recorded is not None and recorded != natural:
            if recorded == "list":
                shape = "list"  # still valid: a one-item list; user code keeps working
                if not self.accept_changes:
                    self.conflicts.append(
                        f"{key}: recorded as 'list', the schema now limits it to one item "
                        "(kept as 'list'; accept 'single' with ACCEPT_SHAPE_CHANGES=1)")
                else:
                    shape = natural
            else:
                if not self.accept_changes:
                    self.conflicts.append(
                        f"{key}: recorded as 'single' but the schema now allows {max_items or 'any'} "
                        "items; user code that passes one dict must change. Review, then run "
                        "make generate ACCEPT_SHAPE_CHANGES=1")
        self.decided[key] = shape
        return shape

    def errors(self) -> list[str]:
        """Conflicts that must stop generation (a 'single' block that can no longer be one)."""
        return [c for c in self.conflicts if "recorded as 'single'" in c]

    def notices(self) -> list[str]:
        return [c for c in self.conflicts if "recorded as 'list'" in c]

    def render(self, *, keep_unvisited: bool) -> str:
        """The lock file text after this run. Entries for types not generated in this run are
        kept when ``keep_unvisited`` (a partial run must not forget other groups)."""
        blocks = dict(self.recorded) if keep_unvisited else {}
        blocks.update(self.decided)
        return json.dumps({"format": LOCK_FORMAT, "blocks": dict(sorted(blocks.items()))},
                          indent=1) + "\n"


def entry_problems(blocks: dict[str, object]) -> list[str]:
    """Malformed lock keys and values, as messages (empty when fine)."""
    problems = []
    for key in sorted(blocks):
        parts = key.split(".")
        if len(parts) < 3 or parts[0] not in ("resource", "data") or not all(parts):
            problems.append(f"key {key!r}: expected '<resource|data>.<type>.<block path>'")
        if blocks[key] not in ("single", "list"):
            problems.append(f"key {key!r}: value {blocks[key]!r}, expected 'single' or 'list'")
    return problems
