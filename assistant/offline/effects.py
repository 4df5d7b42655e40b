"""Style finishes for the offline painter: watercolour, pixel art, neon glow, sketch, vintage."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

from assistant.offline.palette import RGB
from assistant.offline.shapes import shade

# Style words in a prompt, mapped to the finish that renders them.
STYLE_WORDS: dict[str, str] = {
    word: style
    for style, words in {
        "watercolor": "watercolor watercolour watercolors aquarelle painterly gouache",
        "pixel": "pixel pixels pixelated 8-bit 16-bit 8bit retro-game pixelart",
        "neon": "neon glow glowing cyberpunk synthwave",
        "minimal": "minimal minimalist minimalistic flat simple",
        "sketch": "sketch pencil drawing lineart line-art charcoal",
        "vintage": "vintage retro sepia old antique",
        "photo": "photo photograph photographic photorealistic photo-like photoreal realistic dslr",
    }.items()
    for word in words.split()
}


def watercolor(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """Pooled flat washes with darker pigment at their edges, on white paper with rough edges."""
    w, h = img.size
    small = img.reduce(2).filter(ImageFilter.ModeFilter(7)).filter(ImageFilter.GaussianBlur(1.5))
    pooled = small.resize((w, h), Image.Resampling.BICUBIC)
    # Pigment gathers where one wash meets another: darken along the soft edges of the pools.
    rim = small.convert("L").filter(ImageFilter.FIND_EDGES).filter(ImageFilter.GaussianBlur(1.5))
    rim_arr = np.asarray(rim.resize((w, h), Image.Resampling.BILINEAR), np.float32) / 255
    blotch = _noise(rng, (w // 40 + 1, h // 40 + 1), (w, h), Image.Resampling.BICUBIC)
    grain = _noise(rng, (w // 2, h // 2), (w, h), Image.Resampling.BILINEAR) - 0.5
    wash = np.asarray(pooled, np.float32) * 0.78 + 255 * 0.22  # pigment never fully saturates
    shade_ = (0.95 + 0.08 * blotch) * (1 - np.minimum(rim_arr * 2.2, 0.4))
    out = wash * shade_[..., None] + grain[..., None] * 5
    # The wash stops short of the paper's edge, unevenly, as a brush would leave it.
    ragged = _noise(rng, (w // 16 + 1, h // 16 + 1), (w, h), Image.Resampling.BICUBIC)
    y, x = np.ogrid[0:h, 0:w]
    margin = np.minimum(np.minimum(x, w - 1 - x), np.minimum(y, h - 1 - y)).astype(np.float32)
    paint = np.clip((margin - min(w, h) * (0.025 + 0.03 * ragged)) / 4, 0, 1)[..., None]
    paper = np.array((250, 247, 240), np.float32)
    out = out * paint + paper * (1 - paint)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")


def bokeh(img: Image.Image, colour: RGB, rng: random.Random) -> Image.Image:
    """Soft discs of out-of-focus light across the upper background, as a camera lens shows."""
    w, h = img.size
    layer = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(layer)
    for _ in range(14):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h * 0.6), min(w, h) * rng.uniform(0.02, 0.06)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(40, 110))
    return Image.composite(Image.new("RGB", (w, h), shade(colour, 0.4)), img, layer)


def photo(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A camera's look: gentle S-curve contrast, slightly muted colour and fine grain."""
    w, h = img.size
    curve = [round(255 / (1 + np.exp(-(v / 255 - 0.5) * 5.5))) for v in range(256)]
    low, high = curve[0], curve[255]
    toned = img.point([round((c - low) * 255 / (high - low)) for c in curve] * 3)
    toned = ImageEnhance.Color(toned).enhance(0.88)
    grain = rng.normal(0, 6, (h // 2, w // 2)).astype(np.float32)
    grain_img = Image.fromarray(np.clip(grain + 128, 0, 255).astype(np.uint8))
    grain_arr = np.asarray(grain_img.resize((w, h), Image.Resampling.BILINEAR), np.float32) - 128
    out = np.asarray(toned, np.float32) + grain_arr[..., None]
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")


def screen_print(img: Image.Image) -> Image.Image:
    """Few flat inks, like a screen-printed poster."""
    inks = img.quantize(colors=10, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    return inks.convert("RGB")


def _noise(
    rng: np.random.Generator, small: tuple[int, int], size: tuple[int, int], resample: int
) -> np.ndarray:
    # Uniform noise in [0, 1] drawn at `small` size and scaled up, which makes it smooth.
    cells = Image.fromarray((rng.random((small[1], small[0])) * 255).astype(np.uint8))
    return np.asarray(cells.resize(size, resample), np.float32) / 255


def pixelate(img: Image.Image) -> Image.Image:
    """Chunky pixels in a small palette, like an 8-bit game."""
    w, h = img.size
    block = max(4, max(w, h) // 96)
    small = img.resize((max(1, w // block), max(1, h // block)), Image.Resampling.BOX)
    small = small.quantize(colors=40, method=Image.Quantize.MEDIANCUT).convert("RGB")
    return small.resize((w, h), Image.Resampling.NEAREST)


def neon(img: Image.Image, colours: tuple[RGB, RGB]) -> Image.Image:
    """Dark picture with glowing outlines, magenta at the top fading to cyan."""
    w, h = img.size
    edges = img.convert("L").filter(ImageFilter.FIND_EDGES).point(lambda v: 255 if v > 18 else 0)
    edges = edges.filter(ImageFilter.MaxFilter(3))
    edges = ImageOps.expand(ImageOps.crop(edges, 3), 3, fill=0)  # the filter's frame is no edge
    halo = edges.resize((w // 4, h // 4), Image.Resampling.BOX).filter(ImageFilter.GaussianBlur(3))
    halo_arr = np.asarray(halo.resize((w, h), Image.Resampling.BILINEAR), np.float32) / 255
    line = np.asarray(edges, np.float32) / 255
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    tint = np.array(colours[0], np.float32) * (1 - t) + np.array(colours[1], np.float32) * t
    base = np.asarray(img, np.float32) * 0.3
    light = np.maximum(line, np.minimum(halo_arr * 2.2, 1.0))[..., None]
    out = base + tint * light + 255 * 0.6 * line[..., None]
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")


def sketch(img: Image.Image) -> Image.Image:
    """Pencil outlines with hatching in the shadows, on warm paper with a faint colour wash."""
    grey = img.convert("L")
    edges = grey.filter(ImageFilter.FIND_EDGES).point(lambda v: 255 if v > 12 else 0)
    ink_lines = np.asarray(edges.filter(ImageFilter.MaxFilter(3)), np.float32) / 255
    lum = np.asarray(grey, np.float32) / 255
    h, w = lum.shape
    y, x = np.mgrid[0:h, 0:w]
    # Diagonal strokes every few pixels, denser (two directions) where the picture is darkest.
    hatch = ((x + y) % 7 == 0) & (lum < 0.55) | ((x - y) % 7 == 0) & (lum < 0.3)
    ink = np.maximum(ink_lines * 0.85, hatch * 0.45)
    paper = np.array((246, 241, 230), np.float32)
    wash = paper * 0.82 + np.asarray(img, np.float32) * 0.18
    out = wash * (1 - ink[..., None]) + np.array((52, 48, 60), np.float32) * ink[..., None]
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")


def vintage(img: Image.Image) -> Image.Image:
    """Faded sepia print."""
    toned = ImageOps.colorize(img.convert("L"), black=(46, 30, 20), white=(250, 235, 205))
    return Image.blend(toned, img, 0.3)


def vignette(img: Image.Image, strength: float = 0.22) -> Image.Image:
    """Darker corners, which make a flat drawing feel lit."""
    w, h = img.size
    y, x = np.ogrid[-1 : 1 : complex(0, h), -1 : 1 : complex(0, w)]
    fall = 1 - strength * np.clip((x * x + y * y) / 2, 0, 1)
    out = np.asarray(img, np.float32) * fall[..., None].astype(np.float32)
    return Image.fromarray(out.astype(np.uint8), "RGB")


def font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """Pillow's bundled font at `size`; the bitmap fallback if FreeType is missing."""
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, ImportError, OSError):
        return ImageFont.load_default()


def fit_font(draw: ImageDraw.ImageDraw, text: str, max_width: float, size: int):  # noqa: ANN201
    """The largest font no bigger than `size` at which `text` fits in `max_width`."""
    while size > 10:
        face = font(size)
        if draw.textlength(text, font=face) <= max_width:
            return face
        size = int(size * 0.88)
    return font(10)


def poster(img: Image.Image, title: str, ink: RGB, paper: RGB) -> Image.Image:
    """A framed poster: a paper border and a title band under the picture."""
    w, h = img.size
    margin, band = round(min(w, h) * 0.045), round(h * 0.15)
    inner = img.resize((w - 2 * margin, h - 2 * margin - band), Image.Resampling.BILINEAR)
    out = Image.new("RGB", (w, h), paper)
    out.paste(inner, (margin, margin))
    draw = ImageDraw.Draw(out)
    draw.rectangle((margin, margin, w - margin - 1, h - margin - band - 1), outline=ink, width=2)
    text = title.upper()
    face = fit_font(draw, text, w - 2 * margin - 8, round(band * 0.42))
    draw.text((w / 2, h - margin - band / 2), text, font=face, fill=ink, anchor="mm")
    rule_y = h - margin - band * 0.16
    draw.line((w * 0.4, rule_y, w * 0.6, rule_y), fill=shade(ink, 0.3), width=2)
    return out
