"""A person's own photo: what can be read from the file, and a small copy a model can see."""

from __future__ import annotations

import io
from collections import Counter

from PIL import Image as PILImage

from assistant.requests import AttachedPhoto
from social.media import read_thumbnail

# Plain colour names a caption can use, by a representative RGB value.
COLOUR_NAMES: dict[str, tuple[int, int, int]] = {
    "black": (20, 20, 20),
    "grey": (128, 128, 128),
    "white": (240, 240, 240),
    "red": (200, 40, 40),
    "orange": (235, 140, 40),
    "yellow": (235, 215, 60),
    "green": (60, 150, 70),
    "teal": (40, 140, 140),
    "blue": (50, 100, 200),
    "sky blue": (135, 190, 235),
    "purple": (130, 70, 170),
    "pink": (235, 140, 180),
    "brown": (120, 80, 45),
    "beige": (215, 195, 160),
}
MODEL_SIDE = 512


def _nearest_name(rgb: tuple[int, ...] | float) -> str:
    rgb = rgb if isinstance(rgb, tuple) else (int(rgb),) * 3
    return min(
        COLOUR_NAMES,
        key=lambda name: sum((a - b) ** 2 for a, b in zip(COLOUR_NAMES[name], rgb, strict=True)),
    )


def dominant_colours(image: PILImage.Image, count: int = 3) -> tuple[str, ...]:
    """The names of the most common colours of `image`, most common first."""
    small = image.convert("RGB").resize((48, 48))
    names: Counter[str] = Counter()
    for count_of, rgb in small.getcolors(48 * 48) or []:
        names[_nearest_name(rgb)] += count_of
    return tuple(name for name, _ in names.most_common(count))


def attached_photo(sha256: str, width: int, height: int) -> AttachedPhoto:
    """The facts of a stored photo (read from its thumbnail) for the assistant."""
    with PILImage.open(io.BytesIO(read_thumbnail(sha256))) as thumb:
        colours = dominant_colours(thumb)
    return AttachedPhoto(sha256=sha256, width=width, height=height, colours=colours)


def photo_jpeg_for_model(sha256: str) -> bytes:
    """A small JPEG of the stored photo `sha256`, for a model that sees images."""
    with PILImage.open(io.BytesIO(read_thumbnail(sha256))) as thumb:
        image = thumb.convert("RGB")
    image.thumbnail((MODEL_SIDE, MODEL_SIDE))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
