"""Property-based tests (Hypothesis) over the public functions of `social` and `assistant`.

Whatever text, ids, cursors, names or bytes arrive, a function either does its job or raises
one of its own clear errors; and what it accepted can be read back unchanged (no data lost).
`make test` runs a modest number of examples; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs
thousands.
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage
from sqlalchemy import Engine, func, select

from assistant.agent import tool_label
from assistant.budget import images_asked
from assistant.errors import AssistantError, BadProviderReply, explain_provider_error
from assistant.openai_provider import _as_png
from social import comments, cursors, feeds, likes, notifications, posts, profiles
from social.accounts import authenticate, sign_up
from social.db import unit_of_work
from social.errors import Invalid, NotFound, SocialError
from social.media import read_image, store_image, validate_image
from social.models import Comment, Image, Post, User
from social.text import clean_text
from social.users import MAX_KEY_LENGTH, clean_name, name_key, name_skeleton
from tests.accounts import PASSWORD, make_accounts, tiny_png

settings.register_profile("default", max_examples=15, deadline=None, database=None)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("PLAZA_FUZZ_EXAMPLES", "700")),
    deadline=None,
    database=None,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The database fixtures live per test, examples share them: every property holds on any state.
with_db = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])

# Any code point, lone surrogates and NUL included.
any_char = st.characters(codec=None, exclude_categories=())
any_text = st.text(any_char, max_size=60)
tricky_text = st.one_of(
    any_text,
    st.text(st.sampled_from("aliceа\u200b\u202e\u0301\u3164\u2800ı:[]*_`<>#\x00\ud800 \n\t")),
)
odd_ids = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, 2**31 - 1, 2**31, 2**63, True, False]),
    st.text(max_size=5),
    st.floats(allow_nan=True),
    st.none(),
)


def count(engine: Engine, model: type) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def world(engine: Engine) -> Engine:
    """Accounts ana and bo and a post by bo (id 1)."""
    make_accounts(engine, "ana", "bo")
    with unit_of_work(engine) as session:
        posts.publish_post(session, author="bo", caption="hello", image_bytes=tiny_png())
    return engine


# --- text and names (no database) ------------------------------------------------------------


@given(value=tricky_text, max_length=st.integers(1, 80))
def test_clean_text_accepts_or_says_why(value: str, max_length: int) -> None:
    try:
        cleaned = clean_text(value, "caption", max_length=max_length)
    except Invalid:
        return
    assert len(cleaned) <= max_length and "\x00" not in cleaned
    cleaned.encode("utf-8")  # storable anywhere


@given(name=tricky_text)
def test_every_accepted_name_is_plain_and_fits_its_columns(name: str) -> None:
    try:
        cleaned = clean_name(name)
    except Invalid:
        return
    assert ":" not in cleaned and cleaned == cleaned.strip()
    assert len(name_key(cleaned)) <= MAX_KEY_LENGTH
    assert len(name_skeleton(cleaned)) <= MAX_KEY_LENGTH
    assert clean_name(cleaned) == cleaned  # stable: the stored name passes its own check


# --- the feed layer on SQLite and PostgreSQL ---------------------------------------------------


READS_BY_ID: list[Callable[[Any, Any], object]] = [
    lambda s, i: posts.get_post(s, i),
    lambda s, i: likes.like_post(s, user="ana", post_id=i),
    lambda s, i: comments.list_comments(s, i),
    lambda s, i: feeds.remixes_of(s, post_id=i),
    lambda s, i: comments.delete_comment(s, user="ana", comment_id=i),
    lambda s, i: posts.delete_post(s, user="ana", post_id=i),
]


@with_db
@given(post_id=odd_ids, which=st.integers(0, len(READS_BY_ID) - 1))
def test_any_id_is_found_or_not_found(world: Engine, post_id: object, which: int) -> None:
    try:
        with unit_of_work(world) as session:
            READS_BY_ID[which](session, post_id)
    except SocialError:
        pass
    assert count(world, Post) == 1  # ana may not delete bo's post, whatever the id


def cursor_texts() -> st.SearchStrategy[str]:
    raw = st.one_of(
        st.builds(
            lambda kind, parts: "|".join([kind, *parts]),
            st.sampled_from(["t", "f", "c", "n", "x", ""]),
            st.lists(
                st.one_of(
                    st.integers(-(2**70), 2**70).map(str),
                    st.floats().map(repr),
                    st.datetimes().map(lambda d: d.isoformat() + "+14:00"),
                    any_text,
                ),
                max_size=4,
            ),
        ),
        any_text,
    )
    encoded = raw.map(
        lambda text: base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode()
    )
    return st.one_of(encoded, any_text)


FEEDS: list[Callable[[Any, str], object]] = [
    lambda s, c: posts.latest_feed(s, cursor=c),
    lambda s, c: feeds.trending_feed(s, cursor=c),
    lambda s, c: feeds.for_you_feed(s, viewer="ana", cursor=c),
    lambda s, c: comments.list_comments(s, 1, cursor=c),
    lambda s, c: notifications.list_notifications(s, user="bo", cursor=c),
]


@with_db
@given(cursor=cursor_texts(), which=st.integers(0, len(FEEDS) - 1))
def test_any_cursor_pages_or_is_invalid(world: Engine, cursor: str, which: int) -> None:
    try:
        with unit_of_work(world) as session:
            FEEDS[which](session, cursor)
    except Invalid:
        pass
    assert isinstance(cursors.kind_of(cursor), str)  # telling a cursor's kind never fails


@with_db
@given(name=tricky_text, viewer=st.one_of(st.none(), tricky_text))
def test_any_name_in_a_link_is_someone_or_nobody(world: Engine, name: str, viewer: Any) -> None:
    with unit_of_work(world) as session:
        try:
            assert profiles.get_profile(session, name, viewer=viewer).name
        except NotFound:
            pass
        feeds.user_posts(session, name=name, viewer=viewer)
        posts.latest_feed(session, viewer=viewer)


@with_db
@given(caption=tricky_text, prompt=tricky_text, alt_text=tricky_text)
def test_published_text_reads_back_unchanged_or_nothing_is_stored(
    world: Engine, caption: str, prompt: str, alt_text: str
) -> None:
    before = count(world, Post), count(world, Image)
    try:
        with unit_of_work(world) as session:
            card = posts.publish_post(
                session,
                author="ana",
                caption=caption,
                prompt=prompt,
                alt_text=alt_text,
                image_bytes=tiny_png(),
            )
    except Invalid:
        assert count(world, Post) == before[0]
        return
    with unit_of_work(world) as session:
        again = posts.get_post(session, card.id)
    assert (again.caption, again.prompt, again.alt_text) == (
        caption.strip(),
        prompt.strip(),
        alt_text.strip(),
    )


@with_db
@given(body=tricky_text, reply_to=st.one_of(st.none(), odd_ids))
def test_comments_read_back_unchanged_or_nothing_is_stored(
    world: Engine, body: str, reply_to: Any
) -> None:
    before = count(world, Comment)
    try:
        with unit_of_work(world) as session:
            view = comments.add_comment(
                session, user="ana", post_id=1, body=body, reply_to=reply_to
            )
    except SocialError:
        assert count(world, Comment) == before
        return
    stored: list[comments.CommentView] = []
    cursor = None
    with unit_of_work(world) as session:
        while True:  # every page, oldest first: the new comment may be far down the thread
            page = comments.list_comments(session, 1, cursor=cursor, limit=100)
            stored += [c for top in page.comments for c in (top, *top.replies) if c.id == view.id]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
    assert [c.body for c in stored] == [body.strip()]


@with_db
@given(name=tricky_text, password=tricky_text)
def test_sign_up_then_sign_in_or_a_clear_refusal(engine: Engine, name: str, password: str) -> None:
    before = count(engine, User)
    try:
        with unit_of_work(engine) as session:
            account = sign_up(session, name=name, password=password + PASSWORD)
    except Invalid:
        assert count(engine, User) == before
        return
    with unit_of_work(engine) as session:
        assert authenticate(session, name=name, password=password + PASSWORD) == account


# --- images --------------------------------------------------------------------------------


def small_image(kind: str, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (120, 30, 200)).save(buffer, format=kind)
    return buffer.getvalue()


damaged_images = st.builds(
    lambda data, edits: bytes(
        (byte ^ edits.get(index, 0)) for index, byte in enumerate(data[: edits.get(-1, None)])
    ),
    st.sampled_from(
        [small_image(kind, size) for kind in ("PNG", "JPEG", "WEBP") for size in ((9, 7), (1, 40))]
    ),
    st.dictionaries(st.integers(-1, 200), st.integers(1, 255), max_size=4),
)


@given(data=st.one_of(damaged_images, st.binary(max_size=300)))
def test_any_bytes_are_an_image_or_invalid(data: bytes) -> None:
    try:
        image = validate_image(data)
    except Invalid:
        return
    assert image.width >= 1 and image.height >= 1


@with_db
@given(data=damaged_images)
def test_stored_images_read_back_or_nothing_is_stored(engine: Engine, data: bytes) -> None:
    before = count(engine, Image)
    try:
        with unit_of_work(engine) as session:
            row = store_image(session, data)
    except Invalid:
        assert count(engine, Image) == before
        return
    assert row.width >= 1 and row.height >= 1
    assert validate_image(read_image(row.sha256)).size == (row.width, row.height)


# --- assistant ---------------------------------------------------------------------------------


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(any_text, inner, max_size=3)
    ),
    max_leaves=6,
)


@given(
    name=st.sampled_from(["generate_image", "edit_image", "x"]),
    args=st.dictionaries(st.sampled_from(["n", "prompt", "aspect"]), json_values, max_size=3),
)
def test_tool_labels_and_image_counts_take_any_arguments(name: str, args: dict) -> None:
    assert tool_label(name, args).endswith("…")
    assert 0 <= images_asked({"name": name, "args": args, "id": "1", "type": "tool_call"}) <= 4


@given(data=st.one_of(damaged_images, st.binary(max_size=200)))
def test_provider_bytes_become_png_or_a_bad_reply(data: bytes) -> None:
    try:
        png = _as_png(data)
    except BadProviderReply as error:
        assert error.retryable
        return
    assert png.startswith(b"\x89PNG")


@given(message=any_text, kind=st.sampled_from([ValueError, KeyError, RuntimeError, TimeoutError]))
def test_any_exception_becomes_an_assistant_error(message: str, kind: type[Exception]) -> None:
    assert isinstance(explain_provider_error(kind(message)), AssistantError)
