"""Colour-emoji artwork for the offline painter, from the Noto Color Emoji font (SIL OFL).

The font is a system package (Debian: fonts-noto-color-emoji), installed by `make` and CI. When
it is missing the painter says so once in the log and draws its own simple shapes instead.
"""

from __future__ import annotations

import logging
import threading
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)
_FONT_LOCK = threading.Lock()  # one FreeType face is shared by every session's thread

# Where Linux distributions put the font; the first that exists is used.
FONT_PATHS = (
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",  # Debian, Ubuntu
    "/usr/share/fonts/noto/NotoColorEmoji.ttf",  # Arch
    "/usr/share/fonts/google-noto-emoji/NotoColorEmoji.ttf",  # Fedora
    "/usr/share/fonts/google-noto-color-emoji-fonts/Noto-COLRv1.ttf",
)
BITMAP_SIZE = 109  # the only size of the font's colour bitmaps
GLYPH_PIXELS = 136  # the width of one glyph at that size
MISSING_FONT = (
    "Emoji artwork font not found (install fonts-noto-color-emoji): offline pictures use "
    "simple shapes."
)


@cache
def emoji_font() -> ImageFont.FreeTypeFont | None:
    """The colour-emoji font, or None (logged once) when it is not installed."""
    for path in FONT_PATHS:
        if Path(path).is_file():
            try:
                return ImageFont.truetype(path, BITMAP_SIZE)
            except OSError:
                continue
    log.warning(MISSING_FONT)
    return None


@cache
def glyph(sequence: str) -> Image.Image | None:
    """The RGBA artwork of an emoji sequence, cropped to its ink; None if the font lacks it."""
    font = emoji_font()
    if font is None:
        return None
    canvas = Image.new("RGBA", (GLYPH_PIXELS + 16, GLYPH_PIXELS + 16), (0, 0, 0, 0))
    with _FONT_LOCK:
        # A sequence the font cannot join advances by two glyphs or more; refuse it.
        if font.getlength(sequence) > GLYPH_PIXELS * 1.5:
            return None
        ImageDraw.Draw(canvas).text((8, 8), sequence, font=font, embedded_color=True)
    box = canvas.getbbox()
    if box is None or box[3] - box[1] < 8:  # a character the font lacks draws nothing
        return None
    return canvas.crop(box)


def scaled(art: Image.Image, height: int) -> Image.Image:
    """`art` resized to `height` pixels tall with Lanczos, edges kept crisp."""
    width = max(1, round(art.width * height / art.height))
    big = art.resize((width, max(1, height)), Image.Resampling.LANCZOS)
    if height > art.height:  # upscaled alpha is soft; a steeper ramp restores a clean outline
        alpha = big.getchannel("A").point(lambda a: max(0, min(255, (a - 60) * 255 // 140)))
        big.putalpha(alpha)
    return big
