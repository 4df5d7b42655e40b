"""OpenAI (or any OpenAI-compatible server) behind Plaza's chat model and image engine."""

from __future__ import annotations

import base64
import binascii
import io
import math
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import openai
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGenerationChunk
from langchain_openai import ChatOpenAI
from PIL import Image, UnidentifiedImageError
from pydantic import SecretStr

from assistant.engines import ASPECT_SIZES, Aspect
from assistant.errors import (
    AssistantError,
    BadProviderReply,
    ContentRefused,
    explain_provider_error,
)
from assistant.settings import AssistantSettings
from social.media import header_size
from social.settings import get_settings

# Servers such as Ollama or vLLM ignore the key, but the SDK refuses to start without one.
PLACEHOLDER_API_KEY = "not-needed"

IMAGE_SERVICE = "The image service"
CHAT_SERVICE = "The chat service"

# Sizes each image model accepts; anything not listed is treated like gpt-image-1.
GPT_IMAGE_SIZES: tuple[tuple[int, int], ...] = ((1024, 1024), (1536, 1024), (1024, 1536))
_SIZES_BY_PREFIX: dict[str, tuple[tuple[int, int], ...]] = {
    "dall-e-3": ((1024, 1024), (1792, 1024), (1024, 1792)),
    "dall-e-2": ((1024, 1024),),
}

_T = TypeVar("_T")


def _api_key(settings: AssistantSettings) -> str:
    if settings.openai_api_key:
        return settings.openai_api_key
    if settings.openai_base_url:
        return PLACEHOLDER_API_KEY
    raise ValueError(
        "No provider configured: set OPENAI_API_KEY or OPENAI_BASE_URL, or use the offline engines."
    )


def openai_client(settings: AssistantSettings) -> openai.OpenAI:
    """An SDK client for the configured OpenAI (or compatible) server, with its timeout and
    retries."""
    return openai.OpenAI(
        api_key=_api_key(settings),
        base_url=settings.openai_base_url,
        timeout=settings.plaza_request_timeout,
        max_retries=settings.plaza_max_retries,
    )


class PlazaChatOpenAI(ChatOpenAI):
    """ChatOpenAI that keeps a streamed `refusal` instead of dropping it."""

    def _convert_chunk_to_generation_chunk(
        self,
        chunk: dict,
        default_chunk_class: type,
        base_generation_info: dict | None,
    ) -> ChatGenerationChunk | None:
        generation = super()._convert_chunk_to_generation_chunk(
            chunk, default_chunk_class, base_generation_info
        )
        # LangChain records `message.refusal` for whole replies but ignores `delta.refusal`
        # when streaming, so a refused streamed answer would look like an empty one.
        choices = chunk.get("choices") or []
        delta = (choices[0].get("delta") or {}) if choices else {}
        refusal = delta.get("refusal")
        if generation is not None and isinstance(refusal, str) and refusal:
            generation.message.additional_kwargs["refusal"] = refusal
        return generation


def make_chat_model(settings: AssistantSettings) -> ChatOpenAI:
    """A streaming LangChain chat model for the configured OpenAI or compatible server."""
    return PlazaChatOpenAI(
        model=settings.plaza_chat_model,
        api_key=SecretStr(_api_key(settings)),
        base_url=settings.openai_base_url,
        timeout=settings.plaza_request_timeout,
        # The SDK retries 408/409/429/5xx and connection errors with backoff and Retry-After.
        max_retries=settings.plaza_max_retries,
        streaming=True,
        # Chat Completions is the one protocol OpenAI and every compatible server both speak.
        use_responses_api=False,
    )


def chat_refusal(message: BaseMessage) -> ContentRefused | None:
    """The refusal in a chat reply as a ContentRefused, or None if the model answered."""
    refusal = message.additional_kwargs.get("refusal")
    finish_reason = message.response_metadata.get("finish_reason")
    if not refusal and finish_reason != "content_filter":
        return None
    said = f' It said: "{refusal}"' if isinstance(refusal, str) and refusal else ""
    return ContentRefused(
        f"{CHAT_SERVICE} declined to answer this request.{said} "
        "Try rewording it. Your draft is kept."
    )


def _closest_size(width: int, height: int, sizes: tuple[tuple[int, int], ...]) -> tuple[int, int]:
    # Compare shapes on a log scale so 2:1 and 1:2 are equally far from square.
    target = math.log(width / height)
    return min(sizes, key=lambda size: abs(math.log(size[0] / size[1]) - target))


def _too_big(size: tuple[int, int] | None) -> BadProviderReply:
    pixels = f" of {size[0]}×{size[1]} pixels" if size else ""
    return BadProviderReply(
        f"{IMAGE_SERVICE} sent an image{pixels}, far larger than asked for; "
        "Plaza did not open it. Your draft is kept — press Retry."
    )


def _as_png(data: bytes) -> bytes:
    """`data` as PNG bytes, re-encoded if the server chose another format.

    The size is checked from the header first: a decompression bomb is refused undecoded."""
    limit = get_settings().plaza_max_image_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > limit:
                    raise _too_big(image.size)
                if image.format == "PNG":
                    image.verify()
                    return data
                image.load()
                out = io.BytesIO()
                image.save(out, format="PNG", compress_level=1)  # Plaza keeps these bytes
                return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_big(header_size(data)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise BadProviderReply(
            f"{IMAGE_SERVICE} sent data that is not a readable image. "
            "Your draft is kept — press Retry."
        ) from exc


class OpenAIImageEngine:
    """Makes and edits images through the OpenAI Images API (or a compatible server)."""

    offline = False

    def __init__(self, settings: AssistantSettings, *, client: openai.OpenAI | None = None) -> None:
        self.model: str = settings.plaza_image_model
        self._timeout = settings.plaza_request_timeout
        self._client = client or openai_client(settings)

    @property
    def sizes(self) -> tuple[tuple[int, int], ...]:
        """The output sizes the configured model accepts."""
        for prefix, sizes in _SIZES_BY_PREFIX.items():
            if self.model.startswith(prefix):
                return sizes
        return GPT_IMAGE_SIZES

    def size_for(self, aspect: Aspect) -> str:
        """The accepted API size (e.g. "1536x1024") closest in shape to `aspect`."""
        width, height = _closest_size(*ASPECT_SIZES[aspect], self.sizes)
        return f"{width}x{height}"

    def _extra(self) -> dict[str, Any]:
        # DALL·E answers with URLs unless asked; GPT image models reject the parameter.
        return {"response_format": "b64_json"} if self.model.startswith("dall-e") else {}

    def _call(self, request: Callable[[], _T]) -> _T:
        try:
            return request()
        except AssistantError:
            raise
        except Exception as exc:
            raise explain_provider_error(exc, service=IMAGE_SERVICE, timeout=self._timeout) from exc

    def _images(self, response: Any, expected: int) -> list[bytes]:
        data = getattr(response, "data", None)
        if not isinstance(data, list) or not data:
            raise BadProviderReply(
                f"{IMAGE_SERVICE} answered without any image. Your draft is kept — press Retry."
            )
        images: list[bytes] = []
        for item in data[:expected]:
            encoded = getattr(item, "b64_json", None)
            if not encoded:
                # Fetching a URL would be an unbounded download from wherever the server points.
                kind = "a link instead of the image" if getattr(item, "url", None) else "no image"
                raise BadProviderReply(
                    f"{IMAGE_SERVICE} sent {kind}; Plaza only accepts images sent inline "
                    "(b64_json). Your draft is kept.",
                    # The same server will answer the same way; only its settings can change that.
                    retryable=False,
                )
            try:
                raw = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise BadProviderReply(
                    f"{IMAGE_SERVICE} sent an image that could not be decoded. "
                    "Your draft is kept — press Retry."
                ) from exc
            images.append(_as_png(raw))
        return images

    def generate(
        self, prompt: str, *, aspect: Aspect = "1:1", n: int = 1, style: str = ""
    ) -> list[bytes]:
        """`n` PNG images for `prompt`, at the accepted size closest to `aspect`."""
        full_prompt = f"{prompt}\n\nStyle: {style}" if style.strip() else prompt
        response = self._call(
            lambda: self._client.images.generate(
                model=self.model,
                prompt=full_prompt,
                n=n,
                size=self.size_for(aspect),
                **self._extra(),
            )
        )
        return self._images(response, n)

    def edit(self, image: bytes, instruction: str, *, aspect: Aspect | None = None) -> bytes:
        """A PNG of `image` changed as `instruction` says (keeping its shape unless `aspect`)."""
        shape, mime = _describe(image)
        if aspect is not None:
            shape = ASPECT_SIZES[aspect]
        options: dict[str, Any] = {}
        if shape is not None:
            width, height = _closest_size(*shape, self.sizes)
            options["size"] = f"{width}x{height}"
        extension = mime.removeprefix("image/")
        response = self._call(
            lambda: self._client.images.edit(
                model=self.model,
                image=(f"image.{extension}", image, mime),
                prompt=instruction,
                **options,
                **self._extra(),
            )
        )
        return self._images(response, 1)[0]


def _describe(image: bytes) -> tuple[tuple[int, int] | None, str]:
    """Size and MIME type of `image`; input Pillow cannot read is left to the server."""
    try:
        with Image.open(io.BytesIO(image)) as opened:
            return opened.size, opened.get_format_mimetype() or "image/png"
    except (UnidentifiedImageError, OSError, ValueError):
        return None, "image/png"
