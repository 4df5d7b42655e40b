"""The Content Credentials signing identity kept in the database, shared by every server.

Adopts the identity an instance made in its data folder before (`credentials/`), so its
pictures stay Trusted; otherwise issues a new one. A downgrade writes it back there.

Revision ID: 0013
Revises: 0012
"""

from dataclasses import asdict
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from social.settings import get_settings
from social.signing_keys import (
    LEGACY_FOLDER,
    SigningIdentity,
    identity_in_folder,
    issue_identity,
    write_to_folder,
)

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
    # Back where the code before this revision reads it, so that upgrading again keeps it.
    folder = get_settings().plaza_data_dir / LEGACY_FOLDER
    row = (
        op.get_bind()
        .execute(
            sa.text("SELECT chain_pem, private_key_pem, ca_pem, ca_key_pem FROM signing_identity")
        )
        .one_or_none()
    )
    if row is not None and identity_in_folder(folder) is None:
        write_to_folder(SigningIdentity(*row), folder)
    op.drop_table("signing_identity")
