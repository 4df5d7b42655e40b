"""Following timelines, written when posts and follows change (fan-out on write).

Each follower has a `TimelineEntry` for every post of everyone they follow, so a Following
page walks the index (viewer, created_at, post) to its 21 entries, however many posts the
people followed wrote. The entries change in the same transaction as what changes them:
a post is published (an entry for each of its author's followers), someone follows (the
followee's posts) or stops following, or blocks (theirs go both ways). A deleted post's entries
go with it by ON DELETE CASCADE. Who may see a post is still decided when the page is read
(`social.visibility`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, literal, select
from sqlalchemy.orm import Session

from social.models import Follow, Post, TimelineEntry

COLUMNS = ("post_id", "user_id", "created_at")


def fan_out(session: Session, *, post_id: int, author_id: int, created_at: datetime) -> None:
    """An entry of the new post `post_id` in the timeline of each follower of its author."""
    when = literal(created_at, TimelineEntry.created_at.type)
    followers = select(literal(post_id), Follow.follower_id, when).where(
        Follow.followee_id == author_id
    )
    session.execute(insert(TimelineEntry).from_select(COLUMNS, followers))


def fill(session: Session, *, follower_id: int, followee_id: int) -> None:
    """The posts of `followee_id` into the timeline of their new follower `follower_id`."""
    posts = select(Post.id, literal(follower_id), Post.created_at).where(
        Post.author_id == followee_id
    )
    session.execute(insert(TimelineEntry).from_select(COLUMNS, posts))


def empty(session: Session, *, follower_id: int, followee_id: int) -> None:
    """The posts of `followee_id` out of the timeline of `follower_id`, who stopped following."""
    theirs = select(Post.id).where(Post.author_id == followee_id)
    session.execute(
        delete(TimelineEntry).where(
            TimelineEntry.user_id == follower_id, TimelineEntry.post_id.in_(theirs)
        )
    )
