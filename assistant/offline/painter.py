"""The offline image engine: paints a prompt-dependent picture with Pillow, no network needed."""

from __future__ import annotations

import hashlib
import io
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from assistant.engines import ASPECT_SIZES, Aspect
from assistant.offline import effects, glyphs, scene
from assistant.offline.captions import title_of
from assistant.offline.depiction import Depiction, Drawn, depict
from assistant.offline.editing import MAX_EDIT_SIDE, apply_edit, reshape_only
from assistant.offline.palette import RGB, SCENE_WORDS, Palette, palette_for, variant, words_of
from assistant.offline.shapes import DRAWERS, NATURAL, Pen, emblem, shade

MAX_SIDE = 768  # a quarter of the pixels of the API sizes keeps a render well under 0.3 s
SUPERSAMPLE = 2  # shapes are drawn at twice the size and reduced, which anti-aliases them
# Neon tube colours, top to bottom, one pair per option.
NEON_COLOURS = (
    ((255, 43, 214), (0, 240, 255)),
    ((255, 140, 0), (160, 60, 255)),
    ((60, 255, 140), (0, 160, 255)),
)
# Each option of a request is framed differently: where the main subject stands (x), where the
# horizon lies (a low view shows more sky), and how close the subject is.
LAYOUTS = ((0.5, 0.64, 1.0), (0.33, 0.72, 0.8), (0.67, 0.56, 1.2), (0.5, 0.68, 0.7))
BOATS = ("boat", "ship", "canoe", "ferry", "surfer", "swimmer", "yacht", "kayak", "sailing")


def size_for(aspect: str | float, longest: int = MAX_SIDE) -> tuple[int, int]:
    """The render size for an aspect name or a width/height ratio, its longest side `longest`."""
    w, h = ASPECT_SIZES.get(aspect, ASPECT_SIZES["1:1"]) if isinstance(aspect, str) else (aspect, 1)
    scale = longest / max(w, h)
    return round(w * scale), round(h * scale)


def text_of(prompt: str, style: str) -> str:
    """The prompt with the style appended unless the prompt already names it."""
    return prompt if not style or style.lower() in prompt.lower() else f"{prompt} {style}"


def plan_for(text: str, index: int = 0) -> tuple[scene.Plan, Depiction]:
    """The scene plan for option `index` of `text`, and what it depicts."""
    depiction = depict(text)
    words = words_of(text)
    subject = "glyphs" if depiction.subjects else ("emblem" if depiction.emblem else None)
    at_sea = bool(depiction.subjects) and depiction.subjects[0].mention.entry.kind == "water"
    plan = scene.Plan(
        palette=variant(palette_for(text), index),
        setting=depiction.setting,
        subject=subject,
        low_sun=any(SCENE_WORDS.get(w) in ("dawn", "sunset") for w in words),
        flat="minimal" in depiction.styles,
        close_up=bool({"portrait", "close-up", "closeup", "headshot"}.intersection(words)),
        shore=depiction.setting == "water" and bool(depiction.subjects) and not at_sea,
    )
    return plan, depiction


def _shape_sprite(
    shape: str, height: int, body: RGB, accent: RGB, rng: random.Random
) -> Image.Image:
    # A shapes.py drawing on a transparent canvas, drawn at twice the size and reduced.
    size = height * SUPERSAMPLE
    canvas = Image.new("RGBA", (size * 2, round(size * 1.2)), (0, 0, 0, 0))
    pen = Pen(ImageDraw.Draw(canvas), size, size * 1.1, size, mirror=rng.random() < 0.5)
    if shape == "emblem":
        emblem(pen, body, accent, rng)
    else:
        DRAWERS[shape](pen, body, accent)
    art = canvas.reduce(SUPERSAMPLE)
    return art.crop(art.getbbox() or (0, 0, 1, 1))


def _sprite(drawn: Drawn, height: int, plan: scene.Plan, rng: random.Random) -> Image.Image:
    p = plan.palette
    if drawn.shape:
        natural = NATURAL.get(drawn.shape)
        named = p.colour_word and not (drawn.shape == "fox" and p.colour_word == "red")
        body = natural if natural and not named else p.subject
        return _shape_sprite(drawn.shape, height, body, p.accent, rng)
    art = glyphs.glyph(drawn.mention.entry.glyph)
    assert art is not None  # depict() only keeps glyphs the font has
    return _lit(glyphs.scaled(art, height), p)


def _lit(sprite: Image.Image, p: Palette) -> Image.Image:
    # Artwork takes the scene's light: bluer and dimmer at night, warmer at dawn and sunset.
    if not p.dark and p.description.split()[0] not in ("warm", "fiery"):
        return sprite
    rgb = np.asarray(sprite, np.float32)
    if p.dark:
        rgb[..., :3] *= np.array((0.84, 0.86, 0.97), np.float32)
    else:
        rgb[..., :3] = rgb[..., :3] * 0.88 + np.array(p.accent, np.float32) * 0.12
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGBA")


def _shadow(img: Image.Image, x: float, y: float, rx: float, colour: RGB) -> None:
    w, h = img.size
    mask = Image.new("L", (w // 4, h // 4), 0)
    ry = max(1.0, rx * 0.16)
    ImageDraw.Draw(mask).ellipse(((x - rx) / 4, (y - ry) / 4, (x + rx) / 4, (y + ry) / 4), fill=120)
    mask = mask.filter(ImageFilter.GaussianBlur(max(1.0, ry / 6))).resize((w, h))
    img.paste(Image.new("RGB", (w, h), colour), (0, 0), mask)


def _put(img: Image.Image, sprite: Image.Image, x: float, ground: float) -> tuple[int, ...]:
    left, top = round(x - sprite.width / 2), round(ground - sprite.height)
    img.paste(sprite, (left, top), sprite)
    return left, top, left + sprite.width, top + sprite.height


def _hazed(sprite: Image.Image, colour: RGB, amount: float) -> Image.Image:
    # Far things fade towards the sky's colour (aerial perspective).
    veil = Image.new("RGBA", sprite.size, (*colour, 255))
    faded = Image.blend(sprite, veil, amount)
    faded.putalpha(sprite.getchannel("A"))
    return faded


def _compose(img: Image.Image, plan: scene.Plan, depiction: Depiction, layout: tuple,
             horizon: float, rng: random.Random) -> None:  # fmt: skip
    """Draw every subject: sky things and far buildings first, then the main subject."""
    w, h = img.size
    m, p = min(w, h), plan.palette
    shadow = shade(p.ground, -0.45)
    mx, _, scale = layout
    if plan.close_up:
        scale *= 1.3
    if plan.subject == "emblem":
        size = round(m * 0.42 * scale)
        sprite = _shape_sprite("emblem", size, p.subject, p.accent, rng)
        _put(img, sprite, w * mx, h * 0.9 if plan.setting == "hills" else horizon + h * 0.12)
        return
    if not depiction.subjects:
        return
    main, *rest = depiction.subjects
    support = rest.pop(0) if rest and rest[0].mention.carries else None
    side = 1 if mx <= 0.5 else -1  # the other subjects go to the roomier side
    front = []
    for k, drawn in enumerate(rest):
        entry = drawn.mention.entry
        if entry.kind == "sky" or entry.flies:
            size = round(m * rng.uniform(0.16, 0.22))
            x = w * (0.5 + side * rng.uniform(0.18, 0.36)) + k * w * 0.08 * side
            _put(img, _sprite(drawn, size, plan, rng), x, h * rng.uniform(0.1, 0.2) + size)
        elif entry.kind == "structure":
            size = round(m * rng.uniform(0.34, 0.42))
            sprite = _hazed(_sprite(drawn, size, plan, rng), p.sky_bottom, 0.22)
            for j in range(drawn.mention.count):
                x = w * (0.5 + side * rng.uniform(0.2, 0.34)) + j * side * size * 0.7
                _put(img, sprite, x, horizon + h * 0.03)
        else:
            front.append(drawn)
    main_size = round(m * 0.46 * scale)
    main_x = w * mx
    ground = h * 0.9
    kind = main.mention.entry.kind
    if support is not None:
        base = round(m * 0.5 * scale)
        box = _put(img, _sprite(support, base, plan, rng), main_x, horizon + h * 0.14)
        _shadow(img, main_x, horizon + h * 0.14, base * 0.5, shadow)
        main_size, ground = round(main_size * 0.55), box[1] + (box[3] - box[1]) * 0.3
    elif kind == "sky":
        ground = h * 0.42 + main_size / 2
    elif plan.shore:
        ground = h * 0.93
    elif kind == "structure":
        main_size, ground = round(m * 0.6 * scale), horizon + h * 0.12
    elif kind == "water" and plan.setting == "water":
        boat = any(b in main.mention.key for b in BOATS)
        ground = horizon + h * 0.16 if boat else horizon + (h - horizon) * 0.72
    elif plan.setting in scene.INDOOR_SETTINGS:
        ground = horizon + (h - horizon) * 0.6
    count = main.mention.count
    if count > 1:
        main_size = round(main_size * 0.72)
    sprite = _sprite(main, main_size, plan, rng)
    if p.dark and not plan.flat:  # a soft backlight keeps a dark subject visible on a dark ground
        centre = (main_x, ground - main_size * 0.5)
        scene.glow(img, centre, main_size * 0.8, shade(p.sky_bottom, 0.3))
    grounded = kind != "sky" and not (kind == "water" and plan.setting == "water")
    spots = [0.0] if count == 1 else [-1.0, 0.0, 1.0]
    back = sprite.resize((round(sprite.width * 0.85), round(sprite.height * 0.85)))
    for offset in sorted(spots, key=abs, reverse=True):  # the middle one in front
        edge = sprite.width / 2 + w * 0.03  # never cut off by the frame
        x = min(max(main_x + offset * sprite.width * 1.05, edge), w - edge)
        y = ground - (h * 0.04 if offset else 0)
        one = back if offset else sprite
        if grounded and support is None:
            _shadow(img, x, y, one.width * 0.42, shadow)
        _put(img, one, x, y)
    for k, drawn in enumerate(front):
        size = round(main_size * 0.62)
        x = main_x + side * (sprite.width * 0.5 + size * (0.7 + k * 1.1))
        x = min(max(x, size / 2), w - size / 2)
        y = ground + h * 0.02 if support is None else h * 0.92
        _shadow(img, x, y, size * 0.4, shadow)
        _put(img, _sprite(drawn, size, plan, rng), x, y)


def render(
    prompt: str, aspect: str | float, style: str, index: int, longest: int = MAX_SIDE
) -> Image.Image:
    """One picture for `prompt` at an aspect name or ratio; `index` picks the option
    (composition, palette, viewpoint)."""
    text = text_of(prompt, style)
    digest = hashlib.sha256(f"{text}\x00{index}".encode()).digest()
    rng = random.Random(digest)
    plan, depiction = plan_for(text, index)
    styles = depiction.styles
    framed = bool({"poster", "posters", "flyer"}.intersection(words_of(text)))
    w, h = size_for(aspect, longest)
    big = (w * SUPERSAMPLE, h * SUPERSAMPLE)
    p = plan.palette
    layout = LAYOUTS[index % len(LAYOUTS)]
    if plan.flat:
        img = Image.new("RGB", big, p.sky_bottom)
    else:
        img = scene.gradient(big, p.sky_top, p.sky_bottom)
    water_main = depiction.subjects and depiction.subjects[0].mention.entry.kind == "water"
    low = 0.45 if water_main and plan.setting == "water" else layout[1]
    horizon = big[1] * (low + rng.uniform(-0.03, 0.03))
    light = (0.0, 0.0)
    if plan.setting not in scene.INDOOR_SETTINGS:
        light = scene.sky(img, plan, horizon, rng)
    scene.setting(img, plan, horizon, rng, light)
    img = img.reduce(SUPERSAMPLE)
    noise = np.random.default_rng(int.from_bytes(digest[:8], "big"))
    if "photo" in styles:  # a shallow depth of field: the background out of focus
        img = effects.bokeh(img, p.accent, rng).filter(ImageFilter.GaussianBlur(w / 200))
    _compose(img, plan, depiction, layout, horizon / SUPERSAMPLE, rng)
    if not plan.flat and "pixel" not in styles:  # quantised, a vignette turns into rings
        img = effects.vignette(img)
    if "photo" in styles:
        img = effects.photo(img, noise)
    if "sketch" in styles:
        img = effects.sketch(img)
    if "vintage" in styles:
        img = effects.vintage(img)
    if "neon" in styles:
        img = effects.neon(img, NEON_COLOURS[index % len(NEON_COLOURS)])
    if "watercolor" in styles:
        img = effects.watercolor(img, noise)
    if "pixel" in styles:
        img = effects.pixelate(img)
    if framed:
        ink, paper = shade(p.ground, -0.55), shade(p.sky_bottom, 0.8)
        if not styles:
            img = effects.screen_print(img)
        img = effects.poster(img, title_of(prompt), ink, paper)
    return img


def to_png(img: Image.Image) -> bytes:
    """PNG bytes of `img`."""
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=3)  # level 6 is 4x slower on grainy styles
    return out.getvalue()


class OfflinePainter:
    """Paints prompt-dependent pictures with Pillow, deterministically, without a network."""

    model = "plaza-offline-painter"
    offline = True

    def generate(
        self, prompt: str, *, aspect: Aspect = "1:1", n: int = 1, style: str = ""
    ) -> list[bytes]:
        """`n` PNG images for `prompt`; the same arguments always give the same bytes."""
        return [to_png(render(prompt, aspect, style, i)) for i in range(max(1, n))]

    def edit(self, image: bytes, instruction: str, *, aspect: Aspect | None = None) -> bytes:
        """A PNG of `image` changed as `instruction` says; "wider" (or taller) on a picture
        this painter made paints its scene again at the new shape rather than padding it."""
        redrawn = repainted(image, instruction, aspect)
        return to_png(
            redrawn if redrawn is not None else apply_edit(image, instruction, aspect=aspect)
        )


MATCH_SIDE = 64  # options are ranked on thumbnails this size before the full-size check


def _thumb(img: Image.Image) -> np.ndarray:
    small = img.convert("RGB").resize((MATCH_SIDE, MATCH_SIDE), Image.Resampling.BOX)
    return np.asarray(small, np.float32)


def repainted(image: bytes, instruction: str, aspect: str | None) -> Image.Image | None:
    """`image` painted again at the shape `instruction` asks for, when the instruction only
    reshapes it and this painter made it unchanged (its provenance names the painter and the
    prompt, and one option renders to exactly its pixels); otherwise None."""
    try:
        with Image.open(io.BytesIO(image)) as img:
            text = dict(getattr(img, "text", {}) or {})
            original = np.asarray(img.convert("RGB"), np.int16)
            size = img.size
    except Exception:  # unreadable input is apply_edit's to report
        return None
    prompt = str(text.get("plaza:prompt", ""))
    if text.get("plaza:model") != OfflinePainter.model or not prompt:
        return None
    ratio = reshape_only(size, instruction, aspect)
    if ratio is None:
        return None
    current = size[0] / size[1]
    thumb = _thumb(Image.fromarray(original.astype(np.uint8), "RGB"))

    def likeness(i: int) -> float:
        small = render(prompt, current, "", i, longest=MATCH_SIDE * 2)
        return float(np.abs(_thumb(small) - thumb).mean())

    for index in sorted(range(len(LAYOUTS)), key=likeness):
        again = render(prompt, current, "", index, longest=max(size))
        if again.size == size and np.abs(np.asarray(again, np.int16) - original).mean() < 0.5:
            longest = round(max(size) * max(ratio / current, current / ratio))
            return render(prompt, ratio, "", index, longest=min(longest, MAX_EDIT_SIDE))
    return None
