"""Units of work are all or nothing, savepoints included, and racing sign-ups have one winner."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select

from social import comments
from social.accounts import authenticate, sign_up
from social.db import unit_of_work
from social.errors import Invalid
from social.follows import follow
from social.likes import like_post
from social.models import Comment, Follow, Like, Notification, Post, User
from social.posts import publish_post
from tests.accounts import PASSWORD, display_name_author, make_accounts, tiny_png

TRIALS = 100


def count(engine: Engine, model: type) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


class Crash(Exception):
    """Raised inside a unit of work after the call under test."""


def crash_after(engine: Engine, action: Callable[..., object]) -> None:
    with pytest.raises(Crash):
        with unit_of_work(engine) as session:
            action(session)
            raise Crash


def test_like_then_crash_leaves_neither_like_nor_notification(engine: Engine) -> None:
    make_accounts(engine, "ana", "bo")
    with unit_of_work(engine) as session:
        post_id = publish_post(session, author="bo", caption="hi", image_bytes=tiny_png()).id
    crash_after(engine, lambda session: like_post(session, user="ana", post_id=post_id))
    assert (count(engine, Like), count(engine, Notification)) == (0, 0)


def test_follow_then_crash_leaves_nothing(engine: Engine) -> None:
    make_accounts(engine, "ana", "bo")
    crash_after(engine, lambda session: follow(session, user="ana", name="bo"))
    assert (count(engine, Follow), count(engine, Notification)) == (0, 0)


def test_sign_up_then_crash_leaves_no_user(engine: Engine) -> None:
    crash_after(engine, lambda session: sign_up(session, name="ana", password=PASSWORD))
    assert count(engine, User) == 0
    make_accounts(engine, "ana")  # the name is free, and its password is the one set now
    with unit_of_work(engine) as session:
        assert authenticate(session, name="ana", password=PASSWORD).name == "ana"


def test_claim_then_crash_leaves_the_display_name_unclaimed(engine: Engine) -> None:
    display_name_author(engine, "bo")
    crash_after(engine, lambda session: sign_up(session, name="bo", password="first password"))
    with unit_of_work(engine) as session:
        assert session.scalars(select(User.password_hash)).one() is None
    make_accounts(engine, "bo")
    with unit_of_work(engine) as session, pytest.raises(Invalid):
        authenticate(session, name="bo", password="first password")


def race(engine: Engine, attempts: list[tuple[str, str]]) -> list[object]:
    """Sign-ups of (name, password) all at once; each outcome is an Account or the exception."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[object] = [None] * len(attempts)

    def attempt(index: int) -> None:
        name, password = attempts[index]
        barrier.wait()
        try:
            with unit_of_work(engine) as session:
                outcomes[index] = sign_up(session, name=name, password=password)
        except Exception as error:  # recorded: anything but Invalid fails the test
            outcomes[index] = error

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def one_winner(engine: Engine, name: str, passwords: tuple[str, str]) -> None:
    outcomes = race(engine, [(name, password) for password in passwords])
    losers = [index for index, outcome in enumerate(outcomes) if isinstance(outcome, Exception)]
    assert len(losers) == 1 and isinstance(outcomes[losers[0]], Invalid), outcomes
    loser = passwords[losers[0]]
    winner = passwords[1 - losers[0]]
    with unit_of_work(engine) as session:
        assert authenticate(session, name=name, password=winner)
        with pytest.raises(Invalid):
            authenticate(session, name=name, password=loser)


def test_racing_sign_ups_of_a_new_name_have_one_winner(engine: Engine) -> None:
    for trial in range(TRIALS):
        one_winner(engine, f"new {trial}", (f"first {trial}!", f"second {trial}!"))
    assert count(engine, User) == TRIALS


def test_racing_claims_of_a_display_name_have_one_winner(engine: Engine) -> None:
    for trial in range(TRIALS):
        display_name_author(engine, f"old {trial}")
        one_winner(engine, f"old {trial}", (f"first {trial}!", f"second {trial}!"))
    assert count(engine, User) == TRIALS


def test_racing_look_alike_sign_ups_have_one_winner(engine: Engine) -> None:
    for trial in range(TRIALS // 4):
        # The second name has a Cyrillic а: only one of the two may exist.
        outcomes = race(engine, [(f"alice {trial}", PASSWORD), (f"\u0430lice {trial}", PASSWORD)])
        assert sum(isinstance(o, Invalid) for o in outcomes) == 1, outcomes
        assert not any(isinstance(o, Exception) and not isinstance(o, Invalid) for o in outcomes)
    assert count(engine, User) == TRIALS // 4


def test_sixteen_concurrent_writers_make_no_errors_and_exact_counts(engine: Engine) -> None:
    names = [f"writer {i}" for i in range(16)]
    make_accounts(engine, "host", *names)
    with unit_of_work(engine) as session:
        post_id = publish_post(session, author="host", caption="hi", image_bytes=tiny_png()).id
    errors: list[Exception] = []

    def write(name: str) -> None:
        try:
            for round_ in range(3):
                with unit_of_work(engine) as session:
                    like_post(session, user=name, post_id=post_id)
                    comments.add_comment(session, user=name, post_id=post_id, body=f"{round_}")
                with unit_of_work(engine) as session:
                    publish_post(session, author=name, caption=f"{round_}", image_bytes=tiny_png())
        except Exception as error:  # recorded: any error fails the test
            errors.append(error)

    threads = [threading.Thread(target=write, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert (count(engine, Like), count(engine, Comment), count(engine, Post)) == (16, 48, 49)
    # One notification per like and per comment, all for the host.
    assert count(engine, Notification) == 16 + 48
