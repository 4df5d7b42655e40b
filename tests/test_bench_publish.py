"""A tiny run of the publish benchmark, so `make bench` cannot rot (no timing is asserted)."""

from __future__ import annotations

from bench.publish import run


def test_publish_bench_runs_at_a_tiny_size() -> None:
    timings = run(side=64, repeat=1)
    assert [t.what for t in timings] == ["publish 64² engine PNG", "publish 64² JPEG photo"]
    assert all(t.plaza_s > 0 and t.baseline_s > 0 and t.ratio > 0 for t in timings)
