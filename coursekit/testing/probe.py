"""``ProbeModel``: the offline model, plus a record of what it produced and when.

A test cannot see *how* a student's code consumed a stream from its return value alone. The
probe streams exactly like :class:`~coursekit.fake_model.FakeStreamingChatModel` and writes
down every chunk it produced and how each stream ended (completed, failed, closed by the
consumer, or cancelled). Every moment also takes a ticket from one global counter, shared with
the observers in :mod:`coursekit.testing.observers`, so tests compare the *order* of events
rather than wall-clock times, which is what keeps them stable on a loaded machine.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import aclosing, closing
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import generate_from_stream
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from coursekit.fake_model import FakeStreamingChatModel, whole_reply
from coursekit.i18n import t

Outcome = Literal["running", "completed", "failed", "closed", "cancelled"]
_tickets = itertools.count()


@dataclass(frozen=True)
class Moment:
    """One event: ``seq`` orders all events of a test run, ``at`` is the time on a clock."""

    seq: int
    at: float
    text: str = ""


def moment(clock: Callable[[], float] = time.perf_counter, text: str = "") -> Moment:
    """Stamp an event now, with the next ticket of the shared counter."""
    return Moment(next(_tickets), clock(), text)


def next_seq() -> int:
    """A ticket that orders after every event so far: a cut-off for "later than now"."""
    return next(_tickets)


@dataclass
class StreamRecord:
    """What one call of the model produced, and how the stream ended."""

    via: Literal["stream", "invoke"]
    started: Moment
    chunks: list[Moment] = field(default_factory=list)
    """Each chunk as it was produced, with its text: empty for the opening and closing chunks
    that carry no text (how many depends on the ``chunk_layout``)."""
    done: Moment | None = None
    """When the model had nothing more to send: its ``chunk_position="last"`` chunk, or the
    moment it stopped."""
    ended: Moment | None = None
    outcome: Outcome = "running"
    error: BaseException | None = None

    @property
    def text(self) -> str:
        """The text produced so far: the whole answer, or the part sent before a failure."""
        return "".join(chunk.text for chunk in self.chunks)

    def _add(self, chunk: ChatGenerationChunk, when: Moment) -> None:
        self.chunks.append(when)
        if getattr(chunk.message, "chunk_position", None) == "last":
            self.done = when

    def _end(self, outcome: Outcome, when: Moment, error: BaseException | None = None) -> None:
        self.outcome, self.ended, self.error = outcome, when, error
        self.done = self.done or when


class ProbeModel(FakeStreamingChatModel):
    """A :class:`FakeStreamingChatModel` that records a :class:`StreamRecord` for every call.

    It streams with a delay between tokens by default, so a consumer that shows each chunk at
    once and one that waits for the whole answer leave different traces. With
    ``virtual_time=True`` it does not really sleep: :meth:`clock` jumps ahead by each delay
    instead, so code that takes a ``clock`` argument can be timed exactly and instantly.
    Faults come from the parent's fields: ``error_after=N`` breaks the stream after N chunks,
    ``rate_limited=True`` refuses before the first token, ``json_fault`` spoils JSON answers
    (``"prose"``, ``"fenced"``, ``"truncated"``, ``"mismatch"``), which stream in the same pieces.
    """

    token_delay: float = 0.03
    """Seconds between chunks: long enough to tell streaming from buffering, even under load."""
    virtual_time: bool = False
    """Advance :meth:`clock` by each delay instead of sleeping."""

    _records: list[StreamRecord] = PrivateAttr(default_factory=list)
    _virtual_now: float = PrivateAttr(default=0.0)

    @property
    def records(self) -> list[StreamRecord]:
        """One record per call of the model, in the order the calls started."""
        return self._records

    @property
    def record(self) -> StreamRecord:
        """The latest call's record; a student-facing failure when the model was never called."""
        if not self._records:
            raise AssertionError(t("testing.model_not_called"))
        return self._records[-1]

    @property
    def produced(self) -> list[Moment]:
        """Every chunk produced by every call, in order."""
        return sorted((chunk for record in self._records for chunk in record.chunks), key=lambda m: m.seq)

    def clock(self) -> float:
        """The model's time in seconds: virtual when ``virtual_time`` is on, else ``perf_counter``."""
        return self._virtual_now if self.virtual_time else time.perf_counter()

    def _paced_chunks(self, messages: list[BaseMessage], stop: list[str] | None, **kwargs: Any):  # type: ignore[override]
        for delay, chunk in super()._paced_chunks(messages, stop, **kwargs):
            if self.virtual_time:
                self._virtual_now += delay
                delay = 0.0
            yield delay, chunk

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        return self._recorded(super()._stream(messages, stop, run_manager, **kwargs), "stream")

    def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        return self._arecorded(super()._astream(messages, stop, run_manager, **kwargs), "stream")

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        chunks = super()._stream(messages, stop, None, **whole_reply(kwargs))
        return generate_from_stream(self._recorded(chunks, "invoke"))

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        # Merged on the loop, as FakeStreamingChatModel does: agenerate_from_stream uses a thread.
        recorded = self._arecorded(super()._astream(messages, stop, None, **whole_reply(kwargs)), "invoke")
        return generate_from_stream(iter([chunk async for chunk in recorded]))

    def _recorded(self, chunks: Iterator[ChatGenerationChunk], via: Literal["stream", "invoke"]):
        record = self._start(via)
        try:
            with closing(chunks):  # type: ignore[type-var]
                for chunk in chunks:
                    record._add(chunk, moment(self.clock, chunk.text))
                    yield chunk
        except GeneratorExit:
            record._end("closed", moment(self.clock))
            raise
        except BaseException as error:
            record._end("failed", moment(self.clock), error)
            raise
        record._end("completed", moment(self.clock))

    async def _arecorded(self, chunks: AsyncIterator[ChatGenerationChunk], via: Literal["stream", "invoke"]):
        record = self._start(via)
        try:
            async with aclosing(chunks):  # type: ignore[type-var]
                async for chunk in chunks:
                    record._add(chunk, moment(self.clock, chunk.text))
                    yield chunk
        except GeneratorExit:
            record._end("closed", moment(self.clock))
            raise
        except asyncio.CancelledError:
            record._end("cancelled", moment(self.clock))
            raise
        except BaseException as error:
            record._end("failed", moment(self.clock), error)
            raise
        record._end("completed", moment(self.clock))

    def _start(self, via: Literal["stream", "invoke"]) -> StreamRecord:
        record = StreamRecord(via=via, started=moment(self.clock))
        self._records.append(record)
        return record
