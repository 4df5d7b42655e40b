"""Search: posts waiting to be (re)indexed or dropped from the search index; every existing
post starts out waiting, so the first sync indexes the feed as it is.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_pending",
        sa.Column("post_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute(
        "INSERT INTO search_pending (post_id, marked_at) SELECT id, CURRENT_TIMESTAMP FROM posts"
    )


def downgrade() -> None:
    op.drop_table("search_pending")
