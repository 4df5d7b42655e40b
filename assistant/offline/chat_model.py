"""The built-in offline chat model: a real LangChain chat model that binds tools, emits tool
calls and streams its answer, so the agent loop is the same code for every provider."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolCall,
    ToolMessage,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from assistant.conversation import pending_photo
from assistant.feed_requests import search_arguments
from assistant.offline.answers import compose_answer, help_text
from assistant.offline.intent import CREATE_PATTERN, Intent, read_intent
from assistant.requests import AttachedPhoto, request_of

OFFLINE_MODEL_NAME = "plaza-offline"
PHOTO_QUESTION = (
    "Nice photo! Tell me in one line what it shows (who, where, the moment) and I'll draft "
    "captions, hashtags and alt text for it. Or press **Share** to post it as it is."
)


class OfflineChatModel(BaseChatModel):
    """Reads the user's latest message, plans tool calls, then words an answer from the
    tool results. Only the user's own words choose tools: tool output is never obeyed."""

    model_name: str = OFFLINE_MODEL_NAME

    @property
    def _llm_type(self) -> str:
        return "plaza-offline"

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Any | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools; the model calls only tools it was given."""
        return self.bind(tools=[convert_to_openai_tool(tool) for tool in tools], **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        message = self.respond(messages, _tool_names(kwargs.get("tools")))
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        message = self.respond(messages, _tool_names(kwargs.get("tools")))
        message_id = f"run-{uuid.uuid4().hex}"
        for token in re.split(r"(\s+)", str(message.content)):
            if not token:
                continue
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=token, id=message_id))
            if run_manager:
                run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk
        for index, call in enumerate(message.tool_calls):
            yield ChatGenerationChunk(
                message=AIMessageChunk(
                    content="",
                    id=message_id,
                    tool_call_chunks=[
                        {
                            "name": call["name"],
                            "args": json.dumps(call["args"]),
                            "id": call["id"],
                            "index": index,
                        }
                    ],
                )
            )

    def respond(self, messages: list[BaseMessage], tools: set[str]) -> AIMessage:
        """The next message: tool calls while work remains, then the answer."""
        turn_start = _last_human_index(messages)
        if turn_start is None:
            return AIMessage(content=help_text())
        human = messages[turn_start]
        assert isinstance(human, HumanMessage)  # _last_human_index found it
        request = request_of(human)
        earlier, turn = messages[:turn_start], messages[turn_start + 1 :]
        intent = read_intent(
            request.text,
            has_images=bool(_latest_images(earlier)),
            base_ref=request.base.ref if request.base else "",
        )
        results = _results_by_tool(turn)
        photo = request.photo or pending_photo(earlier)
        # After a photo sent without words, the next message describes it, unless it plainly
        # asks for a new picture ("draw me a poster of ...").
        asks_for_picture = bool(CREATE_PATTERN.search(request.text.lower()))
        if photo is not None and (request.photo is not None or not asks_for_picture):
            if not request.text.strip():
                return AIMessage(content=PHOTO_QUESTION)
            planned = photo_plan(request.text, photo, intent, results)
        else:
            planned = _plan(intent, earlier, results)
        calls = [call for call in planned if call["name"] in tools]
        if calls and not _already_called(turn, calls):
            return AIMessage(content="", tool_calls=calls)
        if intent.action == "help":
            return AIMessage(content=help_text())
        return AIMessage(content=compose_answer(intent, results, tools))


def photo_plan(
    description: str, photo: AttachedPhoto, intent: Intent, results: dict[str, dict]
) -> list[ToolCall]:
    """Captions, alt text and hashtags for the person's own photo, from their words and what
    the file shows (orientation, colours); never a new picture."""
    if results:
        return []
    style = {"tone": intent.tone, "platform": intent.platform, "emoji": intent.emoji}
    colours = " and ".join(photo.colours[:2])
    seen = f"A {photo.orientation} photo of {description.strip()}" + (
        f", mostly {colours}" if colours else ""
    )
    return [
        _call("draft_captions", subject=description.strip(), n=3, **style),
        _call("write_alt_text", prompt=seen),
        _call("suggest_hashtags", text=description.strip()),
    ]


def _plan(intent: Intent, earlier: list[BaseMessage], results: dict[str, dict]) -> list[ToolCall]:
    """The tool calls still needed for `intent`, given the results this turn already has."""
    last_prompt = _latest_prompt(earlier)
    style = {"tone": intent.tone, "platform": intent.platform, "emoji": intent.emoji}
    if intent.action == "create":
        if intent.wants_enhance and "enhance_prompt" not in results:
            return [_call("enhance_prompt", prompt=intent.subject)]
        if "generate_image" in results:
            return []
        prompt = results.get("enhance_prompt", {}).get("prompt") or intent.subject
        return [
            _call(
                "generate_image",
                prompt=prompt,
                aspect=intent.aspect,
                n=intent.n,
                style=intent.style,
            ),
            _call("draft_captions", subject=intent.subject, n=3, **style),
        ]
    if intent.action == "search" and intent.feed is not None and "search_feed" not in results:
        return [_call("search_feed", **search_arguments(intent.feed))]
    if "edit_image" in results or any(name in results for name in _SINGLE_STEP):
        return []
    if intent.action == "edit":
        images = _latest_images(earlier)
        index = intent.target - 1 if intent.target > 0 else len(images) - 1
        image = intent.base_ref or images[min(index, len(images) - 1)]
        reshapes = re.search(r"wider|taller|square|vertical|\d:\d", intent.instruction.lower())
        return [
            _call(
                "edit_image",
                image_ref=image,
                instruction=intent.instruction,
                aspect=intent.aspect if reshapes else None,
            )
        ]
    if intent.action == "captions":
        return [_call("draft_captions", subject=last_prompt, n=intent.n, **style)]
    if intent.action == "alt_text":
        return [_call("write_alt_text", prompt=last_prompt)]
    if intent.action == "hashtags":
        return [_call("suggest_hashtags", text=last_prompt)]
    if intent.action == "enhance":
        return [_call("enhance_prompt", prompt=last_prompt)]
    return []


_SINGLE_STEP = ("draft_captions", "write_alt_text", "suggest_hashtags", "enhance_prompt")


def _call(name: str, **args: Any) -> ToolCall:
    return ToolCall(
        name=name,
        args={k: v for k, v in args.items() if v is not None},
        id=f"call_{uuid.uuid4().hex[:16]}",
        type="tool_call",
    )


def _tool_names(tools: list[dict] | None) -> set[str]:
    return {tool["function"]["name"] for tool in tools or []}


def _last_human_index(messages: list[BaseMessage]) -> int | None:
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], HumanMessage):
            return index
    return None


def _results_by_tool(turn: list[BaseMessage]) -> dict[str, dict]:
    results: dict[str, dict] = {}
    for message in turn:
        if isinstance(message, ToolMessage) and message.name:
            results[message.name] = _parse(message.content)
    return results


def _already_called(turn: list[BaseMessage], calls: list[ToolCall]) -> bool:
    # A guard against loops: never plan the same tool twice in one turn.
    done = {call["name"] for m in turn if isinstance(m, AIMessage) for call in m.tool_calls}
    return any(call["name"] in done for call in calls)


def _latest_images(messages: list[BaseMessage]) -> list[str]:
    """Refs of the images of the most recent image-making tool result."""
    for message in reversed(messages):
        if isinstance(message, ToolMessage) and message.name in ("generate_image", "edit_image"):
            refs = [image["ref"] for image in _parse(message.content).get("images", [])]
            if refs:
                return refs
    return []


def _latest_prompt(messages: list[BaseMessage]) -> str:
    """The prompt of the most recent image, or the last thing the user asked for. An edited
    image stands for its original's prompt; an edit instruction ("make the second one wider")
    is never taken for what the picture shows."""
    instructions = {
        str(call["args"].get("instruction", ""))
        for message in messages
        if isinstance(message, AIMessage)
        for call in message.tool_calls
        if call["name"] == "edit_image"
    }
    for message in reversed(messages):
        if isinstance(message, ToolMessage) and message.name in ("generate_image", "edit_image"):
            images = _parse(message.content).get("images", [])
            prompt = str(images[-1].get("prompt", "")) if images else ""
            if prompt and prompt not in instructions:
                return prompt
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            return str(message.content)
    return ""


def _parse(content: Any) -> dict:
    try:
        value = json.loads(content) if isinstance(content, str) else {}
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
