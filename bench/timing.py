"""Wall-clock timing shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def seconds(fn: Callable[[], object]) -> float:
    """How long one call of ``fn`` takes, in seconds."""
    begun = time.perf_counter()
    fn()
    return time.perf_counter() - begun


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    """The median of ``runs`` calls of ``fn``, one after the other, in seconds."""
    return statistics.median(seconds(fn) for _ in range(runs))
