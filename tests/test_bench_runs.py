"""`make bench` at tiny sizes, so it cannot rot: every feed on both databases, every other
benchmark, one table. No timing is asserted: speed is measured by `make bench`, not tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.__main__ import run
from bench.feeds import PICKERS
from tests.conftest import POSTGRES_URL


@pytest.mark.postgres
def test_the_whole_bench_runs_at_a_tiny_size(tmp_path: Path) -> None:
    report = run([300, 600], smoke=True, postgres_url=POSTGRES_URL, folder=tmp_path)
    rows = [line for line in report.splitlines() if line.startswith("| ")]
    for database in ("sqlite", "postgresql"):
        for feed in PICKERS:
            assert any(f"| {database} {feed} page 1 at 600 |" in row for row in rows), feed
    figure = re.compile(r"\| \d[\d,.]* \S")
    assert all(figure.search(row) for row in rows[2:]), rows
    assert "search top-20 of 300 posts" in report
    assert "offline chat turn" in report and "Content Credentials" in report
    assert "publish a 64² engine PNG" in report
    assert "SEARCH" in report and "Index" in report  # SQLite's and PostgreSQL's plans
