"""Content Credentials (C2PA): sign the images Plaza makes, read the credentials of any image.

`sign_image` is the last step before an image (PNG or JPEG) is stored: anything that
re-encodes the file afterwards (Pillow does) drops the manifest. The manifest states the IPTC
digital source type (trainedAlgorithmicMedia, or compositeWithTrainedAlgorithmicMedia for a
person's photo edited by a model), the model as the action's software agent, and the images it
was made from as ingredients, with their own manifests kept (a manifest OpenAI put on its
output survives this way). No prompt goes into the manifest: whether a prompt is shown is the
author's choice per post. The manifest thumbnail is off: it costs 76-105 ms a signature,
against about 2 ms without.

Readers never fetch anything: remote manifests and OCSP are off, so a crafted image cannot make
the server call out.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Literal

import c2pa

from social.image_formats import EXTENSIONS, PNG, mime_of
from social.signing_keys import SigningIdentity

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
AI_GENERATED = IPTC + "trainedAlgorithmicMedia"
AI_COMPOSITE = IPTC + "compositeWithTrainedAlgorithmicMedia"
_AI_SOURCE_TYPES = {AI_GENERATED, AI_COMPOSITE}
GENERATOR = "Plaza"
_OFFLINE = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}

Validation = Literal["Trusted", "Valid", "Invalid", ""]


@dataclass(frozen=True)
class Parent:
    """An image another was made from: its file (with any manifest it carries) and a title."""

    data: bytes
    title: str
    mime: str = PNG


@dataclass(frozen=True)
class Ingredient:
    """An image the signed one was made from, as its manifest lists it."""

    title: str
    relationship: str  # "parentOf", "componentOf" or "inputTo"
    generator: str  # what signed the ingredient's own manifest; "" if it had none


@dataclass(frozen=True)
class CredentialsSummary:
    """What an image's Content Credentials say, for people; `present` False if it has none."""

    present: bool = False
    validation: Validation = ""  # Trusted: chains to a trusted CA; Valid: intact, signer unknown
    ai_generated: bool = False
    digital_source_type: str = ""
    generator: str = ""  # the application that signed it, e.g. "Plaza 0.1"
    signer: str = ""  # the certificate's organisation and name
    model: str = ""
    date: datetime | None = None
    edits: tuple[str, ...] = ()  # the edits in its history, oldest first ("edited with m")
    ingredients: tuple[Ingredient, ...] = ()

    @property
    def source_label(self) -> str:
        """The digital source type's last word, e.g. "trainedAlgorithmicMedia"."""
        return self.digital_source_type.rsplit("/", 1)[-1]


def _context(settings: dict[str, Any], signer: c2pa.Signer | None = None) -> c2pa.Context:
    return c2pa.Context.from_dict(settings, signer=signer)


@lru_cache(maxsize=4)
def _signing_context(chain_pem: str, private_key_pem: str) -> c2pa.Context:
    info = c2pa.C2paSignerInfo(
        c2pa.C2paSigningAlg.ES256, chain_pem.encode(), private_key_pem.encode(), None
    )
    settings = {**_OFFLINE, "builder": {"thumbnail": {"enabled": False}}}
    return _context(settings, c2pa.Signer.from_info(info))


@lru_cache(maxsize=4)
def _reading_context(trust_anchors: str) -> c2pa.Context:
    settings: dict[str, Any] = dict(_OFFLINE)
    if trust_anchors:
        settings["trust"] = {"user_anchors": trust_anchors}
    return _context(settings)


def _plaza_version() -> str:
    try:
        return version("plaza")
    except PackageNotFoundError:  # running from a checkout, not installed
        return "dev"


def sign_image(
    data: bytes,
    *,
    identity: SigningIdentity,
    mime: str = PNG,
    model: str,
    parents: Sequence[Parent] = (),
    edited: bool = False,
) -> bytes:
    """Image `data` (a `mime` file) with a C2PA manifest signed by `identity`: made by
    `model` from `parents`.

    Without parents it was created; with them it was opened from the first, then `edited`
    by the model, or else only re-encoded (keeping the first parent's source type). An edit
    of a parent with no AI claim (a person's photo) is a composite with AI."""
    moment = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sources = [read_credentials(parent.data) for parent in parents]
    if not parents or edited:
        source = AI_GENERATED if all(s.ai_generated for s in sources) else AI_COMPOSITE
    else:
        source = sources[0].digital_source_type or AI_GENERATED
    step: dict[str, Any] = {"digitalSourceType": source, "when": moment}
    if model:
        step["softwareAgent"] = {"name": model}
    actions = [{"action": "c2pa.created", **step}]
    if parents:
        opened = {"action": "c2pa.opened", "parameters": {"ingredientIds": ["parent"]}}
        actions = [opened, {"action": "c2pa.edited" if edited else "c2pa.transcoded", **step}]
    manifest = {
        "claim_generator_info": [{"name": GENERATOR, "version": _plaza_version()}],
        "title": f"image.{EXTENSIONS[mime]}",
        "format": mime,
        "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": actions}}],
    }
    builder = c2pa.Builder(
        manifest, context=_signing_context(identity.chain_pem, identity.private_key_pem)
    )
    for number, parent in enumerate(parents):
        ingredient = {
            "title": parent.title,
            "relationship": "parentOf" if number == 0 else "componentOf",
            "label": "parent" if number == 0 else f"component-{number}",
        }
        builder.add_ingredient(ingredient, parent.mime, io.BytesIO(parent.data))
    signed = io.BytesIO()
    builder.sign(mime, io.BytesIO(data), signed)
    return signed.getvalue()


def has_manifest(data: bytes, mime: str = PNG) -> bool:
    """Whether `data` carries a C2PA manifest that can be read (valid or not)."""
    try:
        reader = c2pa.Reader.try_create(mime, io.BytesIO(data), context=_reading_context(""))
    except c2pa.C2paError:
        return False  # too damaged to keep as an ingredient: dropped like other metadata
    if reader is None:
        return False
    reader.close()
    return True


def read_credentials(
    data: bytes, *, trust_anchors: str = "", mime: str | None = None
) -> CredentialsSummary:
    """The Content Credentials of image `data` (a stored PNG or JPEG unless `mime` says
    otherwise); trusted if they chain to `trust_anchors` (PEM)."""
    try:
        reader = c2pa.Reader.try_create(
            mime or mime_of(data), io.BytesIO(data), context=_reading_context(trust_anchors)
        )
    except c2pa.C2paError:
        # A manifest store too damaged to parse is a manifest that does not hold.
        return CredentialsSummary(present=True, validation="Invalid")
    if reader is None:
        return CredentialsSummary()
    with reader:
        store = json.loads(reader.json())
        state = reader.get_validation_state() or "Invalid"
    return _summary(store, state)


def _summary(store: dict[str, Any], state: str) -> CredentialsSummary:
    manifests: dict[str, Any] = store.get("manifests") or {}
    active = manifests.get(store.get("active_manifest", "")) or {}
    history = _history(manifests, active, seen=set())
    source_step: dict[str, Any] = next(
        (a for a in reversed(history) if a.get("digitalSourceType")), {}
    )
    dated = [a["when"] for a in history if isinstance(a.get("when"), str)]
    signature = active.get("signature_info") or {}
    return CredentialsSummary(
        present=True,
        validation="Trusted" if state == "Trusted" else "Valid" if state == "Valid" else "Invalid",
        ai_generated=any(a.get("digitalSourceType") in _AI_SOURCE_TYPES for a in history),
        digital_source_type=str(source_step.get("digitalSourceType", "")),
        generator=_generator(active),
        signer=" · ".join(
            str(signature[key]) for key in ("issuer", "common_name") if signature.get(key)
        ),
        model=_agent(source_step),
        date=_parse_time(signature.get("time")) or (_parse_time(dated[-1]) if dated else None),
        edits=tuple(
            f"edited with {_agent(a)}" if _agent(a) else "edited"
            for a in history
            if a.get("action") == "c2pa.edited"
        ),
        ingredients=tuple(
            Ingredient(
                title=str(item.get("title", "")),
                relationship=str(item.get("relationship", "")),
                generator=_generator(manifests.get(item.get("active_manifest", "")) or {}),
            )
            for item in active.get("ingredients") or ()
        ),
    )


def _history(
    manifests: dict[str, Any], manifest: dict[str, Any], *, seen: set[str]
) -> list[dict[str, Any]]:
    """The actions of `manifest` after those of its ingredients' manifests: oldest first."""
    label = str(manifest.get("label", ""))
    if not manifest or label in seen:
        return []
    seen.add(label)
    earlier: list[dict[str, Any]] = []
    for item in manifest.get("ingredients") or ():
        earlier += _history(
            manifests, manifests.get(item.get("active_manifest", "")) or {}, seen=seen
        )
    own = []
    for assertion in manifest.get("assertions") or ():
        if str(assertion.get("label", "")).startswith("c2pa.actions"):
            own += [
                a for a in (assertion.get("data") or {}).get("actions") or () if isinstance(a, dict)
            ]
    return earlier + own


def _agent(action: dict[str, Any]) -> str:
    agent = action.get("softwareAgent")
    if isinstance(agent, dict):
        return str(agent.get("name", ""))
    return str(agent or "")


def _generator(manifest: dict[str, Any]) -> str:
    for info in manifest.get("claim_generator_info") or ():
        if isinstance(info, dict) and info.get("name"):
            return " ".join(str(info[key]) for key in ("name", "version") if info.get(key))
    return str(manifest.get("claim_generator", ""))


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
