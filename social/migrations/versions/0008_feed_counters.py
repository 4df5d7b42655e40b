"""Feeds at scale: counts and the Trending score kept on the post, indexes every feed walks.

- posts.like_count, comment_count, remix_count and hot_score (see social.trending), filled in
  from the rows that exist;
- posts (author_id, created_at, id) for profiles and Following, posts (hot_score, id) for
  Trending;
- post_hashtags.created_at (a copy of the post's) with (tag, created_at, post_id), so a
  hashtag page is read newest first from the index instead of sorting every tagged post;
- likes (user_id, id) for "the latest likes of this person" (For you).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from social.counters import rescore_posts
from social.settings import get_settings

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COUNTS = {
    "like_count": "SELECT count(*) FROM likes WHERE likes.post_id = posts.id",
    "comment_count": "SELECT count(*) FROM comments WHERE comments.post_id = posts.id",
    "remix_count": "SELECT count(*) FROM posts AS r WHERE r.remix_of_id = posts.id",
}


def upgrade() -> None:
    for column in COUNTS:
        op.add_column("posts", sa.Column(column, sa.Integer(), nullable=False, server_default="0"))
    op.add_column("posts", sa.Column("hot_score", sa.Float(), nullable=False, server_default="0"))
    op.add_column("post_hashtags", sa.Column("created_at", sa.DateTime(timezone=True)))
    for column, count in COUNTS.items():
        op.execute(f"UPDATE posts SET {column} = ({count})")
    op.execute(
        "UPDATE post_hashtags SET created_at = "
        "(SELECT created_at FROM posts WHERE posts.id = post_hashtags.post_id)"
    )
    _score_existing_posts()

    op.drop_index("ix_posts_author_id", table_name="posts")
    op.create_index("ix_posts_author_created_id", "posts", ["author_id", "created_at", "id"])
    op.create_index("ix_posts_hot_score_id", "posts", ["hot_score", "id"])
    op.drop_index("ix_post_hashtags_tag_post_id", table_name="post_hashtags")
    op.create_index(
        "ix_post_hashtags_tag_created_post", "post_hashtags", ["tag", "created_at", "post_id"]
    )
    op.drop_index("ix_likes_user_id", table_name="likes")
    op.create_index("ix_likes_user_id_id", "likes", ["user_id", "id"])


def _score_existing_posts() -> None:
    with Session(bind=op.get_bind(), info={"settings": get_settings()}) as session:
        rescore_posts(session)
        session.flush()


def downgrade() -> None:
    op.drop_index("ix_likes_user_id_id", table_name="likes")
    op.create_index("ix_likes_user_id", "likes", ["user_id"])
    op.drop_index("ix_post_hashtags_tag_created_post", table_name="post_hashtags")
    op.create_index("ix_post_hashtags_tag_post_id", "post_hashtags", ["tag", "post_id"])
    op.drop_index("ix_posts_hot_score_id", table_name="posts")
    op.drop_index("ix_posts_author_created_id", table_name="posts")
    op.create_index("ix_posts_author_id", "posts", ["author_id"])
    op.drop_column("post_hashtags", "created_at")
    for column in (*COUNTS, "hot_score"):
        op.drop_column("posts", column)
