"""Server-side sign-in sessions; posts remember the draft they came from and their edit steps.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handoff_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("handoff_expires_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_sign_in_sessions_user_id", "sign_in_sessions", ["user_id"])
    # Plain ADD COLUMN and a unique index: SQLite's batch mode would copy and drop `posts`,
    # and dropping it cascades to the likes, comments and hashtags that point at it.
    op.add_column("posts", sa.Column("draft_key", sa.String(64), nullable=True))
    op.add_column(
        "posts",
        sa.Column("edit_steps", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )
    op.create_index("ix_posts_draft_key", "posts", ["draft_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_posts_draft_key", table_name="posts")
    op.drop_column("posts", "edit_steps")
    op.drop_column("posts", "draft_key")
    op.drop_index("ix_sign_in_sessions_user_id", table_name="sign_in_sessions")
    op.drop_table("sign_in_sessions")
