"""Following: an account follows people to see their posts in the Following feed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from social import timelines
from social.accounts import account_user
from social.errors import Forbidden, Invalid, NotFound
from social.models import Follow, Notification, User
from social.notifications import notify
from social.relations import blocks
from social.users import find_user

MAX_LIST = 200


@dataclass(frozen=True)
class FollowState:
    """Whether the user follows `name` now."""

    name: str
    following: bool


def _limit(limit: int) -> int:
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIST:
        raise Invalid(f"A list holds 1 to {MAX_LIST} names.")
    return limit


def _target(session: Session, name: str) -> User:
    user = find_user(session, name)
    if user is None:
        raise NotFound(f"There is nobody called {name!r} here.")
    return user


def follow(session: Session, *, user: str, name: str) -> FollowState:
    """`user` follows `name`; following again changes nothing."""
    me = account_user(session, user)
    target = _target(session, name)
    if target.id == me.id:
        raise Invalid("You cannot follow yourself.")
    if blocks(session, target.id, me.id):
        raise Forbidden(f"@{target.name} has blocked you: you cannot follow them.")
    if blocks(session, me.id, target.id):
        raise Forbidden(f"You have blocked @{target.name}; unblock them to follow them.")
    existing = select(Follow.id).where(Follow.follower_id == me.id, Follow.followee_id == target.id)
    if session.scalar(existing) is None:
        try:
            with session.begin_nested():  # a racing double click trips the unique constraint
                session.add(Follow(follower_id=me.id, followee_id=target.id))
                session.flush()
        except IntegrityError:
            return FollowState(name=target.name, following=True)
        timelines.fill(session, follower_id=me.id, followee_id=target.id)
        notify(session, recipient_id=target.id, actor_id=me.id, kind="follow")
        session.flush()
    return FollowState(name=target.name, following=True)


def unfollow(session: Session, *, user: str, name: str) -> FollowState:
    """`user` stops following `name` (and the follow notification goes)."""
    me = account_user(session, user)
    target = _target(session, name)
    session.execute(
        delete(Follow).where(Follow.follower_id == me.id, Follow.followee_id == target.id)
    )
    timelines.empty(session, follower_id=me.id, followee_id=target.id)
    session.execute(
        delete(Notification).where(
            Notification.kind == "follow",
            Notification.actor_id == me.id,
            Notification.recipient_id == target.id,
        )
    )
    return FollowState(name=target.name, following=False)


def followers(session: Session, name: str, *, limit: int = MAX_LIST) -> list[str]:
    """Names of the people who follow `name`, most recent first."""
    target = _target(session, name)
    query = (
        select(User.name)
        .join(Follow, Follow.follower_id == User.id)
        .where(Follow.followee_id == target.id)
        .order_by(Follow.id.desc())
        .limit(_limit(limit))
    )
    return list(session.scalars(query))


def following(session: Session, name: str, *, limit: int = MAX_LIST) -> list[str]:
    """Names of the people `name` follows, most recent first."""
    target = _target(session, name)
    query = (
        select(User.name)
        .join(Follow, Follow.followee_id == User.id)
        .where(Follow.follower_id == target.id)
        .order_by(Follow.id.desc())
        .limit(_limit(limit))
    )
    return list(session.scalars(query))
