"""Accounts: sign up and sign in with a name and a password, and edit one's profile.

Who may do what:
- A *guest* (nobody signed in) may read everything: feeds, posts, profiles, comments.
- An *account* is a user with a password. Only accounts like, comment, follow, report, delete and
  edit their profile; every such function here calls `account_user` and raises `SignInRequired`
  (a `Forbidden`) for anyone else. The `user` name those functions take is the name the caller
  has already signed in with `authenticate`; `social` does not keep sessions.
- Publishing: `posts.publish_post(author=name)` keeps working for any display name, so old
  callers, scripts and tests need no password. The rule "only signed-in users post" is the
  separate check `require_account(session, name)`, which the UI calls before `publish_post`.
- A display name that was used before accounts existed (no password) is *claimed* by the first
  person who signs up with it: its posts become theirs.

- Single sign-on: `sign_in_external` maps someone an identity provider vouched for (OIDC, by
  their verified email) to an account of their own, made at their first sign-in. Such an account
  has no password, so it can only be entered through the provider.

Passwords are hashed with scrypt and a random 16-byte salt, stored as
"scrypt$n$r$p$salt$hash" (salt and hash in base64), and compared in constant time.
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

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from social.errors import Invalid, SignInRequired
from social.media import Provenance, find_image, store_image
from social.models import User, as_utc
from social.text import clean_text
from social.users import MAX_NAME_LENGTH, clean_name, find_user, name_key

# Cost of scrypt: n=2**14, r=8 needs 16 MB and ~50 ms per hash (OWASP's minimum is n=2**17 with
# r=8 or an equivalent n=2**14 with r=8, p=5; we keep p=1 so a busy server stays responsive).
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PASSWORD_LENGTH = 8
# scrypt would hash a megabyte happily, but nobody types that: refuse it before the work.
MAX_PASSWORD_LENGTH = 1024
MAX_BIO_LENGTH = 500
WRONG_CREDENTIALS = "That name and password do not match an account."
# Stored where a password hash would be: `verify_password` never matches it (it is not
# "scrypt$..."), so nobody can enter a single-sign-on account with a password.
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
    # NFKC, so the same password typed on another keyboard or OS still matches.
    return unicodedata.normalize("NFKC", password).encode("utf-8")


def hash_password(password: str) -> str:
    """`password` hashed with scrypt and a fresh random salt, as "scrypt$n$r$p$salt$hash"."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(
        _password_bytes(password),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=256 * SCRYPT_R * SCRYPT_N,
        dklen=HASH_BYTES,
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """Whether `password` matches the stored `encoded` hash (compared in constant time)."""
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
        maxmem=256 * r * n,
        dklen=len(expected),
    )
    return hmac.compare_digest(digest, expected)


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def _check_new_password(password: str) -> str:
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid(f"A password can be at most {MAX_PASSWORD_LENGTH} characters long.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"Please choose a password of at least {MIN_PASSWORD_LENGTH} characters.")
    if not password.strip():
        raise Invalid("A password cannot be only spaces.")
    return password


def sign_up(session: Session, *, name: str, password: str) -> Account:
    """Create the account `name`, or claim a display name nobody has signed up with yet."""
    name = clean_name(name)
    password = _check_new_password(password)
    password_hash = hash_password(password)
    user = find_user(session, name)
    if user is not None and user.password_hash is not None:
        raise Invalid(f"The name {name!r} is taken; please choose another.")
    if user is None:
        user = User(name=name, name_key=name_key(name))
        try:
            # A savepoint, so losing a race for the name leaves the caller's transaction usable.
            with session.begin_nested():
                session.add(user)
                session.flush()
        except IntegrityError as error:
            raise Invalid(f"The name {name!r} is taken; please choose another.") from error
    user.password_hash = password_hash
    session.flush()
    return _account(user)


def authenticate(session: Session, *, name: str, password: str) -> Account:
    """The account `name` if `password` is its password; Invalid (one message for all) if not."""
    user = None
    if len(password) <= MAX_PASSWORD_LENGTH:
        try:
            user = find_user(session, clean_name(name))
        except Invalid:
            user = None
    stored = user.password_hash if user is not None else None
    # Hash even when there is no such account, so the answer's timing does not reveal names.
    matches = verify_password(password[:MAX_PASSWORD_LENGTH], stored or _decoy_hash())
    if user is None or stored is None or not matches:
        raise Invalid(WRONG_CREDENTIALS)
    return _account(user)


def account_user(session: Session, name: str | None) -> User:
    """The user row of account `name` (for `social`'s own modules); SignInRequired if none."""
    user = find_user(session, name) if name else None
    if user is None or user.password_hash is None:
        raise SignInRequired("Please sign in first.")
    return user


def require_account(session: Session, name: str | None) -> Account:
    """The account `name`; SignInRequired if `name` is a guest. Call it before publishing."""
    return _account(account_user(session, name))


def change_password(session: Session, *, name: str, old_password: str, new_password: str) -> None:
    """Replace the password of `name` after checking the current one."""
    user = account_user(session, name)
    assert user.password_hash is not None  # account_user guarantees it
    if len(old_password) > MAX_PASSWORD_LENGTH or not verify_password(
        old_password, user.password_hash
    ):
        raise Invalid("The current password is not right.")
    user.password_hash = hash_password(_check_new_password(new_password))
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
        user.avatar = store_image(session, avatar_bytes, provenance=Provenance(ai_generated=False))
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
        user = find_user(session, name)
        if user is None:
            user = User(name=name, name_key=name_key(name))
            try:
                with session.begin_nested():  # a racing sign-in may take the name first
                    session.add(user)
                    session.flush()
            except IntegrityError:
                user = find_user(session, name)  # maybe the same person, in another tab
        if user is not None and user.password_hash == marker:
            return _account(user)
        if user is None or user.password_hash is not None:
            continue  # someone else's account
        # A new name, or a display name nobody signed up with: it becomes this person's.
        user.password_hash = marker
        session.flush()
        return _account(user)
    raise Invalid("No free name was found for your account; please sign up with a password.")
