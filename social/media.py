"""Image storage: validated, re-encoded to PNG with provenance, content-addressed by sha256.

Every stored image is a PNG, whatever was uploaded: re-encoding drops EXIF (location, camera)
and gives one place for provenance (PNG text chunks). GIF is refused; of an animated PNG or
WEBP only the first frame is kept.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps, JpegImagePlugin, PngImagePlugin, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from social.errors import Invalid, NotFound
from social.models import Image
from social.settings import get_settings

ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")
THUMBNAIL_MAX_SIDE = 512
DIGITAL_SOURCE_TYPE_AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
NOT_AN_IMAGE = "This file is not an image Plaza accepts (PNG, JPEG, WEBP)."
BROKEN_IMAGE = "This image file is damaged or incomplete; please export it again."
# Modes PNG stores as they are; anything else (CMYK JPEG, palette) becomes RGB or RGBA.
_PNG_MODES = {"1", "L", "LA", "I", "I;16", "RGB", "RGBA"}
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Provenance:
    """Where an image came from, written into the stored file."""

    ai_generated: bool = True
    model: str = ""
    prompt: str = ""


def _megabytes(size: int) -> str:
    if size >= 2**20:
        return f"{round(size / 2**20, 1):g} MB"
    return f"{math.ceil(size / 1024)} KB"


def _pixel_limit() -> int:
    # Pillow's own bomb limit is global and may be lower; obeying it here turns its warning
    # into the same friendly refusal instead of a warning nobody reads.
    limit = get_settings().plaza_max_image_pixels
    pillow_limit = PILImage.MAX_IMAGE_PIXELS
    return min(limit, pillow_limit) if pillow_limit else limit


def _too_many_pixels(width: int, height: int, limit: int) -> Invalid:
    return Invalid(
        f"The image is {width}×{height} pixels; the limit is {limit / 1_000_000:g} megapixels."
    )


def _header_size(data: bytes) -> tuple[int, int] | None:
    """Dimensions read from the header alone, for the message when Pillow refuses a bomb."""
    # The plugin classes parse the header without Image.open's bomb check, and decode nothing.
    for image_file in (PngImagePlugin.PngImageFile, JpegImagePlugin.JpegImageFile):
        try:
            return image_file(io.BytesIO(data)).size
        except (OSError, SyntaxError, ValueError, EOFError, struct.error):
            continue  # not this format
    return None


def _open(data: bytes) -> PILImage.Image:
    try:
        return PILImage.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
        size = _header_size(data)
        if size is None:
            raise Invalid(
                f"The image has too many pixels; the limit is "
                f"{_pixel_limit() / 1_000_000:g} megapixels."
            ) from error
        raise _too_many_pixels(*size, _pixel_limit()) from error
    except UnidentifiedImageError as error:
        raise Invalid(NOT_AN_IMAGE) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise Invalid(BROKEN_IMAGE) from error


def validate_image(data: bytes) -> PILImage.Image:
    """Check `data` is an acceptable image and return it decoded; raise Invalid otherwise."""
    settings = get_settings()
    if not data:
        raise Invalid("The file is empty.")
    if len(data) > settings.plaza_max_upload_bytes:
        raise Invalid(
            f"The file is {_megabytes(len(data))}; "
            f"the limit is {_megabytes(settings.plaza_max_upload_bytes)}."
        )
    header = _open(data)
    width, height = header.size
    limit = _pixel_limit()
    # Checked from the header, before any pixel is decoded.
    if width * height > limit:
        raise _too_many_pixels(width, height, limit)
    if width < 1 or height < 1:
        raise Invalid(BROKEN_IMAGE)
    try:
        header.verify()  # checksums and structure; leaves the image unusable, so reopen
        image = _open(data)
        image.load()
    except Invalid:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
        raise _too_many_pixels(width, height, limit) from error
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as error:
        raise Invalid(BROKEN_IMAGE) from error
    return image


def _clean(image: PILImage.Image) -> PILImage.Image:
    """The pixels only, upright, in a mode PNG stores; no EXIF, XMP or text carried over."""
    icc_profile = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)  # stripping EXIF would otherwise lose the rotation
    # Transparency kept in info (palette, tRNS) would be dropped with the info, so make it alpha.
    if upright.mode not in _PNG_MODES or "transparency" in upright.info:
        has_alpha = "A" in upright.getbands() or "transparency" in upright.info
        if upright.mode == "CMYK":
            icc_profile = None  # a CMYK profile would misdescribe the RGB pixels
        upright = upright.convert("RGBA" if has_alpha else "RGB")
    clean = upright.copy()
    clean.info = {"icc_profile": icc_profile} if icc_profile else {}
    return clean


def _provenance_chunks(provenance: Provenance | None) -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    if provenance is None:
        return info
    # iTXt is UTF-8, so prompts in any language survive.
    info.add_itxt("plaza:ai_generated", "true" if provenance.ai_generated else "false")
    if provenance.model:
        info.add_itxt("plaza:model", provenance.model)
    if provenance.prompt:
        info.add_itxt("plaza:prompt", provenance.prompt)
    if provenance.ai_generated:
        info.add_itxt("DigitalSourceType", DIGITAL_SOURCE_TYPE_AI)
    return info


def _encode_png(image: PILImage.Image, provenance: Provenance | None) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=_provenance_chunks(provenance))
    return buffer.getvalue()


def _encode_thumbnail(image: PILImage.Image) -> bytes:
    has_alpha = "A" in image.getbands()
    thumb = image.convert("RGBA" if has_alpha else "RGB")
    thumb.thumbnail((THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE))
    buffer = io.BytesIO()
    thumb.save(buffer, format="WEBP", quality=80)
    return buffer.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see either nothing or the whole file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            # On disk before the row that points at it can be committed.
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _checked_sha256(sha256: str) -> str:
    # The hash becomes a path: anything but 64 hex digits could escape the media folder.
    if not _SHA256.fullmatch(sha256):
        raise Invalid("That is not an image id Plaza knows.")
    return sha256


def image_path(sha256: str) -> Path:
    """The full-size PNG file of the stored image `sha256`."""
    sha256 = _checked_sha256(sha256)
    return get_settings().media_dir / sha256[:2] / f"{sha256}.png"


def thumbnail_path(sha256: str) -> Path:
    """The WEBP thumbnail (at most 512 px a side) of the stored image `sha256`."""
    sha256 = _checked_sha256(sha256)
    return get_settings().media_dir / sha256[:2] / f"{sha256}.thumb.webp"


def store_image(session: Session, data: bytes, *, provenance: Provenance | None = None) -> Image:
    """Validate, clean and store an image with its provenance; return its (maybe existing) row."""
    image = _clean(validate_image(data))
    png = _encode_png(image, provenance)
    sha256 = hashlib.sha256(png).hexdigest()
    # Files first, the row after: a crash in between leaves an unreferenced file, never a row
    # that points at nothing.
    if not thumbnail_path(sha256).exists():
        _write_atomically(thumbnail_path(sha256), _encode_thumbnail(image))
    if not image_path(sha256).exists():
        _write_atomically(image_path(sha256), png)
    existing = session.scalars(select(Image).where(Image.sha256 == sha256)).one_or_none()
    if existing is not None:
        return existing
    row = Image(
        sha256=sha256,
        mime="image/png",
        width=image.width,
        height=image.height,
        size_bytes=len(png),
    )
    session.add(row)
    session.flush()
    return row


def read_provenance(sha256: str) -> dict[str, str]:
    """The text metadata store_image wrote into the file of image `sha256`."""
    path = image_path(sha256)
    if not path.exists():
        raise NotFound("That image is not in Plaza's media folder.")
    with PILImage.open(path, formats=("PNG",)) as image:
        text = image.text if isinstance(image, PngImagePlugin.PngImageFile) else {}
        return {key: str(value) for key, value in text.items()}


def find_image(session: Session, ref: str) -> Image:
    """The stored image whose sha256 is or starts with `ref` (at least 8 hex characters)."""
    ref = ref.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{8,64}", ref):
        raise NotFound(f"No image has the reference {ref!r}.")
    matches = session.scalars(
        select(Image).where(Image.sha256.startswith(ref, autoescape=True)).limit(2)
    ).all()
    if len(matches) != 1:
        raise NotFound(f"No single image has the reference {ref!r}.")
    return matches[0]
