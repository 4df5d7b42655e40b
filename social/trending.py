"""The Trending score: weighted engagement against recency, on a clock that never moves.

    score = log2(1 + like_weight * likes + comment_weight * comments + remix_weight * remixes)
            + hours from 2026-01-01 to the post / half_life_hours

Each doubling of a post's engagement is worth `PLAZA_TRENDING_HALF_LIFE_HOURS` of recency
(Reddit's "hot" ranking, in base 2). Unlike a score that divides by the post's age, this one
does not change while time passes, so it is stored on the post (`posts.hot_score`), kept exact
in the same transaction as every like, comment and remix (see `social.counters`), and Trending
is a walk down an index instead of scoring every recent post on every page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from social.settings import SocialSettings

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Engagement:
    """A post's counts, as kept on its row."""

    likes: int = 0
    comments: int = 0
    remixes: int = 0


def hot_score(engagement: Engagement, created_at: datetime, settings: SocialSettings) -> float:
    """The Trending score of a post published at `created_at` with this `engagement`."""
    weighted = (
        engagement.likes * settings.plaza_trending_like_weight
        + engagement.comments * settings.plaza_trending_comment_weight
        + engagement.remixes * settings.plaza_trending_remix_weight
    )
    if created_at.tzinfo is None:  # SQLite hands back naive UTC
        created_at = created_at.replace(tzinfo=UTC)
    hours = (created_at - EPOCH).total_seconds() / 3600.0
    return math.log2(1.0 + weighted) + hours / settings.plaza_trending_half_life_hours
