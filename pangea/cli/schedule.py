"""Run templates in parallel where they are independent, in order where one reads another.

``run_ordered`` starts a template once every template it waits for has finished, keeps at
most ``parallelism`` running, and hands each result to ``report`` in the given order (so the
output reads the same whatever finished first). After a failure no new template starts; the
running ones finish, and the first failure is raised.
"""

from __future__ import annotations

import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Callable, Mapping, Sequence, TypeVar

R = TypeVar("R")


def run_ordered(
    names: Sequence[str],
    waits_for: Mapping[str, Sequence[str]],
    work: Callable[[str], R],
    report: Callable[[str, R], None],
    parallelism: int = 1,
) -> None:
    """``work(name)`` for each name, each after ``waits_for[name]`` (those in ``names``)."""
    chosen = set(names)
    needs = {n: {d for d in waits_for.get(n, ()) if d in chosen and d != n} for n in names}
    done: set[str] = set()
    results: dict[str, R] = {}
    next_report = 0
    failure: BaseException | None = None
    running: dict[Future[R], str] = {}
    lock = threading.Lock()

    def flush() -> None:
        nonlocal next_report
        while next_report < len(names) and names[next_report] in results:
            name = names[next_report]
            report(name, results.pop(name))
            next_report += 1

    with ThreadPoolExecutor(max_workers=max(1, parallelism)) as pool:
        started: set[str] = set()
        while True:
            if failure is None:
                for name in names:
                    if len(running) >= parallelism:
                        break
                    if name not in started and needs[name] <= done:
                        started.add(name)
                        running[pool.submit(work, name)] = name
            if not running:
                break
            finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in finished:
                name = running.pop(future)
                error = future.exception()
                if error is not None:
                    failure = failure or error
                    continue
                with lock:
                    results[name] = future.result()
                    done.add(name)
            if failure is None:
                flush()
    if failure is not None:
        flush()
        raise failure
    flush()
