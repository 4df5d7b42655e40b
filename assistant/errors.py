"""Provider failures as errors a person can read: what happened, and whether Retry may help."""

from __future__ import annotations

import json
from typing import Any

import openai
import pydantic

_KEPT = "Your draft is kept"


class AssistantError(Exception):
    """A failure the chat can show as a message; `retryable` says whether Retry may help."""

    retryable: bool = False

    def __init__(self, message: str, *, retryable: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        if retryable is not None:
            self.retryable = retryable


class ProviderUnavailable(AssistantError):
    """The service could not be reached, timed out or failed on its side."""

    retryable = True


class RateLimited(AssistantError):
    """The service asked us to slow down (HTTP 429), even after the SDK's own retries."""

    retryable = True

    def __init__(
        self, message: str, *, retry_after: float | None = None, retryable: bool | None = None
    ) -> None:
        super().__init__(message, retryable=retryable)
        self.retry_after = retry_after


class ContentRefused(AssistantError):
    """The service declined the request under its content policy."""

    retryable = False


class BadProviderReply(AssistantError):
    """The service answered with something that is not a valid reply."""

    # A garbled reply is usually a one-off (a proxy hiccup, a truncated body).
    retryable = True


class UnknownEngine(AssistantError):
    """The settings name an image engine, caption writer or moderation check no installed
    plugin registers."""


class ProviderRejected(AssistantError):
    """The service refused the request itself: bad key, unknown model, invalid parameters."""

    # Retrying the same request gives the same answer; the settings need fixing.
    retryable = False


def _tail(retryable: bool) -> str:
    return f"{_KEPT} — press Retry." if retryable else f"{_KEPT}."


def _timeout_of(exc: openai.APIError) -> float | None:
    """The read timeout the SDK used for the request, if it is recorded on it."""
    try:
        timeout: Any = exc.request.extensions.get("timeout", {})
    except (AttributeError, RuntimeError):
        return None
    value = timeout.get("read") if isinstance(timeout, dict) else None
    return float(value) if isinstance(value, int | float) else None


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _is_content_policy(exc: openai.APIStatusError) -> bool:
    if exc.code in {"content_policy_violation", "moderation_blocked", "content_filter"}:
        return True
    body = exc.body
    # Some compatible servers nest the error object one level deeper than the SDK looks.
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"].get("code") in {"content_policy_violation", "moderation_blocked"}
    return False


def _retry_after(exc: openai.APIStatusError) -> float | None:
    headers = exc.response.headers
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return float(raw) / divisor
        except ValueError:
            continue
    return None


def explain_provider_error(
    exc: BaseException, *, service: str = "The AI service", timeout: float | None = None
) -> AssistantError:
    """Turn an exception from the openai SDK (or LangChain around it) into an AssistantError."""
    if isinstance(exc, AssistantError):
        return exc

    # Order matters: APITimeoutError is an APIConnectionError, RateLimitError an APIStatusError.
    if isinstance(exc, openai.APITimeoutError):
        waited = timeout if timeout is not None else _timeout_of(exc)
        detail = f" (timeout after {_seconds(waited)})" if waited is not None else ""
        return ProviderUnavailable(f"{service} took too long to answer{detail}. {_tail(True)}")
    if isinstance(exc, openai.APIConnectionError):
        return ProviderUnavailable(f"{service} could not be reached. {_tail(True)}")
    if isinstance(exc, openai.RateLimitError):
        wait = _retry_after(exc)
        hint = f" Try again in about {max(1, round(wait))} s." if wait else ""
        return RateLimited(
            f"{service} is busy and asked us to slow down (rate limit).{hint} {_tail(True)}",
            retry_after=wait,
        )
    if isinstance(exc, openai.APIStatusError) and _is_content_policy(exc):
        return ContentRefused(
            f"{service} declined this request under its content policy. "
            f"Try rewording it. {_tail(False)}"
        )
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return ProviderRejected(
            f"{service} did not accept the API key (HTTP {exc.status_code}). "
            f"Check OPENAI_API_KEY. {_tail(False)}"
        )
    if isinstance(exc, openai.NotFoundError):
        return ProviderRejected(
            f"{service} does not offer the configured model or endpoint (HTTP 404). "
            f"Check the model name and OPENAI_BASE_URL. {_tail(False)}"
        )
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code >= 500 or exc.status_code in (408, 409):
            return ProviderUnavailable(
                f"{service} had a problem on its side (HTTP {exc.status_code}). {_tail(True)}"
            )
        return ProviderRejected(
            f"{service} turned the request down (HTTP {exc.status_code}: {exc.message}). "
            f"{_tail(False)}"
        )
    if isinstance(
        exc,
        openai.APIResponseValidationError | json.JSONDecodeError | pydantic.ValidationError,
    ):
        return BadProviderReply(f"{service} sent a reply that could not be read. {_tail(True)}")
    if isinstance(exc, openai.OpenAIError):
        return AssistantError(f"{service} failed: {exc}. {_tail(True)}", retryable=True)
    # Not a provider failure we know: say so plainly rather than guess at a cause.
    return AssistantError(
        f"{service} call failed unexpectedly ({type(exc).__name__}). {_tail(False)}"
    )
