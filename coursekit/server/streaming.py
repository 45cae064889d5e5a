"""From a chat model's async stream to Server-Sent Events, with the failures real providers have.

The wire format of ``/api/generate`` and of ``/chat`` with ``"stream": true``::

    id: 1
    event: token
    data: {"text":"Hello"}

    event: done
    data: {"tokens":12,"finish_reason":"stop","usage":{...}}

and, if the model fails after the first token, ``event: error`` in place of ``done``, with the
JSON error document of :mod:`coursekit.server.errors` plus ``tokens``, the number already sent.
Empty chunks are never sent.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing, contextmanager
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessageChunk, HumanMessage
from sse_starlette import EventSourceResponse, JSONServerSentEvent

from coursekit.errors import RateLimitError
from coursekit.i18n import t
from coursekit.server.errors import ApiError, error_body
from coursekit.sse import sse_frame

logger = logging.getLogger("coursekit.server")

#: ``no-cache`` stops proxies from serving a stale stream; ``X-Accel-Buffering: no`` stops
#: nginx from holding tokens back until its buffer fills.
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
#: A client that stops reading for this long is dropped, so it cannot pin an upstream call.
SEND_TIMEOUT_SECONDS = 30.0


class StreamTracker:
    """Counts the SSE responses in flight, for ``/health`` and for checking disconnect clean-up."""

    def __init__(self) -> None:
        self.active = 0

    @contextmanager
    def track(self) -> Iterator[None]:
        self.active += 1
        try:
            yield
        finally:
            self.active -= 1


class StartedStream:
    """A model stream whose first chunk has already arrived, iterated from that chunk on."""

    def __init__(self, first: BaseMessageChunk | None, rest: AsyncIterator[BaseMessageChunk]) -> None:
        self._pending = first
        self._rest = rest

    def __aiter__(self) -> StartedStream:
        return self

    async def __anext__(self) -> BaseMessageChunk:
        if self._pending is not None:
            chunk, self._pending = self._pending, None
            return chunk
        return await anext(self._rest)

    async def aclose(self) -> None:
        """Cancel the upstream call (the provider's HTTP stream, or the fake's generator)."""
        await self._rest.aclose()  # type: ignore[attr-defined]


async def start_stream(model: BaseChatModel, text: str) -> StartedStream:
    """Start the upstream call and wait for its first chunk, before any byte of the response.

    Providers report most failures (rate limits, bad keys, unknown models) before the first
    token. Waiting for it here lets those become a real HTTP status (429, 502) instead of a
    ``200 OK`` stream whose first event is an error.
    """
    upstream = aiter(model.astream([HumanMessage(text)]))
    try:
        first = await anext(upstream, None)
    except Exception as error:  # the generator is finished by its own exception: nothing to close
        raise upstream_error(error) from error
    return StartedStream(first, upstream)


def upstream_error(error: Exception) -> ApiError:
    """The HTTP error for a model call that failed before answering (logged with its traceback)."""
    logger.warning("model call failed before the first token", exc_info=error)
    if isinstance(error, RateLimitError) or getattr(error, "status_code", None) == 429:
        seconds = max(1, math.ceil(getattr(error, "retry_after", 1) or 1))
        return ApiError(429, "rate_limited", headers={"Retry-After": str(seconds)}, seconds=seconds)
    return ApiError(502, "upstream_failed")


def token_frame(text: str, number: int) -> bytes:
    """The ``token`` event, encoded by :func:`coursekit.sse.sse_frame`: it is the hot path, one per token.

    The same bytes ``JSONServerSentEvent`` writes, without building the library's event object
    (``bench/bench_sse.py`` measures what that saves).
    """
    return sse_frame(json.dumps({"text": text}, ensure_ascii=False, separators=(",", ":")), event="token", id=number)


async def sse_events(stream: StartedStream, tracker: StreamTracker, lang: str) -> AsyncIterator[JSONServerSentEvent | bytes]:
    """Token events, then ``done``; or ``error`` if the model fails mid-stream.

    A client that disconnects makes sse-starlette cancel this generator; the ``finally``
    blocks of ``track`` and ``aclosing`` then cancel the upstream call and update the count.
    """
    with tracker.track():
        async with aclosing(stream):
            tokens = 0
            finish_reason: Any = None
            usage: Any = None
            try:
                async for chunk in stream:
                    finish_reason = chunk.response_metadata.get("finish_reason", finish_reason)
                    usage = getattr(chunk, "usage_metadata", None) or usage
                    text = chunk.text
                    if text:
                        tokens += 1
                        yield token_frame(text, tokens)
            except Exception as error:  # the model failed; the connection itself is fine
                logger.warning("model stream failed after %d tokens", tokens, exc_info=error)
                message = t("server.stream_interrupted", lang)
                yield JSONServerSentEvent(error_body("stream_interrupted", message, tokens=tokens), event="error")
                return
            yield JSONServerSentEvent({"tokens": tokens, "finish_reason": finish_reason, "usage": usage}, event="done")


async def event_stream_response(
    model: BaseChatModel, text: str, tracker: StreamTracker, lang: str
) -> EventSourceResponse:
    """The SSE response for one prompt; raises :class:`ApiError` if the model fails up front."""
    stream = await start_stream(model, text)
    return EventSourceResponse(
        sse_events(stream, tracker, lang), headers=SSE_HEADERS, send_timeout=SEND_TIMEOUT_SECONDS
    )
