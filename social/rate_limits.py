"""Rate limits on sign-in, sign-up, posts, comments and generations (the `limits` library).

Each action has a moving-window limit from the settings, counted per key (an account name or a
client address). A refused action raises `RateLimited`, whose message says when to try again.
"""

from __future__ import annotations

import math
import time
from typing import Literal

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from social.errors import RateLimited
from social.settings import SocialSettings

Action = Literal[
    "sign_in_name", "sign_in_client", "sign_up_client", "post", "comment", "generation"
]
_WHAT = {
    "sign_in_name": "Too many failed sign-ins for this name",
    "sign_in_client": "Too many failed sign-ins from here",
    "sign_up_client": "Too many sign-ups from here",
    "post": "You have posted a lot in a short time",
    "comment": "You have commented a lot in a short time",
    "generation": "You have asked for a lot of images in a short time",
}
_limiter: tuple[SocialSettings, MovingWindowRateLimiter] | None = None


def _current(settings: SocialSettings) -> MovingWindowRateLimiter:
    # One limiter per settings object, so a changed configuration starts from fresh counters.
    global _limiter
    if _limiter is None or _limiter[0] is not settings:
        storage = storage_from_string(settings.plaza_rate_limit_storage)
        _limiter = (settings, MovingWindowRateLimiter(storage))
    return _limiter[1]


def _item(action: Action, settings: SocialSettings) -> RateLimitItem:
    text = {
        "sign_in_name": settings.plaza_rate_sign_in_per_name,
        "sign_in_client": settings.plaza_rate_sign_in_per_client,
        "sign_up_client": settings.plaza_rate_sign_up_per_client,
        "post": settings.plaza_rate_posts,
        "comment": settings.plaza_rate_comments,
        "generation": settings.plaza_rate_generations,
    }[action]
    return parse(text)


def _refusal(
    action: Action, item: RateLimitItem, key: str, settings: SocialSettings
) -> RateLimited:
    reset = _current(settings).get_window_stats(item, action, key).reset_time
    wait = max(1, math.ceil(reset - time.time()))
    return RateLimited(f"{_WHAT[action]}; please try again in {wait} s.", retry_after=wait)


def check_rate(action: Action, key: str, settings: SocialSettings) -> None:
    """Count one `action` by `key`; raise RateLimited (saying when to retry) past the limit."""
    item = _item(action, settings)
    if not _current(settings).hit(item, action, key):
        raise _refusal(action, item, key, settings)


def ensure_room(action: Action, key: str, settings: SocialSettings) -> None:
    """Raise RateLimited if `key` has no `action` left, without counting one."""
    item = _item(action, settings)
    if not _current(settings).test(item, action, key):
        raise _refusal(action, item, key, settings)
