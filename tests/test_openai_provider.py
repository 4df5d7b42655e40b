"""The OpenAI path, through the real openai SDK and ChatOpenAI, against a local test server."""

from __future__ import annotations

import io

import openai
import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage
from langchain_core.tools import tool
from PIL import Image

from assistant.engines import Aspect
from assistant.errors import (
    AssistantError,
    BadProviderReply,
    ContentRefused,
    ProviderRejected,
    ProviderUnavailable,
    RateLimited,
    explain_provider_error,
)
from assistant.openai_provider import (
    CHAT_SERVICE,
    PLACEHOLDER_API_KEY,
    OpenAIImageEngine,
    chat_refusal,
    make_chat_model,
)
from assistant.settings import AssistantSettings, get_assistant_settings
from tests.openai_server import OpenAITestServer, make_png


@tool
def suggest_hashtags(topic: str, count: int = 5) -> list[str]:
    """Suggest hashtags for a topic."""
    return [f"#{topic}"] * count


def settings(**changes: object) -> AssistantSettings:
    """The environment's settings (pointing at the test server) with `changes` applied."""
    return get_assistant_settings().model_copy(update=changes)


def png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        image.load()
        return image.size


# -- chat ------------------------------------------------------------------------------------


def test_chat_invoke_returns_server_text(openai_server: OpenAITestServer) -> None:
    openai_server.queue_chat_text("A sunny morning at the harbour.")

    reply = make_chat_model(settings(plaza_chat_model="plaza-test-chat")).invoke("caption please")

    assert reply.content == "A sunny morning at the harbour."
    [sent] = openai_server.requests_to("chat")
    assert sent.json["model"] == "plaza-test-chat"
    assert sent.json["stream"] is True
    assert sent.json["messages"][-1] == {"role": "user", "content": "caption please"}
    assert sent.headers["authorization"] == "Bearer test-key"


def test_chat_stream_yields_several_chunks(openai_server: OpenAITestServer) -> None:
    text = "Golden light spills over the old harbour walls"
    openai_server.queue_chat_text(text)

    chunks = list(make_chat_model(settings()).stream([HumanMessage("describe")]))

    pieces = [chunk.content for chunk in chunks if chunk.content]
    assert len(pieces) >= 5
    assert "".join(pieces) == text


def test_non_streaming_call_reads_a_json_completion(openai_server: OpenAITestServer) -> None:
    openai_server.queue_chat_text("One whole answer.")

    reply = make_chat_model(settings()).invoke("hi", stream=False)

    assert reply.content == "One whole answer."
    assert not openai_server.last.json.get("stream")


@pytest.mark.parametrize("streamed", [True, False], ids=["stream", "json"])
def test_tool_call_is_parsed_and_schema_sent(
    openai_server: OpenAITestServer, streamed: bool
) -> None:
    openai_server.queue_tool_call(
        "suggest_hashtags", {"topic": "harbour sunset", "count": 3}, call_id="call_1"
    )
    model = make_chat_model(settings()).bind_tools([suggest_hashtags])

    if streamed:
        chunks = list(model.stream("tags for my harbour photo"))
        assert len(chunks) > 3  # the arguments arrived in pieces
        message: AIMessage = chunks[0]
        for chunk in chunks[1:]:
            message = message + chunk  # type: ignore[assignment]
        assert isinstance(message, AIMessageChunk)
    else:
        message = model.invoke("tags for my harbour photo", stream=False)

    assert message.tool_calls == [
        {
            "name": "suggest_hashtags",
            "args": {"topic": "harbour sunset", "count": 3},
            "id": "call_1",
            "type": "tool_call",
        }
    ]
    [sent_tool] = openai_server.last.json["tools"]
    assert sent_tool["type"] == "function"
    function = sent_tool["function"]
    assert function["name"] == "suggest_hashtags"
    assert function["description"] == "Suggest hashtags for a topic."
    assert function["parameters"]["required"] == ["topic"]
    assert function["parameters"]["properties"]["count"] == {"type": "integer", "default": 5}


@pytest.mark.parametrize("streamed", [True, False], ids=["stream", "json"])
def test_chat_refusal_becomes_content_refused(
    openai_server: OpenAITestServer, streamed: bool
) -> None:
    openai_server.refuse_next(text="I can't help with that.")

    reply = make_chat_model(settings()).invoke("something not allowed", stream=streamed)

    problem = chat_refusal(reply)
    assert isinstance(problem, ContentRefused)
    assert not problem.retryable
    assert "I can't help with that." in str(problem)


def test_ordinary_answer_is_not_a_refusal(openai_server: OpenAITestServer) -> None:
    assert chat_refusal(make_chat_model(settings()).invoke("hello")) is None


def test_chat_rate_limit_is_retried_then_explained(openai_server: OpenAITestServer) -> None:
    openai_server.fail_next(429, times=2, retry_after_ms=10)

    with pytest.raises(openai.RateLimitError) as caught:
        make_chat_model(settings(plaza_max_retries=1)).invoke("hi")

    assert len(openai_server.requests_to("chat")) == 2
    problem = explain_provider_error(caught.value, service=CHAT_SERVICE)
    assert isinstance(problem, RateLimited)
    assert problem.retryable


def test_chat_timeout_is_explained(openai_server: OpenAITestServer) -> None:
    openai_server.stall_next(3)
    model = make_chat_model(settings(plaza_request_timeout=0.5, plaza_max_retries=0))

    with pytest.raises(openai.APITimeoutError) as caught:
        model.invoke("hi")

    problem = explain_provider_error(caught.value, service=CHAT_SERVICE)
    assert isinstance(problem, ProviderUnavailable)
    assert problem.retryable
    assert "timeout after 0.5 s" in str(problem)


def test_chat_malformed_stream_is_a_bad_reply(openai_server: OpenAITestServer) -> None:
    openai_server.malformed_next()

    with pytest.raises(Exception) as caught:
        make_chat_model(settings(plaza_max_retries=0)).invoke("hi")

    assert isinstance(explain_provider_error(caught.value), BadProviderReply)


def test_base_url_alone_is_enough(
    openai_server: OpenAITestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ollama, vLLM and LM Studio need no key; the settings from the environment must still work.
    monkeypatch.delenv("OPENAI_API_KEY")
    get_assistant_settings.cache_clear()
    local = get_assistant_settings()
    assert local.openai_api_key is None and local.online

    assert make_chat_model(local).invoke("ping").content == "You said: ping"
    images = OpenAIImageEngine(local).generate("a lighthouse")

    assert png_size(images[0]) == (1024, 1024)
    for sent in openai_server.requests:
        assert sent.headers["authorization"] == f"Bearer {PLACEHOLDER_API_KEY}"


def test_no_provider_configured_is_refused() -> None:
    with pytest.raises(ValueError, match="OPENAI_API_KEY or OPENAI_BASE_URL"):
        make_chat_model(AssistantSettings())


def test_models_endpoint_lists_models(openai_server: OpenAITestServer) -> None:
    client = openai.OpenAI(base_url=openai_server.base_url, api_key="test-key")

    assert {model.id for model in client.models.list()} >= {"gpt-4.1-mini", "gpt-image-1"}


# -- images ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aspect", "size"),
    [
        ("1:1", "1024x1024"),
        ("16:9", "1536x1024"),
        ("9:16", "1024x1536"),
        ("4:5", "1024x1536"),
    ],
)
def test_generate_maps_aspect_to_an_accepted_size(
    openai_server: OpenAITestServer, aspect: Aspect, size: str
) -> None:
    images = OpenAIImageEngine(settings()).generate("harbour at dawn", aspect=aspect)

    sent = openai_server.last.json
    assert sent["size"] == size
    width, height = (int(side) for side in size.split("x"))
    assert [png_size(image) for image in images] == [(width, height)]


def test_generate_sends_model_prompt_and_n(openai_server: OpenAITestServer) -> None:
    engine = OpenAIImageEngine(settings(plaza_image_model="gpt-image-1"))

    images = engine.generate("harbour at dawn", n=3, style="watercolour")

    assert engine.model == "gpt-image-1" and engine.offline is False
    assert len(images) == 3 and len(set(images)) == 3
    sent = openai_server.last
    assert sent.path == "/v1/images/generations"
    assert sent.json["model"] == "gpt-image-1"
    assert sent.json["n"] == 3
    assert sent.json["prompt"].startswith("harbour at dawn")
    assert "watercolour" in sent.json["prompt"]
    # GPT image models reject response_format; they always answer with b64_json.
    assert "response_format" not in sent.json
    assert sent.headers["authorization"] == "Bearer test-key"


def test_edit_sends_image_and_instruction(openai_server: OpenAITestServer) -> None:
    original = make_png(640, 960, "source")

    edited = OpenAIImageEngine(settings()).edit(original, "make the sky pink")

    sent = openai_server.last
    assert sent.path == "/v1/images/edits"
    assert sent.form["prompt"] == "make the sky pink"
    assert sent.form["model"] == "gpt-image-1"
    assert sent.form["size"] == "1024x1536"  # the accepted size closest to the source's shape
    assert sent.files["image"].data == original
    assert sent.files["image"].content_type == "image/png"
    assert png_size(edited) == (1024, 1536)
    assert edited != original


def test_edit_honours_an_explicit_aspect(openai_server: OpenAITestServer) -> None:
    OpenAIImageEngine(settings()).edit(make_png(64, 64), "widen it", aspect="16:9")

    assert openai_server.last.form["size"] == "1536x1024"


def test_url_reply_is_refused_not_fetched(openai_server: OpenAITestServer) -> None:
    openai_server.reply_with_url_next()

    with pytest.raises(BadProviderReply, match="link") as caught:
        OpenAIImageEngine(settings()).generate("a boat")

    assert not caught.value.retryable
    assert [sent.path for sent in openai_server.requests] == ["/v1/images/generations"]


# -- image failures --------------------------------------------------------------------------


def test_rate_limit_is_retried_by_the_sdk_then_reported(openai_server: OpenAITestServer) -> None:
    openai_server.fail_next(429, times=3, retry_after_ms=10)
    engine = OpenAIImageEngine(settings(plaza_max_retries=2))

    with pytest.raises(RateLimited) as caught:
        engine.generate("a boat")

    assert len(openai_server.requests_to("images")) == 3  # max_retries + 1
    assert caught.value.retryable
    assert "Retry" in str(caught.value)


def test_rate_limit_recovers_within_the_retries(openai_server: OpenAITestServer) -> None:
    openai_server.fail_next(429, times=1, retry_after_ms=10)

    images = OpenAIImageEngine(settings(plaza_max_retries=2)).generate("a boat")

    assert len(images) == 1
    assert len(openai_server.requests_to("images")) == 2


def test_server_error_is_unavailable(openai_server: OpenAITestServer) -> None:
    openai_server.fail_next(500, times=2, retry_after_ms=10)

    with pytest.raises(ProviderUnavailable) as caught:
        OpenAIImageEngine(settings(plaza_max_retries=1)).generate("a boat")

    assert len(openai_server.requests_to("images")) == 2
    assert caught.value.retryable
    assert "HTTP 500" in str(caught.value)


def test_timeout_is_unavailable(openai_server: OpenAITestServer) -> None:
    openai_server.stall_next(3)
    engine = OpenAIImageEngine(settings(plaza_request_timeout=0.5, plaza_max_retries=0))

    with pytest.raises(ProviderUnavailable) as caught:
        engine.generate("a boat")

    assert len(openai_server.requests_to("images")) == 1  # abandoned, not retried
    assert caught.value.retryable
    assert str(caught.value) == (
        "The image service took too long to answer (timeout after 0.5 s). "
        "Your draft is kept — press Retry."
    )


def test_malformed_body_is_a_bad_reply(openai_server: OpenAITestServer) -> None:
    openai_server.malformed_next()

    with pytest.raises(BadProviderReply) as caught:
        OpenAIImageEngine(settings()).generate("a boat")

    assert caught.value.retryable


def test_content_policy_is_refused_without_retrying(openai_server: OpenAITestServer) -> None:
    openai_server.refuse_next()

    with pytest.raises(ContentRefused) as caught:
        OpenAIImageEngine(settings(plaza_max_retries=2)).edit(make_png(32, 32), "something bad")

    assert not caught.value.retryable
    assert len(openai_server.requests) == 1  # a 400 is final; the SDK does not retry it
    assert "content policy" in str(caught.value)


def test_bad_key_is_rejected(openai_server: OpenAITestServer) -> None:
    openai_server.fail_next(401, code="invalid_api_key", message="Incorrect API key provided.")

    with pytest.raises(ProviderRejected, match="OPENAI_API_KEY") as caught:
        OpenAIImageEngine(settings()).generate("a boat")

    assert not caught.value.retryable


def test_unknown_errors_still_become_assistant_errors() -> None:
    problem = explain_provider_error(RuntimeError("boom"))

    assert type(problem) is AssistantError
    assert not problem.retryable
    assert explain_provider_error(problem) is problem
