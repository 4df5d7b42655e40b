"""Accounts for tests that need signed-in authors: every write in `social` takes one."""

from __future__ import annotations

import io

from PIL import Image as PILImage
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from social.accounts import sign_up
from social.db import unit_of_work
from social.media import store_image
from social.models import Post
from social.users import clean_name, find_user, new_user

PASSWORD = "correct horse battery"


def make_accounts(engine: Engine, *names: str) -> None:
    """Sign up each of `names` with the shared test password."""
    with unit_of_work(engine) as session:
        for name in names:
            sign_up(session, name=name, password=PASSWORD)


def ensure_account(session: Session, name: str) -> None:
    """Sign `name` up unless it is an account already (for tests publishing as many authors)."""
    if find_user(session, name) is None:
        sign_up(session, name=name, password=PASSWORD)


def display_name_author(engine: Engine, name: str, caption: str = "old post") -> int:
    """A user from before accounts: a display name with one post and no password."""
    with unit_of_work(engine) as session:
        user = new_user(clean_name(name))
        image = store_image(session, tiny_png())
        post = Post(author=user, image=image, caption=caption)
        session.add_all([user, post])
        session.flush()
        return post.id


def tiny_png() -> bytes:
    """A small valid PNG."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), (200, 90, 30)).save(buffer, format="PNG")
    return buffer.getvalue()
