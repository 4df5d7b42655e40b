"""Content Credentials: signing a generated picture (manifest thumbnail off, as Plaza signs, and
on, for comparison) and reading its credentials back, against encoding the PNG itself."""

from __future__ import annotations

import io
import os
import tempfile

import c2pa
from PIL import Image

from assistant.offline.painter import OfflinePainter
from bench.report import Figure
from bench.timing import timed
from social.credentials import read_credentials, sign_image
from social.settings import get_settings
from social.signing_keys import instance_identity


def _with_thumbnail(png: bytes) -> bytes:
    """The same claim signed with c2pa's default manifest thumbnail on."""
    identity = instance_identity()
    info = c2pa.C2paSignerInfo(
        c2pa.C2paSigningAlg.ES256,
        identity.chain_pem.encode(),
        identity.private_key_pem.encode(),
        None,
    )
    settings = {"builder": {"thumbnail": {"enabled": True}}}
    context = c2pa.Context.from_dict(settings, signer=c2pa.Signer.from_info(info))
    created = {
        "action": "c2pa.created",
        "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/"
        "trainedAlgorithmicMedia",
    }
    manifest = {"assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [created]}}]}
    signed = io.BytesIO()
    c2pa.Builder(manifest, context=context).sign("image/png", io.BytesIO(png), signed)
    return signed.getvalue()


def run(*, smoke: bool = False, postgres_url: str | None = None) -> list[Figure]:
    """Signing (thumbnail off, and on) and reading one offline picture, against encoding it."""
    side, repeat = (64, 1) if smoke else (1024, 7)
    previous = os.environ.get("PLAZA_DATA_DIR")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PLAZA_DATA_DIR"] = folder  # the instance key is made here
        get_settings.cache_clear()
        [painted] = OfflinePainter().generate("a lighthouse in a storm", n=1)
        with Image.open(io.BytesIO(painted)) as image:
            picture = image.resize((side, side))

        def encode() -> bytes:
            out = io.BytesIO()
            picture.save(out, format="PNG")
            return out.getvalue()

        source = encode()
        signed = sign_image(source, model="offline-painter-1")
        sign_s = timed(lambda: sign_image(source, model="offline-painter-1"), repeat)
        thumb_s = timed(lambda: _with_thumbnail(source), repeat)
        read_s = timed(lambda: read_credentials(signed), repeat)
        encode_s = timed(encode, repeat)
        if previous is None:
            os.environ.pop("PLAZA_DATA_DIR", None)
        else:
            os.environ["PLAZA_DATA_DIR"] = previous
        get_settings.cache_clear()
    what = f"Content Credentials, {side}² PNG ({len(source) // 1024} KB)"
    return [
        Figure(f"{what}: sign", "PNG encode", sign_s, encode_s),
        Figure(f"{what}: sign with manifest thumbnail", "PNG encode", thumb_s, encode_s),
        Figure(f"{what}: read and validate", "PNG encode", read_s, encode_s),
    ]
