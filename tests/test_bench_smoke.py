"""The benchmarks run at tiny sizes, so they cannot rot: well-formed figures, exact counts, and
no assertion on any timing."""

from __future__ import annotations

import pytest

from bench import cold_start, like_click, writers
from bench.report import Figure
from tests.conftest import POSTGRES_URL


def well_formed(figures: list[Figure], count: int) -> None:
    assert len(figures) == count
    for figure in figures:
        assert figure.what and figure.ours > 0, figure
        assert figure.baseline is None or figure.baseline > 0, figure


def test_like_click_is_timed_against_the_bare_script() -> None:
    figures = like_click.run(smoke=True)
    well_formed(figures, 1)
    assert figures[0].baseline is not None and figures[0].target == 1.3


def test_writers_leave_no_error_and_exact_counts_on_sqlite() -> None:
    figures = writers.run(smoke=True)
    well_formed(figures, 1)
    assert figures[0].unit == "ops/s" and figures[0].baseline is None
    assert figures[0].note.startswith("0 errors, counts exact;")


@pytest.mark.postgres
def test_writers_leave_no_error_and_exact_counts_on_postgres() -> None:
    figures = writers.run(smoke=True, postgres_url=POSTGRES_URL)
    well_formed(figures, 2)
    assert all(f.note.startswith("0 errors, counts exact;") for f in figures)
    assert "PostgreSQL" in figures[1].what


@pytest.mark.browser
def test_cold_start_and_memory_are_measured_against_the_bare_app() -> None:
    figures = cold_start.run(smoke=True)
    well_formed(figures, 2)
    assert [f.unit for f in figures] == ["s", "MB"]
    assert all(f.baseline is not None and f.target is None for f in figures)
