"""Errors of the feed layer, each with a message fit for a person."""


class SocialError(Exception):
    """Base of every error `social` raises on purpose."""


class Invalid(SocialError):
    """The input was refused (bad image, empty caption, ...)."""


class NotFound(SocialError):
    """The thing asked for does not exist."""


class Forbidden(SocialError):
    """The user may not do this."""


class SignInRequired(Forbidden):
    """Only signed-in users may do this (like, comment, follow, report, post)."""


class RateLimited(SocialError):
    """Too many attempts of one action; `retry_after` is how many seconds to wait."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StoreUnavailable(SocialError):
    """The image store (an object store shared by several servers) could not be reached."""
