"""A local OpenAI-compatible ``/v1/chat/completions`` server whose replies come from the fake model.

The provider path has behaviour of its own that the in-process fake skips: HTTP, the SSE wire
format (``choices[].delta``, ``finish_reason``, ``data: [DONE]``), a separate usage chunk, and
connections that drop halfway. Pointing ``OPENAI_BASE_URL`` or ``MARITACA_API_BASE`` at this
stub runs ``ChatOpenAI`` and ``ChatMaritaca`` through all of it, offline and deterministically:
in tests with :func:`serve_openai_stub`, and on a laptop with ``python -m coursekit.openai_stub``.

What it answers and how it fails is the :class:`FakeStreamingChatModel` it is given:
``responses``/``rules`` choose the text (or a tool call, when the request sends ``tools``; JSON,
when it sends a ``response_format``), ``json_fault`` spoils the JSON,
``latency`` paces it, ``error_after=N`` drops the connection after N chunks (a server error
mid-stream) and ``rate_limited=True`` answers 429. Its ``chunk_layout`` does not matter here:
the wire is OpenAI's whatever the layout, and each client lays the chunks out its own way.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

import typer
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolCall, convert_to_messages
from pydantic import BaseModel, ConfigDict, Field

from coursekit.errors import FakeModelError, RateLimitError, StreamInterruptedError
from coursekit.fake_model import FakeStreamingChatModel
from coursekit.i18n import t
from coursekit.server.background import BackgroundServer
from coursekit.sse import sse_frame


class ChatMessage(BaseModel):
    """One message of the request; extra OpenAI fields (``name``, ``tool_calls``...) pass through."""

    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[dict[str, Any]] | None = None


class StreamOptions(BaseModel):
    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """The part of OpenAI's request body the stub acts on; other options are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    stop: str | list[str] | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None
    response_format: dict[str, Any] | None = None


class _ExpectedFaultFilter(logging.Filter):
    """Keep uvicorn from printing a traceback for a failure the stub was asked to simulate."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], FakeModelError))


def create_app(model: FakeStreamingChatModel | None = None) -> FastAPI:
    """The ASGI app: ``POST /v1/chat/completions``, streaming or not, answered by ``model``."""
    model = model or FakeStreamingChatModel()
    completion_ids = itertools.count(1)
    app = FastAPI(title="coursekit OpenAI-compatible stub")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"] if part != "body")
        return _error_response(400, "invalid_request_error", f"{where}: {first['msg']}")

    @app.post("/v1/chat/completions")
    async def chat_completions(body: ChatCompletionRequest) -> Any:
        try:
            # "content": null is how an assistant's tool call comes back: keep the key, or it is refused.
            messages = convert_to_messages([m.model_dump(exclude_none=True) | {"content": m.content} for m in body.messages])
        except (ValueError, TypeError, KeyError) as error:
            return _error_response(400, "invalid_request_error", f"messages: {error}")
        stop = [body.stop] if isinstance(body.stop, str) else body.stop
        options = {"stop": stop, "tools": body.tools, "tool_choice": body.tool_choice, "wire": True}
        if body.response_format and body.response_format.get("type") != "text":  # JSON mode, or a schema to answer in
            options["response_format"] = body.response_format
        envelope = _Envelope(f"chatcmpl-{next(completion_ids):06d}", body.model)
        if not body.stream:
            try:
                reply = await model.ainvoke(messages, **options)
            except FakeModelError as error:
                return _fault_response(error)
            return envelope.completion(reply)
        include_usage = bool(body.stream_options and body.stream_options.include_usage)
        chunks = model.astream(messages, stream_usage=include_usage, **options)
        try:  # a rate limit is refused before the first token, so it can still be a 429
            first = await anext(chunks)
        except FakeModelError as error:
            return _fault_response(error)
        events = _sse_events(envelope, _prepend(first, chunks), include_usage)
        return StreamingResponse(events, media_type="text/event-stream")

    return app


class _Envelope:
    """The fields every OpenAI response object of one completion repeats."""

    def __init__(self, completion_id: str, model_name: str) -> None:
        self.id = completion_id
        self.model = model_name
        self.created = int(time.time())

    def chunk(self, delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
        return self._object("chat.completion.chunk", choices=[choice])

    def usage_chunk(self, last: AIMessageChunk) -> dict[str, Any]:
        return self._object("chat.completion.chunk", choices=[], usage=_usage(last))

    def completion(self, reply: AIMessage) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.content}
        if reply.tool_calls:
            message["content"] = None
            message["tool_calls"] = [_wire_tool_call(call) for call in reply.tool_calls]
        finish_reason = reply.response_metadata.get("finish_reason", "stop")
        choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}
        return self._object("chat.completion", choices=[choice], usage=_usage(reply))

    def _object(self, kind: str, **fields: Any) -> dict[str, Any]:
        return {"id": self.id, "object": kind, "created": self.created, "model": self.model, **fields}


async def _sse_events(
    envelope: _Envelope, chunks: AsyncIterator[AIMessageChunk], include_usage: bool
) -> AsyncIterator[bytes]:
    """OpenAI's stream: an opening delta, content or tool-call deltas, a finish chunk, maybe usage, [DONE].

    It reads what each chunk carries, not where, so the fake's ``chunk_layout`` does not change
    the wire. Text opens with ``{"role": "assistant", "content": ""}``; a tool call opens with
    its id and name and empty arguments, which follow in pieces, as OpenAI sends them. A fault
    the model raises here propagates on purpose: uvicorn then drops the connection mid-body,
    which is what a client sees when a real provider fails halfway.
    """
    opened = False
    async for chunk in chunks:
        finish_reason = chunk.response_metadata.get("finish_reason")
        calls = chunk.tool_call_chunks
        for call in (call for call in calls if call.get("name")):
            header = {"index": call["index"], "id": call["id"], "type": "function"}
            header["function"] = {"name": call["name"], "arguments": ""}
            opening = {} if opened else {"role": "assistant", "content": None}
            yield _sse(envelope.chunk({**opening, "tool_calls": [header]}))
            opened = True
        if not opened and (chunk.content or finish_reason):
            yield _sse(envelope.chunk({"role": "assistant", "content": ""}))
            opened = True
        if chunk.content:
            yield _sse(envelope.chunk({"content": chunk.content}))
        arguments = [{"index": c["index"], "function": {"arguments": c["args"]}} for c in calls if c.get("args")]
        if arguments:
            yield _sse(envelope.chunk({"tool_calls": arguments}))
        if finish_reason:
            yield _sse(envelope.chunk({}, finish_reason))
        if include_usage and chunk.usage_metadata:
            yield _sse(envelope.usage_chunk(chunk))
    yield sse_frame("[DONE]", newline="\n")


def _sse(payload: dict[str, Any]) -> bytes:
    return sse_frame(json.dumps(payload, ensure_ascii=False), newline="\n")


async def _prepend(first: AIMessageChunk, rest: AsyncIterator[AIMessageChunk]) -> AsyncIterator[AIMessageChunk]:
    yield first
    async for chunk in rest:
        yield chunk


def _wire_tool_call(call: ToolCall) -> dict[str, Any]:
    arguments = json.dumps(call["args"], ensure_ascii=False)
    return {"id": call["id"], "type": "function", "function": {"name": call["name"], "arguments": arguments}}


def _usage(message: BaseMessage) -> dict[str, int]:
    usage = getattr(message, "usage_metadata", None) or {}
    prompt, completion = usage.get("input_tokens", 0), usage.get("output_tokens", 0)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _fault_response(error: FakeModelError) -> JSONResponse:
    if isinstance(error, RateLimitError):
        response = _error_response(429, "rate_limit_exceeded", str(error))
        response.headers["Retry-After"] = f"{error.retry_after:g}"
        return response
    kind = "server_error" if isinstance(error, StreamInterruptedError) else "api_error"
    return _error_response(500, kind, str(error))


def _error_response(status: int, kind: str, message: str) -> JSONResponse:
    """OpenAI's error shape, so that client libraries raise their usual, readable exceptions."""
    return JSONResponse({"error": {"message": message, "type": kind, "param": None, "code": kind}}, status)


@contextmanager
def serve_openai_stub(model: FakeStreamingChatModel | None = None, *, port: int = 0) -> Iterator[str]:
    """Run the stub on 127.0.0.1 in a background thread; yield its base URL (``.../v1``).

    ``port=0`` takes a free port, so parallel tests never collide. The server stops, and the
    thread ends, when the ``with`` block exits.
    """
    _quiet_expected_faults()
    # log_config=None: leave the host's logging alone (pytest's capture, a notebook's handlers).
    with BackgroundServer(create_app(model), port=port, log_config=None, access_log=False) as url:
        yield f"{url}/v1"


def _quiet_expected_faults() -> None:
    error_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _ExpectedFaultFilter) for f in error_log.filters):
        error_log.addFilter(_ExpectedFaultFilter())


def main(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0 picks a free one).")] = 8765,
    latency: Annotated[str, typer.Option(help="none | realistic | slow | FIRST,BETWEEN seconds.")] = "realistic",
    fail_after: Annotated[int | None, typer.Option(help="Drop every stream after this many chunks.")] = None,
    lang: Annotated[str | None, typer.Option(help="en | pt | id")] = None,
) -> None:
    """Serve the stub until Ctrl+C, and say which variables point the course at it."""
    model = FakeStreamingChatModel(latency=latency, error_after=fail_after)
    with serve_openai_stub(model, port=port) as base_url:
        typer.echo(t("providers.stub_running", lang, url=base_url))
        typer.echo(f"  COURSE_PROVIDER=openai OPENAI_API_KEY=stub OPENAI_BASE_URL={base_url}")
        typer.echo(f"  COURSE_PROVIDER=maritaca MARITACA_API_KEY=stub MARITACA_API_BASE={base_url}")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    typer.run(main)
