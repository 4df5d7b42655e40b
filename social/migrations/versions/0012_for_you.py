"""For you computed ahead of the read: each person's recommended posts and when they were made.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _user() -> sa.Column:
    return sa.Column(
        "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


def upgrade() -> None:
    # Empty at first: each person's entries are computed on their next For you page.
    op.create_table(
        "for_you_entries",
        _user(),
        sa.Column(
            "post_id",
            sa.Integer(),
            sa.ForeignKey("posts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("affinity", sa.Integer(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_for_you_entries_user_affinity_post",
        "for_you_entries",
        ["user_id", "affinity", "post_id"],
    )
    op.create_table(
        "for_you_runs",
        _user(),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_like_id", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("for_you_runs")
    op.drop_table("for_you_entries")
