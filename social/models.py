"""The feed's data model (SQLAlchemy 2 typed ORM). Schema changes go through Alembic."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime (SQLite hands back naive ones; Plaza stores UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every Plaza table."""


class User(Base):
    """A person who posts: a display name, and an account once a password is set."""

    __tablename__ = "users"
    __table_args__ = (
        Index("ix_users_name_skeleton", "name_skeleton", unique=True),
        # Every feed page asks for the suspended accounts (social.visibility).
        Index("ix_users_suspended_at", "suspended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    # Case-folded name, unique, so "Alice" and "alice" are one person on SQLite and PostgreSQL.
    # Casefolding can lengthen a name (ß -> ss), hence the room.
    name_key: Mapped[str] = mapped_column(String(160), unique=True)
    # The key folded through Unicode's confusables: unique, so look-alike names cannot coexist.
    # NULL only for rows older than migration 0005 that shared a skeleton with an earlier one.
    name_skeleton: Mapped[str | None] = mapped_column(String(160), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # An argon2id hash ("$argon2id$..."; older rows "scrypt$..."); None for a display-name-only
    # author who never signed up.
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    bio: Mapped[str] = mapped_column(Text, default="", server_default="")
    avatar_image_id: Mapped[int | None] = mapped_column(ForeignKey("images.id"), default=None)
    # "moderator" for someone the operator made one (`plaza moderator NAME`); None for everyone.
    role: Mapped[str | None] = mapped_column(String(20), default=None)
    # A suspended account cannot sign in or write, and its posts and comments are not shown.
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    suspended_reason: Mapped[str | None] = mapped_column(Text, default=None)

    posts: Mapped[list[Post]] = relationship(back_populates="author")
    avatar: Mapped[Image | None] = relationship()


class Image(Base):
    """An image file stored content-addressed (sha256) in the data folder."""

    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    mime: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Post(Base):
    """A published creation: an image with its caption and the prompt it came from."""

    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_created_id", "created_at", "id"),
        # A profile's grid and Following read one author's posts newest first.
        Index("ix_posts_author_created_id", "author_id", "created_at", "id"),
        Index("ix_posts_hot_score_id", "hot_score", "id"),  # Trending
        # Remix counts and "remixes of this post" look posts up by their original.
        Index("ix_posts_remix_of_id", "remix_of_id"),
        # The chat draft a post was shared from: unique, so sharing it twice makes one post.
        Index("ix_posts_draft_key", "draft_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id"))
    caption: Mapped[str] = mapped_column(Text)
    prompt: Mapped[str] = mapped_column(Text, default="")
    alt_text: Mapped[str] = mapped_column(Text, default="")
    model: Mapped[str] = mapped_column(String(80), default="")
    remix_of_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    draft_key: Mapped[str | None] = mapped_column(String(64), default=None)
    # The edits between the prompt and this image ("wider", "black and white"), oldest first.
    edit_steps: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Kept exact by social.counters in the transaction of each like, comment and remix.
    like_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    comment_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    remix_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    hot_score: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    # Whether people other than the author see the prompt (the author's choice per post).
    prompt_public: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Set by a moderator: then only the author sees the post, marked hidden with the reason.
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    hidden_reason: Mapped[str | None] = mapped_column(Text, default=None)

    author: Mapped[User] = relationship(back_populates="posts")
    image: Mapped[Image] = relationship()
    remix_of: Mapped[Post | None] = relationship(remote_side=[id])


class SignInSession(Base):
    """A signed-in browser: only the hashes of its opaque token and one-time handoff code."""

    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # The page that signed in hands this code to the server once, which answers with the cookie.
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    handoff_expires_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), default=None
    )


class PersonalToken(Base):
    """A named, revocable token a user gives an outside assistant; only its hash is kept."""

    __tablename__ = "personal_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class Like(Base):
    """One user's like of one post; the unique constraint makes a second like impossible."""

    __tablename__ = "likes"
    # (post_id, user_id) first: it also serves counting a post's likes and "liked by viewer".
    __table_args__ = (
        UniqueConstraint("post_id", "user_id", name="uq_likes_post_user"),
        Index("ix_likes_user_id_id", "user_id", "id"),  # a person's latest likes (For you)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Comment(Base):
    """A comment on a post; a reply points at a top-level comment (threads are one level)."""

    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_post_created_id", "post_id", "created_at", "id"),
        Index("ix_comments_parent_id", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Deleting a top-level comment takes its replies with it.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), default=None
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set by a moderator: then only the author sees the comment, marked hidden with the reason.
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    hidden_reason: Mapped[str | None] = mapped_column(Text, default=None)


class Follow(Base):
    """`follower` sees `followee`'s posts in their Following feed."""

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("follower_id", "followee_id", name="uq_follows_follower_followee"),
        Index("ix_follows_followee_id", "followee_id"),
        CheckConstraint("follower_id <> followee_id", name="ck_follows_not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    follower_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    followee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Notification(Base):
    """Something that happened to a user's posts or profile: like, comment, reply, follow, remix."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_recipient_id_id", "recipient_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))
    # Notifications about a deleted post or comment go with it.
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), default=None, index=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), default=None, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class PostHashtag(Base):
    """A #hashtag of a post's caption, lowercased, extracted when the post is published."""

    __tablename__ = "post_hashtags"
    # A hashtag page is read newest first straight from this index.
    __table_args__ = (Index("ix_post_hashtags_tag_created_post", "tag", "created_at", "post_id"),)

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)
    # The post's own created_at, copied so that the index above orders by it.
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TimelineEntry(Base):
    """A post in the Following timeline of one of its author's followers (fan-out on write).

    Written when a post is published (one row per follower), when someone follows (the
    followee's posts) and removed on unfollow or block, so that a Following page reads its
    viewer's newest entries from one index however many posts there are."""

    __tablename__ = "timeline_entries"
    __table_args__ = (
        Index("ix_timeline_entries_user_created_post", "user_id", "created_at", "post_id"),
        {"sqlite_with_rowid": False},  # the key is the row: no second copy of it
    )

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # The post's own created_at, copied so that the index above orders by it.
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ForYouEntry(Base):
    """A post recommended to one person, with its affinity (`social.recommendations`)."""

    __tablename__ = "for_you_entries"
    __table_args__ = (
        Index("ix_for_you_entries_user_affinity_post", "user_id", "affinity", "post_id"),
        {"sqlite_with_rowid": False},  # the key is the row: no second copy of it
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    affinity: Mapped[int] = mapped_column(Integer)


class ForYouRun(Base):
    """When a person's For you entries were last computed, and from which of their likes."""

    __tablename__ = "for_you_runs"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The person's latest like then (0: none): a newer like makes the entries stale.
    last_like_id: Mapped[int] = mapped_column(Integer)


class Report(Base):
    """A user's report of a post or of a comment, with their reason, until a moderator acts.

    The reporter no longer sees what they reported, whatever the moderator decides."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("post_id", "reporter_id", name="uq_reports_post_reporter"),
        UniqueConstraint("comment_id", "reporter_id", name="uq_reports_comment_reporter"),
        CheckConstraint(
            "(post_id IS NULL) <> (comment_id IS NULL)", name="ck_reports_post_or_comment"
        ),
        Index("ix_reports_resolved_at", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), default=None
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), default=None
    )
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # None while open; then what the moderator did: hidden, restored, dismissed or suspended.
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    resolution: Mapped[str | None] = mapped_column(String(20), default=None)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class Block(Base):
    """`blocker` no longer sees `blocked`, nor `blocked` them; `blocked` cannot interact with
    `blocker`'s posts."""

    __tablename__ = "blocks"
    __table_args__ = (
        UniqueConstraint("blocker_id", "blocked_id", name="uq_blocks_blocker_blocked"),
        Index("ix_blocks_blocked_id", "blocked_id"),
        CheckConstraint("blocker_id <> blocked_id", name="ck_blocks_not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Mute(Base):
    """`muter` no longer sees `muted`'s posts, comments and notifications (`muted` is not told)."""

    __tablename__ = "mutes"
    __table_args__ = (
        UniqueConstraint("muter_id", "muted_id", name="uq_mutes_muter_muted"),
        CheckConstraint("muter_id <> muted_id", name="ck_mutes_not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    muter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    muted_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Conversation(Base):
    """A saved chat with the assistant; `token` is its unguessable permalink key."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_owner_updated", "owner_id", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    # None for a guest's chat: then holding the token is what grants access.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    title: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ChatMessage(Base):
    """One message of a conversation, stored as the JSON the assistant handed over."""

    __tablename__ = "chat_messages"
    __table_args__ = (Index("ix_chat_messages_conversation_id_id", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SearchPending(Base):
    """A post whose search-index entry is out of date: published (to add) or deleted (to drop).

    No foreign key: the mark of a deleted post must outlive it until the index forgets it."""

    __tablename__ = "search_pending"

    post_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SigningIdentityRow(Base):
    """The instance's Content Credentials signing identity (`social.signing_keys`): one row,
    shared by every server of the community."""

    __tablename__ = "signing_identity"
    __table_args__ = (CheckConstraint("id = 1", name="ck_signing_identity_one"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    chain_pem: Mapped[str] = mapped_column(Text)
    private_key_pem: Mapped[str] = mapped_column(Text)
    ca_pem: Mapped[str] = mapped_column(Text)
    ca_key_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
