"""Reads what the user wants from a chat message, so the offline model can choose its tools."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypedDict, TypeVar

from assistant.engines import Aspect, Platform, Tone
from assistant.feed_requests import FeedRequest, read_feed_request

T = TypeVar("T")
Action = Literal["create", "edit", "captions", "alt_text", "hashtags", "enhance", "help", "search"]

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "a couple of": 2, "a few": 3}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "last": -1,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}
ASPECT_WORDS: list[tuple[str, Aspect]] = [
    (r"\b1:1\b|\bsquare\b", "1:1"),
    (r"\b16:9\b|\bwide(r)?\b|\blandscape\b|\bbanner\b|\bwidescreen\b", "16:9"),
    (r"\b9:16\b|\bvertical\b|\bstory\b|\breel\b|\btall(er)?\b|\bphone wallpaper\b", "9:16"),
    (r"\b4:5\b|\bportrait format\b", "4:5"),
]
TONE_WORDS: list[tuple[str, Tone]] = [
    (r"\bfunn(y|ier)\b|\bplayful\b|\bwitty\b|\bjok(e|ey)\b|\bhumou?r", "playful"),
    (r"\bprofessional\b|\bformal\b|\bbusiness\b|\blinkedin\b|\bcorporate\b", "professional"),
    (r"\bpoetic\b|\blyrical\b|\bdreamy\b|\bpoem\b", "poetic"),
    (r"\bbold\b|\bpunchy\b|\bhype\b|\bexciting\b|\benergetic\b", "bold"),
    (r"\bfriendly\b|\bwarm(er)? tone\b|\bcasual\b", "friendly"),
]
STYLE_WORDS = (
    "watercolor",
    "watercolour",
    "pixel",
    "8-bit",
    "neon",
    "minimal",
    "oil painting",
    "sketch",
    "poster",
    "photo",
    "3d",
    "isometric",
    "retro",
    "vaporwave",
)
EDIT_PATTERN = re.compile(
    r"(\bmake (it|them|this|that|the \w+ one|option|image|number|picture)\b|\bmake #)|"
    r"\b(wider|taller|crop|blur|recolou?r|black and white|"
    r"grayscale|greyscale|brighter|darker|add (the )?text|mirror|flip|warmer|cooler|"
    r"change (the )?colou?r|edit (it|the))\b"
)
CREATE_PATTERN = re.compile(
    r"\b(image|images|picture|pictures|poster|posters|photo|photos|draw|paint|illustration|"
    r"render|generate|wallpaper|logo|artwork|art|options|variations|sketch|drawing)\b"
)
HELP_PATTERN = re.compile(
    r"^\s*(hi|hello|hey|help|thanks|thank you|what can you do|who are you)\b[\s!?.]*$"
)


class Voice(TypedDict):
    """How the user wants the words to sound; shared by every kind of intent."""

    tone: Tone
    platform: Platform
    emoji: bool


@dataclass(frozen=True)
class Intent:
    """One reading of a user's message."""

    action: Action
    subject: str = ""
    n: int = 1
    aspect: Aspect = "1:1"
    tone: Tone = "friendly"
    platform: Platform = "generic"
    emoji: bool = True
    style: str = ""
    target: int = -1  # which earlier image an edit means: 1-based, or -1 for the latest
    instruction: str = ""
    wants_enhance: bool = False
    base_ref: str = ""  # an image the user picked with "Use as base"
    feed: FeedRequest | None = None  # what a "search" asks of the feed


def read_intent(text: str, *, has_images: bool, base_ref: str = "") -> Intent:
    """Classify `text`; `has_images` says whether the conversation already made images, and
    `base_ref` names the image the person picked to work from (a field of their request)."""
    text = text.strip()
    lowered = " ".join(text.lower().split())
    common: Voice = {
        "tone": _first_match(TONE_WORDS, lowered, "friendly"),
        "platform": _platform(lowered),
        "emoji": not re.search(r"\bno emojis?\b|\bwithout emojis?\b|\bemoji off\b", lowered),
    }
    if HELP_PATTERN.match(lowered):
        return Intent(action="help", **common)
    if feed := read_feed_request(text):
        return Intent(action="search", feed=feed, **common)
    if re.search(r"\balt[- ]?text\b|\bdescribe (it|the image)\b", lowered):
        return Intent(action="alt_text", target=_ordinal(lowered), **common)
    if "hashtag" in lowered and not CREATE_PATTERN.search(lowered):
        return Intent(action="hashtags", **common)
    if "caption" in lowered and not CREATE_PATTERN.search(lowered):
        if common["platform"] == "generic" and re.search(r"\bshort(er)?\b", lowered):
            common["platform"] = "x"
        return Intent(action="captions", n=_count(lowered, default=3), **common)
    if base_ref:
        return Intent(
            action="edit",
            base_ref=base_ref,
            instruction=text,
            aspect=_first_match(ASPECT_WORDS, lowered, "1:1"),
            **common,
        )
    if has_images and EDIT_PATTERN.search(lowered) and not _names_new_subject(lowered):
        return Intent(
            action="edit",
            target=_ordinal(lowered),
            instruction=text.strip(),
            aspect=_first_match(ASPECT_WORDS, lowered, "1:1"),
            **common,
        )
    wants_enhance = bool(
        re.search(r"\b(improve|enhance|better|refine) (my |the )?prompt\b", lowered)
    )
    if wants_enhance and not CREATE_PATTERN.search(_strip_enhance(lowered)) and not has_images:
        subject = _strip_enhance(text)
        if not subject:
            return Intent(action="enhance", **common)
    return Intent(
        action="create",
        subject=image_prompt_of(_strip_enhance(text) if wants_enhance else text),
        n=min(_count(lowered, default=1), 4),
        aspect=_first_match(ASPECT_WORDS, lowered, "1:1"),
        style=next((s for s in STYLE_WORDS if s in lowered), ""),
        wants_enhance=wants_enhance,
        **common,
    )


def image_prompt_of(text: str) -> str:
    """The picture a request describes, without the request's framing ("make me 3 ... of")."""
    cleaned = re.sub(
        r"(?i)^\s*(please\s+)?(can you\s+|could you\s+)?(make|create|generate|draw|paint|"
        r"give|show|design|render)\s+(me\s+|us\s+)?((\d|one|two|three|four|a few|some)\s+)?"
        r"((square|wide|vertical|tall|landscape|portrait)\s+)?"
        r"((options|images|pictures|versions|variations|takes|candidates)\s+)?(of\s+)?",
        "",
        text.strip(),
    )
    cleaned = re.sub(r"(?i)\b(in )?(1:1|16:9|9:16|4:5)\b", "", cleaned)
    return " ".join(cleaned.split()).strip(" ,.:;") or text.strip()


def _first_match(table: Sequence[tuple[str, T]], text: str, default: T) -> T:
    return next((value for pattern, value in table if re.search(pattern, text)), default)


def _platform(text: str) -> Platform:
    if re.search(r"\bfor x\b|\bon x\b|\btwitter\b|\btweet\b|\bx post\b|\bx\.com\b", text):
        return "x"
    if re.search(r"\binstagram\b|\binsta\b|\big\b", text):
        return "instagram"
    return "generic"


def _count(text: str, *, default: int) -> int:
    match = re.search(
        r"\b([1-9])\s+(\w+\s+)?(options|images|pictures|versions|variations|"
        r"posters|captions|drafts|takes|ideas|candidates)\b",
        text,
    )
    if match:
        return int(match.group(1))
    for word, value in NUMBER_WORDS.items():
        if re.search(
            rf"\b{word}\s+(\w+\s+)?(options|images|pictures|versions|variations|"
            rf"posters|captions|drafts|takes|ideas|candidates)\b",
            text,
        ):
            return value
    return default


def _ordinal(text: str) -> int:
    """Which option a message means (1-based, Option 1-4 as numbered), or -1 for the latest."""
    for word, value in ORDINALS.items():
        if re.search(rf"\b{word}\b", text):
            return value
    match = re.search(
        r"(?:\b(?:image|option|number|picture|version|no\.?)\s*|#\s*)"
        r"([1-4]|one|two|three|four)\b",
        text,
    )
    if not match:
        return -1
    number = match.group(1)
    return int(number) if number.isdigit() else NUMBER_WORDS[number]


def _names_new_subject(text: str) -> bool:
    # "make it wider" edits; "make a poster of a cat" asks for something new.
    return bool(re.search(r"\b(make|create|generate|draw|paint) (me )?(a|an|some|\d)\b", text))


def _strip_enhance(text: str) -> str:
    cleaned = re.sub(
        r"(?i)\b(please )?(first )?(improve|enhance|better|refine) (my |the )?prompt( first)?"
        r"( and| then)?[,:]?",
        "",
        text,
    )
    return " ".join(cleaned.split()).strip(" ,.:;")
