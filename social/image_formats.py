"""The formats Plaza stores images in, told apart by their first bytes."""

from __future__ import annotations

PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {PNG: "png", JPEG: "jpg"}
_JPEG_START = b"\xff\xd8\xff"


def mime_of(data: bytes) -> str:
    """The MIME type of stored image `data`: JPEG if it starts like one, else PNG."""
    return JPEG if data.startswith(_JPEG_START) else PNG


def file_name(stem: str, data: bytes) -> str:
    """`stem` with the extension of stored image `data`, for a download."""
    return f"{stem}.{EXTENSIONS[mime_of(data)]}"
