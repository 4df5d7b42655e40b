"""`make bench`: every benchmark, each against a baseline measured in the same run, as one
table printed and written to bench/results.md (with the query plans of the feed pages).

    python -m bench                      # 10k and 1M posts, SQLite and PostgreSQL
    python -m bench --sizes 10000,100000 # other sizes
    python -m bench --smoke              # tiny sizes, a few seconds (the test suite runs this)

PostgreSQL is `PLAZA_BENCH_POSTGRES_URL` (default: the local server's `test` database); each
size is seeded once into a schema of its own and reused, as SQLite files under bench/results/.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bench.feeds import FeedFigure, measure, measure_refresh
from bench.report import RESULTS_MD, Figure, markdown
from bench.seed import Community, community
from social.settings import get_settings

POSTGRES_URL = os.environ.get(
    "PLAZA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
WINDOW = "PLAZA_TRENDING_WINDOW_HOURS"
FEED_TARGET = 1.5  # × the hand-written SQL
FLAT_TARGET = 1.2  # largest size × smallest size
FEED_ROUNDS = 3
# Modules with `run(smoke=..., postgres_url=...) -> list[Figure]`, in the order of the table.
OTHER_BENCHES = (
    "bench.publish",
    "bench.like_click",
    "bench.writers",
    "bench.cold_start",
    "bench.offline",
    "bench.credentials",
    "bench.moderation",
    "bench.search",
)


def _size(posts: int) -> str:
    if posts >= 1_000_000:
        return f"{posts / 1_000_000:g}M"
    return f"{posts / 1000:g}k" if posts >= 1000 else str(posts)


def feed_figures(feeds: list[FeedFigure], sizes: Sequence[int]) -> list[Figure]:
    """Each page at the largest size against its floor, and against itself at the smallest."""
    largest, smallest = max(sizes), min(sizes)
    figures = []
    for f in feeds:
        if f.posts != largest:
            continue
        label = f"{f.database} {f.feed} page {f.page} at {_size(largest)}"
        figures.append(Figure(label, "hand-written SQL", f.plaza, f.floor, FEED_TARGET))
        small = [
            s
            for s in feeds
            if (s.database, s.feed, s.page, s.posts) == (f.database, f.feed, f.page, smallest)
        ]
        if small and largest != smallest:
            figures.append(
                Figure(
                    f"{label} vs {_size(smallest)}",
                    f"at {_size(smallest)}",
                    f.plaza,
                    small[0].plaza,
                    FLAT_TARGET,
                )
            )
    return figures


def median_of_rounds(rounds: list[FeedFigure]) -> list[FeedFigure]:
    """One figure per page: the medians of its rounds (and the plan of its first)."""
    by_page: dict[tuple[str, int, str, int], list[FeedFigure]] = {}
    for figure in rounds:
        by_page.setdefault((figure.database, figure.posts, figure.feed, figure.page), []).append(
            figure
        )
    return [
        replace(
            measured[0],
            plaza=statistics.median(f.plaza for f in measured),
            floor=statistics.median(f.floor for f in measured),
        )
        for measured in by_page.values()
    ]


def _refresh_figure(seeded: Community, smoke: bool) -> Figure:
    """Computing one person's For you entries again, reported (it runs at most every few
    minutes per person, on their first For you page)."""
    plaza, floor = measure_refresh(seeded, repeat=3 if smoke else 15)
    return Figure(
        f"{seeded.engine.dialect.name} For you: one person's recommendations computed again "
        f"at {_size(seeded.posts)}",
        "hand-written DELETE + INSERT … SELECT",
        plaza,
        floor,
    )


def plans(feeds: list[FeedFigure], size: int) -> str:
    """The query plan of every page 1 at `size`, per database."""
    parts = []
    for f in feeds:
        if f.posts == size and f.page == 1:
            parts.append(f"#### {f.database}: {f.feed}\n\n```\n{f.plan}\n```\n")
    return "\n".join(parts)


def run(sizes: Sequence[int], *, smoke: bool, postgres_url: str | None, folder: Path) -> str:
    """Run everything; the Markdown report."""
    window = os.environ.get(WINDOW)
    # Every seeded post is a Trending and For you candidate, however old the seed.
    os.environ[WINDOW] = str(24 * 365 * 20)
    get_settings.cache_clear()
    try:
        return _run(sizes, smoke=smoke, postgres_url=postgres_url, folder=folder)
    finally:
        if window is None:
            os.environ.pop(WINDOW, None)
        else:
            os.environ[WINDOW] = window
        get_settings.cache_clear()


def _run(sizes: Sequence[int], *, smoke: bool, postgres_url: str | None, folder: Path) -> str:
    rounds: list[FeedFigure] = []
    refreshes: list[Figure] = []
    users = 200 if smoke else 20_000
    # Each community is opened once and keeps its connection for the whole run, as a Plaza
    # server keeps its pool: reconnected for each round, PostgreSQL's fresh backend ran the
    # deep Trending page at 1M (Plaza's and the floor alike) half as slow again in most rounds
    # after the first, with the same plan and buffers (see bench/results.md).
    by_database = [
        [
            community(posts, users=users, postgres_url=url, folder=folder, progress=not smoke)
            for posts in sorted(sizes)
        ]
        for url in ([None, postgres_url] if postgres_url else [None])
    ]
    # Every page is measured in a few rounds spread over the run, and each figure is the median
    # of its rounds: a second or two of load from elsewhere then moves one round, not a figure.
    # Within a round, a page at every size and its floors run alternately (`measure`).
    try:
        for round_number in range(1 if smoke else FEED_ROUNDS):
            for sized in by_database:
                rounds += measure(sized, repeat=3, seconds=0) if smoke else measure(sized)
                if round_number == 0:
                    refreshes.append(_refresh_figure(sized[-1], smoke))  # the largest
    finally:
        for sized in by_database:
            for seeded in sized:
                seeded.engine.dispose()
    feeds = median_of_rounds(rounds)
    figures = feed_figures(feeds, sizes) + refreshes
    for name in OTHER_BENCHES:
        module = importlib.import_module(name)
        measured = module.run(smoke=smoke, postgres_url=postgres_url)
        figures += measured
        print(markdown(measured).split("\n", 2)[-1], flush=True)
    table = markdown(figures)
    return (
        f"{table}\n\n### Query plans at {_size(max(sizes))} (page 1)\n\n{plans(feeds, max(sizes))}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line, run, print the table and write bench/results.md."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default="10000,1000000", help="post counts, comma-separated")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check it runs")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    sizes = [300, 600] if args.smoke else [int(size) for size in args.sizes.split(",")]
    postgres_url = None if args.no_postgres else POSTGRES_URL
    if args.smoke:
        with tempfile.TemporaryDirectory() as folder:
            report = run(sizes, smoke=True, postgres_url=postgres_url, folder=Path(folder))
        print(report)
        return
    report = run(
        sizes, smoke=False, postgres_url=postgres_url, folder=RESULTS_MD.parent / "results"
    )
    print(report)
    kept = (
        RESULTS_MD.read_text().split(MARK)[0] if RESULTS_MD.exists() else "# Benchmark results\n\n"
    )
    RESULTS_MD.write_text(kept + MARK + "\n\n" + report + "\n")


MARK = "<!-- figures below are written by `make bench` -->"

if __name__ == "__main__":
    main()
