"""Timing shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

MOST_RUNS = 2001  # runs of each action, however fast


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
    """Median seconds of `action` and of `baseline`, run alternately (see `timed_alternately`)."""
    ours, theirs = timed_alternately((action, baseline), repeat, seconds=seconds)
    return ours, theirs


def timed_alternately(
    actions: Sequence[Callable[[], object]], repeat: int = 7, *, seconds: float = 0.0
) -> list[float]:
    """Median seconds of each of `actions`, run in turn so that load from other processes falls
    on all alike: `repeat` times, or as many more as fit in about `seconds` (a fast action is
    noisier than its median of a few runs shows)."""
    start = time.perf_counter()
    for run in actions:
        run()
    warm_up = time.perf_counter() - start
    if seconds and warm_up:
        repeat = max(repeat, min(MOST_RUNS, int(seconds / warm_up)))
    samples: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for taken, run in zip(samples, actions, strict=True):
            start = time.perf_counter()
            run()
            taken.append(time.perf_counter() - start)
    return [statistics.median(taken) for taken in samples]
