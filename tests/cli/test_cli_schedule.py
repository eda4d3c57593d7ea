"""Independent templates run at the same time; a template waits for those it reads."""

import io
import json
import threading

import pytest

from pangea.cli.console import Console
from pangea.cli.schedule import run_ordered


def test_independent_templates_overlap_and_dependents_wait():
    both_running = threading.Barrier(2, timeout=10)
    log: list[str] = []
    lock = threading.Lock()

    def work(name):
        with lock:
            log.append(f"start {name}")
        if name in ("a", "b"):
            both_running.wait()  # raises BrokenBarrierError if a and b never overlap
        with lock:
            log.append(f"end {name}")
        return name.upper()

    reported = []
    run_ordered(["a", "b", "c"], {"c": ["a", "b"]}, work,
                lambda name, result: reported.append((name, result)), parallelism=2)
    assert reported == [("a", "A"), ("b", "B"), ("c", "C")]  # in the given order
    assert log.index("start c") > max(log.index("end a"), log.index("end b"))


def test_parallelism_one_runs_strictly_one_after_another():
    active, peak = 0, 0
    lock = threading.Lock()

    def work(name):
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        with lock:
            active -= 1

    run_ordered(["a", "b", "c"], {}, work, lambda n, r: None, parallelism=1)
    assert peak == 1


def test_after_a_failure_nothing_new_starts_and_the_failure_is_raised():
    started = []

    def work(name):
        started.append(name)
        if name == "a":
            raise RuntimeError("a failed")

    with pytest.raises(RuntimeError, match="a failed"):
        run_ordered(["a", "b"], {"b": ["a"]}, work, lambda n, r: None, parallelism=2)
    assert started == ["a"]


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert Console(out=Tty()).colour() is True
    assert Console(out=io.StringIO()).colour() is False
    assert Console(out=Tty()).colour(disabled=True) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert Console(out=Tty()).colour() is False


def test_version_names_pangea_and_the_provider_pin(project):
    result = project.run("--version")
    assert result.code == 0
    assert result.out.startswith("pangea 0.1.0\n")
    assert "hashicorp/aws 6.47.0" in result.out


INDEPENDENT = """
from pangea import template, output, remote_outputs

@template
def one():
    output("x", 1)

@template
def two():
    output("y", "two")

@template
def three():
    output("z", remote_outputs("one").x)
"""


@pytest.mark.terraform
def test_plan_json_and_parallel_progress(tf_project):
    tf_project.write("infra.py", INDEPENDENT)
    result = tf_project.run("plan", "infra.py", "--json", "--parallelism", "2")
    assert result.code == 2, result.err
    document = json.loads(result.out)
    assert list(document) == ["one", "two", "three"]
    assert document["one"]["planned"] and document["one"]["counts"]["create"] == 0
    assert document["one"]["output_changes"] == [
        {"name": "x", "action": "create", "sensitive": False, "before": None, "after": 1,
         "after_unknown": False}]
    assert document["three"] == {
        "planned": False,
        "reason": "not planned yet: it reads outputs of 'one', which have changes not applied "
        "yet; `pangea apply` applies them first and then plans this template",
    }
    for name in ("one", "two", "three"):
        assert f"] {name} (default): plan" in result.err

    applied = tf_project.run("apply", "infra.py", "--auto-approve", "--parallelism", "3")
    assert applied.code == 0, applied.err
    shown = json.loads(tf_project.run("output", "infra.py", "--json").out)
    assert shown["three"]["z"]["value"] == 1


def test_parallelism_must_be_positive(project):
    project.write("infra.py", INDEPENDENT)
    result = project.run("plan", "infra.py", "--parallelism", "0")
    assert result.code == 3 and "must be at least 1" in result.err
