"""A turn's budget: tool calls, images and wall-clock seconds, from the assistant settings.

Tool calls are counted by LangChain's `ToolCallLimitMiddleware`, images by a middleware of the
same kind; both end the turn gracefully (what was made is kept) with a message that says which
limit was reached. Wall time is checked between streamed events, so a model that drips tokens
slowly cannot keep a turn alive.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Annotated, Any, NotRequired, TypeVar

from langchain.agents.middleware import AgentMiddleware, AgentState, ToolCallLimitMiddleware
from langchain.agents.middleware.types import PrivateStateAttr, hook_config
from langchain_core.messages import AIMessage, ToolCall, ToolMessage
from langgraph.channels.untracked_value import UntrackedValue
from langgraph.runtime import Runtime

from assistant.errors import AssistantError
from assistant.settings import AssistantSettings

_T = TypeVar("_T")
KEPT = "What was made so far is kept; send another message to go on."
MAX_IMAGES_PER_CALL = 4


class TurnTooLong(AssistantError):
    """A turn ran past its wall-clock budget."""

    retryable = True


def reached(what: str, setting: str) -> str:
    """The message shown when a turn hits one of its limits."""
    return f"This turn reached its limit of {what} ({setting}). {KEPT}"


class ToolCallBudget(ToolCallLimitMiddleware):
    """LangChain's per-run tool-call limit, ending the turn with Plaza's own message."""

    def __init__(self, limit: int) -> None:
        super().__init__(run_limit=limit, exit_behavior="end")
        self.limit = limit

    @hook_config(can_jump_to=["end"])
    def after_model(self, state: Any, runtime: Runtime[Any]) -> dict[str, Any] | None:
        """Count the model's tool calls; past the limit, end with a readable message."""
        update = super().after_model(state, runtime)
        if update and update.get("jump_to") == "end":
            message = reached(f"{self.limit} tool calls", "PLAZA_TURN_MAX_TOOL_CALLS")
            update["messages"] = [*update["messages"][:-1], AIMessage(message)]
        return update


class ImageBudgetState(AgentState[Any]):
    """Agent state plus the images asked for in this run."""

    run_image_count: NotRequired[Annotated[int, UntrackedValue, PrivateStateAttr]]


def images_asked(call: ToolCall) -> int:
    """How many images a tool call would make (0 for tools that make none)."""
    if call["name"] == "edit_image":
        return 1
    if call["name"] != "generate_image":
        return 0
    try:
        return max(1, min(int(call["args"].get("n", 1) or 1), MAX_IMAGES_PER_CALL))
    except (TypeError, ValueError):
        return 1  # the tool will refuse the argument; count it as one attempt


class ImageBudget(AgentMiddleware[ImageBudgetState, Any, Any]):
    """Ends a turn before it makes more than `limit` images."""

    state_schema = ImageBudgetState

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    @hook_config(can_jump_to=["end"])
    def after_model(self, state: ImageBudgetState, runtime: Runtime[Any]) -> dict[str, Any] | None:
        """Add up the images the model asks for; past the limit, end the turn."""
        messages = state.get("messages", [])
        last = messages[-1] if messages else None
        if not isinstance(last, AIMessage) or not last.tool_calls:
            return None
        asked = sum(images_asked(call) for call in last.tool_calls)
        made = state.get("run_image_count", 0)
        if not asked:
            return None
        if made + asked <= self.limit:
            return {"run_image_count": made + asked}
        stopped = [
            ToolMessage(
                content="The image limit of this turn is reached. Do not make more images.",
                tool_call_id=call["id"],
                name=call["name"],
                status="error",
            )
            for call in last.tool_calls
        ]
        message = reached(f"{self.limit} images", "PLAZA_TURN_MAX_IMAGES")
        return {"jump_to": "end", "messages": [*stopped, AIMessage(message)]}


def budget_middleware(settings: AssistantSettings) -> list[AgentMiddleware[Any, Any, Any]]:
    """The middleware that enforces a turn's tool-call and image budget."""
    return [
        ToolCallBudget(settings.plaza_turn_max_tool_calls),
        ImageBudget(settings.plaza_turn_max_images),
    ]


def within_seconds(events: Iterator[_T], seconds: float) -> Iterator[_T]:
    """`events` until `seconds` have passed; then the stream is closed and TurnTooLong raised."""
    deadline = time.monotonic() + seconds
    try:
        for event in events:
            if time.monotonic() > deadline:
                raise TurnTooLong(
                    f"This turn took longer than its limit of {seconds:g} s "
                    f"(PLAZA_TURN_MAX_SECONDS). Your draft is kept — press Retry."
                )
            yield event
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()
