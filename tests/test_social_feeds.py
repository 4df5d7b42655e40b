"""Feeds: Following, Trending, For you, hashtags, a person's posts; counts without N+1."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine, update

from social.accounts import sign_up
from social.comments import add_comment
from social.counters import rescore_posts
from social.cursors import decode, encode
from social.db import unit_of_work
from social.errors import Invalid
from social.feeds import (
    following_feed,
    for_you_feed,
    hashtag_feed,
    remixes_of,
    trending_feed,
    user_posts,
)
from social.follows import follow, unfollow
from social.hashtags import extract_hashtags, normalize_tag
from social.likes import like_post
from social.media import store_image
from social.models import ForYouRun, Post, PostHashtag, User, utcnow
from social.posts import FeedPage, PostCard, delete_post, get_post, latest_feed, publish_post
from social.profiles import get_profile
from social.relations import set_relation
from social.settings import get_settings
from social.users import name_key, name_skeleton
from tests.test_posts import counted_statements, png_bytes

PASSWORD = "correct horse battery"
NAMES = ("ana", "bo", "cy", "di")


@pytest.fixture
def people(engine: Engine) -> Engine:
    """Accounts ana, bo, cy and di."""
    with unit_of_work(engine) as session:
        for name in NAMES:
            sign_up(session, name=name, password=PASSWORD)
    return engine


def publish(engine: Engine, author: str, captions: list[str], **extra: object) -> list[int]:
    """Posts by `author` sharing one stored image, oldest first."""
    with unit_of_work(engine) as session:
        sha256 = store_image(session, png_bytes()).sha256
        return [
            publish_post(session, author=author, caption=c, image_sha256=sha256, **extra).id  # type: ignore[arg-type]
            for c in captions
        ]


def set_age(engine: Engine, post_id: int, hours: float) -> None:
    with unit_of_work(engine) as session:
        moment = utcnow() - timedelta(hours=hours)
        session.execute(update(Post).where(Post.id == post_id).values(created_at=moment))
        tags = update(PostHashtag).where(PostHashtag.post_id == post_id)
        session.execute(tags.values(created_at=moment))
        rescore_posts(session, [post_id])  # as publishing at that moment would have scored it


def all_pages(read: Callable[[str | None], FeedPage], *, most: int = 50) -> list[int]:
    """Every post id of a feed, page after page."""
    seen: list[int] = []
    cursor = None
    for _ in range(most):
        page = read(cursor)
        seen += [card.id for card in page.posts]
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the feed never ended")


# --- hashtags -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caption", "tags"),
    [
        ("Sunrise #Dawn #sea, #dawn again", ("dawn", "sea")),
        ("#Été à #Zürich_2025", ("été", "zürich_2025")),
        ("no tags, a#b, ##x, #2025, #", ()),
        ("<b>#bold</b>", ("bold",)),
        ("#" + "a" * 101 + " #ok", ("ok",)),
    ],
)
def test_extract_hashtags(caption: str, tags: tuple[str, ...]) -> None:
    assert extract_hashtags(caption) == tags


@pytest.mark.parametrize("tag", ["", "#", "two words", "#2025", "a-b"])
def test_bad_hashtag_is_invalid(tag: str) -> None:
    with pytest.raises(Invalid, match="hashtag"):
        normalize_tag(tag)


def test_hashtag_feed(people: Engine) -> None:
    ids = publish(people, "ana", ["fox #Dawn", "owl #night", "sea #dawn #sea"])
    with unit_of_work(people) as session:
        page = hashtag_feed(session, tag="#DAWN")
        assert [card.id for card in page.posts] == [ids[2], ids[0]]
        assert page.posts[0].hashtags == ("dawn", "sea")
        assert hashtag_feed(session, tag="sea").posts[0].id == ids[2]
        assert hashtag_feed(session, tag="nothing").posts == []


# --- following, a person's posts, remixes --------------------------------------------------


def test_following_feed(people: Engine) -> None:
    ana = publish(people, "ana", [f"ana {i}" for i in range(3)])
    bo = publish(people, "bo", ["bo 0"])
    publish(people, "cy", ["cy 0"])
    with unit_of_work(people) as session:
        assert following_feed(session, viewer="di").posts == []
        follow(session, user="di", name="ana")
        follow(session, user="di", name="bo")
    with unit_of_work(people) as session:
        seen = all_pages(lambda c: following_feed(session, viewer="di", cursor=c, limit=2))
    assert seen == [bo[0], ana[2], ana[1], ana[0]]


def test_following_follows_every_change_of_follows_and_posts(people: Engine) -> None:
    def following(viewer: str) -> list[int]:
        with unit_of_work(people) as session:
            return all_pages(lambda c: following_feed(session, viewer=viewer, cursor=c, limit=2))

    (before,) = publish(people, "ana", ["before the follow"])
    with unit_of_work(people) as session:
        follow(session, user="di", name="ana")
        follow(session, user="bo", name="di")
    after, doomed = publish(people, "ana", ["after the follow", "deleted soon"])
    (own,) = publish(people, "di", ["di's own"])
    publish(people, "cy", ["nobody follows cy"])
    assert following("di") == [doomed, after, before]
    assert following("bo") == [own]
    with unit_of_work(people) as session:
        delete_post(session, user="ana", post_id=doomed)
    assert following("di") == [after, before]
    with unit_of_work(people) as session:
        unfollow(session, user="di", name="ana")
    assert following("di") == []
    with unit_of_work(people) as session:
        follow(session, user="di", name="ana")
    assert following("di") == [after, before]
    with unit_of_work(people) as session:  # a block ends follows both ways
        set_relation(session, user="di", name="bo", relation="block")
    assert following("bo") == []
    assert following("di") == [after, before]


def test_user_posts_and_remixes(people: Engine) -> None:
    (original,) = publish(people, "ana", ["original"])
    remixes = publish(people, "bo", ["r1", "r2"], remix_of_id=original)
    with unit_of_work(people) as session:
        assert [c.id for c in user_posts(session, name="BO").posts] == remixes[::-1]
        assert [c.id for c in remixes_of(session, post_id=original).posts] == remixes[::-1]
        assert user_posts(session, name="nobody").posts == []
        assert get_profile(session, "bo").post_count == 2


# --- trending -------------------------------------------------------------------------------


def test_trending_weighs_engagement_against_age(people: Engine) -> None:
    quiet_new, liked_old, busy_older, ancient = publish(people, "ana", ["a", "b", "c", "d"])
    set_age(people, quiet_new, 0.5)
    set_age(people, liked_old, 10)
    set_age(people, busy_older, 22)
    set_age(people, ancient, 24 * 40)  # outside the 30-day window
    with unit_of_work(people) as session:
        for name in ("bo", "cy", "di"):
            like_post(session, user=name, post_id=liked_old)
            like_post(session, user=name, post_id=ancient)
            add_comment(session, user=name, post_id=busy_older, body="wow")
    publish(people, "bo", ["remix"], remix_of_id=busy_older)
    with unit_of_work(people) as session:
        page = trending_feed(session, viewer="bo")
    # log2(1 + engagement) - age / 6 h: liked_old log2(4) - 10/6 = 0.33; the remix 0 - 0;
    # quiet_new 0 - 0.5/6 = -0.08; busy_older log2(1 + 2*3 + 3*1) - 22/6 = -0.35
    order = [card.id for card in page.posts]
    assert order[0] == liked_old and order[2:] == [quiet_new, busy_older]
    assert ancient not in order
    assert page.posts[0].like_count == 3
    assert page.posts[3].comment_count == 3 and page.posts[3].remix_count == 1


def test_trending_half_life_is_a_setting(people: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    new, liked_old = publish(people, "ana", ["new", "liked old"])
    set_age(people, new, 1)
    set_age(people, liked_old, 30)
    with unit_of_work(people) as session:
        for name in ("bo", "cy", "di"):
            like_post(session, user=name, post_id=liked_old)
    monkeypatch.setenv("PLAZA_TRENDING_HALF_LIFE_HOURS", "1000")  # age hardly matters
    get_settings.cache_clear()
    with unit_of_work(people) as session:
        assert rescore_posts(session) == 2  # what `plaza rescore` does after a change
        assert [c.id for c in trending_feed(session).posts] == [liked_old, new]
    monkeypatch.setenv("PLAZA_TRENDING_HALF_LIFE_HOURS", "6")
    get_settings.cache_clear()
    with unit_of_work(people) as session:
        rescore_posts(session)
        assert [c.id for c in trending_feed(session).posts] == [new, liked_old]


def test_trending_pages_cover_every_post_once(people: Engine) -> None:
    ids = publish(people, "ana", [f"p{i}" for i in range(13)])
    with unit_of_work(people) as session:
        # Ties in score (same age, no engagement) are broken by id.
        session.execute(update(Post).values(created_at=utcnow() - timedelta(hours=3)))
        rescore_posts(session)
        like_post(session, user="bo", post_id=ids[5])
        like_post(session, user="cy", post_id=ids[5])
        like_post(session, user="bo", post_id=ids[9])
    with unit_of_work(people) as session:
        seen = all_pages(lambda c: trending_feed(session, cursor=c, limit=4))
    rest = [i for i in reversed(ids) if i not in (ids[5], ids[9])]
    assert seen == [ids[5], ids[9], *rest]


def test_posts_newer_than_the_first_trending_page_wait(people: Engine) -> None:
    ids = publish(people, "ana", ["a", "b", "c"])
    with unit_of_work(people) as session:
        first = trending_feed(session, limit=2)
    publish(people, "bo", ["newcomer"])
    with unit_of_work(people) as session:
        second = trending_feed(session, cursor=first.next_cursor, limit=2)
    assert [c.id for c in first.posts + second.posts] == ids[::-1]


# --- for you --------------------------------------------------------------------------------


def test_for_you_falls_back_to_trending(people: Engine) -> None:
    publish(people, "ana", ["a", "b"])
    with unit_of_work(people) as session:
        trending = trending_feed(session, viewer="di")
        assert for_you_feed(session, viewer="di").posts == trending.posts  # no likes yet
        assert for_you_feed(session, viewer=None).posts == trending.posts  # a guest


def test_for_you_recommends_what_similar_people_liked(people: Engine) -> None:
    shared, cy_pick, di_pick, both_pick, bo_own = publish(
        people, "ana", ["shared", "cy pick", "di pick", "both pick", "x"]
    )
    (bo_post,) = publish(people, "bo", ["bo's own"])
    with unit_of_work(people) as session:
        for liker, liked in [
            ("bo", shared),
            ("cy", shared),
            ("di", shared),
            ("cy", cy_pick),
            ("di", di_pick),
            ("cy", both_pick),
            ("di", both_pick),
            ("cy", bo_post),  # bo's own post is never recommended to bo
            ("ana", bo_own),  # ana shares no likes with bo: her taste does not count
        ]:
            like_post(session, user=liker, post_id=liked)
    with unit_of_work(people) as session:
        page = for_you_feed(session, viewer="bo")
        paged = all_pages(lambda c: for_you_feed(session, viewer="bo", cursor=c, limit=1))
    ids = [card.id for card in page.posts]
    assert ids == [both_pick, di_pick, cy_pick]  # by affinity, then newest
    assert paged == ids
    assert all(not card.liked_by_viewer for card in page.posts)


def test_for_you_is_computed_again_after_ones_own_like_or_when_old(people: Engine) -> None:
    a, b, c, d = publish(people, "ana", ["a", "b", "c", "d"])

    def likes(*pairs: tuple[str, int]) -> None:
        with unit_of_work(people) as session:
            for liker, post_id in pairs:
                like_post(session, user=liker, post_id=post_id)

    def for_you() -> list[int]:
        with unit_of_work(people) as session:
            return [card.id for card in for_you_feed(session, viewer="bo").posts]

    likes(("bo", a), ("cy", a), ("cy", b))
    assert for_you() == [b]
    likes(("cy", c))  # someone else's like: counted when the entries are computed again
    assert for_you() == [b]
    likes(("bo", b))  # one's own like: at once
    assert for_you() == [c]
    likes(("cy", d))
    assert for_you() == [c]
    with unit_of_work(people) as session:  # older than PLAZA_FOR_YOU_REFRESH_MINUTES
        session.execute(update(ForYouRun).values(computed_at=utcnow() - timedelta(hours=1)))
    assert for_you() == [d, c]


def test_for_you_pages_on_from_a_trending_fallback(people: Engine) -> None:
    ids = publish(people, "ana", ["a", "b", "c"])
    with unit_of_work(people) as session:
        seen = all_pages(lambda c: for_you_feed(session, viewer="di", cursor=c, limit=2))
    assert seen == ids[::-1]


# --- cursors and query counts ---------------------------------------------------------------

FEEDS: dict[str, Callable[..., FeedPage]] = {
    "latest": lambda s, cursor: latest_feed(s, cursor=cursor, viewer="bo"),
    "following": lambda s, cursor: following_feed(s, viewer="bo", cursor=cursor),
    "trending": lambda s, cursor: trending_feed(s, cursor=cursor, viewer="bo"),
    "for you": lambda s, cursor: for_you_feed(s, viewer="bo", cursor=cursor),
    "hashtag": lambda s, cursor: hashtag_feed(s, tag="fox", cursor=cursor, viewer="bo"),
    "user": lambda s, cursor: user_posts(s, name="ana", cursor=cursor, viewer="bo"),
}


@pytest.mark.parametrize(
    "cursor",
    [
        "junk",
        encode("x", 1),
        encode("t", utcnow(), 1.0, 2),
        encode("f", utcnow(), 1),
        encode("t", 1, 2, 3),
    ],
)
@pytest.mark.parametrize("feed", ["trending", "for you"])
def test_malformed_cursor_is_invalid(people: Engine, feed: str, cursor: str) -> None:
    with unit_of_work(people) as session, pytest.raises(Invalid, match="feed link is broken"):
        FEEDS[feed](session, cursor)


def test_a_cursor_keeps_the_type_of_its_parts_when_an_equal_one_was_made_before() -> None:
    # Cursors are kept once made; 2.0 and 2 are equal, but a For you cursor carries an int.
    assert decode(encode("f", 2.0, 7), "f", float, int) == (2.0, 7)
    assert decode(encode("f", 2, 7), "f", int, int) == (2, 7)


def render(card: PostCard) -> tuple[object, ...]:
    """Everything a feed card shows; a lazy load behind any of it would be another query."""
    return (
        card.author,
        card.image_sha256,
        card.width,
        card.like_count,
        card.comment_count,
        card.remix_count,
        card.liked_by_viewer,
        card.remix_of_author,
        card.hashtags,
        card.author_avatar_sha256,
    )


@pytest.mark.parametrize("feed", FEEDS)
def test_a_page_of_twenty_is_one_query(people: Engine, feed: str) -> None:
    ids = publish(people, "ana", [f"#fox {i}" for i in range(45)])
    ids += publish(people, "cy", ["a remix #fox"], remix_of_id=ids[0])
    with unit_of_work(people) as session:
        follow(session, user="bo", name="ana")
        like_post(session, user="bo", post_id=ids[0])
        for post_id in ids:  # every post has likes and comments, some the viewer's like
            like_post(session, user="cy", post_id=post_id)
            add_comment(session, user="di", post_id=post_id, body="nice")
    with unit_of_work(people) as session:  # For you computes the viewer's entries first
        for_you_feed(session, viewer="bo")
    for second_page in (False, True):
        with unit_of_work(people) as session:
            cursor = FEEDS[feed](session, None).next_cursor if second_page else None
            with counted_statements(people) as statements:
                page = FEEDS[feed](session, cursor)
                rendered = [render(card) for card in page.posts]
        assert len(rendered) == 20, feed
        assert len(statements) == 1, statements
        # Keyset pages: nothing skips the 20 posts of the first page (an OFFSET 20 would).
        params = statements[0][1]
        assert 20 not in (params.values() if isinstance(params, dict) else params)
        assert all(card.like_count >= 1 for card in page.posts)


def test_for_you_fallback_is_three_queries(people: Engine) -> None:
    publish(people, "ana", [f"p{i}" for i in range(25)])
    with unit_of_work(people) as session:
        for_you_feed(session, viewer="di")  # computes di's entries: none
    with unit_of_work(people) as session:
        with counted_statements(people) as statements:
            page = for_you_feed(session, viewer="di")
            [render(card) for card in page.posts]
    assert len(page.posts) == 20
    # No entries, the viewer's kept id asked again (an empty page may be a stale id), whether
    # the entries are fresh, Trending.
    assert len(statements) == 4


def test_a_page_finds_its_viewer_again_when_their_name_changes_hands(people: Engine) -> None:
    # Pages take the viewer's id kept by name in this process (social.viewers); another server
    # may rename the account and someone else take the name.
    muted = publish(people, "ana", ["one", "two"])
    (liked,) = publish(people, "cy", ["three"])
    with unit_of_work(people) as session:
        like_post(session, user="bo", post_id=liked)
        set_relation(session, user="bo", name="ana", relation="mute")
    with unit_of_work(people) as session:  # bo's id is kept from here on
        page = latest_feed(session, viewer="bo")
        assert [(card.id, card.liked_by_viewer) for card in page.posts] == [(liked, True)]
    with unit_of_work(people) as session:
        renamed = {
            "name": "bob",
            "name_key": name_key("bob"),
            "name_skeleton": name_skeleton("bob"),
        }
        session.execute(update(User).where(User.name_key == "bo").values(**renamed))
        sign_up(session, name="bo", password=PASSWORD)
    with unit_of_work(people) as session:
        page = latest_feed(session, viewer="bo")  # the new bo muted nobody and liked nothing
        assert [(card.id, card.liked_by_viewer) for card in page.posts] == [
            (liked, False),
            *((post_id, False) for post_id in reversed(muted)),
        ]
        assert not get_post(session, liked, viewer="bo").liked_by_viewer
        assert get_post(session, liked, viewer="bob").liked_by_viewer
        assert [card.id for card in latest_feed(session, viewer="bob").posts] == [liked]


def test_profile_is_one_query(people: Engine) -> None:
    with unit_of_work(people) as session:
        follow(session, user="bo", name="ana")
    with unit_of_work(people) as session:
        with counted_statements(people) as statements:
            profile = get_profile(session, "ana", viewer="bo")
    assert (profile.follower_count, profile.followed_by_viewer) == (1, True)
    assert len(statements) == 1
