"""Opaque secrets handed to browsers and clients (sign-in and personal tokens): only their hash
is ever stored."""

from __future__ import annotations

import hashlib

# Longer than any token Plaza makes; a longer one is refused before it is hashed.
MAX_TOKEN_LENGTH = 200


def token_digest(secret: str) -> str:
    """The hash a secret is stored and looked up by."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
