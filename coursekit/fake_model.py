"""``FakeStreamingChatModel``: an offline chat model that streams like a real provider.

langchain-core's own fakes each miss something the course needs: metadata where the real
clients put it, native async streaming, callbacks, tool calls, structured output. This model
is a plain ``BaseChatModel`` with native ``_stream`` and ``_astream``, so everything a real
provider supports (``invoke``, ``stream``, ``astream``, ``batch``, LCEL, ``astream_events``,
callbacks, ``bind_tools``, ``with_structured_output``) works the same way, with no key and no
network. What it says comes from :mod:`coursekit.replies`; this module decides how it streams.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import os
import time
import warnings
import zlib
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from operator import itemgetter
from typing import Annotated, Any, Literal

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LangSmithParams, LanguageModelInput
from langchain_core.language_models.chat_models import generate_from_stream
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda, RunnableMap, RunnablePassthrough
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_json_schema, convert_to_openai_tool
from langchain_core.utils.pydantic import is_basemodel_subclass
from pydantic import ConfigDict, Field, PrivateAttr, model_validator

from coursekit.errors import InvalidLatencyError, RateLimitError, StreamInterruptedError
from coursekit.i18n import t
from coursekit.replies import (
    default_text,
    detect_language,
    embedded_schema,
    example_for_schema,
    last_human_text,
    match_rule,
    mentioned_tool,
    message_text,
    mismatched,
    parse_json,
    response_schema,
    tokenize,
    topic_summary,
    wrapped_in_prose,
)

#: Named latency presets: (seconds to the first token, seconds between tokens).
LATENCY_PRESETS: dict[str, tuple[float, float]] = {
    "none": (0.0, 0.0),
    "realistic": (0.35, 0.03),
    "slow": (1.0, 0.08),
}
LATENCY_ENV = "COURSE_FAKE_LATENCY"

#: Longest time, in seconds, that a zero-delay ``astream`` keeps the event loop to itself.
LOOP_SLICE = 0.001

#: Constructor arguments of real providers that the fake accepts and ignores, so that code
#: written for Maritaca or OpenAI runs unchanged against it.
PROVIDER_ONLY_ARGUMENTS = frozenset({"api_key", "base_url", "timeout", "max_retries"})

Chunking = Literal["words", "chars"] | Annotated[int, Field(ge=1)]
ToolChoice = str | dict[str, Any] | bool | None
ChunkLayout = Literal["openai", "maritaca", "single"]
JsonFault = Literal["prose", "fenced", "truncated", "mismatch"]

#: Every ``json_fault``, for tests that must hold whatever way the JSON goes wrong.
JSON_FAULTS: tuple[JsonFault, ...] = ("prose", "fenced", "truncated", "mismatch")

#: Every ``chunk_layout``, for tests that must hold whichever provider streams.
CHUNK_LAYOUTS: tuple[ChunkLayout, ...] = ("openai", "maritaca", "single")


@dataclass(frozen=True)
class _ToolCall:
    name: str
    args: dict[str, Any]
    id: str
    schema: dict[str, Any] | None = None


class FakeStreamingChatModel(BaseChatModel):
    """A deterministic chat model that streams token-like chunks, offline.

    Example:
        >>> model = FakeStreamingChatModel(responses=["Hello, world!"])
        >>> chunks = list(model.stream("hi"))
        >>> [chunk.content for chunk in chunks]
        ['', 'Hello', ',', ' world', '!', '', '', '']
        >>> sum(chunks[1:], chunks[0]).response_metadata["finish_reason"]  # on one of the empty chunks
        'stop'

    JSON is cut as a tokenizer cuts it (``{"``, ``name``, ``":``, `` "``, ``Rio``, ``"}``), in the
    text, in tool-call arguments and under ``with_structured_output``. ``json_fault`` spoils it:
    ``"prose"`` (a sentence first), ``"fenced"`` (a sentence and a Markdown fence),
    ``"truncated"`` (cut off, ``finish_reason="length"``), ``"mismatch"`` (valid, but not the schema).
    """

    model_config = ConfigDict(populate_by_name=True)

    model_name: str = Field(default="fake-streaming-1", alias="model")
    """Reported in the finish chunk's ``response_metadata``, under the key the layout's client uses."""
    chunk_layout: ChunkLayout = "openai"
    """Which real client's chunk sequence to reproduce, in shape (see :class:`_Layout`):
    ``"openai"`` (``ChatOpenAI``, ``stream_usage=True``), ``"maritaca"`` (``ChatMaritaca``), or
    ``"single"``: text chunks, then one last chunk carrying everything, which no real client sends."""
    responses: list[str] | None = None
    """Scripted replies, used in turn and cycled when exhausted."""
    rules: dict[str, str | dict[str, Any]] = Field(default_factory=dict)
    """Regex on the last human message -> reply text, or a dict: the arguments of a tool call
    when tools are bound, else the reply as JSON. The first matching rule wins."""
    chunking: Chunking = "words"
    """``"words"`` (token-like pieces), ``"chars"``, or a number of characters per chunk."""
    streaming: bool = False
    """As on real providers: when true, ``invoke()`` streams through the callbacks."""
    time_to_first_token: float = Field(default=0.0, ge=0)
    """Seconds before the first chunk (and the first text, which the layout's empty opening
    chunk comes with). ``time.sleep`` in sync code, ``asyncio.sleep`` in async."""
    token_delay: float = Field(default=0.0, ge=0)
    """Seconds before every text chunk after the first, and before the finish chunk; the usage
    and closing chunks come straight after it, as they share a network read on a real stream."""
    error_after: int | None = Field(default=None, ge=0)
    """Raise :class:`~coursekit.errors.StreamInterruptedError` after this many text chunks
    (after the whole reply when it is shorter): no chunk after the text (finish, usage, end) arrives."""
    rate_limited: bool = False
    """Raise :class:`~coursekit.errors.RateLimitError` before the first token."""
    stop: list[str] | None = None
    """Stop sequences used when a call gives none: the reply is cut before the first one."""
    max_tokens: int | None = Field(default=None, ge=1)
    """At most this many content chunks; a longer reply ends with ``finish_reason="length"``."""
    temperature: float | None = None
    """Accepted and reported to tracing like a provider's; the replies stay deterministic."""
    json_fault: JsonFault | None = None
    """Spoil every reply that is JSON (dict rules, structured output, JSON mode, tool arguments,
    JSON in ``responses``) the way real models do; prose replies are left alone.
    ``"prose"``: a sentence before the object, so no JSON parser reads it.
    ``"fenced"``: a sentence, then the object in a ```json fence (``JsonOutputParser`` copes, ``json.loads`` does not).
    With either, a tool call becomes that text, and no call, as from a model that ignored the tool.
    ``"truncated"``: the stream ends before the object closes, with ``finish_reason="length"``.
    ``"mismatch"``: valid JSON without the schema's first required key (without its first key when
    no schema is known; with a wrong type for its first key when the schema requires none)."""

    _scripted_turns: itertools.count = PrivateAttr(default_factory=itertools.count)
    _tool_call_numbers: itertools.count = PrivateAttr(default_factory=itertools.count)

    @model_validator(mode="before")
    @classmethod
    def _prepare_arguments(cls, data: Any) -> Any:
        """Apply ``latency=`` (or ``COURSE_FAKE_LATENCY``); warn about arguments that do nothing.

        A misspelt argument (``respones=``) would otherwise be ignored in silence and leave a
        student wondering why the model does not say what they scripted.
        """
        if not isinstance(data, dict):
            return data
        data = dict(data)
        explicit = data.pop("latency", None)
        preset = explicit or os.environ.get(LATENCY_ENV)
        if preset:
            first, between = parse_latency(preset, source="latency" if explicit else LATENCY_ENV)
            data.setdefault("time_to_first_token", first)
            data.setdefault("token_delay", between)
        known = {*cls.model_fields, *(f.alias for f in cls.model_fields.values() if f.alias)}
        for name in data.keys() - known - PROVIDER_ONLY_ARGUMENTS:
            warnings.warn(t("fake_model.unknown_argument", name=name, known=", ".join(sorted(known))), stacklevel=4)
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
        return {
            "model_name": self.model_name,
            "chunking": self.chunking,
            "chunk_layout": self.chunk_layout,
            "max_tokens": self.max_tokens,
        }

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = super()._get_ls_params(stop=stop or self.stop, **kwargs)
        params["ls_provider"] = "fake"
        params.setdefault("ls_temperature", self.temperature)  # both real clients report it, None included
        return params

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: ToolChoice = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Record the tools in OpenAI format.

        A forced ``tool_choice`` (``"any"``, ``"required"``, ``True`` or a tool's name) makes
        the model call a tool; otherwise it calls one when a dict rule matches or the question
        names the tool, the way a real model decides.
        """
        formatted = [convert_to_openai_tool(tool) for tool in tools]
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        return super().bind(tools=formatted, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type,
        *,
        include_raw: bool = False,
        method: Literal["function_calling", "json_mode", "json_schema"] = "function_calling",
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | Any]:
        """Answers as an instance of ``schema``, a Pydantic model, a TypedDict or a JSON schema.

        ``function_calling`` (the default) streams the object as tool-call arguments;
        ``json_mode`` and ``json_schema`` stream it as JSON text in the message content, as
        OpenAI's ``response_format`` does. As with ChatOpenAI, a Pydantic model streams each
        partial object that validates, except under ``json_schema``: only the finished object. Where a real model reads the expected shape from
        the prompt in JSON mode, the fake is handed the schema. ``strict`` is accepted for
        compatibility: the fake's objects always fit their schema.
        """
        if method == "function_calling":
            return super().with_structured_output(schema, include_raw=include_raw, **kwargs)
        if method not in ("json_mode", "json_schema"):
            raise ValueError(f"method must be 'function_calling', 'json_mode' or 'json_schema', not {method!r}")
        if kwargs:
            raise ValueError(f"Received unsupported arguments {kwargs}")
        response_format = {"type": method, "schema": convert_to_json_schema(schema)}
        model = self.bind(
            response_format=response_format,
            ls_structured_output_format={"kwargs": {"method": method}, "schema": schema},
        )
        is_pydantic = isinstance(schema, type) and is_basemodel_subclass(schema)
        parser: Runnable[Any, Any] = JsonOutputParser()
        if is_pydantic and method == "json_schema":  # ChatOpenAI reads the finished object: no partials
            parser = RunnableLambda(partial(_validated, schema=schema)).with_types(output_type=schema)
        elif is_pydantic:
            parser = PydanticOutputParser(pydantic_object=schema)
        if not include_raw:
            return model | parser
        parsed = RunnablePassthrough.assign(parsed=itemgetter("raw") | parser, parsing_error=lambda _: None)
        unparsed = RunnablePassthrough.assign(parsed=lambda _: None)
        return RunnableMap(raw=model) | parsed.with_fallbacks([unparsed], exception_key="parsing_error")

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return generate_from_stream(self._stream(messages, stop, None, **whole_reply(kwargs)))

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        # Not agenerate_from_stream: it merges the chunks in a worker thread.
        chunks = [chunk async for chunk in self._astream(messages, stop, None, **whole_reply(kwargs))]
        return generate_from_stream(iter(chunks))

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        # BaseChatModel fires on_llm_new_token for every chunk it receives from here, except
        # under astream_events(version="v3"): it passes a run_manager then, and leaves the
        # tokens to the model, which ChatOpenAI and ChatMaritaca report themselves.
        for delay, chunk in self._paced_chunks(messages, stop, **kwargs):
            if delay:
                time.sleep(delay)
            if run_manager:
                run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        handed_over = time.perf_counter()
        for delay, chunk in self._paced_chunks(messages, stop, **kwargs):
            # Sleeping hands the loop to other tasks and lets a cancellation in. With no delay,
            # the loop is still handed over every LOOP_SLICE, the way a real client yields
            # between network reads that may each carry many chunks; handing it over after
            # every chunk cost a fifth of the throughput.
            if delay or time.perf_counter() - handed_over >= LOOP_SLICE:
                await asyncio.sleep(delay)
                handed_over = time.perf_counter()
            if run_manager:  # only version="v3" passes one: see _stream
                await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk

    def _paced_chunks(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None,
        *,
        tools: list[dict[str, Any]] | None = None,
        tool_choice: ToolChoice = None,
        response_format: dict[str, Any] | None = None,
        model: str | None = None,
        stream_usage: bool | None = None,
        wire: bool = False,
        **_: Any,
    ) -> Iterator[tuple[float, ChatGenerationChunk]]:
        """Each chunk, built only when it is due, with the delay to wait before it.

        The configured faults are raised in place: a rate limit before anything else, an
        interruption instead of text chunk ``error_after + 1``. ``model`` overrides the reported
        model name for one call, as providers allow; ``stream_usage``, as on ChatOpenAI, puts
        usage in the stream (``True``) or leaves it out (``False``) whatever the layout does.
        ``wire=True`` (the stub's) streams what a server sends, leaving out what a client adds on
        reading it (openai's parsing helper under a ``response_format``).
        """
        if self.rate_limited:
            raise RateLimitError()
        reply, cut_short = self._spoiled(self._reply(messages, tools or [], tool_choice, response_format), messages, response_format)
        if isinstance(reply, _ToolCall):
            pieces = self._split(json.dumps(reply.args, ensure_ascii=False))
            finish_reason = "tool_calls"
        else:
            pieces = self._split(_cut_at_stop(reply, stop or self.stop))
            finish_reason = "stop"
        if cut_short:
            pieces, finish_reason = _truncated(pieces), "length"
        if self.max_tokens is not None and len(pieces) > self.max_tokens:
            pieces, finish_reason = pieces[: self.max_tokens], "length"
        layout = LAYOUTS[self.chunk_layout]
        call = reply if isinstance(reply, _ToolCall) else None
        delay, opened = self.time_to_first_token, not layout.opening
        for sent, piece in enumerate(pieces):
            if sent == self.error_after:
                raise StreamInterruptedError(sent)
            if not opened:  # arrives with the first piece, as both share a network read
                yield delay, layout.chunk(_opening_chunk(call))
                delay, opened = 0.0, True
            if call:  # with the call's name and id unless the opening chunk announced them
                body = _tool_call_chunk(call, piece, first=sent == 0 and not layout.opening)
            else:
                body = AIMessageChunk(content=piece)
            yield delay, layout.chunk(body)
            delay = self.token_delay
        if self.error_after is not None:
            raise StreamInterruptedError(len(pieces))
        if not opened:
            yield delay, layout.chunk(_opening_chunk(call))
            delay = 0.0
        in_stream = layout.usage != "none" if stream_usage is None else stream_usage
        usage = _usage(_count_tokens(messages), len(pieces), details=layout.usage == "separate") if in_stream else None
        structured = response_format is not None and layout.parsed_closing and not wire
        closings = layout.closing_chunks(finish_reason, model or self.model_name, usage, completion=structured)
        refused = structured and finish_reason == "length"
        for closing in closings[:-2] if refused else closings:
            yield delay, closing
            delay = 0.0
        if refused:  # openai's parsing helper refuses a cut-off answer where the whole completion would come
            raise _length_refusal()

    def _reply(
        self,
        messages: list[BaseMessage],
        tools: list[dict[str, Any]],
        tool_choice: ToolChoice,
        response_format: dict[str, Any] | None,
    ) -> str | _ToolCall:
        """What to answer: a tool call, a rule's reply, a scripted reply, or a plausible default."""
        question = last_human_text(messages)
        rule = match_rule(self.rules, question)
        function = self._tool_to_call(messages, [tool.get("function", tool) for tool in tools], tool_choice, rule)
        if function is not None:
            args = rule if isinstance(rule, dict) else example_for_schema(function.get("parameters", {}), question)
            digest = zlib.crc32(f"{next(self._tool_call_numbers)}:{function['name']}:{question}".encode())
            return _ToolCall(name=function["name"], args=args, id=f"call_{digest:08x}", schema=function.get("parameters"))
        if isinstance(rule, dict):
            return json.dumps(rule, ensure_ascii=False)
        if rule is not None:
            return rule
        if self.responses:
            return self.responses[next(self._scripted_turns) % len(self.responses)]
        if response_format is not None:
            schema = response_schema(response_format) or embedded_schema(_conversation(messages))
            value = example_for_schema(schema, question) if schema else topic_summary(question)
            return json.dumps(value, ensure_ascii=False, indent=2)
        return default_text(messages)

    def _spoiled(
        self, reply: str | _ToolCall, messages: list[BaseMessage], response_format: dict[str, Any] | None
    ) -> tuple[str | _ToolCall, bool]:
        """The reply with ``json_fault`` applied, and whether the stream must end before the JSON does."""
        if self.json_fault is None:
            return reply, False
        if isinstance(reply, _ToolCall):
            value, schema, compact = reply.args, reply.schema, True
        else:
            value = parse_json(reply)
            if value is None:
                return reply, False
            schema = response_schema(response_format) if response_format else embedded_schema(_conversation(messages))
            compact = "\n" not in reply.strip()
        if self.json_fault == "truncated":
            return reply, True
        if self.json_fault == "mismatch":
            wrong = mismatched(value, schema)
            if isinstance(reply, _ToolCall):
                return replace(reply, args=wrong), False
            return json.dumps(wrong, ensure_ascii=False, indent=None if compact else 2), False
        text = json.dumps(value, ensure_ascii=False) if isinstance(reply, _ToolCall) else reply.strip()
        return wrapped_in_prose(text, detect_language(last_human_text(messages)), fenced=self.json_fault == "fenced"), False

    def _tool_to_call(
        self,
        messages: list[BaseMessage],
        functions: list[dict[str, Any]],
        tool_choice: ToolChoice,
        rule: str | dict[str, Any] | None,
    ) -> dict[str, Any] | None:
        """The tool to call, if any: forced, or chosen the way a model would when free to.

        Free to choose, it calls a tool when a dict rule gives arguments or, with nothing
        scripted, when the question names the tool; never right after a tool's answer, which
        would loop an agent forever.
        """
        if not functions or tool_choice in (False, "none"):
            return None
        args = rule if isinstance(rule, dict) else {}
        question = last_human_text(messages)
        if tool_choice not in (None, "auto"):
            return _chosen_tool(functions, tool_choice, args, question)
        if messages and isinstance(messages[-1], ToolMessage):
            return None
        if args:
            return _chosen_tool(functions, None, args, question)
        if rule is None and not self.responses:
            return mentioned_tool(functions, question)
        return None

    def _split(self, text: str) -> list[str]:
        if self.chunking == "words":
            return tokenize(text)
        size = 1 if self.chunking == "chars" else self.chunking
        return [text[i : i + size] for i in range(0, len(text), size)]


def parse_latency(value: str, source: str = LATENCY_ENV) -> tuple[float, float]:
    """``"realistic"`` or ``"0.3,0.02"`` (seconds to first token, seconds between tokens)."""
    if value in LATENCY_PRESETS:
        return LATENCY_PRESETS[value]
    try:
        first, between = (float(part) for part in value.split(","))
    except ValueError:
        first = between = math.nan
    if not all(0 <= seconds < math.inf for seconds in (first, between)):
        raise InvalidLatencyError(t("fake_model.bad_latency", source=source, presets=", ".join(LATENCY_PRESETS), value=value))
    return first, between


def _chosen_tool(
    functions: list[dict[str, Any]], tool_choice: ToolChoice, args: dict[str, Any], question: str
) -> dict[str, Any]:
    """The tool ``tool_choice`` names; else the one the rule's arguments fit or the question names."""
    wanted = tool_choice.get("function", tool_choice).get("name") if isinstance(tool_choice, dict) else tool_choice
    named = [f for f in functions if f.get("name") == wanted]
    fitting = [f for f in functions if args and args.keys() <= f.get("parameters", {}).get("properties", {}).keys()]
    return (named or fitting or [mentioned_tool(functions, question) or functions[0]])[0]


def _count_tokens(messages: list[BaseMessage]) -> int:
    return sum(len(tokenize(message_text(message))) for message in messages)


def _tool_call_chunk(call: _ToolCall, args_piece: str, *, first: bool) -> AIMessageChunk:
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


def _opening_chunk(call: _ToolCall | None) -> AIMessageChunk:
    """The first chunk of a stream: empty, or a tool call's name and id with no arguments yet."""
    return _tool_call_chunk(call, "", first=True) if call else AIMessageChunk(content="")


def _usage(input_tokens: int, output_tokens: int, *, details: bool = False) -> UsageMetadata:
    """Token counts; ``details`` adds the empty breakdowns ChatOpenAI reports."""
    total = input_tokens + output_tokens
    usage: UsageMetadata = {"input_tokens": input_tokens, "output_tokens": output_tokens, "total_tokens": total}
    if details:
        usage |= {"input_token_details": {}, "output_token_details": {}}
    return usage


def whole_reply(call_options: dict[str, Any]) -> dict[str, Any]:
    """Options for a stream that is merged into a whole answer, which always reports usage,
    as the providers' non-streaming answers do (ChatMaritaca's stream has none)."""
    return {**call_options, "stream_usage": True}


@dataclass(frozen=True)
class _Layout:
    """Where one client puts what in its stream, as measured over the local stub.

    tests/test_chunk_layouts.py streams the real clients and holds these to what they send.
    """

    provider: bool
    """Every chunk up to the finish chunk names the ``model_provider`` (ChatOpenAI)."""
    opening: bool
    """The stream opens with an empty chunk (a tool call's name and id, for a tool call)."""
    model_keys: tuple[str, ...]
    """The ``response_metadata`` keys naming the model on the finish chunk."""
    usage: Literal["finish", "separate", "none"]
    """Usage on the finish chunk, on an empty chunk of its own after it, or not in the stream
    (on the finish chunk when a call asks for it)."""
    closing: bool
    """Core's empty ``chunk_position="last"`` chunk ends the stream; else the finish chunk is last."""
    parsed_closing: bool = False
    """With a ``response_format``, the stream is read by openai's parsing helper (ChatOpenAI): the
    finish chunk names no model, one empty chunk follows (two with usage), then the whole
    completion's chunk carries the model, ``token_usage``, the usage and ``parsed``; an answer cut
    off by the length limit raises ``openai.LengthFinishReasonError`` in place of that chunk."""

    def chunk(self, message: AIMessageChunk) -> ChatGenerationChunk:
        if self.provider:
            message.response_metadata = {"model_provider": MODEL_PROVIDER}
        return ChatGenerationChunk(message=message)

    def closing_chunks(
        self, finish_reason: str, model_name: str, usage: UsageMetadata | None, *, completion: bool = False
    ) -> list[ChatGenerationChunk]:
        """The empty chunks after the text: why it ended and which model, usage if any, the end."""
        if completion:
            return self._completion_closing(finish_reason, model_name, usage)
        metadata: dict[str, Any] = {"finish_reason": finish_reason, **dict.fromkeys(self.model_keys, model_name)}
        finish = AIMessageChunk(
            content="",
            response_metadata=metadata | ({"model_provider": MODEL_PROVIDER} if self.provider else {}),
            usage_metadata=None if self.usage == "separate" else usage,
            chunk_position=None if self.closing else "last",
        )
        chunks = [finish]
        if self.usage == "separate" and usage:
            chunks.append(AIMessageChunk(content="", usage_metadata=usage))
        if self.closing:
            chunks.append(AIMessageChunk(content="", chunk_position="last"))
        return [ChatGenerationChunk(message=chunk) for chunk in chunks]


    def _completion_closing(
        self, finish_reason: str, model_name: str, usage: UsageMetadata | None
    ) -> list[ChatGenerationChunk]:
        provider = {"model_provider": MODEL_PROVIDER} if self.provider else {}
        token_usage = None
        if usage:
            token_usage = {
                "completion_tokens": usage["output_tokens"],
                "prompt_tokens": usage["input_tokens"],
                "total_tokens": usage["total_tokens"],
                "completion_tokens_details": None,
                "prompt_tokens_details": None,
            }
        metadata = {"token_usage": token_usage, **provider, **dict.fromkeys(self.model_keys, model_name)}
        chunks = [
            AIMessageChunk(content="", response_metadata={"finish_reason": finish_reason, **provider}),
            *(AIMessageChunk(content="") for _ in range(2 if usage else 1)),
            AIMessageChunk(
                content="",
                additional_kwargs={"parsed": None, "refusal": None},
                response_metadata=metadata | {"system_fingerprint": None, "id": "chatcmpl-fake"},
                usage_metadata=usage,
            ),
            AIMessageChunk(content="", chunk_position="last"),
        ]
        return [ChatGenerationChunk(message=chunk) for chunk in chunks]


#: What the fake names as ``model_provider`` where ChatOpenAI says ``"openai"``.
MODEL_PROVIDER = "fake"

LAYOUTS: dict[ChunkLayout, _Layout] = {
    "openai": _Layout(
        provider=True, opening=True, model_keys=("model_name",), usage="separate", closing=True, parsed_closing=True
    ),
    "maritaca": _Layout(provider=False, opening=True, model_keys=("model",), usage="none", closing=True),
    "single": _Layout(provider=False, opening=False, model_keys=("model_name", "model"), usage="finish", closing=False),
}


def _truncated(pieces: list[str]) -> list[str]:
    """The first two thirds of the pieces, so the JSON they carry never closes."""
    if len(pieces) == 1:
        return [pieces[0][: len(pieces[0]) // 2 or 1]]
    return pieces[: max(1, len(pieces) * 2 // 3)]


def _conversation(messages: list[BaseMessage]) -> str:
    return "\n".join(message_text(message) for message in messages)


def _validated(message: BaseMessage, schema: type) -> Any:
    """The finished answer as an instance of ``schema``, as ChatOpenAI parses ``json_schema`` output."""
    return schema.model_validate_json(message_text(message))


def _length_refusal() -> Exception:
    """openai's own error for a cut-off structured answer; imported here, as only this case needs openai."""
    import openai
    from openai.types.chat import ChatCompletion

    return openai.LengthFinishReasonError(completion=ChatCompletion.model_construct(usage=None))


def _cut_at_stop(text: str, stop: list[str] | None) -> str:
    """Truncate at the earliest stop sequence, as providers do."""
    cut = min((text.find(s) for s in stop or [] if s and s in text), default=len(text))
    return text[:cut]
