"""For you, computed ahead of the read: each person's recommended posts, kept in a table.

The candidates come from a set of bounded size: the person's latest `MY_LIKES` likes, the
`NEIGHBOURS` people who share most of them (each counts once per post the two both liked), and
the latest `THEIR_LIKES` likes of each of those; leaving out the person's own posts and those
they already liked. Each candidate's affinity is the summed weight of the neighbours who liked
it. `refresh` writes them to `for_you_entries` (at most NEIGHBOURS × THEIR_LIKES rows), so a
For you page walks one index like every other feed, whatever the size of the community.

Entries are computed again on the first page of For you once they are older than
`PLAZA_FOR_YOU_REFRESH_MINUTES`, or as soon as the person has liked something since: one's
own like changes one's recommendations at once, other people's within minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Insert,
    Integer,
    bindparam,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from social.models import ForYouEntry, ForYouRun, Like, Post, User, utcnow
from social.sql import any_row

MY_LIKES = 50  # the viewer's latest likes that find their neighbours
NEIGHBOURS = 25  # the people whose likes best match the viewer's
THEIR_LIKES = 20  # the latest likes of each neighbour that become candidates

# Entries computed after this moment are fresh (now minus the refresh interval).
FRESH_SINCE = bindparam("fresh_since", type_=DateTime(timezone=True))
_PERSON = bindparam("person", type_=Integer)
_SINCE = bindparam("since", type_=DateTime(timezone=True))


def stale(person: Any) -> ColumnElement[bool]:
    """Whether `person`'s (an id or a scalar subquery of one) entries must be computed again:
    never computed, older than FRESH_SINCE, or older than the person's latest like."""
    latest_like = select(func.max(Like.id)).where(Like.user_id == person).scalar_subquery()
    fresh = any_row(
        ForYouRun.user_id == person,
        ForYouRun.computed_at > FRESH_SINCE,
        ForYouRun.last_like_id >= func.coalesce(latest_like, 0),
    )
    return ~fresh


def is_stale(session: Session, person_key: str, fresh_since: datetime) -> bool:
    """Whether the person with the lookup key `person_key` needs their entries computed."""
    person = select(User.id).where(User.name_key == person_key).scalar_subquery()
    return bool(session.scalar(select(stale(person)), {"fresh_since": fresh_since}))


@cache
def _fill_statement() -> Insert:
    mine, theirs, recent, latest, seen = (aliased(Like) for _ in range(5))
    my_latest = (
        select(mine.post_id).where(mine.user_id == _PERSON).order_by(mine.id.desc()).limit(MY_LIKES)
    )
    neighbours = (
        select(theirs.user_id.label("user_id"), func.count().label("weight"))
        .where(theirs.post_id.in_(my_latest), theirs.user_id != _PERSON)
        .group_by(theirs.user_id)
        .order_by(func.count().desc(), theirs.user_id)
        .limit(NEIGHBOURS)
        .cte("neighbours")
    )
    # Each neighbour's THEIR_LIKES-th latest like bounds the range of their likes read below
    # (a lateral join, written so that SQLite runs it too).
    oldest_taken = (
        select(latest.id)
        .where(latest.user_id == neighbours.c.user_id)
        .order_by(latest.id.desc())
        .limit(1)
        .offset(THEIR_LIKES - 1)
        .scalar_subquery()
    )
    already_liked = select(seen.id).where(seen.post_id == recent.post_id, seen.user_id == _PERSON)
    scores = (
        select(recent.post_id.label("post_id"), func.sum(neighbours.c.weight).label("affinity"))
        .join(neighbours, recent.user_id == neighbours.c.user_id)
        .where(recent.id >= func.coalesce(oldest_taken, 0), ~already_liked.exists())
        .group_by(recent.post_id)
        .subquery("scores")
    )
    chosen = (
        select(_PERSON, scores.c.post_id, scores.c.affinity)
        .join(Post, Post.id == scores.c.post_id)
        .where(Post.author_id != _PERSON, Post.created_at > _SINCE)
    )
    return insert(ForYouEntry).from_select(["user_id", "post_id", "affinity"], chosen)


def fill(connection: Connection, people: Sequence[int], *, since: datetime) -> None:
    """Insert the For you entries of `people` (ids of people who have none), from posts newer
    than `since`."""
    rows = [{"person": person, "since": since} for person in people]
    connection.execute(_fill_statement(), rows)


def refresh(session: Session, person_key: str, *, since: datetime) -> None:
    """Compute the For you entries of the person with the lookup key `person_key` again, from
    posts newer than `since`."""
    person = session.scalar(select(User.id).where(User.name_key == person_key))
    if person is None:
        return
    latest_like = session.scalar(select(func.max(Like.id)).where(Like.user_id == person))
    try:
        with session.begin_nested():
            session.execute(delete(ForYouEntry).where(ForYouEntry.user_id == person))
            fill(session.connection(), [person], since=since)
            session.execute(delete(ForYouRun).where(ForYouRun.user_id == person))
            session.add(
                ForYouRun(user_id=person, computed_at=utcnow(), last_like_id=latest_like or 0)
            )
            session.flush()
    except IntegrityError:
        pass  # another page of theirs computed them at the same moment: theirs stand
