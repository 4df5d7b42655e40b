"""Moderation before publish: every post and comment passes the installed checks first.

A check is anything with a `name` and `check(submission) -> Verdict` (`ModerationCheck`).
The application installs its configured checks at start-up (`install_checks`); a program that
installs none (the MCP server, a script) gets the offline checks of `social.moderation_offline`.
`publish_post` and `add_comment` call `moderate` before they write anything, so a refusal
(`Refused`, naming the rule) leaves no row, file or notification behind.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Protocol

from social.errors import Invalid, SocialError
from social.media import read_image

LOG = logging.getLogger("plaza.moderation")

Action = Literal["post", "comment"]
_REFUSED = {"post": "Not shared", "comment": "Not posted"}


@dataclass(frozen=True)
class Submission:
    """What is about to be published: its words (caption, prompt, alt text or comment, one a
    line) and its picture's bytes, if it has one."""

    text: str
    image: bytes | None = None


@dataclass(frozen=True)
class Verdict:
    """A check's answer: allowed, or refused under `rule` (a few words) with `detail`."""

    allowed: bool
    rule: str = ""
    detail: str = ""


ALLOWED = Verdict(allowed=True)


class ModerationCheck(Protocol):
    """One moderation check, e.g. a word list, an image classifier or a moderation API."""

    name: str

    def check(self, submission: Submission) -> Verdict:
        """Whether `submission` may be published, and if not, under which rule."""
        ...


class Refused(Invalid):
    """A check refused what was about to be published; the message names the rule."""

    def __init__(self, verdict: Verdict, *, check: str, action: Action) -> None:
        detail = f" ({verdict.detail})" if verdict.detail else ""
        super().__init__(
            f"{_REFUSED[action]}: this breaks the rule on {verdict.rule}{detail}. "
            "Edit it and try again."
        )
        self.rule = verdict.rule
        self.detail = verdict.detail
        self.check = check


class ModerationUnavailable(SocialError):
    """A check could not give an answer (its service is down); nothing was published."""


_installed: tuple[ModerationCheck, ...] | None = None


def install_checks(checks: Sequence[ModerationCheck] | None) -> None:
    """Make `checks` the ones every publish runs, in order; None restores the offline default."""
    global _installed
    _installed = None if checks is None else tuple(checks)


def installed_checks() -> tuple[ModerationCheck, ...]:
    """The checks in force: the installed ones, else the offline default."""
    return _installed if _installed is not None else _offline_default()


@lru_cache(maxsize=1)
def _offline_default() -> tuple[ModerationCheck, ...]:
    from social.moderation_offline import offline_checks  # loads the image model once

    return offline_checks()


def moderate(submission: Submission, *, action: Action) -> None:
    """Run every installed check on `submission`; Refused at the first that refuses it."""
    for check in installed_checks():
        try:
            verdict = check.check(submission)
        except SocialError:
            raise
        except Exception as error:  # a check is a plugin or a remote service: fail closed
            LOG.warning("moderation check %s failed", check.name, exc_info=error)
            raise ModerationUnavailable(
                "Plaza could not check this just now, so nothing was published. "
                "Please try again in a moment."
            ) from error
        if not verdict.allowed:
            raise Refused(verdict, check=check.name, action=action)


def moderate_post(
    *,
    caption: str,
    prompt: str = "",
    alt_text: str = "",
    edit_steps: Sequence[str] = (),
    image_sha256: str | None = None,
    image_bytes: bytes | None = None,
) -> None:
    """Check a post's words and picture (new bytes or a stored image) before it is written."""
    words = [caption, prompt, alt_text, *edit_steps]
    text = "\n".join(part for part in words if isinstance(part, str) and part.strip())
    moderate(Submission(text=text, image=_picture(image_sha256, image_bytes)), action="post")


def moderate_comment(body: str) -> None:
    """Check a comment's words before it is written."""
    moderate(Submission(text=body if isinstance(body, str) else ""), action="comment")


def _picture(image_sha256: str | None, image_bytes: bytes | None) -> bytes | None:
    if (image_sha256 is None) == (image_bytes is None):
        return None  # publish_post says a post needs exactly one image
    if isinstance(image_bytes, bytes):
        return image_bytes
    if not isinstance(image_sha256, str):
        return None
    try:
        return read_image(image_sha256)
    except (Invalid, OSError):
        return None  # publish_post says the image is gone
