"""Publishing posts, users by display name, and the keyset-paginated latest feed."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image as PILImage
from sqlalchemy import Engine, event, func, select, update

from social import posts
from social.db import unit_of_work
from social.errors import Invalid, NotFound
from social.media import read_provenance, store_image
from social.models import Image, Post, User
from social.posts import FeedPage, PostCard, get_post, latest_feed, publish_post
from social.settings import get_settings
from social.users import clean_name
from tests.accounts import make_accounts

AUTHORS = ("Ada", "Bo")


@pytest.fixture(autouse=True)
def authors(request: pytest.FixtureRequest) -> None:
    """Ada and Bo have accounts in every test's database: only accounts publish."""
    if "engine" in request.fixturenames:
        make_accounts(request.getfixturevalue("engine"), *AUTHORS)


def png_bytes(
    color: tuple[int, int, int] = (10, 120, 200), size: tuple[int, int] = (32, 24)
) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def count(engine: Engine, model: type) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@contextmanager
def counted_statements(engine: Engine) -> Iterator[list[tuple[str, object]]]:
    statements: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if not statement.startswith("BEGIN"):  # SQLite's explicit BEGIN is not a query
            statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def publish_many(engine: Engine, n: int) -> list[int]:
    """`n` posts, each with its own author and image, oldest first."""
    make_accounts(engine, *(f"author {i}" for i in range(n)))
    ids = []
    with unit_of_work(engine) as session:
        for i in range(n):
            card = publish_post(
                session,
                author=f"author {i}",
                caption=f"post {i}",
                image_bytes=png_bytes((i * 9 % 256, 50, 90)),
            )
            ids.append(card.id)
    return ids


# --- users ----------------------------------------------------------------------------------


def test_user_names_match_case_insensitively(engine: Engine) -> None:
    make_accounts(engine, "  Émile  ")
    with unit_of_work(engine) as session:
        card = publish_post(session, author="émile", caption="hi", image_bytes=png_bytes())
    assert card.author == "Émile"
    assert count(engine, User) == len(AUTHORS) + 1


@pytest.mark.parametrize("name", ["", "   ", "x" * 41, "bad\x00name", "two\nlines"])
def test_bad_user_names_are_refused(name: str) -> None:
    with pytest.raises(Invalid):
        clean_name(name)


def test_forty_character_name_is_fine() -> None:
    assert clean_name("ñ" * 40) == "ñ" * 40


# --- publishing -----------------------------------------------------------------------------


def test_publish_with_new_image_bytes(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        card = publish_post(
            session,
            author=" Ada ",
            caption="  Sunrise over the bay\n#dawn\t#sea  ",
            prompt="a sunrise over a bay, watercolour",
            alt_text="Orange sky over calm water",
            model="offline-painter",
            image_bytes=png_bytes(size=(40, 30)),
        )
    assert isinstance(card, PostCard)
    assert card.author == "Ada"
    assert card.caption == "Sunrise over the bay\n#dawn\t#sea"
    assert (card.width, card.height, card.remix_of_id) == (40, 30, None)
    assert card.created_at.tzinfo == UTC
    assert abs(datetime.now(UTC) - card.created_at) < timedelta(minutes=1)
    # New bytes published with a model are marked as AI-made, prompt included.
    provenance = read_provenance(card.image_sha256)
    assert provenance["plaza:model"] == "offline-painter"
    assert provenance["plaza:prompt"] == "a sunrise over a bay, watercolour"
    with unit_of_work(engine) as session:
        assert get_post(session, card.id) == card


def test_get_post_returns_aware_utc_from_the_database(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        post_id = publish_post(session, author="Ada", caption="hi", image_bytes=png_bytes()).id
    with unit_of_work(engine) as session:
        card = get_post(session, post_id)
    assert card.created_at.tzinfo is not None
    assert card.created_at.utcoffset() == timedelta(0)


def test_publish_with_stored_image_and_remix(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        sha256 = store_image(session, png_bytes()).sha256
        original = publish_post(session, author="Ada", caption="first", image_sha256=sha256)
    with unit_of_work(engine) as session:
        remix = publish_post(
            session, author="Bo", caption="my take", image_sha256=sha256, remix_of_id=original.id
        )
    assert remix.remix_of_id == original.id
    assert remix.image_sha256 == original.image_sha256 == sha256
    assert count(engine, Image) == 1


def test_unknown_image_hash_is_not_found(engine: Engine) -> None:
    with pytest.raises(NotFound):
        with unit_of_work(engine) as session:
            publish_post(session, author="Ada", caption="hi", image_sha256="f" * 64)
    assert count(engine, Post) == 0
    assert count(engine, User) == len(AUTHORS)


@pytest.mark.parametrize(
    "images", [{}, {"image_sha256": "f" * 64, "image_bytes": b"x"}], ids=["none", "both"]
)
def test_exactly_one_image_is_required(engine: Engine, images: dict) -> None:
    with pytest.raises(Invalid, match="exactly one image"):
        with unit_of_work(engine) as session:
            publish_post(session, author="Ada", caption="hi", **images)
    assert count(engine, Post) == 0


@pytest.mark.parametrize(
    ("caption", "message"),
    [
        ("", "caption is empty"),
        (" \n\t ", "caption is empty"),
        ("x" * 2201, "2201 characters long; the limit is 2200"),
        ("ring the bell\x07", "control characters"),
        ("nul\x00byte", "control characters"),
    ],
)
def test_bad_captions_are_refused(engine: Engine, caption: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        with unit_of_work(engine) as session:
            publish_post(session, author="Ada", caption=caption, image_bytes=png_bytes())
    assert count(engine, Post) == 0
    assert count(engine, Image) == 0
    assert not any(get_settings().media_dir.rglob("*.png"))


def test_longest_caption_is_fine(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        card = publish_post(session, author="Ada", caption="y" * 2200, image_bytes=png_bytes())
    assert len(card.caption) == 2200


def test_bad_image_bytes_leave_nothing(engine: Engine) -> None:
    with pytest.raises(Invalid, match="not an image Plaza accepts"):
        with unit_of_work(engine) as session:
            publish_post(session, author="Ada", caption="hi", image_bytes=b"just text")
    assert (count(engine, Post), count(engine, Image), count(engine, User)) == (0, 0, 2)
    assert not any(p.is_file() for p in get_settings().media_dir.rglob("*"))


def test_remix_of_missing_post_leaves_nothing(engine: Engine) -> None:
    with pytest.raises(NotFound, match="remixes"):
        with unit_of_work(engine) as session:
            publish_post(
                session, author="Ada", caption="hi", image_bytes=png_bytes(), remix_of_id=999
            )
    assert (count(engine, Post), count(engine, Image), count(engine, User)) == (0, 0, 2)


def test_failure_after_the_flush_rolls_everything_back(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed: list[int] = []

    def crash(post: Post) -> PostCard:
        flushed.append(post.id)  # the post row really was written in the transaction
        raise RuntimeError("crash mid-publish")

    monkeypatch.setattr(posts, "_card_from_post", crash)
    with pytest.raises(RuntimeError):
        with unit_of_work(engine) as session:
            publish_post(session, author="Ada", caption="hi", image_bytes=png_bytes())
    assert flushed and flushed[0] is not None
    assert (count(engine, Post), count(engine, Image), count(engine, User)) == (0, 0, 2)


# --- latest feed ----------------------------------------------------------------------------


def test_feed_pages_newest_first_until_nothing_older(engine: Engine) -> None:
    ids = publish_many(engine, 25)
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        with unit_of_work(engine) as session:
            page = latest_feed(session, cursor=cursor, limit=10)
        assert isinstance(page, FeedPage)
        seen += [card.id for card in page.posts]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 3
    assert seen == list(reversed(ids))


def test_feed_with_exact_page_size_has_no_next_cursor(engine: Engine) -> None:
    publish_many(engine, 3)
    with unit_of_work(engine) as session:
        page = latest_feed(session, limit=3)
    assert len(page.posts) == 3
    assert page.next_cursor is None


def test_empty_feed(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        assert latest_feed(session) == FeedPage(posts=[], next_cursor=None)


def test_feed_pages_through_posts_with_the_same_timestamp(engine: Engine) -> None:
    ids = publish_many(engine, 7)
    same_moment = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
    with unit_of_work(engine) as session:
        session.execute(update(Post).values(created_at=same_moment))
    seen: list[int] = []
    cursor = None
    for _ in range(4):
        with unit_of_work(engine) as session:
            page = latest_feed(session, cursor=cursor, limit=2)
        seen += [card.id for card in page.posts]
        assert all(card.created_at == same_moment for card in page.posts)
        cursor = page.next_cursor
    assert cursor is None
    assert seen == sorted(ids, reverse=True)


def test_feed_page_is_one_query_without_offset(engine: Engine) -> None:
    publish_many(engine, 45)
    for cursor_page in range(2):
        with unit_of_work(engine) as session:
            cursor = None
            if cursor_page:
                cursor = latest_feed(session, limit=20).next_cursor
            with counted_statements(engine) as statements:
                page = latest_feed(session, cursor=cursor, limit=20)
                # Touch everything a feed renders; lazy loads would show up as more queries.
                rendered = [(c.author, c.image_sha256, c.width, c.created_at) for c in page.posts]
        assert len(rendered) == 20
        assert len({author for author, *_ in rendered}) == 20
        assert len(statements) == 1, statements
        statement, params = statements[0]
        # Nothing skips the 20 posts of the first page, as an OFFSET 20 would.
        assert 20 not in (params.values() if isinstance(params, dict) else params)
        if cursor:
            # Keyset: the query seeks past the cursor instead of skipping rows.
            assert "(posts.created_at, posts.id) <" in statement


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor!",
        "",
        base64.urlsafe_b64encode(b"yesterday|3").decode(),
        base64.urlsafe_b64encode(b"2025-05-01T12:00:00+00:00").decode(),
        base64.urlsafe_b64encode(b"2025-05-01T12:00:00+00:00|x").decode(),
        base64.urlsafe_b64encode(b"2025-05-01T12:00:00|3").decode(),  # naive: not ours
        base64.urlsafe_b64encode(b"\xff\xfe|3").decode(),
    ],
)
def test_malformed_cursor_is_invalid(engine: Engine, cursor: str) -> None:
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="feed link is broken"):
        latest_feed(session, cursor=cursor)


@pytest.mark.parametrize("limit", [0, -1, 101])
def test_unreasonable_page_size_is_invalid(engine: Engine, limit: int) -> None:
    with unit_of_work(engine) as session, pytest.raises(Invalid):
        latest_feed(session, limit=limit)


def test_get_missing_post_is_not_found(engine: Engine) -> None:
    with unit_of_work(engine) as session, pytest.raises(NotFound):
        get_post(session, 12345)
