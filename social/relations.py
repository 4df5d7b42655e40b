"""Blocking and muting someone, and who may interact with whose posts.

Muting hides the muted person's posts, comments and notifications from the muter (the muted
person is not told). Blocking hides the two from each other, ends the follows between them,
and stops the blocked person commenting on, liking or remixing the blocker's posts.
What is hidden is decided in `social.visibility`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from social import timelines
from social.accounts import account_user
from social.errors import Forbidden, Invalid, NotFound
from social.models import Block, Follow, Mute, Post, User
from social.users import find_user
from social.visibility import visible_posts

Relation = Literal["block", "mute"]


@dataclass(frozen=True)
class RelationState:
    """Whether the user blocks (or mutes) `name` now."""

    name: str
    relation: Relation
    active: bool


def _other(session: Session, me: User, name: str, relation: Relation) -> User:
    other = find_user(session, name.lstrip("@")) if isinstance(name, str) else None
    if other is None:
        raise NotFound(f"There is nobody called {name!r} here.")
    if other.id == me.id:
        raise Invalid(f"You cannot {relation} yourself.")
    return other


def _table(relation: Relation) -> tuple[type[Block] | type[Mute], str, str]:
    if relation == "block":
        return Block, "blocker_id", "blocked_id"
    return Mute, "muter_id", "muted_id"


def set_relation(
    session: Session, *, user: str, name: str, relation: Relation, active: bool = True
) -> RelationState:
    """`user` blocks or mutes `name` (`active`), or takes it back; repeating changes nothing."""
    if relation not in ("block", "mute"):
        raise Invalid("One can block or mute someone.")
    me = account_user(session, user)
    other = _other(session, me, name, relation)
    table, subject, target = _table(relation)
    pair = (getattr(table, subject) == me.id, getattr(table, target) == other.id)
    if not active:
        session.execute(delete(table).where(*pair))
        return RelationState(other.name, relation, active=False)
    if session.scalar(select(exists().where(*pair))):
        return RelationState(other.name, relation, active=True)
    try:
        with session.begin_nested():  # a racing double click trips the unique constraint
            session.add(table(**{subject: me.id, target: other.id}))
    except IntegrityError:
        pass
    if relation == "block":
        session.execute(
            delete(Follow).where(
                or_(
                    (Follow.follower_id == me.id) & (Follow.followee_id == other.id),
                    (Follow.follower_id == other.id) & (Follow.followee_id == me.id),
                )
            )
        )
        timelines.empty(session, follower_id=me.id, followee_id=other.id)
        timelines.empty(session, follower_id=other.id, followee_id=me.id)
    session.flush()
    return RelationState(other.name, relation, active=True)


def related_names(session: Session, *, user: str, relation: Relation) -> list[str]:
    """The names `user` blocks (or mutes), most recent first."""
    me = account_user(session, user)
    table, subject, target = _table(relation)
    query = (
        select(User.name)
        .join(table, getattr(table, target) == User.id)
        .where(getattr(table, subject) == me.id)
        .order_by(table.id.desc())
    )
    return list(session.scalars(query))


def blocks(session: Session, blocker_id: int, blocked_id: int) -> bool:
    """Whether user `blocker_id` blocks user `blocked_id`."""
    pair = (Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)
    return bool(session.scalar(select(exists().where(*pair))))


def ensure_may_interact(session: Session, user: User, post: Post, action: str) -> None:
    """Forbidden if a block stands between `user` and `post`'s author (`action` says what was
    tried: "like", "comment on", "remix"); NotFound if a moderator hid the post or suspended its
    author (except for the author themself)."""
    author = post.author
    if author.id != user.id and blocks(session, author.id, user.id):
        raise Forbidden(f"@{author.name} has blocked you: you cannot {action} their posts.")
    if author.id != user.id and blocks(session, user.id, author.id):
        raise Forbidden(f"You have blocked @{author.name}; unblock them to {action} their posts.")
    shown = exists().where(Post.id == post.id, or_(visible_posts(None), Post.author_id == user.id))
    if not session.scalar(select(shown)):
        raise NotFound("That post does not exist (any more).")
