"""The Content Credentials signing identity kept in the database, shared by every server.

Adopts the identity an instance made in its data folder before (`credentials/`), so its
pictures stay Trusted; otherwise issues a new one.

Revision ID: 0013
Revises: 0012
"""

from dataclasses import asdict
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from social.settings import get_settings
from social.signing_keys import LEGACY_FOLDER, identity_in_folder, issue_identity

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "signing_identity",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("chain_pem", sa.Text(), nullable=False),
        sa.Column("private_key_pem", sa.Text(), nullable=False),
        sa.Column("ca_pem", sa.Text(), nullable=False),
        sa.Column("ca_key_pem", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_signing_identity_one"),
    )
    folder = get_settings().plaza_data_dir / LEGACY_FOLDER
    identity = identity_in_folder(folder) or issue_identity()
    op.bulk_insert(table, [{"id": 1, **asdict(identity), "created_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("signing_identity")
