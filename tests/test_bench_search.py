"""A tiny run of the search benchmark, so `make bench` cannot rot (no timing is asserted)."""

from __future__ import annotations

import re

from bench.search import bench_search


def test_search_bench_runs_at_a_tiny_size() -> None:
    line = bench_search(posts=300, repeat=1)
    assert re.search(r"top-20 of 300 posts: .* → \d+\.\d\d× the baseline", line), line
