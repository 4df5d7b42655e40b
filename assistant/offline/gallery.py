"""`python -m assistant.offline.gallery OUT.png`: a contact sheet of the offline painter's work.

`make gallery` writes docs/offline-gallery.png with it, so the README shows what offline mode
draws for everyday prompts.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

from assistant.offline.effects import fit_font
from assistant.offline.painter import render

PROMPTS = (
    ("a bowl of ramen", ""),
    ("a cat on a roof under the moon", ""),
    ("a robot in a library", ""),
    ("a cup of coffee, photo", ""),
    ("sunflowers in a field", "watercolor"),
    ("a lighthouse in a storm", ""),
    ("a dragon over the mountains at sunset", ""),
    ("palm trees on a beach", ""),
    ("a cabin in the woods in winter", ""),
    ("an astronaut cat in space", ""),
    ("a poster of a red fox at dawn", ""),
    ("a neon city at night", ""),
    ("a whale in the ocean", ""),
    ("a hot air balloon over the desert", ""),
    ("a red bicycle in the city", "pixel art"),
    ("a birthday cake", ""),
    ("a penguin on an iceberg", ""),
    ("a sailboat at sunset", ""),
    ("a chef in a kitchen", ""),
    ("three cats in a garden", ""),
    ("a guitar on a stage", "vintage"),
    ("a castle in a forest", "sketch"),
    ("a rocket launching at dawn", ""),
    ("a taco, minimal", ""),
    ("a frog by the lake", "watercolor"),
    ("a snowman at night", ""),
    ("a dog and a ball in the park", ""),
    ("abstract shapes", "poster"),
    ("a rainy day in the city", ""),
    ("a bouquet of roses", "photo"),
)
TILE = 224
LABEL = 34


def contact_sheet(columns: int = 6) -> Image.Image:
    """Every gallery prompt painted (option 1, square) and labelled, in a grid."""
    rows = -(-len(PROMPTS) // columns)
    sheet = Image.new("RGB", (columns * TILE, rows * (TILE + LABEL)), (248, 246, 242))
    draw = ImageDraw.Draw(sheet)
    for k, (prompt, style) in enumerate(PROMPTS):
        x, y = (k % columns) * TILE, (k // columns) * (TILE + LABEL)
        tile = render(prompt, "1:1", style, 0).resize((TILE - 8, TILE - 8), resample=1)
        sheet.paste(tile, (x + 4, y + 4))
        label = f"{prompt}, {style}" if style else prompt
        face = fit_font(draw, label, TILE - 10, 13)
        draw.text((x + TILE / 2, y + TILE + LABEL / 2 - 4), label, font=face, fill=(40, 38, 48),
                  anchor="mm")  # fmt: skip
    return sheet


def main(argv: list[str]) -> None:
    """Write the contact sheet to the path given (default docs/offline-gallery.png)."""
    out = Path(argv[0] if argv else "docs/offline-gallery.png")
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet = contact_sheet()
    sheet.save(out, optimize=True)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB, {len(PROMPTS)} prompts)")


if __name__ == "__main__":
    main(sys.argv[1:])
