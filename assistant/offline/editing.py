"""Image edits the offline painter understands, each a real Pillow transform of the picture."""

from __future__ import annotations

import hashlib
import io
import re

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from assistant.engines import ASPECT_SIZES
from assistant.offline.effects import fit_font
from assistant.offline.palette import COLOURS
from assistant.offline.shapes import shade

MAX_EDIT_SIDE = 2048  # larger uploads are scaled down first so an edit stays interactive
# Quoted text after "add text", "write", "caption" and the like is drawn, not interpreted.
QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]|(?<![A-Za-z])['‘’]([^'‘’]+?)['‘’](?![A-Za-z])")
TEXT_VERB = re.compile(
    r"\b(?:add|put|write|place|overlay|with)\b(?:\s+(?:the|a|some))?(?:\s+(?:text|caption|title|"
    r"words?|label|headline))?(?:\s+(?:saying|that says|reading|:))?\s*:?\s*(.*)$",
    re.IGNORECASE,
)
ASPECT_WORDS: list[tuple[str, str]] = [
    (r"\b16:9\b|\bwider\b|\bwide\b|\bwidescreen\b|\blandscape\b|\bbanner\b|\bhorizontal\b", "16:9"),
    (r"\b9:16\b|\bvertical\b|\btaller\b|\btall\b|\bstory\b|\breel\b", "9:16"),
    (r"\b4:5\b|\bportrait\b", "4:5"),
    (r"\b1:1\b|\bsquare\b", "1:1"),
]


def load(image: bytes) -> Image.Image:
    """The RGB picture in `image`, upright, transparency flattened onto white."""
    try:
        img: Image.Image = Image.open(io.BytesIO(image))
        img.load()
    except Exception as exc:  # Pillow raises several types for bad input; callers need one
        raise ValueError(f"not a readable image: {exc}") from exc
    img = ImageOps.exif_transpose(img)
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        flat = Image.new("RGB", img.size, (255, 255, 255))
        flat.paste(img, mask=img.getchannel("A"))
        img = flat
    img = img.convert("RGB")
    if max(img.size) > MAX_EDIT_SIDE:
        img.thumbnail((MAX_EDIT_SIDE, MAX_EDIT_SIDE))
    return img


def ratio_of(aspect: str) -> float:
    """Width over height of an aspect name such as "16:9"."""
    w, h = ASPECT_SIZES[aspect]
    return w / h


def reframe(img: Image.Image, ratio: float, crop: bool) -> Image.Image:
    """`img` at `ratio`: cropped around the centre, or extended with a blurred copy of itself."""
    w, h = img.size
    if abs(w / h - ratio) < 0.01:
        return img
    if crop:
        cw, ch = (round(h * ratio), h) if w / h > ratio else (w, round(w / ratio))
        left, top = (w - cw) // 2, (h - ch) // 2
        return img.crop((left, top, left + cw, top + ch))
    nw, nh = (round(h * ratio), h) if ratio > w / h else (w, round(w / ratio))
    return extend(img, (nw, nh))


def extend(img: Image.Image, size: tuple[int, int]) -> Image.Image:
    """`img` centred on a larger canvas whose new margins continue its edges: each row (or
    column) carries on the colour at that edge, with a faint mirrored echo of the picture for
    texture, so skies and grounds run on instead of being stretched."""
    w, h = img.size
    nw, nh = size
    left, top = (nw - w) // 2, (nh - h) // 2
    arr = np.asarray(img, np.float32)
    band = max(2, min(w, h) // 24)
    canvas = np.zeros((nh, nw, 3), np.float32)
    rows = slice(top, top + h)
    canvas[rows, :left] = np.median(arr[:, :band], axis=1)[:, None, :]
    canvas[rows, left + w :] = np.median(arr[:, -band:], axis=1)[:, None, :]
    canvas[rows, left : left + w] = arr
    if nh > h:  # above and below, the edge rows of the widened picture carry on
        canvas[:top] = np.median(canvas[top : top + band], axis=0)[None]
        canvas[top + h :] = np.median(canvas[top + h - band : top + h], axis=0)[None]
    base = Image.fromarray(canvas.clip(0, 255).astype(np.uint8), "RGB")
    echo = Image.new("RGB", (nw, nh))
    echo.paste(base)
    if nw > w:
        echo.paste(ImageOps.mirror(img), (left - w, top))
        echo.paste(ImageOps.mirror(img), (left + w, top))
    echo = echo.filter(ImageFilter.GaussianBlur(max(2, min(w, h) // 40)))
    out = Image.blend(base, echo, 0.15)
    mask = Image.new("L", (w, h), 0)
    feather = max(2, min(w, h) // 60)
    ImageDraw.Draw(mask).rectangle((feather, feather, w - feather, h - feather), fill=255)
    out.paste(img, (left, top), mask.filter(ImageFilter.GaussianBlur(feather / 2)))
    return out


def blur_background(img: Image.Image) -> Image.Image:
    """Blur everything outside a soft central ellipse, like a portrait-mode photo."""
    w, h = img.size
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).ellipse((w * 0.2, h * 0.12, w * 0.8, h * 0.92), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(min(w, h) / 20))
    return Image.composite(img, img.filter(ImageFilter.GaussianBlur(min(w, h) / 80)), mask)


def tint(img: Image.Image, rgb: tuple[int, int, int]) -> Image.Image:
    """`img` recoloured towards `rgb`, keeping its light and shade."""
    toned = ImageOps.colorize(img.convert("L"), shade(rgb, -0.8), shade(rgb, 0.85), mid=rgb)
    return Image.blend(img, toned, 0.55)


def hue_shift(img: Image.Image, degrees: float) -> Image.Image:
    """`img` with every hue turned by `degrees`."""
    h, s, v = img.convert("HSV").split()
    turn = round(degrees / 360 * 256)
    h = h.point(lambda x: (x + turn) % 256)
    return Image.merge("HSV", (h, s, v)).convert("RGB")


def draw_text(img: Image.Image, text: str) -> Image.Image:
    """`text` in a readable band across the bottom of `img`."""
    out = img.copy()
    w, h = out.size
    draw = ImageDraw.Draw(out)
    face = fit_font(draw, text, w * 0.9, round(h * 0.08))
    box = draw.textbbox((w / 2, h * 0.88), text, font=face, anchor="mm")
    pad = h * 0.02
    band = Image.new("RGB", out.size, (0, 0, 0))
    mask = Image.new("L", out.size, 0)
    ImageDraw.Draw(mask).rectangle((box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad), 130)
    out.paste(band, (0, 0), mask)
    stroke = max(1, round(h / 300))
    draw.text((w / 2, h * 0.88), text, font=face, fill=(255, 255, 255), anchor="mm",
              stroke_width=stroke, stroke_fill=(0, 0, 0))  # fmt: skip
    return out


def text_to_add(instruction: str) -> tuple[str, str]:
    """The text an instruction asks to draw, and the instruction without it."""
    quoted = QUOTED.search(instruction)
    if quoted and re.search(r"\b(text|caption|title|write|say|says|saying|label|words?)\b",
                            instruction, re.IGNORECASE):  # fmt: skip
        text = (quoted.group(1) or quoted.group(2)).strip()
        return text, instruction[: quoted.start()] + instruction[quoted.end() :]
    if re.search(r"\b(add|put|overlay)\s+(the\s+|a\s+)?(text|caption|title|headline)\b",
                 instruction, re.IGNORECASE):  # fmt: skip
        match = TEXT_VERB.search(instruction)
        if match and match.group(1).strip():
            return match.group(1).strip(" .!"), instruction[: match.start()]
    return "", instruction


def _colour_edits(img: Image.Image, said: str) -> tuple[Image.Image, bool]:
    done = True
    if re.search(r"black[ -]and[ -]white|\bb&w\b|gr[ae]yscale|monochrome|no colou?rs?\b", said):
        img = ImageOps.grayscale(img).convert("RGB")
    elif re.search(r"\bsepia\b|\bvintage\b|\bold photo\b", said):
        img = ImageOps.colorize(img.convert("L"), (46, 30, 20), (250, 235, 205))
    elif re.search(r"\binvert\b|\bnegative\b", said):
        img = ImageOps.invert(img)
    elif colour := next((c for c in COLOURS if re.search(rf"\b{c}(dish)?\b", said)), None):
        img = tint(img, COLOURS[colour][0])
    elif re.search(r"\bwarm(er)?\b", said):
        # A colour matrix: more red, a little more green, less blue.
        img = img.convert("RGB", (1.12, 0, 0, 8, 0, 1.03, 0, 0, 0, 0, 0.82, 0))
    elif re.search(r"\bcool(er)?\b|\bcold(er)?\b", said):
        img = img.convert("RGB", (0.86, 0, 0, 0, 0, 1.0, 0, 0, 0, 0, 1.14, 10))
    else:
        done = False
    return img, done


def _tone_edits(img: Image.Image, said: str) -> tuple[Image.Image, bool]:
    steps = [
        (r"\bbright(er|en)?\b|\blight(er|en)\b", ImageEnhance.Brightness, 1.3),
        (r"\bdark(er|en)?\b|\bdimmer\b", ImageEnhance.Brightness, 0.7),
        (r"\bmore contrast\b|\bhigher contrast\b|\bpunchier\b", ImageEnhance.Contrast, 1.35),
        (r"\bless contrast\b|\blower contrast\b|\bsofter\b", ImageEnhance.Contrast, 0.75),
        (r"\bvivid\b|\bsaturated\b|\bmore colou?rful\b|\bvibrant\b", ImageEnhance.Color, 1.5),
        (r"\bmuted\b|\bdesaturate\b|\bless saturated\b|\bwashed", ImageEnhance.Color, 0.5),
        (r"\bsharp(er|en)?\b|\bcrisper\b", ImageEnhance.Sharpness, 2.0),
    ]
    done = False
    for pattern, enhancer, factor in steps:
        if re.search(pattern, said):
            img, done = enhancer(img).enhance(factor), True
    return img, done


def _layout_edits(img: Image.Image, said: str) -> tuple[Image.Image, bool]:
    done = True
    if re.search(r"blur(red)? (the )?background|background blur|bokeh|depth of field", said):
        img = blur_background(img)
    elif re.search(r"\bblur\b|\bblurr(y|ier)\b|\bsoft focus\b", said):
        img = img.filter(ImageFilter.GaussianBlur(max(img.size) / 200))
    else:
        done = False
    if re.search(r"flip(ped)? vertical|upside[ -]down", said):
        img, done = ImageOps.flip(img), True
    elif re.search(r"\bmirror|\bflip", said):
        img, done = ImageOps.mirror(img), True
    if re.search(r"\brotate", said):
        angle = 90 if re.search(r"\bleft\b|counter", said) else -90
        img, done = img.rotate(angle, expand=True), True
    return img, done


def _target_ratio(img: Image.Image, said: str, aspect: str | None) -> float | None:
    if aspect in ASPECT_SIZES:
        return ratio_of(aspect)
    current = img.width / img.height
    for pattern, name in ASPECT_WORDS:
        if re.search(pattern, said):
            ratio = ratio_of(name)
            # "wider" on a picture that is already 16:9 still means wider.
            if re.search(r"\bwider\b", said) and current >= ratio - 0.01:
                return current * 1.25
            if re.search(r"\btaller\b", said) and current <= ratio + 0.01:
                return current / 1.25
            return ratio
    return None


def reshape_only(size: tuple[int, int], instruction: str, aspect: str | None) -> float | None:
    """The new width/height ratio when `instruction` only extends the picture (no crop, colour,
    tone, layout or text change), else None: such a picture can be painted again, larger."""
    text, rest = text_to_add(instruction)
    said = rest.lower()
    probe = Image.new("RGB", (2, 2))
    changes = (_colour_edits(probe, said)[1], _tone_edits(probe, said)[1])
    if (
        text
        or any(changes)
        or _layout_edits(probe, said)[1]
        or re.search(r"\bcrop|\btrim|\bcut\b", said)
    ):
        return None
    return _target_ratio(Image.new("RGB", size), said, aspect)


def apply_edit(image: bytes, instruction: str, *, aspect: str | None = None) -> Image.Image:
    """`image` changed as `instruction` says; an instruction we cannot read gives a variation."""
    img = load(image)
    text, rest = text_to_add(instruction)
    said = rest.lower()
    img, coloured = _colour_edits(img, said)
    img, toned = _tone_edits(img, said)
    img, laid_out = _layout_edits(img, said)
    ratio = _target_ratio(img, said, aspect)
    if ratio is not None:
        img = reframe(img, ratio, crop=bool(re.search(r"\bcrop|\btrim|\bcut\b", said)))
    if text:
        img = draw_text(img, text)
    if not (coloured or toned or laid_out or ratio is not None or text):
        # Unknown instruction: a gentle, deterministic variation instead of an error.
        seed = hashlib.sha256(instruction.encode()).digest()[0]
        img = hue_shift(img, 18 + seed % 30)
        img = ImageEnhance.Color(img).enhance(1.1)
    return img
