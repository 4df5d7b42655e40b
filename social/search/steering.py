"""Steering a feed in plain words: "more watercolor, fewer cars" boosts and hides by meaning.

A post matches a term when the term appears in its text as a word (singular or plural), or
when its embedding is close to that of "a picture of <term>" (cosine similarity at least
MATCH_THRESHOLD). Hidden posts leave the page; boosted ones move to its top, best match first;
the rest keep their order. The steering is a plain value, so the UI can show it and undo it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from social.errors import Invalid
from social.posts import PostCard
from social.search.sync import document_text

MATCH_THRESHOLD = 0.30
MAX_STEERING_LENGTH = 300
BOOST = re.compile(
    r"^(?:(?:show|give|i want|i'd like|i would like)\s+(?:me\s+)?)?(?:more|extra|lots of|"
    r"boost|plenty of)\s+(?:of\s+)?(?P<term>.+)$"
)
HIDE = re.compile(
    r"^(?:(?:show|give)\s+(?:me\s+)?)?(?:fewer|less|no more|no|hide|without|not|"
    r"stop showing(?:\s+me)?|mute|drop|none of)\s+(?:of\s+)?(?P<term>.+)$"
)

KEYWORD_ONLY = re.compile(r"^(more|fewer|less|no|hide|boost|show|without|not|mute|please)?$")


@dataclass(frozen=True)
class FeedSteering:
    """What the reader asked to see more of (`boost`) and less of (`hide`)."""

    boost: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()

    def describe(self) -> str:
        """What was understood, e.g. "boosting: watercolor · hiding: cars"."""
        parts = []
        if self.boost:
            parts.append("boosting: " + ", ".join(self.boost))
        if self.hide:
            parts.append("hiding: " + ", ".join(self.hide))
        return " · ".join(parts)


def parse_steering(text: str) -> FeedSteering:
    """Read "more watercolor, fewer cars" as boost/hide terms; Invalid if nothing is clear."""
    if len(text) > MAX_STEERING_LENGTH:
        raise Invalid(f"Say it in at most {MAX_STEERING_LENGTH} characters.")
    boost: list[str] = []
    hide: list[str] = []
    for clause in re.split(r"[,;.!]|\band\b|\bbut\b|\bplus\b", text.lower()):
        clause = " ".join(clause.split()).strip(" '\"")
        if not clause:
            continue
        if match := HIDE.match(clause):
            _add(hide, match["term"])
        elif match := BOOST.match(clause):
            _add(boost, match["term"])
        elif not KEYWORD_ONLY.match(clause):
            _add(boost, clause)  # a bare "watercolor" asks for more of it
    if not boost and not hide:
        raise Invalid('Say what to see more or less of, e.g. "more watercolor, fewer cars".')
    return FeedSteering(boost=tuple(boost), hide=tuple(hide))


def _add(terms: list[str], term: str) -> None:
    term = re.sub(r"^(the|a|an|any|some|posts? (about|of|with))\s+", "", term.strip())
    term = re.sub(r"\s+(posts?|pictures?|images?|stuff|please)$", "", term).strip()
    if term and term not in terms:
        terms.append(term)


def steer_posts(posts: Sequence[PostCard], steering: FeedSteering) -> list[PostCard]:
    """`posts` without the hidden ones, boosted ones first (best match first)."""
    if not posts or not (steering.boost or steering.hide):
        return list(posts)
    # Imported here: numpy and the model load with the first steering, not with the page.
    from social.search.embedder import shared_model

    texts = [document_text(p.caption, p.prompt, p.alt_text, p.hashtags) for p in posts]
    terms = [*steering.boost, *steering.hide]
    vectors = shared_model().embed(texts + [f"a picture of {term}" for term in terms])
    similarity = vectors[: len(posts)] @ vectors[len(posts) :].T
    boosts = len(steering.boost)
    front: list[tuple[float, int, PostCard]] = []
    rest: list[PostCard] = []
    for index, (post, text) in enumerate(zip(posts, texts, strict=True)):
        scores = [float(s) for s in similarity[index]]
        pairs = list(zip(terms, scores, strict=True))
        if any(_matches(text, term, score) for term, score in pairs[boosts:]):
            continue
        # A post that names a boosted term outranks one that only means something close.
        boosted = [
            score + (1.0 if _names(text, term) else 0.0)
            for term, score in pairs[:boosts]
            if _matches(text, term, score)
        ]
        if boosted:
            front.append((max(boosted), index, post))
        else:
            rest.append(post)
    front.sort(key=lambda item: (-item[0], item[1]))
    return [post for _, _, post in front] + rest


def _matches(text: str, term: str, similarity: float) -> bool:
    return similarity >= MATCH_THRESHOLD or _names(text, term)


def _names(text: str, term: str) -> bool:
    stem = re.escape(term[:-1] if term.endswith("s") and len(term) > 3 else term)
    return bool(re.search(rf"\b{stem}(s|es)?\b", text.lower()))
