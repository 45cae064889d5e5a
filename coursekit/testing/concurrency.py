"""Async behaviour: the loop keeps running, cancellation reaches the model, streams overlap.

These are the properties that make async streaming worth it, and none of them shows in a
return value. Each check is about order, about gaps far larger than scheduling noise, or about
the loop's state rather than its timing: a student's ``time.sleep(0.5)`` leaves a half-second
hole in the heartbeat, while a loaded two-core machine delays a 5 ms tick by a few tens of
milliseconds at worst; a blocking read of every token leaves the loop thread outside its
selector most of the time, however short each stall, while a waiting loop sits in its selector
however slow the machine. Gaps are measured on a :class:`SteadyClock`, so a pause of the whole
process (CPU taken by another program, a long garbage collection) is not mistaken for the
student's code blocking the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import selectors
import sys
import threading
import time
from collections.abc import Awaitable
from types import TracebackType
from typing import Any

from coursekit.i18n import t
from coursekit.testing.probe import ProbeModel, next_seq

#: Longest pause of the event loop that still counts as "not blocked".
MAX_LOOP_GAP = 0.3
#: Most time one step of the :class:`SteadyClock` may add: a longer step is a pause of the process.
STALL_CAP = 0.1
#: Largest share of the watched time the loop may spend away from its selector (running code or
#: blocked in a call), once that adds up to more than the max gap: many short stalls.
MAX_BUSY_SHARE = 0.5


class SteadyClock:
    """Seconds during which the process could run, counted by a thread that wakes every few ms.

    ``time.sleep`` or a blocking call on the event loop releases the GIL, so this thread keeps
    counting while the loop is blocked. When the whole process stops instead (the machine is
    busy elsewhere, the GIL is held by a garbage collection), the thread stops too, and the one
    long step it sees on waking counts for at most :data:`STALL_CAP`. Given a ``watch``-ed thread
    that runs a selector event loop, each step also looks at where that thread is: steps during
    which it was not waiting in its selector add up in :attr:`busy`.
    """

    def __init__(self, interval: float, watch: int | None = None) -> None:
        self.interval = interval
        self.busy = 0.0
        self._watch = watch
        self._now = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat-clock", daemon=True)

    def __enter__(self) -> SteadyClock:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def now(self) -> float:
        return self._now

    def _run(self) -> None:
        last = time.perf_counter()
        while not self._stop.wait(self.interval):
            real = time.perf_counter()
            step = min(real - last, STALL_CAP)
            self._now += step
            if self._watch is not None and not _waiting_in_selector(self._watch):
                self.busy += step
            last = real


def _waiting_in_selector(thread: int) -> bool:
    """Whether ``thread`` is inside a :mod:`selectors` ``select()``: an idle event loop."""
    frame = sys._current_frames().get(thread)
    return frame is not None and frame.f_code.co_name == "select" and frame.f_code.co_filename == selectors.__file__


class Heartbeat:
    """A task that ticks every few milliseconds; gaps between ticks mean the loop was blocked.

    Use it as ``async with heartbeat():`` around the student's awaited code. On a clean exit it
    fails when the largest gap exceeded ``max_gap`` (one long block), or, on a selector event
    loop, when the loop was away from its selector for more than ``max_gap`` in all *and* for
    more than :data:`MAX_BUSY_SHARE` of the time watched (a blocking call per token, each one
    short). When the code raised, its error wins.
    """

    def __init__(self, max_gap: float = MAX_LOOP_GAP, interval: float = 0.005) -> None:
        self.max_gap = max_gap
        self.interval = interval
        self.largest_gap = 0.0
        self.busy = 0.0
        """Seconds the loop spent away from its selector (0 on a loop without one)."""
        self.watched = 0.0
        """Seconds from entering the block to leaving it, on the steady clock."""
        self.beats = 0
        self._started = 0.0
        self._last = 0.0
        self._task: asyncio.Task[None] | None = None
        self._clock: SteadyClock

    async def __aenter__(self) -> Heartbeat:
        selector_loop = isinstance(asyncio.get_running_loop(), asyncio.SelectorEventLoop)
        self._clock = SteadyClock(self.interval, threading.get_ident() if selector_loop else None).__enter__()
        self._started = self._last = self._clock.now()
        self._task = asyncio.create_task(self._beat())
        await asyncio.sleep(0)  # let the ticker start before the student's code does
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._tick()  # a block right at the end leaves a gap no later tick would measure
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._clock.__exit__()
        self.watched, self.busy = self._last - self._started, self._clock.busy
        if exc_type is not None:
            return
        if self.largest_gap > self.max_gap:
            raise AssertionError(t("testing.loop_blocked", seconds=self.largest_gap))
        if self.busy > self.max_gap and self.busy > MAX_BUSY_SHARE * self.watched:
            raise AssertionError(t("testing.loop_stalled", seconds=self.busy, share=min(self.busy / self.watched, 1.0)))

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self._tick()

    def _tick(self) -> None:
        now = self._clock.now()
        self.largest_gap = max(self.largest_gap, now - self._last)
        self._last = now
        self.beats += 1


def heartbeat(max_gap: float = MAX_LOOP_GAP) -> Heartbeat:
    """``async with heartbeat(): await student_code()`` fails if the code blocked the loop."""
    return Heartbeat(max_gap)


async def assert_cancel_stops_model(
    consumer: Awaitable[Any], probe: ProbeModel, *, timeout: float = 10.0, must_end_cancelled: bool = True
) -> None:
    """Cancel ``consumer`` after the probe's first chunk; the model must stop streaming.

    ``consumer`` is the student's coroutine, not yet awaited. It runs as a task; once the probe
    has produced a chunk the task is cancelled, and after a pause of a few token delays every
    stream of the probe must have ended early (cancelled or closed) with no chunk produced after
    the task ended. Code that blocks the loop, shields the stream, or streams in a detached task
    (``asyncio.wait``, a worker thread) fails.
    With ``must_end_cancelled`` (the default) the task itself must also end cancelled: code that
    catches the ``CancelledError`` and returns a value, or raises another error, fails too.
    """
    task = asyncio.ensure_future(consumer)
    deadline = time.perf_counter() + timeout
    while not probe.produced and not task.done() and time.perf_counter() < deadline:
        await asyncio.sleep(0.001)
    if task.done():
        task.result()  # the student's own error, if any, is the most useful report
    if not probe.records:
        task.cancel()
        raise AssertionError(t("testing.model_not_called"))
    if task.done():  # the whole stream ran before the test got a turn: nothing could stop it
        raise AssertionError(t("testing.cancel_ignored"))
    task.cancel()
    await asyncio.wait({task}, timeout=timeout)
    # From here on nothing may stream. Not from the cancel() call: a TaskGroup cancels its
    # children one loop step later, and a child whose token was due in that step may still get it.
    cut = next_seq()
    await asyncio.sleep(max(3 * probe.token_delay, 0.05))  # room for a detached stream to show itself
    kept_going = any(chunk.seq > cut for chunk in probe.produced)
    if kept_going or any(record.outcome in ("running", "completed") for record in probe.records):
        raise AssertionError(t("testing.cancel_ignored"))
    if must_end_cancelled:
        _assert_ended_cancelled(task)


def _assert_ended_cancelled(task: asyncio.Future[Any]) -> None:
    """The cancelled task ended with ``CancelledError``, not with a value or another error."""
    if not task.done():
        task.cancel()
        raise AssertionError(t("testing.cancel_ignored"))
    if task.cancelled():
        return
    error = task.exception()
    if error is None:
        raise AssertionError(t("testing.cancel_swallowed"))
    raise AssertionError(t("testing.cancel_replaced", error=repr(error))) from error


def assert_streams_overlap(probe: ProbeModel, *, count: int = 2) -> None:
    """The probe served at least ``count`` streams, each producing chunks while the others did.

    Two streams overlap when each one's first chunk came before the other's final chunk, which
    is what running them concurrently (``asyncio.gather``, a ``TaskGroup``) guarantees and
    running them one after the other rules out.
    """
    records = probe.records
    if len(records) < count:
        raise AssertionError(t("testing.streams_missing", expected=count, got=len(records)))
    for first in records:
        for second in records:
            if first is second or not first.chunks or second.done is None:
                continue
            if first.chunks[0].seq > second.done.seq:
                raise AssertionError(t("testing.streams_sequential"))
