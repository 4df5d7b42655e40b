"""Moderation before publish: each check's verdicts, the OpenAI check through the real SDK,
checks chosen by the settings and plugins, and refusals that write nothing on either database."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from assistant.errors import UnknownEngine
from assistant.hookspecs import hookimpl
from assistant.moderation import configured_checks, install_configured_checks
from assistant.openai_moderation import OpenAIModeration
from assistant.plugins import ModerationCheckOption, collect, plugin_manager
from assistant.settings import AssistantSettings
from social.comments import add_comment
from social.db import unit_of_work
from social.errors import Invalid
from social.models import Comment, Image, Notification, Post
from social.moderation import (
    ALLOWED,
    ModerationUnavailable,
    Refused,
    Submission,
    Verdict,
    install_checks,
)
from social.moderation_offline import NudityCheck, ProfanityCheck, profanity_check
from social.posts import publish_post
from social.settings import get_settings
from tests.accounts import make_accounts
from tests.moderation_pictures import explicit_drawing, flagged_for_the_test_server, landscape
from tests.openai_server import OpenAITestServer

ORDINARY_TEXTS = [
    "Scunthorpe United won again!",
    "Cocktail hour on the terrace 🍸",
    "Finally finished Assassin's Creed",
    "Grandma's shiitake mushroom soup",
    "Essex by the sea, sunset over Sussex",
    "Analysis of the class assignment",
]


@pytest.fixture(scope="module")
def nudity() -> NudityCheck:
    return NudityCheck(threshold=0.5)


def test_profanity_check_refuses_listed_words_and_passes_ordinary_text() -> None:
    check = ProfanityCheck()
    for text in ("what the fuck", "sh1t happens"):
        verdict = check.check(Submission(text=text))
        assert not verdict.allowed and verdict.rule == "profanity", text
    for text in ORDINARY_TEXTS:
        assert check.check(Submission(text=text)) == ALLOWED, text


def test_by_default_animals_names_and_everyday_words_pass() -> None:
    ordinary = ("A vixen and her kits by the den", "The cock crowed at five", "Moby Dick",
                "Nice! (455)", "Route 717 at dawn")  # fmt: skip
    for text in ordinary:
        assert profanity_check().check(Submission(text=text)) == ALLOWED, text


def test_the_settings_allow_words_of_the_profanity_list(monkeypatch: pytest.MonkeyPatch) -> None:
    birds = Submission(text="A blue tit and a shag on the cliffs")
    assert ProfanityCheck().check(birds).rule == "profanity"
    monkeypatch.setenv("PLAZA_PROFANITY_ALLOWED_WORDS", "Tit, shag")
    get_settings.cache_clear()
    assert profanity_check().check(birds) == ALLOWED
    assert not profanity_check().check(Submission(text="what the fuck")).allowed


def test_nudity_check_refuses_an_explicit_picture_and_passes_ordinary_ones(
    nudity: NudityCheck,
) -> None:
    verdict = nudity.check(Submission(text="", image=explicit_drawing()))
    assert not verdict.allowed
    assert verdict.rule == "nudity" and "female breast exposed" in verdict.detail
    assert nudity.check(Submission(text="", image=landscape())) == ALLOWED
    assert nudity.check(Submission(text="no picture")) == ALLOWED
    # The threshold is the setting's: above the drawing's score, it passes.
    assert NudityCheck(threshold=0.95).check(Submission(text="", image=explicit_drawing())).allowed


def test_nudity_check_refuses_a_file_that_is_no_image(nudity: NudityCheck) -> None:
    with pytest.raises(Invalid, match="not an image"):
        nudity.check(Submission(text="", image=b"hello"))


def _count(engine: Engine, model: Any) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_refused_post_or_comment_writes_nothing(engine: Engine) -> None:
    make_accounts(engine, "ana", "bo")
    with unit_of_work(engine) as session:
        original = publish_post(session, author="ana", caption="Lake", image_bytes=landscape())
    before = {model: _count(engine, model) for model in (Post, Image, Notification, Comment)}
    files = sorted(get_settings().media_dir.rglob("*"))

    cases = {
        "profanity": dict(caption="what the fuck", image_sha256=original.image_sha256),
        "nudity": dict(caption="Beach day", image_bytes=explicit_drawing()),
    }
    for rule, fields in cases.items():
        with pytest.raises(Refused) as refused, unit_of_work(engine) as session:
            publish_post(session, author="bo", remix_of_id=original.id, **fields)
        assert refused.value.rule == rule
        assert str(refused.value).startswith(f"Not shared: this breaks the rule on {rule}")
    with pytest.raises(Refused, match="^Not posted: this breaks the rule on profanity"):
        with unit_of_work(engine) as session:
            add_comment(session, user="bo", post_id=original.id, body="this is shit")

    assert {model: _count(engine, model) for model in before} == before
    assert sorted(get_settings().media_dir.rglob("*")) == files  # the picture was not stored


class RefuseEverything:
    name = "refuse-everything"

    def check(self, submission: Submission) -> Verdict:
        return Verdict(allowed=False, rule="testing", detail="nothing gets through")


class Broken:
    name = "broken"

    def check(self, submission: Submission) -> Verdict:
        raise RuntimeError("the service fell over")


def test_installed_checks_replace_the_default_and_a_failing_check_fails_closed(
    sqlite_engine: Engine,
) -> None:
    make_accounts(sqlite_engine, "ana")
    install_checks([RefuseEverything()])
    with pytest.raises(Refused, match="testing \\(nothing gets through\\)"):
        with unit_of_work(sqlite_engine) as session:
            publish_post(session, author="ana", caption="Lake", image_bytes=landscape())
    install_checks([Broken()])
    with pytest.raises(ModerationUnavailable, match="nothing was published"):
        with unit_of_work(sqlite_engine) as session:
            publish_post(session, author="ana", caption="Lake", image_bytes=landscape())
    install_checks([])
    with unit_of_work(sqlite_engine) as session:
        publish_post(session, author="ana", caption="what the fuck", image_bytes=landscape())
    assert _count(sqlite_engine, Post) == 1


def test_openai_check_sends_words_and_picture_in_one_call(
    openai_server: OpenAITestServer,
) -> None:
    check = OpenAIModeration(AssistantSettings())
    assert check.check(Submission(text="A calm lake", image=landscape())) == ALLOWED
    sent = openai_server.requests_to("moderations")[-1].json
    assert sent["model"] == "omni-moderation-latest"
    assert [part["type"] for part in sent["input"]] == ["text", "image_url"]
    assert sent["input"][1]["image_url"]["url"].startswith("data:image/png;base64,")

    threat = check.check(Submission(text="I will hurt you", image=landscape()))
    assert threat == Verdict(
        allowed=False,
        rule="harassment / threatening",
        detail="OpenAI's moderation flagged the words",
    )
    picture = check.check(
        Submission(text="A calm lake", image=flagged_for_the_test_server(landscape()))
    )
    assert picture.rule == "sexual" and picture.detail.endswith("the picture")
    assert len(openai_server.requests_to("moderations")) == 3


def test_openai_is_the_automatic_check_when_configured(
    openai_server: OpenAITestServer, sqlite_engine: Engine
) -> None:
    make_accounts(sqlite_engine, "ana")
    install_configured_checks(AssistantSettings())
    with pytest.raises(Refused, match="violence"), unit_of_work(sqlite_engine) as session:
        publish_post(session, author="ana", caption="Gore everywhere", image_bytes=landscape())
    openai_server.fail_next(503, times=3, route="moderations")
    with pytest.raises(ModerationUnavailable), unit_of_work(sqlite_engine) as session:
        publish_post(session, author="ana", caption="A lake", image_bytes=landscape())
    with unit_of_work(sqlite_engine) as session:
        publish_post(session, author="ana", caption="A lake", image_bytes=landscape())
    assert _count(sqlite_engine, Post) == 1


class NoPineapple:
    name = "no-pineapple"

    def check(self, submission: Submission) -> Verdict:
        if "pineapple" in submission.text.lower():
            return Verdict(allowed=False, rule="pineapple on pizza")
        return ALLOWED


class NoPineapplePlugin:
    @hookimpl
    def register_moderation_checks(self, register: Any) -> None:
        register(ModerationCheckOption(name="no-pineapple", make=lambda settings: NoPineapple()))


def test_a_plugins_check_registered_through_the_hook_is_used(sqlite_engine: Engine) -> None:
    registry = collect(plugin_manager([NoPineapplePlugin()]))
    assert list(registry.moderation_checks) == ["openai", "profanity", "nudity", "no-pineapple"]
    checks = configured_checks(AssistantSettings(), registry)
    assert [check.name for check in checks] == ["profanity", "nudity", "no-pineapple"]
    install_configured_checks(AssistantSettings(), registry)
    make_accounts(sqlite_engine, "ana")
    with pytest.raises(Refused, match="pineapple on pizza"), unit_of_work(sqlite_engine) as s:
        publish_post(s, author="ana", caption="Pineapple pizza night", image_bytes=landscape())

    only = AssistantSettings(plaza_moderation_checks="no-pineapple")
    assert [check.name for check in configured_checks(only, registry)] == ["no-pineapple"]
    assert configured_checks(AssistantSettings(plaza_moderation_checks="none"), registry) == []
    with pytest.raises(UnknownEngine, match="'nope'.*installed: no-pineapple, nudity"):
        configured_checks(AssistantSettings(plaza_moderation_checks="nope"), registry)
