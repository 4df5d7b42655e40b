"""Per-post prompt visibility: the author chooses whether others see the prompt (default yes).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN with a default: no table copy, so nothing that points at posts is touched.
    op.add_column(
        "posts",
        sa.Column("prompt_public", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    op.drop_column("posts", "prompt_public")
