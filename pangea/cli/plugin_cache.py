"""The provider plugin cache every template and namespace of a project shares.

Terraform does not make its plugin cache safe for concurrent ``terraform init`` runs: two inits
filling the same cache directory can fail with "file exists" or leave a half-copied plugin. So
every init that uses a cache takes an exclusive lock on it first, whether the inits are
templates of one pangea run (run in parallel) or two pangea commands started side by side.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PLUGIN_CACHE_ENV = "TF_PLUGIN_CACHE_DIR"
LOCK_NAME = ".pangea-init.lock"
# The parallel templates of one run queue on this; flock (on the cache's lock file) queues
# separate pangea processes.
_IN_PROCESS = threading.Lock()


def plugin_cache_env(work_root: Path, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """One provider download per project, shared by every template and namespace: Terraform's
    plugin cache in ``<work root>/plugin-cache``, unless the user chose a cache already."""
    environ = os.environ if environ is None else environ
    if environ.get(PLUGIN_CACHE_ENV):
        return {}
    cache = work_root / "plugin-cache"
    cache.mkdir(parents=True, exist_ok=True)  # Terraform ignores a cache directory that is missing
    return {PLUGIN_CACHE_ENV: str(cache)}


@contextmanager
def exclusive_init(env: Mapping[str, Any]) -> Iterator[None]:
    """Hold the cache's lock while the body runs ``terraform init``; a no-op without a cache."""
    cache = env.get(PLUGIN_CACHE_ENV)
    if not cache or not Path(cache).is_dir():
        yield
        return
    with _IN_PROCESS:
        with open(Path(cache) / LOCK_NAME, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
