"""Social network: accounts and profiles, likes, comments, follows, notifications, hashtags,
reports, and the index that counts remixes.

Revision ID: 0002
Revises: 0001
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# A copy of social.hashtags' rule as it was at this revision: migrations must not change when
# the application code does.
_HASHTAG = re.compile(r"(?<![\w#&])#(\w*[^\W\d_]\w*)")


def _created_at() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch copy: on SQLite a batch would drop and recreate `users`,
    # which the posts pointing at it forbid once foreign keys are enforced.
    op.add_column("users", sa.Column("password_hash", sa.String(255), nullable=True))
    op.add_column("users", sa.Column("bio", sa.Text(), nullable=False, server_default=""))
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with an inline REFERENCES, but Alembic would ALTER a constraint.
        op.execute("ALTER TABLE users ADD COLUMN avatar_image_id INTEGER REFERENCES images (id)")
    else:
        op.add_column(
            "users",
            sa.Column("avatar_image_id", sa.Integer(), sa.ForeignKey("images.id"), nullable=True),
        )
    op.create_index("ix_posts_remix_of_id", "posts", ["remix_of_id"])
    op.create_table(
        "likes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "post_id", sa.Integer(), sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        _created_at(),
        sa.UniqueConstraint("post_id", "user_id", name="uq_likes_post_user"),
    )
    op.create_index("ix_likes_user_id", "likes", ["user_id"])
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "post_id", sa.Integer(), sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column(
            "parent_id",
            sa.Integer(),
            sa.ForeignKey("comments.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        _created_at(),
    )
    op.create_index("ix_comments_post_created_id", "comments", ["post_id", "created_at", "id"])
    op.create_index("ix_comments_parent_id", "comments", ["parent_id"])
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("follower_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("followee_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        _created_at(),
        sa.UniqueConstraint("follower_id", "followee_id", name="uq_follows_follower_followee"),
        sa.CheckConstraint("follower_id <> followee_id", name="ck_follows_not_self"),
    )
    op.create_index("ix_follows_followee_id", "follows", ["followee_id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("recipient_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column(
            "post_id", sa.Integer(), sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column(
            "comment_id",
            sa.Integer(),
            sa.ForeignKey("comments.id", ondelete="CASCADE"),
            nullable=True,
        ),
        _created_at(),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_notifications_recipient_id_id", "notifications", ["recipient_id", "id"])
    op.create_index("ix_notifications_post_id", "notifications", ["post_id"])
    op.create_index("ix_notifications_comment_id", "notifications", ["comment_id"])
    op.create_table(
        "post_hashtags",
        sa.Column(
            "post_id",
            sa.Integer(),
            sa.ForeignKey("posts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tag", sa.String(100), primary_key=True),
    )
    op.create_index("ix_post_hashtags_tag_post_id", "post_hashtags", ["tag", "post_id"])
    _backfill_hashtags()
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "post_id", sa.Integer(), sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("reporter_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _created_at(),
        sa.UniqueConstraint("post_id", "reporter_id", name="uq_reports_post_reporter"),
    )


def _backfill_hashtags() -> None:
    """Tags of the posts published before this revision, so #tag feeds find them too."""
    posts = sa.table("posts", sa.column("id", sa.Integer()), sa.column("caption", sa.Text()))
    tags = sa.table("post_hashtags", sa.column("post_id", sa.Integer()), sa.column("tag"))
    connection = op.get_bind()
    rows = []
    for post_id, caption in connection.execute(sa.select(posts.c.id, posts.c.caption)):
        found = dict.fromkeys(m.group(1).lower() for m in _HASHTAG.finditer(caption))
        rows += [{"post_id": post_id, "tag": tag} for tag in found if len(tag) <= 100]
    if rows:
        connection.execute(sa.insert(tags), rows)


def downgrade() -> None:
    op.drop_table("reports")
    op.drop_table("post_hashtags")
    op.drop_table("notifications")
    op.drop_table("follows")
    op.drop_table("comments")
    op.drop_table("likes")
    op.drop_index("ix_posts_remix_of_id", table_name="posts")
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # The batch copies `users` and drops the original, which the posts pointing at it
        # forbid while foreign keys are enforced. SQLite ignores this pragma inside a
        # transaction, so check that it took rather than corrupt anything quietly.
        op.execute("PRAGMA foreign_keys = OFF")
        if op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar():
            raise RuntimeError("Downgrading SQLite needs foreign keys off; run it on its own.")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("avatar_image_id")
        batch.drop_column("bio")
        batch.drop_column("password_hash")
    if sqlite:
        op.execute("PRAGMA foreign_keys = ON")
