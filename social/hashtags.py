"""#hashtags: taken from captions when a post is published, stored lowercase in post_hashtags."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session

from social.errors import Invalid
from social.models import PostHashtag

MAX_TAG_LENGTH = 100
# A tag is "#" then word characters with at least one letter ("#2025" is a year, not a tag),
# not glued to a word or another "#" before it (so "a#b" and "##b" tag nothing).
_HASHTAG = re.compile(r"(?<![\w#&])#(\w*[^\W\d_]\w*)")


def extract_hashtags(caption: str) -> tuple[str, ...]:
    """The lowercase hashtags of `caption`, without "#", each once, in order of appearance."""
    tags: dict[str, None] = {}
    for match in _HASHTAG.finditer(caption):
        tag = match.group(1).lower()
        if len(tag) <= MAX_TAG_LENGTH:
            tags.setdefault(tag)
    return tuple(tags)


def normalize_tag(tag: str) -> str:
    """The stored form of a tag someone typed ("#Dawn" -> "dawn"); Invalid if it is not one."""
    if not isinstance(tag, str) or len(tag) > MAX_TAG_LENGTH + 1:
        raise Invalid("A hashtag is letters, digits and underscores, like #sunset.")
    found = extract_hashtags("#" + tag.strip().removeprefix("#"))
    if len(found) != 1 or found[0] != tag.strip().removeprefix("#").lower():
        raise Invalid("A hashtag is letters, digits and underscores, like #sunset.")
    return found[0]


def record_hashtags(
    session: Session, post_id: int, caption: str, created_at: datetime
) -> tuple[str, ...]:
    """Store the hashtags of a just-published post's caption (with its time); return them."""
    tags = extract_hashtags(caption)
    session.add_all(PostHashtag(post_id=post_id, tag=tag, created_at=created_at) for tag in tags)
    return tags
