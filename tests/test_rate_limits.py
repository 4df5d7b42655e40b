"""Rate limits: sign-in per name and client, sign-up per client, posts, comments, generations."""

from __future__ import annotations

import os
import re
import uuid

import pytest
from sqlalchemy import Engine

from social.accounts import authenticate, sign_up
from social.comments import add_comment
from social.db import unit_of_work
from social.errors import Invalid, RateLimited
from social.posts import publish_post
from social.rate_limits import check_rate
from social.settings import SocialSettings, get_settings
from tests.accounts import PASSWORD, make_accounts, tiny_png


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small limits: three of everything a minute."""
    for name in ("SIGN_IN_PER_NAME", "SIGN_IN_PER_CLIENT", "SIGN_UP_PER_CLIENT"):
        monkeypatch.setenv(f"PLAZA_RATE_{name}", "3 per minute")
    for name in ("POSTS", "COMMENTS", "GENERATIONS"):
        monkeypatch.setenv(f"PLAZA_RATE_{name}", "3 per minute")
    get_settings.cache_clear()


# The machine's Redis (.ci/run starts it when it is down); database 15, away from other users.
REDIS_URL = os.environ.get("PLAZA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def retry_seconds(error: RateLimited) -> int:
    match = re.search(r"try again in (\d+) s", str(error))
    assert match, str(error)
    assert int(match.group(1)) == error.retry_after
    return error.retry_after


def test_failed_sign_ins_are_limited_per_name(engine: Engine, limits: None) -> None:
    make_accounts(engine, "ana")
    for _ in range(3):
        with unit_of_work(engine) as session, pytest.raises(Invalid):
            authenticate(session, name="ana", password="wrong password")
    with unit_of_work(engine) as session, pytest.raises(RateLimited) as error:
        authenticate(session, name="ANA", password=PASSWORD)  # even the right one, for now
    assert 1 <= retry_seconds(error.value) <= 60
    with unit_of_work(engine) as session:  # another name is not affected
        make_accounts(engine, "bo")
        assert authenticate(session, name="bo", password=PASSWORD).name == "bo"


def test_successful_sign_ins_do_not_count(engine: Engine, limits: None) -> None:
    make_accounts(engine, "ana")
    for _ in range(6):
        with unit_of_work(engine) as session:
            authenticate(session, name="ana", password=PASSWORD, client="10.0.0.1")


def test_failed_sign_ins_are_limited_per_client(engine: Engine, limits: None) -> None:
    make_accounts(engine, "ana", "bo", "cy", "di")
    for name in ("ana", "bo", "cy"):
        with unit_of_work(engine) as session, pytest.raises(Invalid):
            authenticate(session, name=name, password="wrong password", client="10.0.0.1")
    with unit_of_work(engine) as session, pytest.raises(RateLimited):
        authenticate(session, name="di", password=PASSWORD, client="10.0.0.1")
    with unit_of_work(engine) as session:
        assert authenticate(session, name="di", password=PASSWORD, client="10.0.0.2")


def test_sign_ups_are_limited_per_client(engine: Engine, limits: None) -> None:
    for index in range(3):
        with unit_of_work(engine) as session:
            sign_up(session, name=f"user {index}", password=PASSWORD, client="10.0.0.1")
    with unit_of_work(engine) as session, pytest.raises(RateLimited, match="sign-ups"):
        sign_up(session, name="user 4", password=PASSWORD, client="10.0.0.1")
    with unit_of_work(engine) as session:
        sign_up(session, name="user 5", password=PASSWORD, client="10.0.0.2")


def test_posts_and_comments_are_limited_per_account(engine: Engine, limits: None) -> None:
    make_accounts(engine, "ana", "bo")
    with unit_of_work(engine) as session:
        ids = [
            publish_post(session, author="ana", caption=f"{i}", image_bytes=tiny_png()).id
            for i in range(3)
        ]
    with pytest.raises(RateLimited, match="posted a lot"):
        with unit_of_work(engine) as session:
            publish_post(session, author="ana", caption="one more", image_bytes=tiny_png())
    with unit_of_work(engine) as session:
        for _ in range(3):
            add_comment(session, user="bo", post_id=ids[0], body="nice")
        with pytest.raises(RateLimited, match="commented a lot"):
            add_comment(session, user="bo", post_id=ids[0], body="nice")
        publish_post(session, author="bo", caption="bo posts still", image_bytes=tiny_png())


def test_generations_are_limited_per_key(limits: None) -> None:
    for _ in range(3):
        check_rate("generation", "ana", get_settings())
    with pytest.raises(RateLimited, match="images") as error:
        check_rate("generation", "ana", get_settings())
    assert retry_seconds(error.value) >= 1
    check_rate("generation", "bo", get_settings())


def test_servers_count_together_through_a_shared_store(limits: None) -> None:
    # Two servers: the settings of two processes, each with its own limiter on one Redis.
    one = SocialSettings(plaza_rate_limit_storage=REDIS_URL)
    two = SocialSettings(plaza_rate_limit_storage=REDIS_URL)
    name = f"ana-{uuid.uuid4().hex[:8]}"
    for _ in range(3):
        check_rate("generation", name, one)
    with pytest.raises(RateLimited, match="images"):
        check_rate("generation", name, two)
    check_rate("generation", f"{name}-other", two)
