"""Following timelines: each follower's entries of the posts of the people they follow.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "timeline_entries",
        sa.Column(
            "post_id",
            sa.Integer(),
            sa.ForeignKey("posts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sqlite_with_rowid=False,
    )
    # Every follower gets the posts of everyone they follow already.
    op.execute(
        "INSERT INTO timeline_entries (post_id, user_id, created_at) "
        "SELECT p.id, f.follower_id, p.created_at "
        "FROM posts p JOIN follows f ON f.followee_id = p.author_id"
    )
    op.create_index(
        "ix_timeline_entries_user_created_post",
        "timeline_entries",
        ["user_id", "created_at", "post_id"],
    )


def downgrade() -> None:
    op.drop_table("timeline_entries")
