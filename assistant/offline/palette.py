"""Colour words to palettes, shared by the offline painter and the alt-text writer so they agree."""

from __future__ import annotations

import colorsys
import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    """The colours of one picture and the words that describe them."""

    sky_top: RGB
    sky_bottom: RGB
    ground: RGB
    ground_far: RGB
    accent: RGB
    subject: RGB
    description: str  # e.g. "warm orange and pink", used in alt text
    dark: bool = False  # a night sky: stars, a moon, lit windows
    colour_word: str = ""  # the colour the prompt named for its subject, if any


def _hex(code: str) -> RGB:
    return (int(code[1:3], 16), int(code[3:5], 16), int(code[5:7], 16))


# Scene palettes: time of day and setting words decide the sky and the ground.
# Colours: sky top, sky bottom, ground, far ground, accent, subject.
_SCENE_TABLE: dict[str, tuple[str, str]] = {
    "dawn": ("#f3a8b8 #ffd59e #8a5a6b #c98a8f #fff1c1 #e0703a", "warm orange and pink"),
    "sunset": ("#5b2a86 #ff8c42 #3d1f3a #8c3b4f #ffd166 #e4572e", "fiery orange and violet"),
    "night": ("#070b24 #1c2a5e #0d1330 #1f2b55 #f5f1c9 #3a4a8a", "deep midnight blue"),
    "forest": ("#a9d8b8 #e4f3d6 #1f5132 #3f7d4e #f2e394 #2d6a4f", "fresh forest green"),
    "ocean": ("#3a86c8 #b8e1f5 #0b4f7c #1f78a8 #ffffff #1b6ca8", "cool ocean blue"),
    "desert": ("#f6c38b #fde8c8 #c97b3d #e0a060 #fff3d6 #a0522d", "sandy gold and terracotta"),
    "winter": ("#b8cfe6 #eef4fa #dfe9f2 #a9c1d9 #ffffff #6b8fb3", "icy blue and white"),
    "autumn": ("#f2b880 #fbe3c1 #8c3b1e #c0622b #ffd27f #b5451b", "rusty red and amber"),
    "neon": ("#12002b #3a0f5c #0a0014 #1d0833 #00f0ff #ff2bd6", "electric magenta and cyan"),
    "pastel": ("#f9c6d9 #c9e7f5 #9fcfb4 #d7c7ef #fff5c2 #f48fb1", "soft pastel"),
}
DARK_SCENES = {"night", "neon"}
# When a prompt names several scene words the sky follows the time of day ("ocean at night").
SCENE_PRIORITY = ["neon", "night", "sunset", "dawn", "pastel"]


def _scene(codes: str, description: str, dark: bool) -> Palette:
    top, bottom, ground, far, accent, subject = (_hex(c) for c in codes.split())
    return Palette(top, bottom, ground, far, accent, subject, description, dark)


SCENES: dict[str, Palette] = {
    name: _scene(codes, description, dark=name in DARK_SCENES)
    for name, (codes, description) in _SCENE_TABLE.items()
}
_SCENE_SYNONYMS = {
    "dawn": "dawn sunrise morning",
    "sunset": "sunset dusk twilight evening",
    "night": "night midnight moon moonlight stars starry galaxy space",
    "forest": "forest jungle woods garden",
    "ocean": "ocean sea beach lake underwater waves",
    "desert": "desert dune dunes",
    "winter": "winter snow snowy ice",
    "autumn": "autumn fall",
    "neon": "neon cyberpunk synthwave vaporwave",
    "pastel": "pastel",
}
SCENE_WORDS: dict[str, str] = {
    word: scene for scene, words in _SCENE_SYNONYMS.items() for word in words.split()
}

# Colour words tint the subject and, when no scene word is given, the whole picture.
COLOURS: dict[str, tuple[RGB, str]] = {
    "red": (_hex("#d7263d"), "red"),
    "orange": (_hex("#f46036"), "orange"),
    "yellow": (_hex("#f6c90e"), "yellow"),
    "gold": (_hex("#d4a017"), "gold"),
    "golden": (_hex("#d4a017"), "gold"),
    "green": (_hex("#3bb273"), "green"),
    "teal": (_hex("#1a9e9e"), "teal"),
    "blue": (_hex("#2f6bd8"), "blue"),
    "purple": (_hex("#7b3fb8"), "purple"),
    "violet": (_hex("#7b3fb8"), "violet"),
    "pink": (_hex("#f06fa8"), "pink"),
    "brown": (_hex("#8b5a2b"), "brown"),
    "black": (_hex("#1b1b1f"), "black"),
    "white": (_hex("#f4f4f0"), "white"),
    "grey": (_hex("#8a8d93"), "grey"),
    "gray": (_hex("#8a8d93"), "grey"),
}


def words_of(text: str) -> list[str]:
    """Lower-case ASCII words of `text` ("café" gives "cafe"), hyphenated words kept whole."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", folded)


def hue_palette(seed: bytes) -> Palette:
    """A harmonious palette from a hash, for prompts that name no colour or scene."""
    hue = seed[0] / 255
    sat = 0.35 + seed[1] / 255 * 0.3

    def hsv(h: float, s: float, v: float) -> RGB:
        r, g, b = colorsys.hsv_to_rgb(h % 1.0, min(s, 1.0), min(v, 1.0))
        return (round(r * 255), round(g * 255), round(b * 255))

    name = _hue_name(hue)
    return Palette(
        sky_top=hsv(hue, sat, 0.75),
        sky_bottom=hsv(hue + 0.06, sat * 0.45, 0.97),
        # Analogous ground, complementary subject: calm scene, subject that stands out.
        ground=hsv(hue + 0.1, sat + 0.15, 0.42),
        ground_far=hsv(hue + 0.05, sat, 0.62),
        accent=hsv(hue + 0.12, 0.25, 1.0),
        subject=hsv(hue + 0.5, sat + 0.35, 0.62),
        description=f"soft {name}",
    )


def _hue_name(hue: float) -> str:
    names = ["red", "orange", "yellow", "green", "teal", "blue", "violet", "pink"]
    stops = [0.04, 0.11, 0.18, 0.42, 0.52, 0.7, 0.82, 0.95]
    return next((n for n, stop in zip(names, stops, strict=True) if hue < stop), "red")


def scene_of(words: list[str]) -> str | None:
    """The scene palette a list of words names, the time of day first."""
    scenes = [SCENE_WORDS[w] for w in words if w in SCENE_WORDS]
    ranked = sorted(scenes, key=lambda s: SCENE_PRIORITY.index(s) if s in SCENE_PRIORITY else 99)
    return ranked[0] if ranked else None


def palette_for(text: str) -> Palette:
    """The palette a prompt asks for: scene words set the sky, colour words the subject."""
    words = words_of(text)
    scene = scene_of(words)
    colours = [w for w in words if w in COLOURS]
    base = SCENES[scene] if scene else hue_palette(hashlib.sha256(text.encode()).digest())
    if not colours:
        return replace(base, description=f"{base.description} tones")
    rgb, name = COLOURS[colours[0]]
    if scene is None:
        base = _tinted(base, rgb)
        second = next((COLOURS[c][1] for c in colours if COLOURS[c][1] != name), "")
        description = f"{name} and {second} tones" if second else f"vivid {name} tones"
    else:
        description = f"{base.description} tones with touches of {name}"
    accent = _mix(base.accent, rgb, 0.3)
    return replace(base, subject=rgb, accent=accent, description=description, colour_word=name)


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _tinted(base: Palette, rgb: RGB) -> Palette:
    # A colour word with no scene word colours the whole picture, so "blue" really looks blue.
    # The sky stays pale and the ground dark so a subject in the full colour still stands out.
    return replace(
        base,
        sky_top=_mix(rgb, (255, 255, 255), 0.45),
        sky_bottom=_mix(rgb, (255, 255, 255), 0.8),
        ground=_mix(rgb, (25, 20, 30), 0.6),
        ground_far=_mix(rgb, (60, 50, 60), 0.35),
    )


def variant(base: Palette, index: int) -> Palette:
    """The palette of option `index`: the first as asked, later ones turned warmer or cooler."""
    turn, light = ((0.0, 0.0), (0.07, 0.06), (-0.08, -0.05), (0.15, 0.0))[index % 4]
    if not turn:
        return base

    def shift(rgb: RGB) -> RGB:
        h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
        r, g, b = colorsys.hsv_to_rgb((h + turn) % 1.0, s, min(1.0, max(0.0, v + light)))
        return (round(r * 255), round(g * 255), round(b * 255))

    return replace(
        base,
        sky_top=shift(base.sky_top),
        sky_bottom=shift(base.sky_bottom),
        ground=shift(base.ground),
        ground_far=shift(base.ground_far),
        accent=shift(base.accent),
        subject=base.subject if base.colour_word else shift(base.subject),
    )
