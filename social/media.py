"""Image storage: validated, stored as PNG or JPEG with provenance, content-addressed by sha256.

A JPEG stays a JPEG; everything else is stored as a PNG. Either way nothing but the pixels is
carried over (no EXIF with its location and camera, no XMP, no text), and Plaza's provenance
is written in one place: PNG text chunks, or JPEG comment segments. A PNG that is already
pixels only (what an image engine or an earlier publish wrote) keeps its compressed pixels and
gets its text chunks replaced, which saves the encode. An upright JPEG keeps its compressed
pixels too, rebuilt from the segments its decoder reads (`social.jpeg_segments`): re-encoding a
photo as PNG made a file several times its size for no better picture, and cost three times
what Pillow takes to make its thumbnail. A JPEG whose EXIF asks for a rotation (or that must
shrink or change colour space) is decoded, turned upright and encoded again as a JPEG with its
own quantisation tables, so at about its own quality; an orientation tag is never stored, since
not every reader would apply it. GIF is refused; of an animated PNG or WEBP only the first
frame is kept. The files go to the image store (`social.storage`).

Work is bounded before any pixel is decoded: the size the header declares is checked against
the pixel limit (lower for avatars) and the longest side; a baseline JPEG over the limit is
decoded reduced (libjpeg's DCT scaling through `draft`) when 1/2, 1/4 or 1/8 fits. Only one decoded
copy is held at a time, and an embedded colour profile larger than `MAX_ICC_BYTES` is dropped.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import struct
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from PIL import ExifTags, ImageOps, JpegImagePlugin, PngImagePlugin, UnidentifiedImageError
from PIL import Image as PILImage
from sqlalchemy import select
from sqlalchemy.orm import Session

from social import jpeg_segments, png_chunks
from social.credentials import (
    CredentialsSummary,
    Parent,
    has_manifest,
    read_credentials,
    sign_image,
)
from social.errors import Invalid, NotFound
from social.image_formats import EXTENSIONS, JPEG, PNG, mime_of
from social.models import Image
from social.settings import get_settings
from social.signing_keys import instance_ca_pem, instance_identity
from social.storage import get_store

ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")
THUMBNAIL_MAX_SIDE = 512
DIGITAL_SOURCE_TYPE_AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
NOT_AN_IMAGE = "This file is not an image Plaza accepts (PNG, JPEG, WEBP)."
BROKEN_IMAGE = "This image file is damaged or incomplete; please export it again."
# Modes PNG stores as they are; anything else (CMYK JPEG, palette) becomes RGB or RGBA.
_PNG_MODES = {"1", "L", "LA", "I", "I;16", "RGB", "RGBA"}
# Modes a JPEG is kept or re-encoded in with its own tables; CMYK becomes RGB.
_JPEG_MODES = {"L", "RGB"}
JPEG_QUALITY = 95  # for a JPEG whose own tables cannot be used again
_SHA256 = re.compile(r"[0-9a-f]{64}")
# No side longer than this, whatever the pixel count (a 40,000,000×1 strip is not a picture).
MAX_SIDE = 16384
# A colour profile is a few KB; a large one is a payload riding on the image.
MAX_ICC_BYTES = 64 * 1024
AVATAR_MAX_SIDE = 1024
WEBP_DECODE_COPIES = 4
_JPEG_SCALES = (1, 2, 4, 8)
PNG_LEVEL = 1
_ROTATIONS = range(2, 9)  # EXIF orientations other than upright
# zlib lets go of the GIL while it inflates, so a check overlaps the thumbnail's encode.
_CHECKS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="plaza-png-check")

Purpose = Literal["post", "avatar"]
POST: Purpose = "post"
AVATAR: Purpose = "avatar"


@dataclass(frozen=True)
class _Header:
    """What the header of a file Plaza accepts says, before any pixel is decoded."""

    width: int
    height: int
    scale: int  # the JPEG DCT scale (1, 2, 4, 8) at which it fits the pixel limit
    format: str
    mode: str
    orientation: int  # a JPEG's EXIF orientation; 1 (upright) for other formats


@dataclass(frozen=True)
class _Files:
    """The files store_image writes for one image, and the stored picture's size."""

    stored: bytes  # PNG or JPEG, unsigned
    thumbnail: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Provenance:
    """Where an image came from, written into the stored file."""

    ai_generated: bool = True
    model: str = ""
    prompt: str = ""
    edits: tuple[str, ...] = ()  # the edit instructions applied since the prompt, oldest first
    parent_sha256: str = ""  # the stored image this one was made from (an edit or a remix)


def _megabytes(size: int) -> str:
    if size >= 2**20:
        return f"{round(size / 2**20, 1):g} MB"
    return f"{math.ceil(size / 1024)} KB"


def _pixel_limit(purpose: Purpose = POST) -> int:
    # Pillow's own bomb limit is global and may be lower; obeying it here turns its warning
    # into the same friendly refusal instead of a warning nobody reads.
    settings = get_settings()
    limit = settings.plaza_max_image_pixels
    if purpose == AVATAR:
        limit = min(limit, settings.plaza_max_avatar_pixels)
    pillow_limit = PILImage.MAX_IMAGE_PIXELS
    return min(limit, pillow_limit) if pillow_limit else limit


def _too_many_pixels(width: int, height: int, limit: int) -> Invalid:
    return Invalid(
        f"The image is {width}×{height} pixels; the limit is {limit / 1_000_000:g} megapixels."
    )


def header_size(data: bytes) -> tuple[int, int] | None:
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
        size = header_size(data)
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


def _jpeg_scale(image: PILImage.Image, limit: int) -> int:
    """The smallest DCT scale (1, 2, 4, 8) at which a JPEG fits the pixel limit; 0 if none."""
    width, height = image.size
    # A progressive JPEG keeps every DCT coefficient of the full image while it decodes,
    # whatever the scale, so only a baseline one may be decoded reduced.
    reducible = image.format == "JPEG" and not image.info.get("progressive")
    for scale in _JPEG_SCALES:
        if math.ceil(width / scale) * math.ceil(height / scale) <= limit:
            return scale if scale == 1 or reducible else 0
    return 0


def _check_header(data: bytes, purpose: Purpose) -> _Header:
    """What the header alone says; Invalid for what is not allowed."""
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
    limit = _pixel_limit(purpose)
    if header.format == "WEBP":
        # Pillow's WebP decoder holds about four copies of the pixels while decoding.
        limit //= WEBP_DECODE_COPIES - 1
    if width < 1 or height < 1:
        raise Invalid(BROKEN_IMAGE)
    if max(width, height) > MAX_SIDE:
        raise Invalid(f"The image is {width}×{height} pixels; no side may exceed {MAX_SIDE}.")
    scale = _jpeg_scale(header, limit)
    if not scale:
        raise _too_many_pixels(width, height, limit)
    # Only a JPEG's EXIF is read here: a PNG's may follow its pixels.
    orientation = (
        header.getexif().get(ExifTags.Base.Orientation, 1) if header.format == "JPEG" else 1
    )
    try:
        header.verify()  # checksums and structure; leaves the image unusable, so reopen
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as error:
        raise Invalid(BROKEN_IMAGE) from error
    return _Header(width, height, scale, header.format or "", header.mode, orientation)


def _decode(
    data: bytes, header: _Header, purpose: Purpose, at_least: tuple[int, int] | None = None
) -> PILImage.Image:
    """`data` decoded: a JPEG at the scale that fits the pixel limit, or smaller still while
    it stays `at_least` that size (every byte is still decoded, so damage is still found)."""
    width, height = header.width // header.scale, header.height // header.scale
    if at_least is not None:
        width, height = min(width, at_least[0]), min(height, at_least[1])
    try:
        image = _open(data)
        if (width, height) != image.size:
            image.draft(None, (width, height))
        image.load()
    except Invalid:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
        raise _too_many_pixels(header.width, header.height, _pixel_limit(purpose)) from error
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as error:
        raise Invalid(BROKEN_IMAGE) from error
    return image


def validate_image(data: bytes, *, purpose: Purpose = POST) -> PILImage.Image:
    """Check `data` is an acceptable image and return it decoded; raise Invalid otherwise.

    The header is checked before anything is decoded; a JPEG over the pixel limit comes back
    decoded at 1/2, 1/4 or 1/8 of its size."""
    return _decode(data, _check_header(data, purpose), purpose)


def _clean(image: PILImage.Image) -> PILImage.Image:
    """The pixels only, upright, in a mode PNG stores; no EXIF, XMP or text carried over.

    Works in place where it can: a decoded image is the biggest thing Plaza holds."""
    icc_profile = image.info.get("icc_profile")
    if not isinstance(icc_profile, bytes) or len(icc_profile) > MAX_ICC_BYTES:
        icc_profile = None
    # Stripping EXIF would otherwise lose the rotation.
    upright = ImageOps.exif_transpose(image, in_place=True) or image
    # Transparency kept in info (palette, tRNS) would be dropped with the info, so make it alpha.
    if upright.mode not in _PNG_MODES or "transparency" in upright.info:
        has_alpha = "A" in upright.getbands() or "transparency" in upright.info
        if upright.mode == "CMYK":
            icc_profile = None  # a CMYK profile would misdescribe the RGB pixels
        converted = upright.convert("RGBA" if has_alpha else "RGB")
        upright.close()
        upright = converted
    upright.info = {"icc_profile": icc_profile} if icc_profile else {}
    return upright


def _provenance_text(provenance: Provenance | None) -> dict[str, str]:
    """The text written into the stored file: PNG text chunks or JPEG comments."""
    if provenance is None:
        return {}
    text = {"plaza:ai_generated": "true" if provenance.ai_generated else "false"}
    if provenance.model:
        text["plaza:model"] = provenance.model
    if provenance.prompt:
        text["plaza:prompt"] = provenance.prompt
    if provenance.edits:
        text["plaza:edits"] = json.dumps(list(provenance.edits), ensure_ascii=False)
    if provenance.ai_generated:
        text["DigitalSourceType"] = DIGITAL_SOURCE_TYPE_AI
    return text


def _provenance_chunks(provenance: Provenance | None) -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    for key, value in _provenance_text(provenance).items():
        info.add_itxt(key, value)  # iTXt is UTF-8, so prompts in any language survive
    return info


def _encode_png(image: PILImage.Image, provenance: Provenance | None) -> bytes:
    buffer = io.BytesIO()
    # zlib level 1: two to four times as fast as the default 6, for files about 20% larger.
    image.save(
        buffer, format="PNG", pnginfo=_provenance_chunks(provenance), compress_level=PNG_LEVEL
    )
    return buffer.getvalue()


def _pixels_may_be_kept(image: PILImage.Image, purpose: Purpose) -> bool:
    """Whether the decoded `image` is a PNG whose compressed pixels may be stored as they are:
    in a mode PNG stores, upright, no transparency chunk, a small colour profile, and (for an
    avatar) no bigger than an avatar may be; the kind an image engine or a publish wrote."""
    if image.format != "PNG" or image.mode not in _PNG_MODES or "transparency" in image.info:
        return False
    if purpose == AVATAR and max(image.size) > AVATAR_MAX_SIDE:
        return False
    icc_profile = image.info.get("icc_profile")
    if icc_profile is not None and (
        not isinstance(icc_profile, bytes) or len(icc_profile) > MAX_ICC_BYTES
    ):
        return False
    # EXIF (in its own chunk, in text or in XMP) may ask for a rotation; _clean applies it.
    return image.getexif().get(ExifTags.Base.Orientation, 1) not in _ROTATIONS


def _png_with_provenance(data: bytes, provenance: Provenance | None) -> bytes | None:
    """The PNG `data` with its metadata replaced by `provenance`; None if it holds more."""
    text = [(kind, body) for kind, body, *_after in _provenance_chunks(provenance).chunks]
    return png_chunks.with_new_text(data, text)


def _encode_jpeg(
    image: PILImage.Image, tables: dict[int, list[int]] | None, sampling: int, text: dict[str, str]
) -> bytes:
    """`image` as a JPEG with the quantisation `tables` (and chroma `sampling`) of the file it
    came from, if any, and `text` in its comments."""
    buffer = io.BytesIO()
    icc_profile = image.info.get("icc_profile")
    if tables:
        image.save(
            buffer, format="JPEG", qtables=tables, subsampling=sampling, icc_profile=icc_profile
        )
    else:
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY, icc_profile=icc_profile)
    encoded = jpeg_segments.pixels_only(buffer.getvalue(), text, max_icc_bytes=MAX_ICC_BYTES)
    assert encoded is not None  # Pillow writes only segments a decoder reads
    return encoded


def _jpeg_files(data: bytes, header: _Header, purpose: Purpose, text: dict[str, str]) -> _Files:
    """A JPEG upload's stored file and thumbnail: its own compressed pixels when it is upright,
    fits the limits and holds nothing unknown; else decoded and encoded again."""
    keepable = (
        header.scale == 1
        and header.orientation not in _ROTATIONS
        and header.mode in _JPEG_MODES
        and (purpose != AVATAR or max(header.width, header.height) <= AVATAR_MAX_SIDE)
    )
    kept = jpeg_segments.pixels_only(data, text, max_icc_bytes=MAX_ICC_BYTES) if keepable else None
    if kept is not None:
        # The thumbnail is all the pixels are needed for, so libjpeg may decode them reduced.
        small = _fitted((header.width, header.height), THUMBNAIL_MAX_SIDE)
        thumbnail = _encode_thumbnail(_decode(data, header, purpose, at_least=small))
        return _Files(kept, thumbnail, header.width, header.height)
    image = _decode(data, header, purpose)
    assert isinstance(image, JpegImagePlugin.JpegImageFile)
    tables = image.quantization if image.mode in _JPEG_MODES else None
    sampling = JpegImagePlugin.get_sampling(image)
    image = _clean(image)
    if purpose == AVATAR:
        image.thumbnail((AVATAR_MAX_SIDE, AVATAR_MAX_SIDE))
    thumbnail = _encode_thumbnail(image)
    return _Files(_encode_jpeg(image, tables, sampling, text), thumbnail, image.width, image.height)


def _png_files(
    data: bytes, header: _Header, purpose: Purpose, provenance: Provenance | None
) -> _Files:
    """Any other upload's stored PNG and thumbnail: its own compressed pixels when it is
    pixels only, else decoded and encoded as PNG. An avatar is shrunk first."""
    image = _decode(data, header, purpose)
    kept: Future[bytes | None] | None = None
    if _pixels_may_be_kept(image, purpose):
        # Checking the compressed pixels is one more inflate; it runs beside the thumbnail.
        kept = _CHECKS.submit(_png_with_provenance, data, provenance)
    image = _clean(image)
    if purpose == AVATAR:
        image.thumbnail((AVATAR_MAX_SIDE, AVATAR_MAX_SIDE))
    thumbnail = _encode_thumbnail(image)
    png = kept.result() if kept is not None else None
    if png is None:
        png = _encode_png(image, provenance)
    return _Files(png, thumbnail, image.width, image.height)


# --- Content Credentials: the last step before a generated or edited image is stored ---
_MIME = {"PNG": PNG, "JPEG": JPEG, "WEBP": "image/webp"}


def _stored_parent(sha256: str) -> bytes | None:
    """The stored file (PNG or JPEG) an edit or remix was made from; None if there is none."""
    if not sha256:
        return None
    try:
        return read_image(sha256)
    except NotFound:
        return None


def _signed(
    session: Session, stored: bytes, original: bytes, mime: str, provenance: Provenance | None
) -> bytes:
    """`stored` signed with Content Credentials if a model made it; a person's photo as it is.

    A manifest the model's service put on `original` is kept as an ingredient, and so is the
    stored image an edit or remix was made from. A person's upload is stored unsigned, and any
    manifest it carried is dropped with its other metadata: a camera's may hold its location."""
    if provenance is None or not provenance.ai_generated:
        return stored
    parents = []
    if has_manifest(original, mime):
        parents.append(Parent(original, f"{provenance.model or 'model'} output", mime))
    parent = _stored_parent(provenance.parent_sha256)
    edited = parent is not None
    if parent is not None:
        title = f"Plaza image {provenance.parent_sha256[:12]}"
        parents.append(Parent(parent, title, mime_of(parent)))
    return sign_image(
        stored,
        identity=instance_identity(session),
        mime=mime_of(stored),
        model=provenance.model,
        parents=parents,
        edited=edited,
    )


def image_credentials(sha256: str) -> CredentialsSummary:
    """The Content Credentials of stored image `sha256`: Trusted if this instance signed it."""
    return read_credentials(read_image(sha256), trust_anchors=instance_ca_pem())


# --- end of Content Credentials ---


def _fitted(size: tuple[int, int], side: int) -> tuple[int, int]:
    """`size` scaled to fit `side`, never below one pixel (a 5897×7 strip stays 512×1)."""
    scale = side / max(size)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _encode_thumbnail(image: PILImage.Image) -> bytes:
    has_alpha = "A" in image.getbands() or image.mode == "P"
    # Shrink first, convert after: converting the full-size image would copy all its pixels,
    # and so would a smooth resize of RGBA (it premultiplies alpha). Nearest-neighbour does
    # not, so it takes a big image down to 4x the thumbnail before the smooth resize.
    small = image
    if max(small.size) > THUMBNAIL_MAX_SIDE * 4:
        small = small.resize(
            _fitted(small.size, THUMBNAIL_MAX_SIDE * 4), PILImage.Resampling.NEAREST
        )
    if small.mode in {"1", "I", "I;16", "P"}:
        small = small.convert("RGBA")
    if max(small.size) > THUMBNAIL_MAX_SIDE:
        small = small.resize(_fitted(small.size, THUMBNAIL_MAX_SIDE), PILImage.Resampling.BICUBIC)
    if small.mode not in {"RGB", "RGBA"}:
        small = small.convert("RGBA" if has_alpha else "RGB")
    buffer = io.BytesIO()
    small.save(buffer, format="WEBP", quality=80)
    return buffer.getvalue()


def _checked_sha256(sha256: str) -> str:
    # The hash becomes a key (a path in the local store): anything but 64 hex digits could
    # escape the media folder.
    if not _SHA256.fullmatch(sha256):
        raise Invalid("That is not an image id Plaza knows.")
    return sha256


def image_key(sha256: str, mime: str = PNG) -> str:
    """The store key of the full-size file (PNG or JPEG, as `mime` says) of image `sha256`."""
    sha256 = _checked_sha256(sha256)
    return f"{sha256[:2]}/{sha256}.{EXTENSIONS[mime]}"


def thumbnail_key(sha256: str) -> str:
    """The store key of the WEBP thumbnail (at most 512 px a side) of image `sha256`."""
    sha256 = _checked_sha256(sha256)
    return f"{sha256[:2]}/{sha256}.thumb.webp"


def read_image(sha256: str) -> bytes:
    """The full-size PNG or JPEG bytes of stored image `sha256`; NotFound if the store lacks it.

    Most images are PNGs, so the PNG key is tried first."""
    store = get_store()
    try:
        return store.get(image_key(sha256, PNG))
    except NotFound:
        return store.get(image_key(sha256, JPEG))


def read_thumbnail(sha256: str) -> bytes:
    """The WEBP thumbnail bytes of stored image `sha256`; NotFound if the store lacks it."""
    return get_store().get(thumbnail_key(sha256))


def store_image(
    session: Session,
    data: bytes,
    *,
    provenance: Provenance | None = None,
    purpose: Purpose = POST,
) -> Image:
    """Validate, clean and store an image with its provenance; return its (maybe existing) row.

    A JPEG is stored as a JPEG, anything else as a PNG; an upright JPEG and a PNG that is
    pixels only keep their compressed pixels (their metadata replaced by the provenance),
    anything else is re-encoded. An avatar is also shrunk to at most `AVATAR_MAX_SIDE` pixels
    a side."""
    header = _check_header(data, purpose)
    if header.format == "JPEG":
        files = _jpeg_files(data, header, purpose, _provenance_text(provenance))
    else:
        files = _png_files(data, header, purpose, provenance)
    mime = mime_of(files.stored)
    # Addressed by the unsigned file: the same picture with the same provenance is one image,
    # whichever signature (a new one each time: it has its own id and time) was stored first.
    sha256 = hashlib.sha256(files.stored).hexdigest()
    stored = _signed(session, files.stored, data, _MIME[header.format], provenance)
    store = get_store()
    # Files first, the row after: a crash in between leaves an unreferenced object, never a
    # row that points at nothing.
    if not store.exists(thumbnail_key(sha256)):
        store.put(thumbnail_key(sha256), files.thumbnail)
    if not store.exists(image_key(sha256, mime)):
        store.put(image_key(sha256, mime), stored)
    existing = session.scalars(select(Image).where(Image.sha256 == sha256)).one_or_none()
    if existing is not None:
        return existing
    row = Image(
        sha256=sha256,
        mime=mime,
        width=files.width,
        height=files.height,
        size_bytes=len(stored),
    )
    session.add(row)
    session.flush()
    return row


def read_provenance(sha256: str) -> dict[str, str]:
    """The text metadata store_image wrote into the file of image `sha256`."""
    data = read_image(sha256)
    if mime_of(data) == JPEG:
        return jpeg_segments.comment_text(data)
    with PILImage.open(io.BytesIO(data), formats=("PNG",)) as image:
        text = image.text if isinstance(image, PngImagePlugin.PngImageFile) else {}
        return {key: str(value) for key, value in text.items()}


def image_lineage(sha256: str) -> Provenance:
    """The provenance written into image `sha256`: AI or not, model, prompt and edits."""
    text = read_provenance(sha256)
    try:
        edits = tuple(str(step) for step in json.loads(text.get("plaza:edits", "[]")))
    except (ValueError, TypeError):
        edits = ()
    return Provenance(
        ai_generated=text.get("plaza:ai_generated") == "true",
        model=text.get("plaza:model", ""),
        prompt=text.get("plaza:prompt", ""),
        edits=edits,
    )


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
