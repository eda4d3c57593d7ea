"""Telling Terraform's lost lock race from a lock that is really held, and reading -lock-timeout."""

import pytest

from pangea.cli.steps import duration_seconds, is_released_lock_race
from pangea.cli.terraform import TerraformFailedError

RELEASED = """Error: Error acquiring the state lock

Error message: 2 errors occurred:
\t* ConditionalCheckFailedException: The conditional request failed
\t* unexpected end of JSON input
"""

HELD = """Error: Error acquiring the state lock

Error message: ConditionalCheckFailedException: The conditional request
failed
Lock Info:
  ID:        e5125c7f-70ee-225e-4f44-65a6dcc51dd1
  Path:      state-572fe8fbdf5c/teams/blue/network.tfstate
  Operation: OperationTypePlan
"""

DENIED = """Error: Error acquiring the state lock

Error message: 2 errors occurred:
\t* AccessDeniedException: User is not authorized to perform: dynamodb:PutItem
\t* unexpected end of JSON input
"""


def failure(output: str) -> TerraformFailedError:
    return TerraformFailedError("plan", 1, output)


def test_only_a_lock_released_between_put_and_read_is_a_race():
    assert is_released_lock_race(failure(RELEASED))
    # Held: Terraform itself waits (or fails at once with 0s); nothing for pangea to retry.
    assert not is_released_lock_race(failure(HELD))
    # The lock table refused the write: retrying cannot help.
    assert not is_released_lock_race(failure(DENIED))
    assert not is_released_lock_race(failure("Error: Saved plan is stale"))


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("0", 0.0),
        ("0s", 0.0),
        ("30s", 30.0),
        ("1m30s", 90.0),
        ("500ms", 0.5),
        ("1.5h", 5400.0),
        ("+2m", 120.0),
        ("-5s", 0.0),
        ("", None),
        ("30", None),
        ("s", None),
        ("5 s", None),
        ("5x", None),
    ],
)
def test_lock_timeouts_are_read_as_go_durations(text, seconds):
    assert duration_seconds(text) == seconds
