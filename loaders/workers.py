"""Worker processes a load starts (validation, reading a large file), gone with the load.

A load killed with SIGKILL cannot shut its pool down, and a forked worker waiting for its next
task would never notice: each worker watches its parent and exits once it is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor


def _watch_parent() -> None:
    """In a worker: exit when the load's process is gone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def pool(size: int) -> ProcessPoolExecutor:
    """``size`` worker processes, forked where the platform can (they share the load's memory)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    return ProcessPoolExecutor(size, mp_context=context, initializer=_watch_parent)
