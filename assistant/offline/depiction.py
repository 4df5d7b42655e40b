"""What the offline painter will draw for a prompt: its subjects, setting and time of day.

The painter draws from this, and the caption and alt-text writers describe it, so words about a
picture only ever name what the picture shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from assistant.offline import glyphs
from assistant.offline.effects import STYLE_WORDS
from assistant.offline.palette import COLOURS, SCENE_WORDS, scene_of, words_of
from assistant.offline.scene import SETTING_WORDS
from assistant.offline.shapes import DRAWERS, SUBJECT_WORDS
from assistant.offline.vocabulary import SHAPE_GLYPHS, Mention, mentions, singular

# Words that ask for scenery rather than a subject, so no emblem is drawn in front of it.
SCENERY_WORDS = {"landscape", "scenery", "view", "skyline", "panorama", "horizon", "vista"}
ABSTRACT_WORDS = {"abstract", "shapes", "shape", "geometric", "pattern", "emblem", "logo"}
# Settings the painter adds itself when the subject asks for one and the prompt names none.
INDOOR_WORDS = {
    "library": "library", "bookshop": "library", "bookstore": "library", "study": "library",
    "room": "room", "kitchen": "room", "cafe": "room", "bedroom": "room", "office": "room",
    "studio": "room", "classroom": "room", "indoors": "room", "inside": "room",
    "table": "table", "desk": "table", "counter": "table", "restaurant": "table",
}  # fmt: skip
SETTING_NAMES = {
    "city": "in a city",
    "mountains": "in the mountains",
    "forest": "in a forest",
    "water": "by the water",
    "desert": "in the desert",
    "space": "in space",
    "hills": "over rolling hills",
    "table": "on a table",
    "room": "in a room",
    "library": "in a library",
}
UNCOUNTABLE = {"rain", "snow", "fog", "mist", "thunder", "lightning", "wind", "sunshine", "storm",
               "snowfall", "rainy", "snowy", "windy", "cloudy", "sunny"}  # fmt: skip
TIME_NAMES = {"night": "at night", "neon": "at night", "dawn": "at dawn", "sunset": "at sunset"}


@dataclass(frozen=True)
class Drawn:
    """One subject the painter draws: a glyph from the emoji font or one of its own shapes."""

    mention: Mention
    shape: str = ""  # a shapes.DRAWERS key when drawn with shapes instead of a glyph


@dataclass(frozen=True)
class Depiction:
    """Everything a picture for one prompt shows."""

    subjects: tuple[Drawn, ...]
    setting: str  # a SETTING_NAMES key
    scene: str | None  # the palette's scene word: night, dawn, forest...
    emblem: bool  # an abstract emblem stands in for a subject
    styles: frozenset[str]
    artwork_missing: bool  # the emoji font is absent, so simple shapes stand in


def _drawn(mention: Mention, font_ok: bool) -> Drawn | None:
    key = mention.key
    if mention.entry.glyph in SHAPE_GLYPHS:
        return Drawn(mention, shape=mention.entry.glyph)
    if font_ok and glyphs.glyph(mention.entry.glyph) is not None:
        return Drawn(mention)
    fallback = SUBJECT_WORDS.get(key) or SUBJECT_WORDS.get(singular(key.split()[-1]))
    return Drawn(mention, shape=fallback) if fallback in DRAWERS else None


@lru_cache(maxsize=256)
def depict(text: str) -> Depiction:
    """What the painter draws for `text` (a prompt plus its style words)."""
    words = words_of(text)
    font_ok = glyphs.emoji_font() is not None
    skip = set(SETTING_WORDS) | set(SCENE_WORDS) | set(STYLE_WORDS) | set(COLOURS)
    skip |= set(INDOOR_WORDS) | SCENERY_WORDS
    found = [d for m in mentions(words, skip) if (d := _drawn(m, font_ok)) is not None]
    setting = next((SETTING_WORDS[w] for w in words if w in SETTING_WORDS), None)
    setting = setting or next((INDOOR_WORDS[w] for w in words if w in INDOOR_WORDS), None)
    scene = scene_of(words)
    if setting is None:
        fallback = {"forest": "forest", "ocean": "water", "desert": "desert"}
        setting = fallback.get(scene or "")
    if setting is None and found:
        kind = found[0].mention.entry.kind
        setting = {"water": "water", "food": "table"}.get(kind)
        if kind == "thing" and found[0].mention.count == 1 and not found[0].shape:
            carried = len(found) > 1 and found[1].mention.carries  # "a teddy bear on a bed"
            setting = "room" if carried else "table"
    setting = setting or "hills"
    scenery = SCENERY_WORDS.intersection(words) or setting != "hills"
    emblem = not found and (bool(ABSTRACT_WORDS.intersection(words)) or not scenery)
    styles = frozenset(STYLE_WORDS[w] for w in words if w in STYLE_WORDS)
    return Depiction(tuple(found), setting, scene, emblem, styles, not font_ok)


def subjects_drawn(prompt: str) -> list[str]:
    """The subject words of `prompt` that its picture shows, as the prompt spells them."""
    return [d.mention.words for d in depict(prompt).subjects]


def describe(depiction: Depiction) -> str:
    """A plain phrase for what a picture shows: "a cat on a house in a city at night"."""
    subjects = list(depiction.subjects)
    if not subjects:
        main = "an abstract emblem" if depiction.emblem else ""
    else:
        main = _with_article(subjects[0].mention)
        rest = subjects[1:]
        if rest and rest[0].mention.carries:
            main += f" on {_with_article(rest[0].mention)}"
            rest = rest[1:]
        weather = [d for d in rest if d.mention.entry.kind == "sky"]
        rest = [d for d in rest if d not in weather]
        if rest:
            others = [_with_article(d.mention) for d in rest]
            joined = ", ".join(others[:-1]) + " and " + others[-1] if others[1:] else others[0]
            main += f" with {joined}"
        for drawn in weather:  # "in the rain", "under a rainbow"
            words = drawn.mention.words
            main += (
                f" in the {words}"
                if words in UNCOUNTABLE
                else f" under {_with_article(drawn.mention)}"
            )
    place = SETTING_NAMES[depiction.setting]
    if depiction.setting == "hills" and main:
        place = ""
    if not main:  # a pure landscape: "a city at night", "rolling hills"
        place = place.split(" ", 1)[1]
    parts = [main, place]
    parts.append(TIME_NAMES.get(depiction.scene or "", ""))
    return " ".join(p for p in parts if p)


def _with_article(mention: Mention) -> str:
    if mention.count > 1:
        return mention.words if mention.words != mention.key else f"{mention.key}s"
    return ("an " if mention.words[:1] in "aeiou" else "a ") + mention.words
