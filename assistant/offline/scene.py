"""Backgrounds for the offline painter: sky, sun or moon, and a setting chosen from the prompt."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from assistant.offline.palette import RGB, Palette
from assistant.offline.shapes import shade

# Setting words decide what stands on the horizon; the first one named wins.
SETTING_WORDS: dict[str, str] = {
    word: setting
    for setting, words in {
        "city": "city cities skyline street town urban downtown cyberpunk metropolis",
        "mountains": "mountain mountains alps peak peaks valley cliff hills landscape",
        "forest": "forest forests woods jungle",
        "water": "ocean sea beach lake pond underwater waves river harbor harbour coast bay shore",
        "desert": "desert dune dunes sand canyon",
        "space": "space galaxy planet cosmos nebula",
    }.items()
    for word in words.split()
}


@dataclass(frozen=True)
class Plan:
    """Everything the painter decided from a prompt before drawing."""

    palette: Palette
    setting: str  # one of SETTING_WORDS' values, "hills", or an indoor INDOOR_SETTINGS one
    subject: str | None  # a shapes.DRAWERS key, "emblem", or None for a pure landscape
    low_sun: bool  # dawn and sunset put a big sun on the horizon
    flat: bool  # "minimal": flat colours, fewer details
    close_up: bool  # "portrait": a bigger subject
    shore: bool = False  # a sandy shore in front of the water, for a subject that is not at sea


INDOOR_SETTINGS = {"table", "room", "library"}


def gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    """A vertical gradient from `top` to `bottom`."""
    w, h = size
    t = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    rows = np.array(top, np.float32) * (1 - t) + np.array(bottom, np.float32) * t
    return Image.fromarray(np.repeat(rows[:, None, :], w, axis=1).astype(np.uint8), "RGB")


def glow(img: Image.Image, centre: tuple[float, float], radius: float, colour: RGB) -> None:
    """A soft halo around `centre`; blurred at quarter size because full-size blurs are slow."""
    w, h = img.size
    mask = Image.new("L", (w // 4, h // 4), 0)
    x, y, r = centre[0] / 4, centre[1] / 4, radius / 4
    ImageDraw.Draw(mask).ellipse((x - r, y - r, x + r, y + r), fill=150)
    mask = mask.filter(ImageFilter.GaussianBlur(r / 2)).resize((w, h), Image.Resampling.BILINEAR)
    img.paste(Image.new("RGB", (w, h), colour), (0, 0), mask)


def sky(img: Image.Image, plan: Plan, horizon: float, rng: random.Random) -> tuple[float, float]:
    """Stars and a moon at night, otherwise a sun (low and large at dawn or sunset).

    Returns the light's x position and radius, for its reflection on water.
    """
    w, h = img.size
    draw = ImageDraw.Draw(img)
    p = plan.palette
    if p.dark:
        stars = random.Random(rng.random())  # their number follows the size; the scene must not
        for _ in range(0 if plan.flat else int(w * h / 4000)):
            x, y, r = (
                stars.uniform(0, w),
                stars.uniform(0, horizon),
                stars.choice([1, 1, 2, 3]) * w / 1000,
            )
            draw.ellipse((x - r, y - r, x + r, y + r), fill=shade(p.accent, stars.uniform(0, 0.5)))
        mx, my, mr = w * rng.uniform(0.62, 0.82), h * rng.uniform(0.1, 0.2), min(w, h) * 0.07
        glow(img, (mx, my), mr * 2.6, shade(p.sky_bottom, 0.25))
        draw.ellipse((mx - mr, my - mr, mx + mr, my + mr), fill=p.accent)
        return mx, mr
    if plan.low_sun:
        sx, sr = w * rng.uniform(0.3, 0.7), min(w, h) * rng.uniform(0.13, 0.17)
        sy = horizon - sr * 0.35
    else:
        sx, sy, sr = w * rng.uniform(0.15, 0.85), h * rng.uniform(0.1, 0.2), min(w, h) * 0.06
    if not plan.flat:
        glow(img, (sx, sy), sr * 2.4, p.accent)
    draw.ellipse((sx - sr, sy - sr, sx + sr, sy + sr), fill=shade(p.accent, 0.4))
    return sx, sr


def _ridge(w: int, base: float, amp: float, rng: random.Random, jagged: bool) -> list:
    # A horizon line as points: straight segments for peaks, summed sines for hills and dunes.
    if jagged:  # evenly spaced peaks and valleys, jittered, so no peak is a needle
        xs = np.linspace(0, w, 9) + np.array(
            [0, *(rng.uniform(-w / 40, w / 40) for _ in range(7)), 0]
        )
        return [
            (float(x), base - amp * (rng.uniform(0.55, 1.0) if i % 2 else rng.uniform(0, 0.3)))
            for i, x in enumerate(xs)
        ]
    phase, freq = rng.uniform(0, 6.28), rng.uniform(1.2, 2.4)
    return [
        (x, base - amp * (0.5 + 0.5 * math.sin(phase + freq * 6.28 * x / w)))
        for x in range(0, w + 16, 16)
    ]


def _fill_below(draw: ImageDraw.ImageDraw, ridge: list, w: int, h: int, fill: RGB) -> None:
    draw.polygon([*ridge, (w, h), (0, h)], fill=fill)


def setting(
    img: Image.Image,
    plan: Plan,
    horizon: float,
    rng: random.Random,
    light: tuple[float, float] = (0.0, 0.0),
) -> None:
    """What stands on the horizon: peaks, a skyline, trees, the sea, dunes or hills."""
    w, h = img.size
    draw = ImageDraw.Draw(img)
    p = plan.palette
    kind = plan.setting
    if kind == "mountains":
        far = _ridge(w, horizon, h * 0.32, rng, jagged=True)
        _fill_below(draw, far, w, h, p.ground_far)
        for (lx, ly), (x, y), (rx, ry) in zip(far, far[1:], far[2:], strict=False):
            if y < horizon - h * 0.2:  # snow on the tallest peaks, following their slopes
                cap = [(x + (lx - x) * 0.28, y + (ly - y) * 0.28), (x, y)]
                cap += [
                    (x + (rx - x) * 0.28, y + (ry - y) * 0.28),
                    (x, y + (min(ly, ry) - y) * 0.2),
                ]
                draw.polygon(cap, fill=p.accent)
        _fill_below(draw, _ridge(w, horizon + h * 0.06, h * 0.14, rng, jagged=True), w, h, p.ground)
    elif kind == "city":
        for layer, colour in ((0, p.ground_far), (1, p.ground)):
            x = -rng.uniform(0, w * 0.05)
            while x < w:
                bw = w * rng.uniform(0.05, 0.11)
                top = horizon - h * rng.uniform(0.08, 0.34) * (1.0 if layer else 1.25)
                draw.rectangle((x, top, x + bw, h), fill=colour)
                if layer and not plan.flat:
                    windows = random.Random(rng.random())
                    lit = p.accent if p.dark else shade(colour, 0.25)
                    for wy in np.arange(top + h * 0.02, horizon, h * 0.035):
                        for wx in np.arange(x + bw * 0.15, x + bw * 0.8, bw * 0.25):
                            if windows.random() < (0.45 if p.dark else 0.8):
                                draw.rectangle((wx, wy, wx + bw * 0.12, wy + h * 0.015), fill=lit)
                x += bw + w * rng.uniform(0.0, 0.02)
    elif kind == "forest":
        for layer, colour in ((0, p.ground_far), (1, p.ground)):
            base = horizon + layer * h * 0.05
            _fill_below(draw, [(0, base), (w, base)], w, h, colour)
            for _ in range(int(14 + 6 * layer)):
                x, th = rng.uniform(-0.05, 1.05) * w, h * rng.uniform(0.1, 0.22) * (1 + layer * 0.4)
                if layer and plan.subject and 0.3 * w < x < 0.7 * w:
                    continue  # a clearing in front, where the subject sits
                tw = th * 0.38
                for k in range(3):  # stacked triangles make a pine
                    y = base - th * k / 3.2
                    draw.polygon([(x - tw * (1 - k * 0.25), y), (x + tw * (1 - k * 0.25), y),
                                  (x, y - th * 0.55)], fill=colour)  # fmt: skip
    elif kind == "water":
        water = gradient((w, h - int(horizon)), shade(p.ground_far, 0.1), shade(p.ground, -0.2))
        img.paste(water, (0, int(horizon)))
        lx, lr = light
        for t in np.linspace(0.03, 0.9, 14):  # the sun's or moon's broken reflection
            y, half = horizon + (h - horizon) * t, lr * (1.1 - t * 0.6) * rng.uniform(0.5, 1.0)
            x = lx + rng.uniform(-lr, lr) * 0.3
            draw.line(
                (x - half, y, x + half, y), fill=shade(p.accent, -0.1), width=max(2, h // 150)
            )
        for _ in range(0 if plan.flat else 26):
            x, y = rng.uniform(0, w), rng.uniform(horizon + 8, h)
            span = w * rng.uniform(0.03, 0.09) * (0.4 + (y - horizon) / (h - horizon))
            draw.arc((x - span, y - span / 5, x + span, y + span / 5), 200, 340,
                     fill=shade(p.ground_far, 0.35), width=max(1, w // 400))  # fmt: skip
        if plan.shore:
            sand = (226, 200, 150) if not p.dark else (92, 84, 96)
            _fill_below(draw, _ridge(w, h * 0.84, h * 0.05, rng, jagged=False), w, h, sand)
    elif kind == "desert":
        _fill_below(draw, _ridge(w, horizon, h * 0.1, rng, jagged=False), w, h, p.ground_far)
        _fill_below(draw, _ridge(w, horizon + h * 0.1, h * 0.08, rng, jagged=False), w, h, p.ground)
    elif kind in INDOOR_SETTINGS:
        indoor(img, plan, horizon, rng)
    elif kind == "space":
        # A ringed planet (the ring's back half behind it, front half over it) above a moon.
        px, py, pr = w * rng.uniform(0.25, 0.75), h * rng.uniform(0.25, 0.4), min(w, h) * 0.16
        ring = (px - pr * 1.8, py - pr * 0.35, px + pr * 1.8, py + pr * 0.35)
        width = max(3, w // 120)
        draw.arc(ring, 180, 360, fill=p.accent, width=width)
        draw.ellipse((px - pr, py - pr, px + pr, py + pr), fill=p.ground_far)
        hx, hy, hr = px - pr * 0.35, py - pr * 0.35, pr * 0.4  # a highlight: it reads as a sphere
        draw.ellipse((hx - hr, hy - hr, hx + hr, hy + hr), fill=shade(p.ground_far, 0.15))
        draw.arc(ring, 0, 180, fill=p.accent, width=width)
        ground = _ridge(w, horizon + h * 0.12, h * 0.04, rng, jagged=False)
        _fill_below(draw, ground, w, h, shade(p.ground_far, 0.25))
        for _ in range(6):  # craters
            cx, cy, r = (
                rng.uniform(0, w),
                rng.uniform(horizon + h * 0.2, h),
                w * rng.uniform(0.02, 0.05),
            )
            draw.ellipse(
                (cx - r, cy - r * 0.35, cx + r, cy + r * 0.35), fill=shade(p.ground_far, -0.4)
            )
    else:
        _fill_below(draw, _ridge(w, horizon, h * 0.1, rng, jagged=False), w, h, p.ground_far)
        _fill_below(
            draw, _ridge(w, horizon + h * 0.09, h * 0.06, rng, jagged=False), w, h, p.ground
        )


def indoor(img: Image.Image, plan: Plan, horizon: float, rng: random.Random) -> None:
    """A wall and a table top or floor; a library's wall is lined with shelves of books."""
    w, h = img.size
    draw = ImageDraw.Draw(img)
    p = plan.palette
    wall = shade(p.sky_bottom, -0.05)
    draw.rectangle((0, 0, w, horizon), fill=wall)
    if plan.setting == "library":
        rng = random.Random(rng.random())  # the number of books follows the size
        shelf = shade(p.ground, -0.2)
        top = h * 0.06
        while top < horizon - h * 0.12:
            x = w * 0.02
            while x < w * 0.98:  # books of varying width, height and colour on each shelf
                bw, bh = w * rng.uniform(0.015, 0.035), h * rng.uniform(0.1, 0.15)
                colour = shade(rng.choice([p.subject, p.accent, p.ground_far, p.sky_top]),
                               rng.uniform(-0.4, 0.2))  # fmt: skip
                draw.rectangle((x, top + h * 0.16 - bh, x + bw, top + h * 0.16), fill=colour)
                x += bw + w * 0.003
            draw.rectangle((0, top + h * 0.16, w, top + h * 0.175), fill=shelf)
            top += h * 0.19
    elif plan.setting == "room":  # a window with the sky's colours
        x0, y0 = w * rng.uniform(0.08, 0.6), h * 0.1
        x1, y1 = x0 + w * 0.3, min(horizon - h * 0.08, y0 + h * 0.35)
        draw.rectangle((x0 - w * 0.01, y0 - w * 0.01, x1 + w * 0.01, y1 + w * 0.01),
                       fill=shade(wall, -0.25))  # fmt: skip
        img.paste(gradient((int(x1 - x0), int(y1 - y0)), p.sky_top, p.accent), (int(x0), int(y0)))
        draw.line((x0, (y0 + y1) / 2, x1, (y0 + y1) / 2), fill=shade(wall, -0.25), width=w // 150)
        draw.line(((x0 + x1) / 2, y0, (x0 + x1) / 2, y1), fill=shade(wall, -0.25), width=w // 150)
    top_colour = shade(p.ground_far, 0.1) if plan.setting == "table" else p.ground
    img.paste(gradient((w, h - int(horizon)), top_colour, shade(p.ground, -0.3)), (0, int(horizon)))
    draw.line((0, horizon, w, horizon), fill=shade(top_colour, 0.35), width=max(2, h // 200))
