"""On the labelled set, search by meaning finds more of the relevant posts than keywords do."""

from __future__ import annotations

from sqlalchemy import Engine

from social.search.index import forget_clients
from tests.search_quality import measure
from tests.search_quality_set import QUERIES, TOPICS


def test_labelled_set_is_big_enough() -> None:
    assert sum(len(posts) for posts in TOPICS.values()) >= 200
    assert len(QUERIES) >= 30 and {topic for _, topic in QUERIES} <= set(TOPICS)


def test_search_by_meaning_beats_keywords_on_recall_at_5(sqlite_engine: Engine) -> None:
    forget_clients()
    quality = measure(sqlite_engine)
    forget_clients()
    assert quality.queries_sharing_no_word >= 8
    assert quality.semantic > quality.keyword
    assert quality.semantic >= 0.5  # README: 0.66 against 0.24
