"""Content Credentials: signing a generated picture (manifest thumbnail off, as Plaza signs, and
on, for comparison) and reading its credentials back, against encoding the PNG itself."""

from __future__ import annotations

import io

import c2pa
from PIL import Image

from assistant.offline.painter import OfflinePainter
from bench.report import Figure
from bench.timing import timed
from social.credentials import read_credentials, sign_image
from social.signing_keys import SigningIdentity, issue_identity


def _with_thumbnail(png: bytes, identity: SigningIdentity) -> bytes:
    """The same claim signed with c2pa's default manifest thumbnail on."""
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
    identity = issue_identity()  # the kind an instance keeps in its database
    [painted] = OfflinePainter().generate("a lighthouse in a storm", n=1)
    with Image.open(io.BytesIO(painted)) as image:
        picture = image.resize((side, side))

    def encode() -> bytes:
        out = io.BytesIO()
        picture.save(out, format="PNG")
        return out.getvalue()

    def sign() -> bytes:
        return sign_image(source, identity=identity, model="offline-painter-1")

    source = encode()
    signed = sign()
    sign_s = timed(sign, repeat)
    thumb_s = timed(lambda: _with_thumbnail(source, identity), repeat)
    read_s = timed(lambda: read_credentials(signed), repeat)
    encode_s = timed(encode, repeat)
    what = f"Content Credentials, {side}² PNG ({len(source) // 1024} KB)"
    return [
        Figure(f"{what}: sign", "PNG encode", sign_s, encode_s),
        Figure(f"{what}: sign with manifest thumbnail", "PNG encode", thumb_s, encode_s),
        Figure(f"{what}: read and validate", "PNG encode", read_s, encode_s),
    ]
