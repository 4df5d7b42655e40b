"""The offline painter's vocabulary: everyday words mapped to the emoji glyph that draws them.

Names come from Unicode's own character names (`unicodedata.name`), widened by a synonym table
for words people type ("ramen", "puppy", "lighthouse") and by emoji sequences that have no
single-character name ("astronaut", "polar bear").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

Kind = Literal["sky", "structure", "water", "food", "creature", "thing"]

# Blocks that hold pictographs; the rest of Unicode has no drawings in the emoji font.
EMOJI_BLOCKS = (
    (0x231A, 0x231C),  # watch, hourglass
    (0x2328, 0x2329),  # keyboard
    (0x23F0, 0x23F4),  # clocks
    (0x2600, 0x27C0),
    (0x1F300, 0x1F650),
    (0x1F680, 0x1F700),
    (0x1F900, 0x1FB00),
)
# Names with these words are signs, symbols and square scenes, not things to draw.
NOT_PICTURES = re.compile(
    r"\b(sign|symbol|arrow|arrows|button|squared|keycap|letter|letters|digit|indicator|modifier|"
    r"component|triangle|circle|square|diamond|clock face|slider|knobs|over|cityscape|milky way|"
    r"national park|foggy|night with stars|bridge at night|desert|input|suit|ballot|exclamation|"
    r"question|heavy|asterisk|sparkle|eject|double|bar|chart|mode|hand|hands|fist|index|"
    r"fingers|palm|palms|gesture|bubble|balloon|loop|face|faces|aries|taurus|gemini|cancer|leo|"
    r"virgo|libra|scorpius|sagittarius|capricorn|aquarius|pisces|ophiuchus|oncoming|departure|"
    r"arriving|cancellation|stroke|no)\b"
)
# Named pictures that NOT_PICTURES would drop ("cat face" is how Unicode spells some animals).
KEEP = {
    "balloon", "hot air balloon", "fox face", "lion face", "unicorn face", "giraffe face",
    "zebra face", "wolf face", "bear face", "panda face", "frog face", "hamster face",
    "monkey face", "robot face", "tiger face", "full moon with face", "sun with face",
    "clown face", "alien monster", "speech balloon", "desert island", "bar of soap",
    "chocolate bar", "sun behind cloud", "white sun behind cloud", "palm tree", "bubble tea",
    "heavy black heart", "bubbles", "sunrise over mountains", "high voltage sign",
}  # fmt: skip

SKY = re.compile(
    r"\b(sun|moon|cloud|rainbow|star|comet|airplane|helicopter|parachute|balloon|kite|saucer|"
    r"satellite|rocket|lightning|voltage|snowflake|tornado|fireworks|shooting|planet|"
    r"cyclone|fog|globe)\b"
)
# Creatures that fly: a second subject of this kind goes up into the sky.
FLYERS = re.compile(r"\b(butterfly|bat|dove|eagle|bird|owl|parrot|swan|honeybee|duck|fly)\b")
STRUCTURE = re.compile(
    r"\b(house|houses|building|buildings|castle|church|tower|mosque|synagogue|temple|shrine|"
    r"stadium|hut|tent|factory|hospital|bank|hotel|school|store|mountain|volcano|tree|cactus|"
    r"fountain|ferris|roller coaster|statue|moyai|kaaba|fuji|office|station|wedding|"
    r"construction|carousel|lighthouse|windmill|island|camping|worship|bus stop)\b"
)
WATER = re.compile(
    r"\b(fish|whale|dolphin|shark|octopus|squid|sailboat|ship|boat|canoe|ferry|speedboat|"
    r"rowboat|seal|coral|wave|shrimp|lobster|crab|oyster|surfer|swimmer|otter|jellyfish)\b"
)
FOOD_BLOCKS = ((0x1F32D, 0x1F330), (0x1F344, 0x1F380), (0x1F950, 0x1F970), (0x1F9C0, 0x1F9CC),
               (0x1FAD0, 0x1FADC), (0x2615, 0x2616), (0x1F382, 0x1F383))  # fmt: skip
CREATURE_BLOCKS = ((0x1F400, 0x1F440), (0x1F980, 0x1F9AF), (0x1F466, 0x1F488), (0x1F9CD, 0x1F9E0),
                   (0x1F6B4, 0x1F6B7), (0x1F3C2, 0x1F3CD), (0x1FAB0, 0x1FAB4))  # fmt: skip

SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")
CODEPOINTS = re.compile(r"[0-9A-F]{4,6}(?: [0-9A-F]{4,6})*")
# Words the painter draws itself rather than with a glyph (see shapes.SHAPE_SUBJECTS).
# (The emoji fox is only a face; the painter's own sitting fox shows the whole animal.)
SHAPE_GLYPHS: dict[str, Kind] = {
    "lighthouse": "structure",
    "windmill": "structure",
    "fox": "creature",
}
# Words that shape a picture without being a subject: formats, styles, moods and fillers.
NOT_SUBJECTS = set(
    "image picture photo photograph poster posters illustration painting drawing render art "
    "artwork wallpaper scene view style option options version variation design logo icon "
    "background portrait close-up closeup shot cinematic realistic detailed beautiful cute "
    "little small big tiny giant huge old new light dark bright soft warm cool cozy happy "
    "sad top bottom side front back left right middle center centre face heart-shaped "
    "pattern abstract shape shapes geometric minimal minimalist flat simple color colour "
    "colors colours tone tones vibe mood moment day time".split()
)


@dataclass(frozen=True)
class Entry:
    """A drawable subject: the glyph that draws it and where it belongs in a scene."""

    glyph: str  # an emoji sequence, or a SHAPE_GLYPHS name drawn with shapes
    kind: Kind

    @property
    def flies(self) -> bool:
        """Whether this creature belongs in the sky when it is not the main subject."""
        name = unicodedata.name(self.glyph[0], "").lower()
        return self.kind == "creature" and bool(FLYERS.search(name))


def singular(word: str) -> str:
    """A plural noun's singular ("foxes" gives "fox", "puppies" "puppy"); others unchanged."""
    irregular = {"mice": "mouse", "geese": "goose", "people": "person", "children": "child",
                 "teeth": "tooth", "feet": "foot", "knives": "knife", "leaves": "leaf",
                 "wolves": "wolf", "women": "woman", "men": "man", "loaves": "loaf",
                 "cacti": "cactus", "fungi": "fungus", "octopi": "octopus"}  # fmt: skip
    if word in irregular:
        return irregular[word]
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "ous")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes", "oes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


@cache
def synonyms() -> dict[str, str]:
    """Everyday words mapped to a Unicode character name or an emoji sequence (synonyms.txt)."""
    table: dict[str, str] = {}
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        target, _, words = line.partition(":")
        if CODEPOINTS.fullmatch(target):
            target = "".join(chr(int(code, 16)) for code in target.split())
        for word in words.split(","):
            table[word.strip()] = target
    return table


def _kind(codepoint: int, name: str) -> Kind:
    if any(lo <= codepoint < hi for lo, hi in FOOD_BLOCKS):
        return "food"
    if SKY.search(name):
        return "sky"
    if STRUCTURE.search(name):
        return "structure"
    if WATER.search(name):
        return "water"
    if any(lo <= codepoint < hi for lo, hi in CREATURE_BLOCKS):
        return "creature"
    return "thing"


def _is_picture(name: str) -> bool:
    return name in KEEP or not NOT_PICTURES.search(name)


@cache
def named_glyphs() -> dict[str, tuple[str, Kind]]:
    """Every pictograph's lower-case Unicode name, with its character and kind."""
    found: dict[str, tuple[str, Kind]] = {}
    for lo, hi in EMOJI_BLOCKS:
        for codepoint in range(lo, hi):
            name = unicodedata.name(chr(codepoint), "").lower()
            if name and _is_picture(name):
                found[name] = (chr(codepoint), _kind(codepoint, name))
    return found


def _head_words(name: str) -> list[str]:
    # "bowl with spoon" is a bowl; "glass of milk" is milk (and a glass); "red apple" an apple.
    before = re.split(r" (?:with|and|on|in|of|for) ", name)[0]
    heads = [before.split()[-1]]
    if " of " in name:
        heads.append(name.split(" of ")[-1].split()[-1])
    return heads


@cache
def vocabulary() -> dict[str, Entry]:
    """Subject phrases (singular, lower case, one to three words) mapped to what draws them."""
    names = named_glyphs()
    table: dict[str, Entry] = {}
    for name, (glyph, kind) in names.items():
        table.setdefault(name, Entry(glyph, kind))
    for name, (glyph, kind) in names.items():  # a name's head word, when no other name owns it
        for head in _head_words(name):
            if head not in NOT_SUBJECTS and len(head) > 2:
                table.setdefault(singular(head), Entry(glyph, kind))
    for word, target in synonyms().items():
        key = " ".join(singular(w) for w in word.split())
        if target in SHAPE_GLYPHS:
            table[key] = Entry(target, SHAPE_GLYPHS[target])
        elif target in names:
            table[key] = Entry(*names[target])
        elif not target.isascii():
            entry = table.get(word)
            table[key] = Entry(target, entry.kind if entry else _sequence_kind(word))
    for word in NOT_SUBJECTS:
        table.pop(word, None)
    return table


def _sequence_kind(word: str) -> Kind:
    return "water" if WATER.search(word) else "creature"


@dataclass(frozen=True)
class Mention:
    """A subject named in a prompt: the words as written, what draws it, and how many."""

    words: str  # "palm trees"
    key: str  # "palm tree"
    entry: Entry
    count: int  # 3 for a plural, else 1
    carries: bool = False  # the subject before it stands on it ("a cat on a roof")
    start: int = 0  # the position of its first word in the prompt


MAX_MENTIONS = 4


def mentions(words: list[str], skip: set[str]) -> list[Mention]:
    """The drawable subjects in `words`, in order, longest phrase first; `skip` words never are."""
    table = vocabulary()
    found: list[Mention] = []
    i = 0
    while i < len(words) and len(found) < MAX_MENTIONS:
        for size in (3, 2, 1):
            chunk = words[i : i + size]
            if len(chunk) < size or (size == 1 and chunk[0] in skip):
                continue
            key = " ".join(singular(w) for w in chunk)
            entry = table.get(key) or table.get(" ".join(chunk))
            if entry is None:
                continue
            last = found[-1] if found else None
            follows = last is not None and words[last.start + len(last.words.split()) : i] == ["of"]
            if (
                last is not None
                and follows
                and (
                    last.entry.glyph == entry.glyph
                    or (entry.kind == "food" and last.entry.kind in ("food", "thing"))
                )
            ):  # "a bowl of fruit" is fruit, "a bowl of ramen" one bowl: named by all their words
                merged = " ".join(words[last.start : i + size])
                found[-1] = Mention(merged, key, entry, last.count, last.carries, last.start)
                i += size - 1
                break
            if any(m.entry.glyph == entry.glyph for m in found):
                i += size - 1
                break
            plural = singular(chunk[-1]) != chunk[-1] or chunk[0] in ("two", "three", "some")
            carries = bool(
                found
                and {"on", "atop", "onto"}.intersection(words[max(0, i - 2) : i])
                and entry.kind in ("structure", "thing", "water")
            )
            count = 3 if plural else 1
            found.append(Mention(" ".join(chunk), key, entry, count, carries, start=i))
            i += size - 1
            break
        i += 1
    # In "an astronaut cat" the first noun describes the second, which is the subject.
    if len(found) >= 2 and found[1].start == found[0].start + len(found[0].words.split()):
        found[0], found[1] = found[1], found[0]
    return found
