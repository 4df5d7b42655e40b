"""The user id of a page's viewer, found by name once per process.

A card statement needs its viewer's id in several places (what they may see, what they liked,
whether a hidden prompt is theirs). Finding it by name in each of them costs one index search
of `users` per place on every page; instead the statement takes the id as a parameter, found by
name once and kept here. Ids are kept per process, and another process may delete or rename the
account, so every card statement also checks, once, that the id still belongs to that name
(`social.cards`): when it does not, the page comes back empty and is read again with the id
found afresh.

PostgreSQL is the exception: given the id as a value, its planner reads how few mutes, blocks
and reports that one person has and joins every post of a small community before picking the
page (a #tag page at 10k posts: 2 ms → 11 ms, Following 2 → 15 ms). There the statement finds
the id by name itself, once, as an InitPlan; the id passed along goes unused, and so the check
is left out.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Boolean, Integer, String, bindparam, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import ColumnElement

from social.models import User
from social.sql import any_row
from social.users import lookup_key

# The parameters a card statement takes: the viewer's lookup key and id (both NULL for a guest).
VIEWER_KEY = bindparam("viewer_key", type_=String)
_VIEWER_ID_PARAMETER = bindparam("viewer_id", type_=Integer)


class ViewerId(ColumnElement[int]):
    """The viewer's user id in a statement: the `viewer_id` parameter, or on PostgreSQL the id
    of the user named by `viewer_key` (see above)."""

    type = Integer()
    inherit_cache = True


VIEWER_ID = ViewerId()


class ViewerIdIsCurrent(ColumnElement[bool]):
    """Whether VIEWER_ID is still the id of the user named by VIEWER_KEY (always when NULL: a
    guest, or a name nobody has); uncorrelated, so the database asks it once per statement."""

    type = Boolean()
    inherit_cache = True


VIEWER_ID_IS_CURRENT = ViewerIdIsCurrent()


@compiles(ViewerId)
def _as_parameter(_element: ViewerId, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(_VIEWER_ID_PARAMETER, **kw))


@compiles(ViewerId, "postgresql")
def _found_by_name(_element: ViewerId, compiler: Any, **kw: Any) -> str:
    someone = aliased(User)  # never correlated to the `users` of the statement around it
    found = select(someone.id).where(someone.name_key == VIEWER_KEY).scalar_subquery()
    return str(compiler.process(found, **kw))


@compiles(ViewerIdIsCurrent)
def _checked(_element: ViewerIdIsCurrent, compiler: Any, **kw: Any) -> str:
    someone = aliased(User)
    belongs = any_row(someone.id == VIEWER_ID, someone.name_key == VIEWER_KEY)
    return str(compiler.process(or_(VIEWER_ID.is_(None), belongs), **kw))


@compiles(ViewerIdIsCurrent, "postgresql")
def _found_there(_element: ViewerIdIsCurrent, _compiler: Any, **_kw: Any) -> str:
    return "true"  # the statement found the id by name itself


def viewer_key(viewer: str | None) -> str | None:
    """The lookup key a card statement takes for `viewer` (see `social.users.lookup_key`);
    None for a guest."""
    return lookup_key(viewer) if viewer is not None else None


MAX_KEPT = 4096  # names whose ids are kept; the oldest goes first

_ids: dict[str, int] = {}
_changing = threading.Lock()  # pages are read on several threads


def kept_viewer_id(session: Session, viewer_key: str, *, afresh: bool = False) -> int | None:
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
