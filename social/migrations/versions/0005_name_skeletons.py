"""Names get a confusable skeleton, unique, so look-alike names cannot be created.

Existing users are backfilled oldest first; a later row whose skeleton an earlier one already
holds keeps NULL (it stays usable, and nobody new can take a name that looks like it).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from social.users import name_skeleton

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch copy: `users` is pointed at by most tables.
    op.add_column("users", sa.Column("name_skeleton", sa.String(160), nullable=True))
    connection = op.get_bind()
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_skeleton"),
    )
    taken: set[str] = set()
    for user_id, name in connection.execute(sa.select(users.c.id, users.c.name).order_by("id")):
        skeleton = name_skeleton(name)[:160]
        if skeleton in taken:
            continue
        taken.add(skeleton)
        connection.execute(
            users.update().where(users.c.id == user_id).values(name_skeleton=skeleton)
        )
    op.create_index("ix_users_name_skeleton", "users", ["name_skeleton"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_users_name_skeleton", table_name="users")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE users DROP COLUMN name_skeleton")
    else:
        op.drop_column("users", "name_skeleton")
