"""Accounts: sign up and sign in with a name and a password, and edit one's profile.

Who may do what:
- A *guest* (nobody signed in) may read everything: feeds, posts, profiles, comments.
- An *account* is a user with a password. Only accounts like, comment, follow, report, delete and
  edit their profile; every such function here calls `account_user` and raises `SignInRequired`
  (a `Forbidden`) for anyone else. The `user` name those functions take is the name the caller
  has already signed in with `authenticate`; `social` does not keep sessions.
- A *suspended* account (`social.moderators`) cannot sign in or write: `authenticate` and
  `account_user` raise Forbidden with the moderator's reason.
- Publishing is a write like the others: `posts.publish_post(author=name)` takes an account
  and raises `SignInRequired` for a display name nobody signed up with, or an unknown one.
- A display name that was used before accounts existed (no password) is *claimed* by the first
  person who signs up with it: its posts become theirs.

- Single sign-on: `sign_in_external` maps someone an identity provider vouched for (OIDC, by
  their verified email) to an account of their own, made at their first sign-in. Such an account
  has no password, so it can only be entered through the provider.

Passwords are hashed with argon2id (argon2-cffi; cost from the settings). Hashes from before,
"scrypt$n$r$p$salt$hash", are still accepted and replaced by an argon2id hash at sign-in.
Failed sign-ins are rate limited per name and per client, sign-ups per client
(`social.rate_limits`); `client` is the caller's address when it knows one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from social.db import settings_of
from social.errors import Forbidden, Invalid, SignInRequired
from social.media import AVATAR, Provenance, find_image, store_image
from social.models import User, as_utc
from social.rate_limits import check_rate, ensure_room
from social.settings import SocialSettings
from social.text import clean_text
from social.users import (
    MAX_NAME_LENGTH,
    clean_name,
    find_look_alike,
    find_user,
    lookup_key,
    new_user,
)

MIN_PASSWORD_LENGTH = 8
# A password hash would digest a megabyte happily, but nobody types that: refuse it first.
MAX_PASSWORD_LENGTH = 1024
MAX_BIO_LENGTH = 500
WRONG_CREDENTIALS = "That name and password do not match an account."
SCRYPT_PREFIX = "scrypt$"
# Stored where a password hash would be: `authenticate` never checks a password against it,
# so nobody can enter a single-sign-on account with a password.
EXTERNAL_MARKER = "external$"
MAX_EXTERNAL_NAME_TRIES = 20


@dataclass(frozen=True)
class Account:
    """A signed-up user as the UI shows them."""

    name: str
    bio: str
    avatar_sha256: str | None
    created_at: datetime


def _account(user: User) -> Account:
    return Account(
        name=user.name,
        bio=user.bio,
        avatar_sha256=user.avatar.sha256 if user.avatar else None,
        created_at=as_utc(user.created_at),
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _password_bytes(password: str) -> bytes:
    # NFKC, so the same password typed on another keyboard or OS still matches; a lone
    # surrogate (refused in new passwords) is encoded rather than crashing a sign-in.
    return unicodedata.normalize("NFKC", password).encode("utf-8", "surrogatepass")


def _hasher(settings: SocialSettings) -> PasswordHasher:
    return PasswordHasher(
        time_cost=settings.plaza_password_time_cost,
        memory_cost=settings.plaza_password_memory_kib,
        parallelism=1,
    )


def hash_password(password: str, settings: SocialSettings) -> str:
    """`password` hashed with argon2id and a fresh random salt ("$argon2id$v=19$...")."""
    return _hasher(settings).hash(_password_bytes(password))


def _verify_scrypt(password: str, encoded: str) -> bool:
    try:
        scheme, n_text, r_text, p_text, salt_text, hash_text = encoded.split("$")
        n, r, p = int(n_text), int(r_text), int(p_text)
        salt, expected = base64.b64decode(salt_text), base64.b64decode(hash_text)
    except ValueError:
        return False
    if scheme != "scrypt" or not (1 < n <= 2**20 and 0 < r <= 32 and 0 < p <= 16):
        return False
    digest = hashlib.scrypt(
        _password_bytes(password),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=256 * r * n + 2**20,
        dklen=len(expected),
    )
    return hmac.compare_digest(digest, expected)


def verify_password(password: str, encoded: str, settings: SocialSettings) -> bool:
    """Whether `password` matches the stored hash (argon2id, or an old "scrypt$..." one)."""
    if encoded.startswith(SCRYPT_PREFIX):
        return _verify_scrypt(password, encoded)
    try:
        return _hasher(settings).verify(encoded, _password_bytes(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(encoded: str, settings: SocialSettings) -> bool:
    """Whether a stored hash is older or cheaper than what `hash_password` makes now."""
    return encoded.startswith(SCRYPT_PREFIX) or _hasher(settings).check_needs_rehash(encoded)


def _decoy_hash(settings: SocialSettings) -> str:
    return _decoy_hash_at(settings.plaza_password_time_cost, settings.plaza_password_memory_kib)


@lru_cache(maxsize=4)
def _decoy_hash_at(time_cost: int, memory_kib: int) -> str:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
    return hasher.hash(secrets.token_urlsafe(16))


def check_new_password(password: object) -> str:
    """`password` if it is acceptable as a new password; Invalid (saying why) if not."""
    if not isinstance(password, str):
        raise Invalid("Please choose a password.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid(f"A password can be at most {MAX_PASSWORD_LENGTH} characters long.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"Please choose a password of at least {MIN_PASSWORD_LENGTH} characters.")
    if not password.strip():
        raise Invalid("A password cannot be only spaces.")
    if any(unicodedata.category(char) in {"Cs", "Cc"} for char in password):
        raise Invalid("A password cannot contain control characters or broken text.")
    return password


def _taken(name: str) -> Invalid:
    return Invalid(f"The name {name!r} is taken; please choose another.")


def _claim(session: Session, user: User, password_hash: str) -> bool:
    """Set the password of a user that has none, atomically; False if someone got there first."""
    # One conditional UPDATE: of two racing claims, the database lets exactly one match.
    result = session.execute(
        update(User)
        .where(User.id == user.id, User.password_hash.is_(None))
        .values(password_hash=password_hash)
        .execution_options(synchronize_session=False)
    )
    session.refresh(user)
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _insert_user(session: Session, user: User) -> bool:
    """Insert a new user row; False if its name (or a look-alike) was taken meanwhile."""
    try:
        # A savepoint, so losing a race for the name leaves the caller's transaction usable.
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError:
        return False
    return True


def sign_up(session: Session, *, name: str, password: str, client: str | None = None) -> Account:
    """Create the account `name`, or claim a display name nobody has signed up with yet."""
    settings = settings_of(session)
    name = clean_name(name)
    password = check_new_password(password)
    if client is not None:
        check_rate("sign_up_client", client, settings)
    password_hash = hash_password(password, settings)
    if find_look_alike(session, name) is not None:
        raise Invalid(f"The name {name!r} looks like someone else's; please choose another.")
    user = find_user(session, name)
    if user is None:
        user = new_user(name)
        user.password_hash = password_hash
        if not _insert_user(session, user):
            raise _taken(name)
    elif not _claim(session, user, password_hash):
        raise _taken(name)
    return _account(user)


def authenticate(
    session: Session, *, name: str, password: str, client: str | None = None
) -> Account:
    """The account `name` if `password` is its password; Invalid (one message for all) if not.

    Failed attempts count against the name and the client; past the limit RateLimited says
    when to try again. An old or cheaper hash is replaced at a successful sign-in."""
    settings = settings_of(session)
    key = lookup_key(name) or "?"
    ensure_room("sign_in_name", key, settings)
    if client is not None:
        ensure_room("sign_in_client", client, settings)
    user = None
    if isinstance(password, str) and len(password) <= MAX_PASSWORD_LENGTH:
        user = find_user(session, name)
    stored = user.password_hash if user is not None else None
    if stored is not None and stored.startswith(EXTERNAL_MARKER):
        stored = None
    # Hash even when there is no such account, so the answer's timing does not reveal names.
    attempt = password[:MAX_PASSWORD_LENGTH] if isinstance(password, str) else ""
    matches = verify_password(attempt, stored or _decoy_hash(settings), settings)
    if user is None or stored is None or not matches:
        check_rate("sign_in_name", key, settings)
        if client is not None:
            check_rate("sign_in_client", client, settings)
        raise Invalid(WRONG_CREDENTIALS)
    refuse_suspended(user)
    if needs_rehash(stored, settings):
        user.password_hash = hash_password(attempt, settings)
        session.flush()
    return _account(user)


def refuse_suspended(user: User) -> None:
    """Forbidden, with the moderator's reason, if `user`'s account is suspended."""
    if user.suspended_at is not None:
        raise Forbidden(f"This account is suspended by a moderator: {user.suspended_reason}")


def account_user(session: Session, name: str | None) -> User:
    """The user row of account `name` (for `social`'s own modules); SignInRequired if none,
    Forbidden if the account is suspended."""
    user = find_user(session, name) if name else None
    if user is None or user.password_hash is None:
        raise SignInRequired("Please sign in first.")
    refuse_suspended(user)
    return user


def require_account(session: Session, name: str | None) -> Account:
    """The account `name`; SignInRequired if `name` is a guest."""
    return _account(account_user(session, name))


def change_password(session: Session, *, name: str, old_password: str, new_password: str) -> None:
    """Replace the password of `name` after checking the current one."""
    settings = settings_of(session)
    user = account_user(session, name)
    assert user.password_hash is not None  # account_user guarantees it
    if (
        not isinstance(old_password, str)
        or len(old_password) > MAX_PASSWORD_LENGTH
        or not verify_password(old_password, user.password_hash, settings)
    ):
        raise Invalid("The current password is not right.")
    user.password_hash = hash_password(check_new_password(new_password), settings)
    session.flush()


def update_profile(
    session: Session,
    *,
    name: str,
    bio: str | None = None,
    avatar_bytes: bytes | None = None,
    avatar_sha256: str | None = None,
    remove_avatar: bool = False,
) -> Account:
    """Change the bio and/or avatar (new image file, or a stored image) of account `name`."""
    user = account_user(session, name)
    if sum([avatar_bytes is not None, avatar_sha256 is not None, remove_avatar]) > 1:
        raise Invalid("Choose one: a new avatar file, a stored image, or no avatar.")
    if bio is not None:
        user.bio = clean_text(bio, "bio", max_length=MAX_BIO_LENGTH)
    if avatar_bytes is not None:
        # Uploaded photos are people's own, not AI-made; store_image strips their location.
        user.avatar = store_image(
            session, avatar_bytes, provenance=Provenance(ai_generated=False), purpose=AVATAR
        )
    elif avatar_sha256 is not None:
        user.avatar = find_image(session, avatar_sha256)
    elif remove_avatar:
        user.avatar = None
    session.flush()
    return _account(user)


def _external_marker(identity: str) -> str:
    digest = hashlib.sha256(unicodedata.normalize("NFKC", identity.strip()).casefold().encode())
    return EXTERNAL_MARKER + digest.hexdigest()


def _external_names(name_hint: str) -> list[str]:
    try:
        base = clean_name(name_hint.strip()[:MAX_NAME_LENGTH])
    except Invalid:
        base = "member"
    names = [base]
    for number in range(2, MAX_EXTERNAL_NAME_TRIES + 1):
        suffix = f"-{number}"
        names.append(base[: MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix)
    return names


def sign_in_external(session: Session, *, identity: str, name_hint: str) -> Account:
    """The account of someone an identity provider vouched for, made at their first sign-in.

    `identity` is what the provider guarantees (a verified email); the account is called
    `name_hint`, or `name_hint-2`, `-3`... when someone else has that name. Pass the same hint
    every time (Plaza's UI uses the email's local part): it is where the account is looked up.
    """
    if not identity.strip():
        raise Invalid("The identity provider did not say who you are; please sign in again.")
    marker = _external_marker(identity)
    for name in _external_names(name_hint):
        if find_look_alike(session, name) is not None:
            continue  # someone else's look-alike name
        user = find_user(session, name)
        if user is None:
            user = new_user(name)
            user.password_hash = marker
            if _insert_user(session, user):
                return _account(user)
            user = find_user(session, name)  # maybe the same person, in another tab
        if user is not None and user.password_hash == marker:
            refuse_suspended(user)
            return _account(user)
        # A display name nobody signed up with becomes this person's; anything else is not.
        if user is not None and _claim(session, user, marker):
            return _account(user)
    raise Invalid("No free name was found for your account; please sign up with a password.")
