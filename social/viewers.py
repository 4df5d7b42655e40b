"""The user id of a page's viewer, found by name once per process.

A card statement needs its viewer's id in several places (what they may see, what they liked,
whether a hidden prompt is theirs). Finding it by name in each of them costs one index search
of `users` per place on every page; instead the statement takes the id as a parameter, found by
name once and kept here. Ids are kept per process, and another process may delete or rename the
account, so every card statement also checks, once, that the id still belongs to that name
(`social.cards`): when it does not, the page comes back empty and is read again with the id
found afresh.
"""

from __future__ import annotations

import threading

from sqlalchemy import select
from sqlalchemy.orm import Session

from social.models import User

MAX_KEPT = 4096  # names whose ids are kept; the oldest goes first

_ids: dict[str, int] = {}
_changing = threading.Lock()  # pages are read on several threads


def viewer_id(session: Session, viewer_key: str, *, afresh: bool = False) -> int | None:
    """The id of the user whose lookup key is `viewer_key`, None if nobody has that name; the
    kept id unless `afresh`."""
    if not afresh and (known := _ids.get(viewer_key)) is not None:
        return known
    found = session.scalar(select(User.id).where(User.name_key == viewer_key))
    with _changing:
        _ids.pop(viewer_key, None)
        if found is not None:  # nobody's name is not kept: they may sign up in a moment
            if len(_ids) >= MAX_KEPT:
                del _ids[next(iter(_ids))]
            _ids[viewer_key] = found
    return found
