"""Timing shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

MOST_PAIRS = 2001  # however fast the pair


def timed(action: Callable[[], object], repeat: int = 7) -> float:
    """Median seconds of `repeat` runs after one warm-up."""
    action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def timed_pair(
    action: Callable[[], object],
    baseline: Callable[[], object],
    repeat: int = 7,
    *,
    seconds: float = 0.0,
) -> tuple[float, float]:
    """Median seconds of `action` and of `baseline`, run alternately so that load from other
    processes falls on both alike: `repeat` times, or as many more as fit in about `seconds`
    (a fast pair is noisier than its median of a few runs shows)."""
    start = time.perf_counter()
    action()
    baseline()
    warm_up = time.perf_counter() - start
    if seconds and warm_up:
        repeat = max(repeat, min(MOST_PAIRS, int(seconds / warm_up)))
    ours, theirs = [], []
    for _ in range(repeat):
        for samples, run in ((ours, action), (theirs, baseline)):
            start = time.perf_counter()
            run()
            samples.append(time.perf_counter() - start)
    return statistics.median(ours), statistics.median(theirs)
