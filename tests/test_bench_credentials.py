"""A tiny run of the credentials benchmark, so `make bench` cannot rot (no timing is asserted)."""

from __future__ import annotations

import re

from bench.credentials import bench_credentials


def test_credentials_bench_runs_at_a_tiny_size() -> None:
    line = bench_credentials(side=64, repeat=1)
    assert re.search(r"sign \d+\.\d ms \(thumbnail off; \d+ ms with it\), read \d+\.\d ms", line)
