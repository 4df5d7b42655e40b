"""Questions about the feed in words: reading "what are people posting about foxes this
week?" or "make something in the style of @ana's latest", and answering with cited posts.
Light (no search engine imported), so the offline model can use it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

FEED_QUESTION = re.compile(
    r"\b(what|who)('s| is| are| were)? (people|folks|everyone|everybody|others|users)? ?"
    r"(posting|sharing|saying|making|painting)\b"
    r"|\b(search|find|show me|look up|any) (the )?(feed|posts?)\b"
    r"|\bposts? (about|of|with)\b|\bin the feed\b|\bon plaza\b"
    r"|@[\w.-]+'?s? (latest|last|newest|recent|posts?)\b|\bin the style of @"
    r"|@[\w.-]+ (is |has been |was |been )?(posting|sharing|making)\b"
)
QUOTE_LENGTH = 80
PERIODS = {"today": 1, "yesterday": 2, "this week": 7, "last week": 14, "lately": 14}
PERIODS |= {"recently": 14, "this month": 31, "last month": 62}
FILLER = re.compile(
    r"\b(what|who)('s| is| are| were)? (people|folks|everyone|everybody|others|users)? ?"
    r"(posting|sharing|saying|making|painting)( about| of)?\b"
    r"|\b(search|find|show me|look up|any) (the )?(feed|posts?)( for| about| of| with)?\b"
    r"|\bposts? (about|of|with)\b|\bin the feed\b|\bon plaza\b|\bplease\b|\bcan you\b"
    r"|\b(make|create|draw|paint) (me )?something\b|\bin the style of\b"
    r"|\b(is|has|have|was)?( been)? ?(posting|sharing|making)( about)?\b|^(what|has)\b"
)


@dataclass(frozen=True)
class FeedRequest:
    """A question about the feed: words to search for, an author, how many days back."""

    query: str = ""
    author: str = ""
    days: int = 0
    wants_style: bool = False  # "make something in the style of ...": a base to remix


def search_arguments(request: FeedRequest) -> dict[str, Any]:
    """The `search_feed` tool's arguments for `request` ("style of" wants just the latest)."""
    limit = 1 if request.wants_style and request.author and not request.query else 5
    return {"query": request.query, "author": request.author, "days": request.days, "limit": limit}


def read_feed_request(text: str) -> FeedRequest | None:
    """The feed question `text` asks, or None if it is not about the feed."""
    lowered = " ".join(text.lower().split())
    if not FEED_QUESTION.search(lowered):
        return None
    author_match = re.search(r"@([\w.-]+?)(?:'s?)?(?=[\s,.!?]|$)", lowered)
    author = author_match.group(1) if author_match else ""
    days = next((d for period, d in PERIODS.items() if period in lowered), 0)
    rest = re.sub(r"@[\w.-]+('s?)?", " ", lowered)
    for period in PERIODS:
        rest = rest.replace(period, " ")
    rest = re.sub(r"\b(latest|newest|recent|last|most recent)( posts?| one)?\b", " ", rest)
    rest = FILLER.sub(" ", " ".join(rest.split()))
    query = " ".join(rest.split()).strip(" ?!.,:;")
    query = re.sub(r"^(about|of|for|with|the|some)\s+", "", query)
    return FeedRequest(query=query, author=author, days=days, wants_style="style of" in lowered)


@dataclass(frozen=True)
class Citation:
    """A post an answer used: the UI renders it as a link to `?post=<post_id>`."""

    post_id: int
    author: str
    caption: str  # shortened to QUOTE_LENGTH characters

    @property
    def link(self) -> str:
        """The post's permalink, relative to the app."""
        return f"?post={self.post_id}"


def describe_found_posts(result: dict[str, Any] | None, request: FeedRequest) -> str:
    """The offline model's answer about a `search_feed` result, each post named as a link
    (empty when the search failed)."""
    if result is None or result.get("error"):
        return ""  # not searched, or the answer's own error line says what failed
    posts = result.get("posts", [])
    topic = f" about *{_inert(request.query)}*" if request.query else ""
    author = _inert(request.author.lstrip("@"))
    if not posts:
        return f"I found no posts{topic} in the feed yet."
    lines = [
        f"- [@{_inert(p['author'])}'s post]({p['link']}): “{_inert(_quote(p))}”" for p in posts
    ]
    if request.wants_style and author:
        lead = (
            f"Here is @{author}'s latest post. Open it and press **Remix** to start from its "
            "prompt and image, or describe what to make in that style:"
        )
    elif author:
        lead = f"Here's what @{author} has been posting{topic}:"
    else:
        lead = f"Here's what people are posting{topic}:"
    return lead + "\n\n" + "\n".join(lines)


def _quote(post: dict[str, Any]) -> str:
    text = str(post.get("untrusted_post", ""))
    text = re.sub(r"</?untrusted_post>", "", text).split("\nprompt:")[0]
    return shorten(text)


def _inert(text: str) -> str:
    """Other people's words inside the answer's markdown: no links, emphasis or HTML."""
    return re.sub(r"([\\`*_\[\]()<>#!|~])", r"\\\1", text)


def shorten(text: str) -> str:
    """`text` on one line, cut to QUOTE_LENGTH characters."""
    line = " ".join(text.split())
    return line if len(line) <= QUOTE_LENGTH else line[: QUOTE_LENGTH - 1].rstrip() + "…"
