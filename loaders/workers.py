"""Worker processes a load starts (validation, reading a large file), gone with the load.

A load killed with SIGKILL cannot shut its pool down, and a forked worker waiting for its next
task would never notice: each worker watches its parent and exits once it is gone.

A forked worker never garbage-collects what it inherited: the load's process may hold unreachable
objects not yet collected, such as a closed store whose native threads exist only in the parent,
and destroying one in the worker aborts it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor


def _start_worker() -> None:
    """In a worker: keep what was inherited out of garbage collection; exit when the load's
    process is gone."""
    gc.freeze()
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
    return ProcessPoolExecutor(size, mp_context=context, initializer=_start_worker)
