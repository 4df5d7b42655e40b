"""Pictures for the moderation tests, drawn with Pillow: one the nudity detector flags, and
ordinary ones it must let through."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFilter

SKIN = (225, 180, 150)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def explicit_drawing() -> bytes:
    """A crude, blurred drawing of a bare chest: NudeNet scores it about 0.86 as
    FEMALE_BREAST_EXPOSED."""
    image = Image.new("RGB", (640, 640), (40, 40, 60))
    draw = ImageDraw.Draw(image)
    draw.ellipse([120, -50, 520, 700], fill=SKIN)
    shade = tuple(int(v * 0.85) for v in SKIN)
    areola = (int(SKIN[0] * 0.65), int(SKIN[1] * 0.45), int(SKIN[2] * 0.42))
    size, middle = 100, 250
    for centre in (320 - size - 10, 320 + size + 10):
        draw.ellipse([centre - size, middle - size, centre + size, middle + size], fill=shade)
        draw.ellipse(
            [centre - size + 8, middle - size + 4, centre + size - 8, middle + size - 12],
            fill=SKIN,
        )
        top = middle + size // 4
        draw.ellipse([centre - 25, top - 25, centre + 25, top + 25], fill=areola)
    return _png(image.filter(ImageFilter.GaussianBlur(4)))


def landscape() -> bytes:
    """An ordinary picture: sky, sun, hills and a lake."""
    image = Image.new("RGB", (640, 480), (120, 170, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse([460, 40, 540, 120], fill=(250, 220, 90))
    draw.polygon(
        [(0, 300), (200, 180), (420, 300), (640, 200), (640, 480), (0, 480)], (60, 130, 70)
    )
    draw.rectangle([0, 380, 640, 480], fill=(50, 90, 160))
    return _png(image)


def flagged_for_the_test_server(base: bytes) -> bytes:
    """`base` with its top-left pixel set to the colour the OpenAI test server flags."""
    from tests.openai_server import FLAGGED_PIXEL

    with Image.open(io.BytesIO(base)) as opened:
        image = opened.convert("RGB")
    image.putpixel((0, 0), FLAGGED_PIXEL)
    return _png(image)
