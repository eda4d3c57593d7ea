"""Issue 10's database stack type-checks: examples/database_infrastructure.py (what `make
example` runs) uses curated and schema-only AWS types, data sources, an ephemeral resource and
random_password. Its synthesis and schema checks are in tests/test_example.py; pyright's view
is in test_pyright.py."""

from __future__ import annotations

import pytest

EXAMPLE = "examples/database_infrastructure.py"


@pytest.mark.slow
def test_the_example_stack_type_checks_with_mypy(repo_mypy) -> None:
    # checked in the session's one mypy run (tests/conftest.py, MYPY_EXAMPLES)
    errors = repo_mypy.errors_in_file(EXAMPLE)
    assert errors == [], "\n".join(errors)
