"""Profiles: name, bio, avatar and counts in one query (their posts: feeds.user_posts); the
post count counts what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, false, func, select
from sqlalchemy.orm import Session, aliased

from social.errors import NotFound
from social.models import Follow, Image, Post, User, as_utc
from social.posts import viewer_id
from social.users import lookup_key
from social.visibility import visible_posts


@dataclass(frozen=True)
class Profile:
    """What a profile page shows; `has_account` is False for a display-name-only author."""

    name: str
    bio: str
    avatar_sha256: str | None
    has_account: bool
    created_at: datetime
    post_count: int
    follower_count: int
    following_count: int
    followed_by_viewer: bool = False


def get_profile(session: Session, name: str, *, viewer: str | None = None) -> Profile:
    """The profile of `name`, and whether `viewer` follows them; NotFound if nobody is called so."""
    avatar = aliased(Image)
    shown = visible_posts(None if viewer is None else viewer_id(viewer))
    posts = select(func.count(Post.id)).where(Post.author_id == User.id, shown).scalar_subquery()
    followers = select(func.count(Follow.id)).where(Follow.followee_id == User.id).scalar_subquery()
    following = select(func.count(Follow.id)).where(Follow.follower_id == User.id).scalar_subquery()
    followed = (
        false()
        if viewer is None
        else exists().where(Follow.followee_id == User.id, Follow.follower_id == viewer_id(viewer))
    )
    query = (
        select(
            User.name,
            User.bio,
            User.password_hash.is_not(None).label("has_account"),
            User.created_at,
            avatar.sha256.label("avatar_sha256"),
            posts.label("post_count"),
            followers.label("follower_count"),
            following.label("following_count"),
            followed.label("followed_by_viewer"),
        )
        .outerjoin(avatar, User.avatar_image_id == avatar.id)
        .where(User.name_key == lookup_key(name))
    )
    row = session.execute(query).one_or_none()
    if row is None:
        raise NotFound(f"There is nobody called {name!r} here.")
    return Profile(
        name=row.name,
        bio=row.bio,
        avatar_sha256=row.avatar_sha256,
        has_account=bool(row.has_account),
        created_at=as_utc(row.created_at),
        post_count=row.post_count,
        follower_count=row.follower_count,
        following_count=row.following_count,
        followed_by_viewer=bool(row.followed_by_viewer),
    )
