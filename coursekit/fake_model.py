"""``FakeStreamingChatModel``: an offline chat model that streams like a real provider.

langchain-core's own fakes each miss something the course needs (see DESIGN.md): metadata on
the last chunk, native async streaming, callbacks, tool calls, structured output. This model
is a plain ``BaseChatModel`` with native ``_stream`` and ``_astream``, so everything a real
provider supports (``invoke``, ``stream``, ``astream``, ``batch``, LCEL, ``astream_events``,
callbacks, ``bind_tools``, ``with_structured_output``) works the same way, with no key and no
network. What it says comes from :mod:`coursekit.replies`; this module decides how it streams.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import time
import zlib
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.language_models.chat_models import agenerate_from_stream, generate_from_stream
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field, PrivateAttr, model_validator

from coursekit.errors import RateLimitError, StreamInterruptedError
from coursekit.replies import (
    default_text,
    example_for_schema,
    last_human_text,
    match_rule,
    message_text,
    tokenize,
)

#: Named latency presets: (seconds to the first token, seconds between tokens).
LATENCY_PRESETS: dict[str, tuple[float, float]] = {
    "none": (0.0, 0.0),
    "realistic": (0.35, 0.03),
    "slow": (1.0, 0.08),
}
LATENCY_ENV = "COURSE_FAKE_LATENCY"

Chunking = Literal["words", "chars"] | int


@dataclass(frozen=True)
class _ToolCall:
    name: str
    args: dict[str, Any]
    id: str


class FakeStreamingChatModel(BaseChatModel):
    """A deterministic chat model that streams token-like chunks, offline.

    Example:
        >>> model = FakeStreamingChatModel(responses=["Hello, world!"])
        >>> [chunk.content for chunk in model.stream("hi")]
        ['Hello', ',', ' world', '!', '']
    """

    model_name: str = Field(default="fake-streaming-1", alias="model")
    """Reported as ``model_name`` and ``model`` in the last chunk's ``response_metadata``."""
    responses: list[str] | None = None
    """Scripted replies, used in turn and cycled when exhausted."""
    rules: dict[str, str | dict[str, Any]] = Field(default_factory=dict)
    """Regex on the last human message -> reply text, or tool arguments (a dict)."""
    chunking: Chunking = "words"
    """``"words"`` (token-like pieces), ``"chars"``, or a number of characters per chunk."""
    streaming: bool = False
    """As on real providers: when true, ``invoke()`` streams through the callbacks."""
    time_to_first_token: float = 0.0
    """Seconds before the first chunk. ``time.sleep`` in sync code, ``asyncio.sleep`` in async."""
    token_delay: float = 0.0
    """Seconds before every chunk after the first."""
    error_after: int | None = None
    """Raise :class:`~coursekit.errors.StreamInterruptedError` after this many chunks."""
    rate_limited: bool = False
    """Raise :class:`~coursekit.errors.RateLimitError` before the first token."""

    _calls: itertools.count = PrivateAttr(default_factory=itertools.count)

    @model_validator(mode="before")
    @classmethod
    def _apply_latency_preset(cls, data: Any) -> Any:
        """``latency="realistic"`` (or ``COURSE_FAKE_LATENCY``) fills the two delay fields."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        preset = data.pop("latency", None) or os.environ.get(LATENCY_ENV)
        if preset:
            first, between = parse_latency(preset)
            data.setdefault("time_to_first_token", first)
            data.setdefault("token_delay", between)
        return data

    @classmethod
    def realistic(cls, **overrides: Any) -> FakeStreamingChatModel:
        """A model paced like a hosted provider, for demos and notebooks."""
        return cls(latency="realistic", **overrides)

    @property
    def _llm_type(self) -> str:
        return "fake-streaming-chat-model"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "chunking": self.chunking}

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | dict[str, Any] | bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Record the tools in OpenAI format; a forced ``tool_choice`` makes the model call one."""
        formatted = [convert_to_openai_tool(tool) for tool in tools]
        return super().bind(tools=formatted, tool_choice=tool_choice, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return generate_from_stream(self._stream(messages, stop, None, **kwargs))

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return await agenerate_from_stream(self._astream(messages, stop, None, **kwargs))

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        for delay, chunk in self._paced_chunks(messages, stop, **kwargs):
            if delay:
                time.sleep(delay)
            if run_manager and chunk.message.chunk_position != "last":
                run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        for delay, chunk in self._paced_chunks(messages, stop, **kwargs):
            # Sleeping (even for 0 s) hands the loop to other tasks between chunks, the way
            # waiting on a socket does, and makes cancellation take effect at once.
            await asyncio.sleep(delay)
            if run_manager and chunk.message.chunk_position != "last":
                await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk

    def _paced_chunks(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None,
        *,
        tools: list[dict[str, Any]] | None = None,
        tool_choice: str | dict[str, Any] | bool | None = None,
        **_: Any,
    ) -> Iterator[tuple[float, ChatGenerationChunk]]:
        """Each chunk with the delay to wait before it; raises the configured faults in place."""
        if self.rate_limited:
            raise RateLimitError()
        reply = self._reply(messages, tools or [], tool_choice)
        if isinstance(reply, _ToolCall):
            pieces = self._split(json.dumps(reply.args, ensure_ascii=False))
            bodies = [_tool_chunk(reply, piece, first=i == 0) for i, piece in enumerate(pieces)]
            finish_reason = "tool_calls"
        else:
            pieces = self._split(_cut_at_stop(reply, stop))
            bodies = [AIMessageChunk(content=piece) for piece in pieces]
            finish_reason = "stop"
        for sent, body in enumerate(bodies):
            if sent == self.error_after:
                raise StreamInterruptedError(sent)
            delay = self.time_to_first_token if sent == 0 else self.token_delay
            yield delay, ChatGenerationChunk(message=body)
        if self.error_after is not None:
            raise StreamInterruptedError(len(bodies))
        input_tokens = sum(len(tokenize(message_text(m))) for m in messages)
        last = AIMessageChunk(
            content="",
            chunk_position="last",
            response_metadata={
                "finish_reason": finish_reason,
                "model_name": self.model_name,
                "model": self.model_name,
            },
            usage_metadata={
                "input_tokens": input_tokens,
                "output_tokens": len(bodies),
                "total_tokens": input_tokens + len(bodies),
            },
        )
        yield (self.token_delay if bodies else self.time_to_first_token), ChatGenerationChunk(message=last)

    def _reply(
        self,
        messages: list[BaseMessage],
        tools: list[dict[str, Any]],
        tool_choice: str | dict[str, Any] | bool | None,
    ) -> str | _ToolCall:
        """What to answer: a tool call when one is forced or a rule gives arguments, else text."""
        question = last_human_text(messages)
        rule = match_rule(self.rules, question)
        call_number = next(self._calls)
        if tools and (_is_forced(tool_choice) or isinstance(rule, dict)):
            function = _chosen_tool(tools, tool_choice)
            args = rule if isinstance(rule, dict) else example_for_schema(function.get("parameters", {}), question)
            digest = zlib.crc32(f"{call_number}:{function['name']}:{question}".encode())
            return _ToolCall(name=function["name"], args=args, id=f"call_{digest:08x}")
        if isinstance(rule, dict):
            return json.dumps(rule, ensure_ascii=False)
        if rule is not None:
            return rule
        if self.responses:
            return self.responses[call_number % len(self.responses)]
        return default_text(messages)

    def _split(self, text: str) -> list[str]:
        if self.chunking == "words":
            return tokenize(text)
        size = 1 if self.chunking == "chars" else max(int(self.chunking), 1)
        return [text[i : i + size] for i in range(0, len(text), size)]


def parse_latency(value: str) -> tuple[float, float]:
    """``"realistic"`` or ``"0.3,0.02"`` (seconds to first token, seconds between tokens)."""
    if value in LATENCY_PRESETS:
        return LATENCY_PRESETS[value]
    try:
        first, between = (float(part) for part in value.split(","))
    except ValueError as error:
        presets = ", ".join(LATENCY_PRESETS)
        raise ValueError(f"latency must be one of {presets} or 'FIRST,BETWEEN' seconds, not {value!r}") from error
    return first, between


def _is_forced(tool_choice: str | dict[str, Any] | bool | None) -> bool:
    return tool_choice not in (None, False, "auto", "none")


def _chosen_tool(tools: list[dict[str, Any]], tool_choice: str | dict[str, Any] | bool | None) -> dict[str, Any]:
    """The function a ``tool_choice`` names, or the first tool."""
    functions = [tool.get("function", tool) for tool in tools]
    if isinstance(tool_choice, dict):
        wanted = tool_choice.get("function", tool_choice).get("name")
    else:
        wanted = tool_choice
    return next((f for f in functions if f.get("name") == wanted), functions[0])


def _tool_chunk(call: _ToolCall, args_piece: str, *, first: bool) -> AIMessageChunk:
    return AIMessageChunk(
        content="",
        tool_call_chunks=[
            {
                "name": call.name if first else None,
                "args": args_piece,
                "id": call.id if first else None,
                "index": 0,
                "type": "tool_call_chunk",
            }
        ],
    )


def _cut_at_stop(text: str, stop: list[str] | None) -> str:
    """Truncate at the earliest stop sequence, as providers do."""
    cut = min((text.find(s) for s in stop or [] if s and s in text), default=len(text))
    return text[:cut]
