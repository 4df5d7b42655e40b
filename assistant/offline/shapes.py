"""Stylised subject silhouettes built from ellipses and polygons, for the offline painter."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from PIL import ImageDraw

from assistant.offline.palette import RGB

Point = tuple[float, float]

# Words that name a subject we can draw; anything else gets an abstract emblem.
SUBJECT_WORDS: dict[str, str] = {
    word: kind
    for kind, words in {
        "fox": "fox foxes wolf wolves",
        "cat": "cat cats kitten kittens kitty tiger lion lynx",
        "dog": "dog dogs puppy puppies corgi labrador retriever",
        "bird": "bird birds owl sparrow robin parrot eagle crow hummingbird finch",
        "fish": "fish koi goldfish whale shark dolphin salmon",
        "person": "person woman man girl boy astronaut people dancer hiker",
    }.items()
    for word in words.split()
}
# Colours a subject has when the prompt names none ("a cat" is not a random green).
NATURAL: dict[str, RGB] = {
    "fox": (217, 101, 43),
    "cat": (59, 53, 64),
    "dog": (168, 107, 60),
    "person": (48, 42, 60),
}


@dataclass
class Pen:
    """Draws shapes given in subject units: x right, y up from the ground point, 1 = size."""

    draw: ImageDraw.ImageDraw
    cx: float
    cy: float
    size: float
    mirror: bool = False

    def at(self, x: float, y: float) -> Point:
        """Canvas coordinates of a point in subject units."""
        return (self.cx + (-x if self.mirror else x) * self.size, self.cy + y * self.size)

    def poly(self, points: list[Point], fill: RGB | tuple[int, int, int, int]) -> None:
        """A filled polygon."""
        self.draw.polygon([self.at(x, y) for x, y in points], fill=fill)

    def ellipse(
        self, x: float, y: float, rx: float, ry: float, fill: RGB, angle: float = 0
    ) -> None:
        """A filled ellipse, rotated by `angle` degrees (ImageDraw cannot rotate one itself)."""
        turn = math.radians(-angle if self.mirror else angle)
        cos, sin = math.cos(turn), math.sin(turn)
        points = []
        for i in range(48):
            t = 2 * math.pi * i / 48
            ex, ey = rx * math.cos(t), ry * math.sin(t)
            points.append((x + ex * cos - ey * sin, y + ex * sin + ey * cos))
        self.poly(points, fill)

    def line(self, points: list[Point], fill: RGB, width: float) -> None:
        """A thick line with rounded joints."""
        pixels = max(1, round(width * self.size))
        self.draw.line([self.at(x, y) for x, y in points], fill=fill, width=pixels, joint="curve")

    def curve(self, a: Point, b: Point, c: Point, fill: RGB, width: float) -> None:
        """A thick quadratic Bezier curve from `a` to `c`, pulled towards `b` (for tails)."""
        points = []
        for i in range(17):
            t = i / 16
            u = 1 - t
            points.append(
                (u * u * a[0] + 2 * u * t * b[0] + t * t * c[0],
                 u * u * a[1] + 2 * u * t * b[1] + t * t * c[1])
            )  # fmt: skip
        self.line(points, fill, width)
        for x, y in (a, c):
            self.ellipse(x, y, width / 2, width / 2, fill)


def shade(rgb: RGB, t: float) -> RGB:
    """`rgb` lighter (t > 0, towards white) or darker (t < 0, towards black)."""
    target = 255 if t > 0 else 0
    return (
        round(rgb[0] + (target - rgb[0]) * abs(t)),
        round(rgb[1] + (target - rgb[1]) * abs(t)),
        round(rgb[2] + (target - rgb[2]) * abs(t)),
    )


def fox(pen: Pen, body: RGB, accent: RGB) -> None:
    """A sitting fox with a curled tail, seen from the front."""
    light, dark = shade(body, 0.85), shade(body, -0.7)
    pen.ellipse(0.34, -0.14, 0.38, 0.13, body, angle=-18)
    pen.ellipse(0.64, -0.25, 0.11, 0.085, light, angle=-18)
    pen.ellipse(0, -0.32, 0.22, 0.32, body)
    pen.ellipse(0, -0.38, 0.1, 0.2, light)
    for x in (-0.1, 0.05):
        pen.poly([(x, -0.2), (x + 0.06, -0.2), (x + 0.06, 0), (x, 0)], dark)
    head = [(-0.25, -1.0), (-0.13, -0.8), (0.13, -0.8), (0.25, -1.0), (0.23, -0.7), (0.17, -0.6)]
    head += [(0.0, -0.46), (-0.17, -0.6), (-0.23, -0.7)]
    pen.poly(head, body)
    pen.poly([(-0.21, -0.92), (-0.14, -0.8), (-0.2, -0.78)], dark)
    pen.poly([(0.21, -0.92), (0.14, -0.8), (0.2, -0.78)], dark)
    pen.poly([(-0.21, -0.68), (0.0, -0.46), (-0.06, -0.62)], light)
    pen.poly([(0.21, -0.68), (0.0, -0.46), (0.06, -0.62)], light)
    for x in (-0.08, 0.08):
        pen.ellipse(x, -0.68, 0.025, 0.03, dark)
    pen.ellipse(0, -0.48, 0.03, 0.025, dark)


def cat(pen: Pen, body: RGB, accent: RGB) -> None:
    """A sitting cat with a tall curled tail."""
    dark = shade(body, -0.6)
    pen.curve((0.16, -0.05), (0.62, -0.08), (0.42, -0.55), body, width=0.07)
    pen.ellipse(0, -0.3, 0.24, 0.3, body)
    pen.ellipse(0, -0.7, 0.19, 0.17, body)
    pen.poly([(-0.19, -0.72), (-0.16, -0.96), (-0.03, -0.84)], body)
    pen.poly([(0.19, -0.72), (0.16, -0.96), (0.03, -0.84)], body)
    eye = shade(accent, -0.1) if sum(accent) < 600 else (245, 200, 66)
    for x in (-0.075, 0.075):
        pen.ellipse(x, -0.72, 0.04, 0.028, eye)
        pen.ellipse(x, -0.72, 0.012, 0.026, dark)
    pen.poly([(-0.02, -0.65), (0.02, -0.65), (0, -0.63)], shade(body, 0.5))


def dog(pen: Pen, body: RGB, accent: RGB) -> None:
    """A sitting dog with floppy ears and a collar."""
    light, dark = shade(body, 0.6), shade(body, -0.65)
    pen.curve((0.2, -0.1), (0.42, -0.16), (0.46, -0.42), body, width=0.06)
    pen.ellipse(0, -0.3, 0.25, 0.3, body)
    pen.ellipse(0, -0.34, 0.12, 0.18, light)
    pen.ellipse(0, -0.72, 0.2, 0.18, body)
    pen.ellipse(-0.21, -0.68, 0.07, 0.16, dark, angle=15)
    pen.ellipse(0.21, -0.68, 0.07, 0.16, dark, angle=-15)
    pen.ellipse(0, -0.62, 0.11, 0.075, light)
    pen.ellipse(0, -0.655, 0.045, 0.03, dark)
    for x in (-0.08, 0.08):
        pen.ellipse(x, -0.76, 0.025, 0.028, dark)
    pen.line([(-0.17, -0.55), (0, -0.52), (0.17, -0.55)], accent, width=0.035)


def bird(pen: Pen, body: RGB, accent: RGB) -> None:
    """A small bird perched on a branch."""
    light, dark = shade(body, 0.7), shade(body, -0.55)
    pen.line([(-0.75, 0.02), (0.0, -0.02), (0.75, -0.08)], (74, 52, 38), width=0.045)
    pen.poly([(0.12, -0.28), (0.58, -0.08), (0.52, 0.0), (0.08, -0.16)], dark)
    pen.ellipse(0, -0.3, 0.3, 0.2, body, angle=-18)
    pen.ellipse(-0.08, -0.24, 0.18, 0.11, light, angle=-18)
    pen.ellipse(-0.22, -0.52, 0.15, 0.14, body)
    pen.poly([(-0.34, -0.56), (-0.48, -0.5), (-0.34, -0.47)], (240, 170, 40))
    pen.poly([(-0.04, -0.4), (0.34, -0.3), (0.08, -0.2)], dark)
    pen.ellipse(-0.26, -0.55, 0.025, 0.025, (20, 20, 24))
    for x in (-0.06, 0.04):
        pen.line([(x, -0.12), (x - 0.02, 0.0)], dark, width=0.02)


def fish(pen: Pen, body: RGB, accent: RGB) -> None:
    """A round fish swimming, drawn above its ground point."""
    light, dark = shade(body, 0.7), shade(body, -0.5)
    pen.poly([(0.36, -0.5), (0.68, -0.74), (0.6, -0.5), (0.68, -0.26)], dark)
    pen.poly([(-0.12, -0.68), (0.08, -0.84), (0.24, -0.66)], dark)
    pen.ellipse(0, -0.5, 0.42, 0.23, body)
    pen.ellipse(-0.04, -0.42, 0.3, 0.1, light)
    for x in (0.02, 0.14):
        pen.line([(x, -0.68), (x + 0.04, -0.5), (x, -0.32)], shade(body, -0.25), width=0.03)
    pen.ellipse(-0.26, -0.55, 0.055, 0.055, (250, 250, 250))
    pen.ellipse(-0.27, -0.55, 0.028, 0.028, (20, 20, 24))


def person(pen: Pen, body: RGB, accent: RGB) -> None:
    """A standing figure in a coat, seen from behind as if looking at the view."""
    dark = shade(body, -0.4)
    pen.poly([(-0.07, -0.3), (-0.02, -0.3), (-0.03, 0), (-0.08, 0)], dark)
    pen.poly([(0.02, -0.3), (0.07, -0.3), (0.08, 0), (0.03, 0)], dark)
    pen.poly([(-0.14, -0.7), (0.14, -0.7), (0.18, -0.26), (-0.18, -0.26)], body)
    pen.ellipse(0, -0.8, 0.085, 0.1, body)
    pen.line([(-0.1, -0.71), (0.1, -0.71)], accent, width=0.04)


def emblem(pen: Pen, body: RGB, accent: RGB, rng: random.Random) -> None:
    """An abstract star-and-rings emblem for subjects we have no drawing of."""
    points = rng.choice([5, 6, 7, 8, 12])
    spin = rng.uniform(0, math.pi)
    pen.ellipse(0, -0.55, 0.46, 0.46, shade(body, -0.35))
    pen.ellipse(0, -0.55, 0.4, 0.4, accent)
    star = []
    for i in range(points * 2):
        r = 0.36 if i % 2 == 0 else 0.36 * rng.uniform(0.4, 0.6)
        t = spin + math.pi * i / points
        star.append((r * math.cos(t), -0.55 + r * math.sin(t)))
    pen.poly(star, body)
    pen.ellipse(0, -0.55, 0.1, 0.1, shade(accent, 0.3))


def lighthouse(pen: Pen, body: RGB, accent: RGB) -> None:
    """A striped lighthouse on a rock, its lamp lit and throwing two beams."""
    beam = (255, 244, 190, 90)
    pen.poly([(0, -0.86), (-0.95, -1.02), (-0.95, -0.7)], beam)
    pen.poly([(0, -0.86), (0.95, -0.98), (0.95, -0.74)], beam)
    pen.ellipse(0, 0.0, 0.3, 0.07, (92, 86, 96))
    red, white = (200, 42, 52), (244, 241, 234)
    for k in range(5):  # bands from the foot up, the tower narrowing as it rises
        y0, y1 = -0.78 * k / 5, -0.78 * (k + 1) / 5
        w0, w1 = 0.16 - 0.06 * k / 5, 0.16 - 0.06 * (k + 1) / 5
        pen.poly([(-w0, y0), (w0, y0), (w1, y1), (-w1, y1)], red if k % 2 == 0 else white)
    pen.poly([(-0.15, -0.78), (0.15, -0.78), (0.15, -0.8), (-0.15, -0.8)], (40, 40, 48))
    pen.poly([(-0.08, -0.8), (0.08, -0.8), (0.08, -0.92), (-0.08, -0.92)], (255, 226, 120))
    pen.poly([(-0.11, -0.92), (0.11, -0.92), (0.0, -1.02)], red)


def windmill(pen: Pen, body: RGB, accent: RGB) -> None:
    """A windmill: a tapering tower with four sails."""
    wall, sail = (236, 226, 204), (120, 84, 60)
    pen.poly([(-0.2, 0), (0.2, 0), (0.12, -0.62), (-0.12, -0.62)], wall)
    pen.poly([(-0.15, -0.6), (0.15, -0.6), (0.0, -0.76)], (150, 60, 50))
    pen.poly([(-0.05, 0), (0.05, 0), (0.05, -0.14), (-0.05, -0.14)], sail)
    for k in range(4):
        t = math.radians(20 + 90 * k)
        dx, dy, nx, ny = math.cos(t), math.sin(t), -math.sin(t), math.cos(t)
        corners = [(0.0, 0.02), (0.5, 0.02), (0.5, 0.12), (0.12, 0.12)]  # along, across the sail
        pen.poly([(dx * a + nx * c, -0.62 + dy * a + ny * c) for a, c in corners], sail)
    pen.ellipse(0, -0.62, 0.035, 0.035, (60, 40, 30))


DRAWERS: dict[str, Callable[[Pen, RGB, RGB], None]] = {
    "fox": fox,
    "cat": cat,
    "dog": dog,
    "bird": bird,
    "fish": fish,
    "person": person,
    "lighthouse": lighthouse,
    "windmill": windmill,
}
