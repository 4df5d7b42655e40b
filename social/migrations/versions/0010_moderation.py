"""Moderation: reports of comments too, with their resolution; hidden posts and comments;
moderators and suspended accounts; blocks and mutes.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _moment(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=True)


def _relation(table: str, subject: str, other: str) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(subject, sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column(other, sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(subject, other, name=f"uq_{table}_{subject[:-3]}_{other[:-3]}"),
        sa.CheckConstraint(f"{subject} <> {other}", name=f"ck_{table}_not_self"),
    )


def upgrade() -> None:
    # Plain ADD COLUMN on the tables others point at: a batch copy would cascade deletes.
    op.add_column("users", sa.Column("role", sa.String(20), nullable=True))
    op.add_column("users", _moment("suspended_at"))
    op.add_column("users", sa.Column("suspended_reason", sa.Text(), nullable=True))
    # Every feed page asks for the suspended accounts: an index keeps that a lookup.
    op.create_index("ix_users_suspended_at", "users", ["suspended_at"])
    for table in ("posts", "comments"):
        op.add_column(table, _moment("hidden_at"))
        op.add_column(table, sa.Column("hidden_reason", sa.Text(), nullable=True))
    # Nothing points at `reports`, so SQLite may copy it to loosen post_id.
    with op.batch_alter_table("reports") as batch:
        batch.alter_column("post_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(
            sa.Column(
                "comment_id",
                sa.Integer(),
                sa.ForeignKey(
                    "comments.id", ondelete="CASCADE", name="fk_reports_comment_id_comments"
                ),
                nullable=True,
            )
        )
        batch.add_column(_moment("resolved_at"))
        batch.add_column(sa.Column("resolution", sa.String(20), nullable=True))
        batch.add_column(
            sa.Column(
                "resolved_by_id",
                sa.Integer(),
                sa.ForeignKey("users.id", name="fk_reports_resolved_by_id_users"),
                nullable=True,
            )
        )
        batch.create_unique_constraint("uq_reports_comment_reporter", ["comment_id", "reporter_id"])
        batch.create_check_constraint(
            "ck_reports_post_or_comment", "(post_id IS NULL) <> (comment_id IS NULL)"
        )
        batch.create_index("ix_reports_resolved_at", ["resolved_at"])
    _relation("blocks", "blocker_id", "blocked_id")
    op.create_index("ix_blocks_blocked_id", "blocks", ["blocked_id"])
    _relation("mutes", "muter_id", "muted_id")


def downgrade() -> None:
    op.drop_table("mutes")
    op.drop_index("ix_blocks_blocked_id", table_name="blocks")
    op.drop_table("blocks")
    op.execute("DELETE FROM reports WHERE comment_id IS NOT NULL")
    with op.batch_alter_table("reports") as batch:
        batch.drop_index("ix_reports_resolved_at")
        batch.drop_constraint("ck_reports_post_or_comment", type_="check")
        batch.drop_constraint("uq_reports_comment_reporter", type_="unique")
        batch.drop_constraint("fk_reports_resolved_by_id_users", type_="foreignkey")
        batch.drop_constraint("fk_reports_comment_id_comments", type_="foreignkey")
        batch.drop_column("resolved_by_id")
        batch.drop_column("resolution")
        batch.drop_column("resolved_at")
        batch.drop_column("comment_id")
        batch.alter_column("post_id", existing_type=sa.Integer(), nullable=False)
    # SQLite drops a column in place (3.35+); no copy of the tables others point at.
    for table in ("comments", "posts"):
        op.drop_column(table, "hidden_reason")
        op.drop_column(table, "hidden_at")
    op.drop_column("users", "suspended_reason")
    op.drop_index("ix_users_suspended_at", table_name="users")
    op.drop_column("users", "suspended_at")
    op.drop_column("users", "role")
