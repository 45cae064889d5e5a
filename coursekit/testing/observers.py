"""Observers: where the student's code delivers text, stamped with the probe's shared counter.

Streaming is about *when* the reader sees each piece, so the helpers record the consumer side
too: :class:`Screen` stands in for a terminal (``print``), :class:`Received` for anything else
(an iterator the test consumes, or a callback the code calls). :func:`assert_incremental`
then compares the two timelines by order of events, never by tight timings.
"""

from __future__ import annotations

import sys
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from contextlib import contextmanager, redirect_stdout
from typing import Any, TypeVar

from coursekit.i18n import t
from coursekit.testing.probe import Moment, ProbeModel, moment

T = TypeVar("T")


class Observer:
    """Pieces of text as the reader got them, in order."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.updates: list[Moment] = []

    @property
    def text(self) -> str:
        """Everything the reader has been shown, joined."""
        return "".join(update.text for update in self.updates)

    def _show(self, text: str) -> None:
        self.updates.append(moment(self.clock, text))


class Screen(Observer):
    """A line-buffered terminal: text becomes visible on ``flush`` or at a newline.

    That is how ``sys.stdout`` behaves in a real terminal, so a ``print(..., end="")`` without
    ``flush=True`` shows nothing until the line ends, and the test sees the same delay a student
    would. ``writes`` keeps each non-empty write, visible or not; ``empty_flushes`` counts
    flushes that had nothing new to show (printing an empty chunk with ``flush=True``).
    """

    encoding = "utf-8"

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        super().__init__(clock)
        self.writes: list[Moment] = []
        self.empty_flushes = 0
        self._pending = ""
        self._wrote_since_flush = False

    def write(self, text: str) -> int:
        if text:
            self.writes.append(moment(self.clock, text))
            self._pending += text
            self._wrote_since_flush = True
            if "\n" in text:
                self._show_pending()
        return len(text)

    def flush(self) -> None:
        if not self._wrote_since_flush:
            self.empty_flushes += 1
        self._wrote_since_flush = False
        self._show_pending()

    def isatty(self) -> bool:
        """False, so libraries that colour terminal output (Rich, click) write plain text."""
        return False

    def _show_pending(self) -> None:
        if self._pending:
            self._show(self._pending)
            self._pending = ""


@contextmanager
def record_stdout(clock: Callable[[], float] = time.perf_counter) -> Iterator[Screen]:
    """Send ``print`` to a :class:`Screen` for the duration of the block.

    Text never flushed becomes visible when the block ends, as it would when a program exits.
    """
    screen = Screen(clock)
    try:
        with redirect_stdout(screen):  # type: ignore[type-var]
            yield screen
    finally:
        screen._show_pending()


class Received(Observer):
    """Text delivered to the test: call it as a callback, or wrap an iterator with ``track``."""

    def __call__(self, item: Any) -> None:
        self._show(_text_of(item))

    def track(self, items: Iterable[T]) -> Iterator[T]:
        """Yield ``items`` unchanged, stamping each one as the test receives it."""
        for item in items:
            self(item)
            yield item

    async def track_async(self, items: AsyncIterable[T]) -> AsyncIterator[T]:
        """The same for an async iterator."""
        async for item in items:
            self(item)
            yield item


def assert_incremental(observer: Observer, probe: ProbeModel, *, every_chunk: bool = False) -> None:
    """The reader saw the first text before the model had finished its answer.

    With ``every_chunk=True``, each non-empty chunk must also have been shown before the model
    produced the next one: one update per chunk, as a terminal chat needs (a chunk written in
    time but left in the buffer is reported as a missing flush). Both checks compare
    the order of events, so they hold however slow the machine is. Give the probe a reply of
    several chunks, or there is nothing to tell apart.
    """
    record = probe.record
    if not observer.updates:
        raise AssertionError(t("testing.nothing_shown"))
    finished = record.done.seq if record.done else sys.maxsize
    if observer.updates[0].seq > finished:
        written_early = isinstance(observer, Screen) and observer.writes and observer.writes[0].seq < finished
        raise AssertionError(t("testing.not_flushed" if written_early else "testing.buffered"))
    if every_chunk:
        shown = [update.seq for update in observer.updates]
        written = [write.seq for write in observer.writes] if isinstance(observer, Screen) else []
        chunks = record.chunks
        for chunk, following in zip(chunks, chunks[1:]):
            if chunk.text and not any(chunk.seq < seq < following.seq for seq in shown):
                in_time = any(chunk.seq < seq < following.seq for seq in written)
                raise AssertionError(t("testing.not_flushed" if in_time else "testing.held_back"))


def _text_of(item: Any) -> str:
    """Strings as they are; message chunks by their content."""
    content = getattr(item, "content", item)
    return content if isinstance(content, str) else str(content)
