"""Peak memory of storing one image file: `python -m tests.image_memory FILE [post|avatar]`.

Prints JSON: the outcome (stored size or the refusal) and how far the process's peak resident
memory rose above what it was after warming up (imports, database, one small image)."""

from __future__ import annotations

import io
import json
import resource
import sys
import tempfile
from pathlib import Path

from PIL import Image as PILImage


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(data: bytes, purpose: str) -> dict[str, object]:
    """Store `data` in a fresh database; the outcome and the rise of peak memory in MB."""
    import os

    os.environ["PLAZA_DATA_DIR"] = tempfile.mkdtemp()
    from social import migrate
    from social.db import default_engine, unit_of_work
    from social.errors import Invalid
    from social.media import store_image

    migrate.upgrade(default_engine())
    warm = io.BytesIO()
    PILImage.new("RGB", (64, 64), "teal").save(warm, format="PNG")
    with unit_of_work() as session:
        store_image(session, warm.getvalue())
    baseline = _peak_mb()
    try:
        with unit_of_work() as session:
            row = store_image(session, data, purpose=purpose)  # type: ignore[arg-type]
            outcome = f"stored {row.width}x{row.height}"
    except Invalid as error:
        outcome = f"refused: {error}"
    return {"outcome": outcome, "peak_rise_mb": round(_peak_mb() - baseline, 1)}


if __name__ == "__main__":
    purpose = sys.argv[2] if len(sys.argv) > 2 else "post"
    print(json.dumps(measure(Path(sys.argv[1]).read_bytes(), purpose)))
