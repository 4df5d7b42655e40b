"""The social side of the page through AppTest: accounts, likes, comments, remixes, feeds,
profiles, post pages, notifications, hashtags, and user text that stays inert."""

from __future__ import annotations

import html
import importlib
import re
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from assistant.hookspecs import hookimpl
from assistant.plugins import FeedRanker, collect, plugin_manager
from social import accounts, migrate
from social.comments import add_comment, list_comments
from social.db import default_engine, unit_of_work
from social.follows import follow
from social.likes import like_post
from social.notifications import unread_count
from social.posts import FeedPage, get_post, latest_feed, publish_post
from social.reports import list_reports
from social.settings import get_settings
from social.users import new_user
from tests.test_ui_app import (
    APP,
    PASSWORD,
    ask,
    button,
    feed_posts,
    markdown_text,
    open_section,
    png_bytes,
    sign_in,
    sign_up,
    signed_in,
)
from ui.format import plain

XSS = '<img src=x onerror=alert(1)> <script>alert("hi")</script> [link](javascript:alert(1))'


def seed(*names: str) -> dict[str, int]:
    """Accounts `names` (default ana, bo), and one post by each, called after its author."""
    names = names or ("ana", "bo")
    engine = default_engine()
    migrate.upgrade(engine)
    ids = {}
    with unit_of_work(engine) as session:
        for index, name in enumerate(names):
            accounts.sign_up(session, name=name, password=PASSWORD)
            post = publish_post(
                session,
                author=name,
                caption=f"{name}'s picture #{name}art",
                prompt=f"a picture by {name}",
                model="test-painter",
                image_bytes=png_bytes(index),
            )
            ids[name] = post.id
    return ids


def page(viewer: str | None = None, **query: str) -> AppTest:
    """The app as `viewer` (an existing account; None: a guest) at the URL's `query`."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    if viewer:
        signed_in(at, viewer)
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def run(action: Any) -> Any:
    with unit_of_work(default_engine()) as session:
        return action(session)


# --- accounts -------------------------------------------------------------------------------


def test_sign_up_sign_out_and_sign_in_again() -> None:
    at = page()
    sign_up(at, "ana")
    assert "Signed in as **@ana**" in markdown_text(at)
    assert not at.sidebar.tabs  # the forms give way to the account's controls
    click(at, "sign-out")
    assert "signed_in_user" not in at.session_state
    sign_in(at, "Ana")  # any letter case; the account's own spelling is who you are
    assert at.session_state["signed_in_user"] == "ana"


@pytest.mark.parametrize(
    ("form", "name", "password", "message"),
    [
        ("sign-in", "ana", "wrong password", "do not match"),
        ("sign-up", "ANA", PASSWORD, "taken"),
        ("sign-up", "cy", "short", "at least 8"),
    ],
)
def test_refused_sign_in_or_up_says_why_in_place(
    form: str, name: str, password: str, message: str
) -> None:
    seed("ana")
    at = page()
    at.text_input(key=f"{form}-name").set_value(name)
    at.text_input(key=f"{form}-password").set_value(password)
    button(at, "Sign in" if form == "sign-in" else "Create account").click().run()
    assert message in errors(at)
    assert "signed_in_user" not in at.session_state
    assert at.text_input(key=f"{form}-password").value == ""  # never kept around


def test_single_sign_on_button_only_when_the_operator_configured_it() -> None:
    assert not [label for label in labels(page()) if label.startswith("Sign in with")]
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "google": {}}
    at.run()
    assert "Sign in with Google" in labels(at)
    button(at, "Sign in with Google").click().run()  # this server lacks Authlib or the keys
    assert "Single sign-on is not available" in errors(at)


def test_an_identity_provider_user_gets_their_own_account() -> None:
    seed("ana")  # a password account already called ana: never entered by someone else
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": "ana@example.org", "name": "Ana"}
    at.run()
    assert at.session_state["signed_in_user"] == "ana-2"
    assert "Signed in as **@ana\\-2**" in markdown_text(at)
    at.run()
    assert at.session_state["signed_in_user"] == "ana-2"  # the same account each time
    click(at, "sign-out")  # ends the provider's sign-in too (st.logout)
    assert "signed_in_user" not in at.session_state and not at.user["is_logged_in"]


def test_guests_browse_but_are_asked_to_sign_in_to_act() -> None:
    ids = seed("ana")
    at = page()
    assert "ana's picture" in markdown_text(at)
    click(at, f"card-{ids['ana']}-like")
    assert "Please sign in first" in errors(at)
    assert run(lambda s: get_post(s, ids["ana"])).like_count == 0
    at = page(post=str(ids["ana"]))
    assert any("Sign in to comment" in i.value for i in at.info)
    assert not [t for t in at.text_area if t.label == "Add a comment"]
    at = page(None, user="ana")  # ?user=ana: the profile of ana, read by a guest
    assert "Sign in to follow @ana." in captions(at)


def test_a_guest_shares_by_signing_up_in_the_dialog_and_the_post_follows() -> None:
    at = page()
    ask(at, "a red fox")
    button(at, "Share").click().run()
    assert feed_posts() == []  # nothing is published for a guest...
    assert at.session_state["share_pending"]  # ...the dialog asks them to sign in instead
    at.text_input(key="share-sign-up-name").set_value("fennec")
    at.text_input(key="share-sign-up-password").set_value(PASSWORD)
    [submit] = [
        b for b in at.button if b.label == "Create account" and b.form_id == "share-sign-up"
    ]
    submit.click().run()
    assert not at.exception, at.exception
    [post] = feed_posts()  # published with no second click
    assert post.author == "fennec" and "fox" in post.prompt
    assert "share_pending" not in at.session_state
    assert "Shared ✓ — view post" in labels(at)
    assert "Please sign in first" not in errors(at)


# --- likes, comments, delete, report --------------------------------------------------------


def test_like_and_unlike_update_the_count_at_once() -> None:
    ids = seed()
    at = page("bo")
    like = f"card-{ids['ana']}-like"
    assert at.button(key=like).label.endswith(" 0")
    click(at, like)
    assert at.button(key=like).label == ":red[:material/favorite:] 1"
    click(at, like)
    assert at.button(key=like).label == ":material/favorite_border: 0"
    assert run(lambda s: get_post(s, ids["ana"])).like_count == 0


def test_comment_reply_and_delete_own_comment() -> None:
    ids = seed()
    post = ids["ana"]
    at = page("bo", post=str(post))
    at.text_area(key=f"comment-{post}-text").set_value("Lovely light <b>here</b>")
    button(at, "Comment").click().run()
    [comment] = run(lambda s: list_comments(s, post)).comments
    assert "Lovely light <b>here</b>" in markdown_text(at)
    assert at.text_area(key=f"comment-{post}-text").value == ""

    at = page("ana", post=str(post))
    assert f"delete-comment-{comment.id}" not in [b.key for b in at.button]  # not hers
    at.text_area(key=f"reply-{comment.id}-text").set_value("Thank you!")
    button(at, "Reply").click().run()
    [thread] = run(lambda s: list_comments(s, post)).comments
    assert [r.body for r in thread.replies] == ["Thank you!"]
    assert "Comments (2)" in markdown_text(at)
    assert at.session_state[f"reply-open-{comment.id}"] is False  # the reply box closed

    click(at, f"delete-comment-{thread.replies[0].id}")
    [thread] = run(lambda s: list_comments(s, post)).comments
    assert thread.replies == ()


def test_an_empty_comment_is_refused_and_keeps_the_box() -> None:
    ids = seed("ana")
    at = page("ana", post=str(ids["ana"]))
    at.text_area(key=f"comment-{ids['ana']}-text").set_value("   ")
    button(at, "Comment").click().run()
    assert "comment is empty" in errors(at)


def test_delete_own_post_and_report_someone_elses() -> None:
    ids = seed()
    at = page("ana")
    assert f"card-{ids['ana']}-delete" not in [b.key for b in at.button]  # made once opened
    open_section(at, f"card-{ids['bo']}-more")
    assert f"card-{ids['bo']}-delete" not in [b.key for b in at.button]
    click(open_section(at, f"card-{ids['ana']}-more"), f"card-{ids['ana']}-delete")
    assert [p.author for p in feed_posts()] == ["bo"]

    at.text_input(key=f"card-{ids['bo']}-reason").set_value("spam")
    click(at, f"card-{ids['bo']}-report")
    [report] = run(lambda s: list_reports(s))
    assert (report.post_id, report.reporter, report.reason) == (ids["bo"], "ana", "spam")
    assert run(lambda s: latest_feed(s, viewer="ana")).posts == []  # hidden for her at once
    assert f"card-{ids['bo']}-like" not in [b.key for b in at.button]


def test_deleting_a_post_from_its_page_returns_to_the_feed() -> None:
    ids = seed("ana")
    at = page("ana", post=str(ids["ana"]))
    click(open_section(at, f"page-{ids['ana']}-more"), f"page-{ids['ana']}-delete")
    assert at.query_params.get("post") is None
    assert any("No posts yet" in i.value for i in at.info)


# --- remix ------------------------------------------------------------------------------------


def test_remix_opens_the_chat_on_the_post_and_the_share_links_back() -> None:
    ids = seed()
    at = page("bo")
    click(at, f"card-{ids['ana']}-remix")
    base = at.session_state["base_image"]
    assert base.remix_of_id == ids["ana"] and base.prompt == "a picture by ana"
    assert f"remixes post #{ids['ana']}" in captions(at)
    assert "a picture by ana" in markdown_text(at)  # what it was made from

    ask(at, "make it black and white")
    assert "Remix of post #" in captions(at)
    button(at, "Share").click().run()

    remix = feed_posts()[0]
    assert (remix.author, remix.remix_of_id, remix.remix_of_author) == ("bo", ids["ana"], "ana")
    assert at.button(key=f"card-{remix.id}-original").label.endswith("remix of @ana's post")
    at = page(post=str(remix.id))
    assert "a picture by ana → black and white" in markdown_text(at)  # its lineage
    at = page(post=str(ids["ana"]))
    assert "Remixes (1)" in markdown_text(at)


# --- feeds, hashtags --------------------------------------------------------------------------


def shown_authors(at: AppTest) -> list[str]:
    return [b.label for b in at.button if (b.key or "").endswith("-author")]


def test_the_feed_switches_between_latest_following_trending_and_for_you() -> None:
    ids = seed("ana", "bo", "cy")
    run(lambda s: follow(s, user="cy", name="bo"))
    # ana and cy both like bo's post, so what else ana likes is what For you shows cy.
    run(lambda s: like_post(s, user="ana", post_id=ids["bo"]))
    run(lambda s: like_post(s, user="cy", post_id=ids["bo"]))
    run(lambda s: like_post(s, user="ana", post_id=ids["ana"]))
    at = page("cy")
    assert shown_authors(at) == ["**@cy**", "**@bo**", "**@ana**"]
    at.segmented_control(key="feed-kind").set_value("Following").run()
    assert shown_authors(at) == ["**@bo**"]
    at.segmented_control(key="feed-kind").set_value("Trending").run()
    assert shown_authors(at)[0] == "**@bo**"  # two likes: the most engaged
    at.segmented_control(key="feed-kind").set_value("For you").run()
    assert shown_authors(at) == ["**@ana**"]  # liked by ana, who likes what cy likes

    guest = page()
    guest.segmented_control(key="feed-kind").set_value("Following").run()
    assert any("Sign in to see the posts" in i.value for i in guest.info)


def test_a_hashtag_opens_its_posts() -> None:
    seed()
    at = page()
    caption = next(h.value for h in at.get("html") if "ana&#x27;s picture" in h.value)
    assert '<a href="?tag=anaart" target="_self">#anaart</a>' in caption  # a link, shown once
    at = page(tag="anaart")
    assert shown_authors(at) == ["**@ana**"]
    assert plain("#anaart") in [h.value for h in at.subheader]
    click(at, "tag-back")
    assert len(shown_authors(at)) == 2


# --- profile, post page -----------------------------------------------------------------------


def test_profile_shows_bio_counts_posts_and_follow_toggles() -> None:
    ids = seed()
    run(lambda s: accounts.update_profile(s, name="ana", bio="Painter", avatar_bytes=png_bytes(9)))
    at = page("bo")
    click(at, f"card-{ids['ana']}-author")
    assert at.query_params["user"] == "ana"
    assert "@ana" in [h.value for h in at.subheader]
    assert "Painter" in markdown_text(at)
    counts = {m.label: m.value for m in at.metric}
    assert counts == {"Posts": "1", "Followers": "0", "Following": "0"}
    assert f"profile-grid-open-{ids['ana']}" in [b.key for b in at.button]

    click(at, "profile-follow")
    assert {m.label: m.value for m in at.metric}["Followers"] == "1"
    click(at, "profile-unfollow")
    assert {m.label: m.value for m in at.metric}["Followers"] == "0"


def test_own_profile_edits_bio() -> None:
    seed("ana")
    at = page("ana")
    click(at, "my-profile")
    at.text_area(key="profile-bio").set_value("New bio *here*")
    click(at, "profile-save")
    assert "New bio *here*" in markdown_text(at)


def test_post_page_is_a_permalink_anyone_can_read() -> None:
    ids = seed("ana")
    run(lambda s: add_comment(s, user="ana", post_id=ids["ana"], body="first!"))
    at = page(post=str(ids["ana"]))
    assert "ana's picture" in markdown_text(at)
    assert "first!" in markdown_text(at)
    assert "AI-generated with test\\-painter · 64×48" in captions(at)
    assert "Comments (1)" in markdown_text(at)
    assert "not a link to a post" in errors(page(post="abc"))
    assert "not a link to a post" in errors(page(post="9" * 40))
    assert "does not exist" in errors(page(post="999"))
    assert "nobody called" in errors(page(None, user="nobody"))


def test_card_links_open_the_post_page() -> None:
    ids = seed("ana")
    at = page()
    click(at, f"card-{ids['ana']}-comments")
    assert at.query_params["post"] == str(ids["ana"])
    click(at, "post-back")
    assert "post" not in at.query_params


# --- notifications ----------------------------------------------------------------------------


def test_notifications_badge_list_and_read() -> None:
    ids = seed()
    run(lambda s: like_post(s, user="bo", post_id=ids["ana"]))
    run(lambda s: add_comment(s, user="bo", post_id=ids["ana"], body="nice"))
    run(lambda s: follow(s, user="bo", name="ana"))
    at = page("ana")
    assert at.button(key="open-notifications").label == "Notifications :red-badge[3 new]"
    click(at, "open-notifications")
    assert at.query_params["view"] == "notifications"
    entries = [b.label for b in at.button if (b.key or "").startswith("note-open-")]
    assert entries == [
        ":orange[●] **@bo** started following you",
        ":orange[●] **@bo** commented on your post",
        ":orange[●] **@bo** liked your post",
    ]
    assert at.button(key="open-notifications").label == "Notifications"
    assert run(lambda s: unread_count(s, user="ana")) == 0
    click(at, [b.key for b in at.button if (b.key or "").startswith("note-open-")][1])
    assert at.query_params["post"] == str(ids["ana"])


def test_notifications_page_asks_guests_to_sign_in() -> None:
    at = page(view="notifications")
    assert any("Sign in to see" in i.value for i in at.info)


# --- inert user text --------------------------------------------------------------------------


def test_html_and_markdown_in_user_text_is_shown_as_typed() -> None:
    engine = default_engine()
    migrate.upgrade(engine)
    with unit_of_work(engine) as session:
        # Names can no longer hold markup, but an account from before that rule still may.
        legacy = new_user("<b>x</b>")
        legacy.password_hash = accounts.hash_password(PASSWORD, get_settings())
        session.add(legacy)
        post = publish_post(
            session, author="<b>x</b>", caption=XSS, prompt=XSS, image_bytes=png_bytes(1)
        )
        add_comment(session, user="<b>x</b>", post_id=post.id, body=XSS)
    at = page(post=str(post.id))
    texts = [e.value for e in [*at.markdown, *at.caption]] + labels(at)
    assert "**@\\<b\\>x\\</b\\>**" in texts
    for text in texts:
        # Every < of an HTML tag and [ of a markdown link arrives escaped.
        assert not re.search(r"(?<!\\)(<|\[link)", text), text
    for element in [*at.markdown, *at.caption]:
        assert not element.proto.allow_html  # and nothing is rendered as HTML
    # People's text goes through the one rendering function: escaped, shown as typed.
    shown = [h.value for h in at.get("html")]
    assert sum(html.escape(XSS) in value for value in shown) == 2  # caption and comment
    assert not any(XSS in value for value in shown)


class OldestFirst:
    """A plugin feed order: the oldest posts first."""

    @hookimpl
    def register_feed_rankers(self, register) -> None:  # type: ignore[no-untyped-def]
        def oldest(session, *, viewer, cursor, limit):  # type: ignore[no-untyped-def]
            newest = latest_feed(session, limit=100, viewer=viewer)
            return FeedPage(posts=list(reversed(newest.posts))[:limit], next_cursor=None)

        register(FeedRanker(name="oldest", label="Oldest", page=oldest))


def test_a_plugins_feed_order_is_a_tab_of_the_feed(monkeypatch: pytest.MonkeyPatch) -> None:
    seed("ana", "bo")
    registry = collect(plugin_manager(extra=[OldestFirst()]))
    panel_module = importlib.import_module("ui.feed_panel")  # `ui.feed_panel` is the function
    monkeypatch.setattr(panel_module, "default_registry", lambda: registry)
    at = page()
    assert at.segmented_control(key="feed-kind").options == [
        "Latest", "Following", "Trending", "For you", "Oldest"
    ]  # fmt: skip
    assert shown_authors(at) == ["**@bo**", "**@ana**"]
    at.segmented_control(key="feed-kind").set_value("Oldest").run()
    assert shown_authors(at) == ["**@ana**", "**@bo**"]
