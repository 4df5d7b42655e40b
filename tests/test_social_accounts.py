"""Accounts: sign up, sign in, passwords, profiles; guests read but do not act."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select

from social import accounts
from social.accounts import (
    Account,
    authenticate,
    change_password,
    hash_password,
    require_account,
    sign_in_external,
    sign_up,
    update_profile,
    verify_password,
)
from social.comments import add_comment
from social.db import unit_of_work
from social.errors import Invalid, NotFound, SignInRequired
from social.follows import follow
from social.likes import like_post
from social.models import Post, User
from social.posts import publish_post
from social.profiles import get_profile
from social.reports import report_post
from social.settings import get_settings
from tests.accounts import display_name_author, make_accounts
from tests.test_posts import png_bytes

PASSWORD = "correct horse battery"


def stored_hash(engine: Engine, name: str) -> str | None:
    with unit_of_work(engine) as session:
        return session.scalars(select(User.password_hash).where(User.name == name)).one()


# --- passwords ------------------------------------------------------------------------------


def old_scrypt_hash(password: str) -> str:
    """A hash as Plaza stored them before argon2: scrypt n=2**14, r=8, p=1."""
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    b64 = accounts.base64.b64encode
    return f"scrypt$16384$8$1${b64(salt).decode()}${b64(digest).decode()}"


def test_hash_is_argon2id_with_a_random_salt() -> None:
    settings = get_settings()
    first, second = hash_password(PASSWORD, settings), hash_password(PASSWORD, settings)
    assert first.startswith("$argon2id$v=19$")
    assert first != second  # a fresh salt each time
    assert PASSWORD not in first
    assert verify_password(PASSWORD, first, settings)
    assert verify_password(PASSWORD, second, settings)
    assert not verify_password(PASSWORD + "!", first, settings)


def test_default_cost_meets_owasp(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PLAZA_PASSWORD_TIME_COST", "PLAZA_PASSWORD_MEMORY_KIB"):
        monkeypatch.delenv(name)
    get_settings.cache_clear()
    # OWASP: argon2id with at least 19 MiB and 2 passes.
    assert "$m=65536,t=3,p=1$" in hash_password(PASSWORD, get_settings())


def test_old_scrypt_hash_still_signs_in_and_is_rehashed(engine: Engine) -> None:
    make_accounts(engine, "Ana")
    with unit_of_work(engine) as session:
        user = session.scalars(select(User).where(User.name == "Ana")).one()
        user.password_hash = old_scrypt_hash("an old password")
    with unit_of_work(engine) as session:
        with pytest.raises(Invalid):
            authenticate(session, name="Ana", password="not the old password")
    assert stored_hash(engine, "Ana").startswith("scrypt$")  # type: ignore[union-attr]
    with unit_of_work(engine) as session:
        authenticate(session, name="Ana", password="an old password")
    rehashed = stored_hash(engine, "Ana")
    assert rehashed is not None and rehashed.startswith("$argon2id$")
    with unit_of_work(engine) as session:
        assert authenticate(session, name="Ana", password="an old password").name == "Ana"


@pytest.mark.parametrize(
    "encoded", ["", "scrypt$1$2", "md5$16384$8$1$AAAA$AAAA", "scrypt$x$8$1$AAAA$AAAA"]
)
def test_broken_stored_hash_never_matches(encoded: str) -> None:
    assert verify_password(PASSWORD, encoded, get_settings()) is False


# --- sign up and sign in --------------------------------------------------------------------


def test_sign_up_then_sign_in(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        account = sign_up(session, name=" Ana ", password=PASSWORD)
    assert isinstance(account, Account)
    assert (account.name, account.bio, account.avatar_sha256) == ("Ana", "", None)
    assert (stored_hash(engine, "Ana") or "").startswith("$argon2id$")
    with unit_of_work(engine) as session:
        assert authenticate(session, name="ana", password=PASSWORD).name == "Ana"


@pytest.mark.parametrize(
    ("name", "password"),
    [("Ana", "wrong password"), ("Nobody", PASSWORD), ("Ana", ""), ("", PASSWORD)],
)
def test_failed_sign_in_says_the_same_for_every_reason(
    engine: Engine, name: str, password: str
) -> None:
    with unit_of_work(engine) as session:
        sign_up(session, name="Ana", password=PASSWORD)
    with unit_of_work(engine) as session, pytest.raises(Invalid) as error:
        authenticate(session, name=name, password=password)
    assert str(error.value) == accounts.WRONG_CREDENTIALS


def test_display_name_without_password_cannot_sign_in(engine: Engine) -> None:
    display_name_author(engine, "Bo")
    with unit_of_work(engine) as session, pytest.raises(Invalid):
        authenticate(session, name="Bo", password="")


def test_taken_name_is_refused_in_any_letter_case(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        sign_up(session, name="Ana", password=PASSWORD)
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="taken"):
        sign_up(session, name="ANA", password="another password")
    with unit_of_work(engine) as session:  # the first password still works
        authenticate(session, name="Ana", password=PASSWORD)


def test_signing_up_claims_a_display_name_and_its_posts(engine: Engine) -> None:
    display_name_author(engine, "Bo")
    with unit_of_work(engine) as session:
        assert get_profile(session, "Bo").has_account is False
    with unit_of_work(engine) as session:
        sign_up(session, name="bo", password=PASSWORD)
    with unit_of_work(engine) as session:
        profile = get_profile(session, "Bo")
    assert (profile.name, profile.has_account, profile.post_count) == ("Bo", True, 1)


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "at least 8"), (" " * 10, "only spaces"), ("x" * 1025, "at most 1024")],
)
def test_weak_or_absurd_passwords_are_refused(engine: Engine, password: str, message: str) -> None:
    with unit_of_work(engine) as session, pytest.raises(Invalid, match=message):
        sign_up(session, name="Ana", password=password)


@pytest.mark.parametrize("name", ["", "x" * 41, "bad\x00name", "two\nlines"])
def test_bad_account_names_are_refused(engine: Engine, name: str) -> None:
    with unit_of_work(engine) as session, pytest.raises(Invalid):
        sign_up(session, name=name, password=PASSWORD)


def test_change_password(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        sign_up(session, name="Ana", password=PASSWORD)
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="current password"):
        change_password(session, name="Ana", old_password="nope", new_password="new password")
    with unit_of_work(engine) as session:
        change_password(session, name="Ana", old_password=PASSWORD, new_password="new password")
    with unit_of_work(engine) as session:
        authenticate(session, name="Ana", password="new password")
        with pytest.raises(Invalid):
            authenticate(session, name="Ana", password=PASSWORD)


# --- single sign-on -------------------------------------------------------------------------


def test_external_sign_in_makes_an_account_once_and_finds_it_again(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        first = sign_in_external(session, identity="Ana@Example.com", name_hint="ana")
    with unit_of_work(engine) as session:
        again = sign_in_external(session, identity="ana@example.com", name_hint="ana")
        assert require_account(session, "ana").name == "ana"  # a full account: it may act
    assert first.name == again.name == "ana"
    with unit_of_work(engine) as session, pytest.raises(Invalid):
        authenticate(session, name="ana", password="")  # no password opens it
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="taken"):
        sign_up(session, name="Ana", password=PASSWORD)


def test_external_sign_in_never_enters_someone_elses_account(engine: Engine) -> None:
    display_name_author(engine, "bo")
    with unit_of_work(engine) as session:
        sign_up(session, name="ana", password=PASSWORD)
    with unit_of_work(engine) as session:
        stranger = sign_in_external(session, identity="ana@elsewhere.org", name_hint="ana")
        other = sign_in_external(session, identity="ana@third.org", name_hint="ana")
        bo = sign_in_external(session, identity="bo@example.com", name_hint="bo")
    assert (stranger.name, other.name) == ("ana-2", "ana-3")
    assert bo.name == "bo"  # a display name nobody signed up with is claimed, like sign_up
    with unit_of_work(engine) as session:
        assert authenticate(session, name="ana", password=PASSWORD).name == "ana"
        assert sign_in_external(session, identity="ana@third.org", name_hint="ana").name == "ana-3"


def test_external_sign_in_needs_an_identity_and_tolerates_odd_names(engine: Engine) -> None:
    with unit_of_work(engine) as session, pytest.raises(Invalid):
        sign_in_external(session, identity="  ", name_hint="ana")
    with unit_of_work(engine) as session:
        assert sign_in_external(session, identity="x@y.z", name_hint="\n").name == "member"
        long = sign_in_external(session, identity="l@y.z", name_hint="L" * 60)
    assert long.name == "L" * 40


# --- who may act ----------------------------------------------------------------------------


def test_require_account(engine: Engine) -> None:
    display_name_author(engine, "guest")
    with unit_of_work(engine) as session:
        sign_up(session, name="Ana", password=PASSWORD)
        assert require_account(session, "ana").name == "Ana"
        for name in ("guest", "nobody", None, ""):
            with pytest.raises(SignInRequired):
                require_account(session, name)


@pytest.mark.parametrize("author", ["guest", "nobody", "", "x\x00y"])
def test_only_accounts_publish(engine: Engine, author: str) -> None:
    display_name_author(engine, "guest")
    with pytest.raises(SignInRequired):
        with unit_of_work(engine) as session:
            publish_post(session, author=author, caption="hi", image_bytes=png_bytes())
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 1
        assert session.scalar(select(func.count()).select_from(User)) == 1


GUEST_ACTIONS: dict[str, Callable[..., object]] = {
    "like": lambda s, user, post: like_post(s, user=user, post_id=post),
    "comment": lambda s, user, post: add_comment(s, user=user, post_id=post, body="hi"),
    "follow": lambda s, user, post: follow(s, user=user, name="Ana"),
    "report": lambda s, user, post: report_post(s, user=user, post_id=post, reason="spam"),
    "profile": lambda s, user, post: update_profile(s, name=user, bio="me"),
}


@pytest.mark.parametrize("action", GUEST_ACTIONS)
@pytest.mark.parametrize("user", ["guest", "stranger"])
def test_guests_cannot_act(engine: Engine, action: str, user: str) -> None:
    with unit_of_work(engine) as session:
        sign_up(session, name="Ana", password=PASSWORD)
        post_id = publish_post(session, author="Ana", caption="hi", image_bytes=png_bytes()).id
    display_name_author(engine, "guest")
    with unit_of_work(engine) as session, pytest.raises(SignInRequired):
        GUEST_ACTIONS[action](session, user, post_id)


# --- profiles -------------------------------------------------------------------------------


def test_update_bio_and_avatar(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        sign_up(session, name="Ana", password=PASSWORD)
    with unit_of_work(engine) as session:
        account = update_profile(
            session, name="Ana", bio="  Painter of <b>foxes</b>  ", avatar_bytes=png_bytes()
        )
    assert account.bio == "Painter of <b>foxes</b>"  # stored as inert text
    assert account.avatar_sha256 is not None
    with unit_of_work(engine) as session:
        profile = get_profile(session, "ana")
        card = publish_post(session, author="Ana", caption="hi", image_bytes=png_bytes((1, 2, 3)))
    assert (profile.bio, profile.avatar_sha256) == (account.bio, account.avatar_sha256)
    assert card.author_avatar_sha256 == account.avatar_sha256
    with unit_of_work(engine) as session:
        assert update_profile(session, name="Ana", remove_avatar=True).avatar_sha256 is None


@pytest.mark.parametrize(
    ("bio", "message"), [("x" * 501, "limit is 500"), ("bell\x07", "control characters")]
)
def test_bad_bio_is_refused(engine: Engine, bio: str, message: str) -> None:
    with unit_of_work(engine) as session:
        sign_up(session, name="Ana", password=PASSWORD)
    with unit_of_work(engine) as session, pytest.raises(Invalid, match=message):
        update_profile(session, name="Ana", bio=bio)


def test_bad_avatar_is_refused(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        sign_up(session, name="Ana", password=PASSWORD)
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="not an image"):
        update_profile(session, name="Ana", avatar_bytes=b"<svg onload=alert(1)>")


def test_missing_profile_is_not_found(engine: Engine) -> None:
    with unit_of_work(engine) as session, pytest.raises(NotFound):
        get_profile(session, "nobody")
