"""pytest helpers that check *how* a student's code streams, not only what it returns.

A buffered loop and a streaming one return the same text; only the timing differs. These
helpers record both sides of a stream, the model (:class:`ProbeModel`) and the reader
(:func:`record_stdout`, :class:`Received`), on one shared event counter, and assert on the
*order* of events, so they hold on a slow, loaded machine. Every failure message is written for
the student, in their language (``COURSE_LANG``), and names the concept to fix.

Usage in an exercise test::

    from coursekit.testing import (
        ProbeModel, Received, assert_cancel_stops_model, assert_incremental,
        assert_partial_text_kept, expect_model_error, heartbeat, record_stdout,
    )

    def test_prints_each_chunk_as_it_arrives(exercise):
        probe = ProbeModel(responses=["Streaming shows words as they are written."])
        with record_stdout() as screen:
            exercise.print_stream(probe, "hi")
        assert_incremental(screen, probe, every_chunk=True)

    async def test_iterator_yields_early(exercise):
        probe = ProbeModel(responses=["one two three four"])
        received = Received()
        async for _ in received.track_async(exercise.words(probe, "hi")):
            pass
        assert_incremental(received, probe)

    async def test_does_not_block_the_loop(exercise):
        async with heartbeat():
            await exercise.stream_both(ProbeModel(), "a", "b")

    async def test_cancel_stops_the_model(exercise):
        probe = ProbeModel(responses=["a long answer " * 10])
        await assert_cancel_stops_model(exercise.consume(probe, "hi"), probe)

    def test_keeps_partial_text(exercise):
        probe = ProbeModel(responses=["one two three four"], error_after=2)
        assert_partial_text_kept(exercise.collect_safely(probe, "hi"), probe)

    def test_reports_rate_limit(exercise):
        probe = ProbeModel(rate_limited=True)
        with expect_model_error(probe):
            exercise.collect(probe, "hi")

What each helper observes:

- :class:`ProbeModel` streams like ``FakeStreamingChatModel`` (30 ms between tokens by default)
  and keeps a :class:`StreamRecord` per call: chunks with their order, ``done``, ``outcome``
  (completed, failed, closed, cancelled), ``error`` and ``text``. ``virtual_time=True`` skips
  the sleeps and advances ``probe.clock`` instead, for exercises that take a ``clock``.
- :func:`assert_incremental` the reader saw text before the model finished (and, with
  ``every_chunk=True``, each chunk before the next was produced). A :class:`Screen` behaves like
  a line-buffered terminal, so a missing ``flush=True`` is caught and named.
- :func:`heartbeat` fails if the event loop stalled for more than :data:`MAX_LOOP_GAP` seconds,
  or was away from its selector most of the time in many short stalls (a blocking call per token).
- :func:`assert_cancel_stops_model` cancels the student's task after the first chunk and checks
  the model stopped: no chunk after the task ended, no stream left running or completed, and the
  task itself ended cancelled (not with a value or another error).
- :func:`assert_streams_overlap` two or more streams of one probe ran at the same time.
- :func:`expect_model_error`, :func:`expect_error_handled`, :func:`assert_partial_text_kept`
  check the two ways an exercise can ask to treat an injected fault.
"""

from coursekit.fake_model import CHUNK_LAYOUTS
from coursekit.testing.concurrency import (
    MAX_LOOP_GAP,
    Heartbeat,
    assert_cancel_stops_model,
    assert_streams_overlap,
    heartbeat,
)
from coursekit.testing.faults import Caught, assert_partial_text_kept, expect_error_handled, expect_model_error
from coursekit.testing.http import PacedProbe, Served, SSEReply
from coursekit.testing.observers import Observer, Received, Screen, assert_incremental, record_stdout
from coursekit.testing.probe import Moment, ProbeModel, StreamRecord

__all__ = [
    "CHUNK_LAYOUTS",
    "MAX_LOOP_GAP",
    "Caught",
    "Heartbeat",
    "Moment",
    "Observer",
    "PacedProbe",
    "ProbeModel",
    "Received",
    "SSEReply",
    "Screen",
    "Served",
    "StreamRecord",
    "assert_cancel_stops_model",
    "assert_incremental",
    "assert_partial_text_kept",
    "assert_streams_overlap",
    "expect_error_handled",
    "expect_model_error",
    "heartbeat",
    "record_stdout",
]
