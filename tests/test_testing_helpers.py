"""coursekit.testing: each helper passes good streaming code and fails the typical mistake.

Every check is shown both ways, with the student-facing message it gives, because a helper
that cannot fail would grade nothing.
"""

from __future__ import annotations

import asyncio
import re
import time

import pytest

from coursekit.errors import RateLimitError, StreamInterruptedError
from coursekit.i18n import t
from coursekit.testing import (
    CHUNK_LAYOUTS,
    ProbeModel,
    Received,
    assert_cancel_stops_model,
    assert_incremental,
    assert_partial_text_kept,
    assert_streams_overlap,
    expect_error_handled,
    expect_model_error,
    heartbeat,
    record_stdout,
)

REPLY = "Streaming shows each word as soon as the model writes it."
WORDS = 12  # the reply's text chunks
each_layout = pytest.mark.parametrize("layout", CHUNK_LAYOUTS)


def probe(**fields) -> ProbeModel:
    return ProbeModel(responses=[REPLY], **fields)


def test_coursekit_testing_offers_every_layout():
    assert CHUNK_LAYOUTS == ("openai", "maritaca", "single")
    assert ProbeModel().chunk_layout == "openai", "the default spreads the metadata the most"


def fails_with(key: str, **values):
    """pytest.raises for an AssertionError carrying exactly the student message ``key``."""
    return pytest.raises(AssertionError, match=f"^{re.escape(t(key, **values))}$")


# --- what a student might write -------------------------------------------------------------


def print_streaming(model, prompt: str) -> str:
    text = ""
    for chunk in model.stream(prompt):
        if chunk.content:
            print(chunk.content, end="", flush=True)
            text += chunk.content
    print()
    return text


def print_buffered(model, prompt: str) -> str:
    text = "".join(chunk.content for chunk in model.stream(prompt))
    print(text, flush=True)
    return text


def print_without_flush(model, prompt: str) -> str:
    text = ""
    for chunk in model.stream(prompt):
        print(chunk.content, end="")
        text += chunk.content
    print()
    return text


def print_every_three(model, prompt: str) -> None:
    batch: list[str] = []
    for chunk in model.stream(prompt):
        batch.append(chunk.content)
        if len(batch) == 3:
            print("".join(batch), end="", flush=True)
            batch.clear()
    print("".join(batch), flush=True)


async def consume_async(model, prompt: str) -> str:
    return "".join([chunk.content async for chunk in model.astream(prompt)])


async def consume_blocking(model, prompt: str) -> str:
    return "".join(chunk.content for chunk in model.stream(prompt))


async def consume_in_detached_task(model, prompt: str) -> str:
    queue: asyncio.Queue = asyncio.Queue()

    async def pump() -> None:
        async for chunk in model.astream(prompt):
            await queue.put(chunk.content)
        await queue.put(None)

    asyncio.get_running_loop().create_task(pump())
    text = ""
    while (piece := await queue.get()) is not None:
        text += piece
    return text


async def consume_shielded(model, prompt: str) -> str:
    return await asyncio.shield(consume_async(model, prompt))


# --- ProbeModel -----------------------------------------------------------------------------


@each_layout
def test_probe_records_every_chunk_and_a_completed_stream(layout):
    model = probe(chunk_layout=layout, token_delay=0)
    chunks = list(model.stream("hi"))
    record = model.record
    assert "".join(chunk.content for chunk in chunks) == REPLY == record.text
    assert [c.text for c in record.chunks] == [chunk.content for chunk in chunks], "the empty chunks too"
    assert record.via == "stream" and record.outcome == "completed" and record.error is None
    assert record.done is record.chunks[-1] and record.chunks[-1].text == "" and chunks[-1].chunk_position == "last"
    assert [c.seq for c in record.chunks] == sorted(c.seq for c in record.chunks)
    assert record.started.seq < record.chunks[0].seq and record.ended.seq > record.done.seq


@each_layout
async def test_probe_records_invoke_and_async_calls_alike(layout):
    model = probe(chunk_layout=layout, token_delay=0)
    streamed = [chunk.content async for chunk in model.astream("hi")]
    assert (await model.ainvoke("hi")).content == REPLY and model.invoke("hi").usage_metadata["output_tokens"] == WORDS
    assert [record.via for record in model.records] == ["stream", "invoke", "invoke"]
    for record in model.records:
        assert [c.text for c in record.chunks] == streamed and record.done is record.chunks[-1]


def test_probe_tells_invoke_from_stream():
    model = probe()
    assert model.invoke("hi").content == REPLY
    assert model.record.via == "invoke" and model.record.outcome == "completed"


def test_probe_sees_a_consumer_that_stops_early():
    model = probe()
    for _ in model.stream("hi"):
        break
    assert model.record.outcome == "closed" and len(model.record.chunks) == 1


@each_layout
def test_probe_records_an_injected_failure_and_the_partial_text(layout):
    model = probe(error_after=3, chunk_layout=layout)
    with pytest.raises(StreamInterruptedError) as raised:
        list(model.stream("hi"))
    record = model.record
    assert record.outcome == "failed" and record.error is raised.value
    assert record.text == "Streaming shows each"
    assert [c.text for c in record.chunks if c.text] == ["Streaming", " shows", " each"]
    assert record.done is record.ended, "no last chunk: the model stopped when it failed"


def test_probe_records_a_rate_limit_before_the_first_token():
    model = probe(rate_limited=True)
    with pytest.raises(RateLimitError):
        list(model.stream("hi"))
    assert model.record.outcome == "failed" and model.record.chunks == []


@each_layout
def test_virtual_time_advances_the_clock_instead_of_sleeping(layout):
    model = probe(virtual_time=True, time_to_first_token=2.0, token_delay=1.0, chunk_layout=layout)
    started = time.perf_counter()
    seen = [(chunk.content, model.clock()) for chunk in model.stream("hi")]
    assert time.perf_counter() - started < 1.0, "virtual time must not sleep"
    assert seen[0][1] == 2.0, "nothing arrives before the first token is due"
    assert [at for text, at in seen if text] == [2.0 + n for n in range(WORDS)]
    assert seen[-1][1] == 2.0 + WORDS, "the end comes one token delay after the last word"


def test_a_probe_never_called_reports_it_to_the_student():
    with fails_with("testing.model_not_called"):
        probe().record  # noqa: B018


# --- Screen and assert_incremental -----------------------------------------------------------


def test_screen_behaves_like_a_line_buffered_terminal():
    with record_stdout() as screen:
        print("a", end="")
        assert screen.updates == []  # written, not yet visible
        print("b", end="", flush=True)
        print("", end="", flush=True)
        print("c")
        print("d", end="")
    assert [u.text for u in screen.updates] == ["ab", "c\n", "d"]
    assert screen.text == "abc\nd" and screen.empty_flushes == 1 and len(screen.writes) == 5


@each_layout
def test_incremental_printing_passes_even_chunk_by_chunk(layout):
    model = probe(chunk_layout=layout)
    with record_stdout() as screen:
        assert print_streaming(model, "hi") == REPLY
    assert screen.text == REPLY + "\n" and screen.empty_flushes == 0
    assert_incremental(screen, model, every_chunk=True)


@each_layout
def test_printing_after_the_whole_answer_fails(layout):
    model = probe(chunk_layout=layout)
    with record_stdout() as screen:
        print_buffered(model, "hi")
    assert screen.text == REPLY + "\n"
    with fails_with("testing.buffered"):
        assert_incremental(screen, model)


@each_layout
def test_printing_without_flush_fails_and_says_flush(layout):
    model = probe(chunk_layout=layout)
    with record_stdout() as screen:
        print_without_flush(model, "hi")
    assert screen.text == REPLY + "\n"
    with fails_with("testing.not_flushed"):
        assert_incremental(screen, model)


@each_layout
def test_showing_chunks_in_batches_passes_loosely_but_not_chunk_by_chunk(layout):
    model = probe(chunk_layout=layout)
    with record_stdout() as screen:
        print_every_three(model, "hi")
    assert_incremental(screen, model)
    with fails_with("testing.held_back"):
        assert_incremental(screen, model, every_chunk=True)


def test_showing_nothing_fails():
    model = probe()
    with record_stdout() as screen:
        list(model.stream("hi"))
    with fails_with("testing.nothing_shown"):
        assert_incremental(screen, model)


@each_layout
def test_received_tracks_a_generator_that_yields_as_chunks_arrive(layout):
    def words(model):
        for chunk in model.stream("hi"):
            yield chunk.content

    def words_buffered(model):
        yield from [chunk.content for chunk in model.stream("hi")]

    model, received = probe(chunk_layout=layout), Received()
    assert "".join(received.track(words(model))) == REPLY == received.text
    assert_incremental(received, model, every_chunk=True)

    model, received = probe(chunk_layout=layout), Received()
    assert "".join(received.track(words_buffered(model))) == REPLY
    with fails_with("testing.buffered"):
        assert_incremental(received, model)


@each_layout
async def test_received_tracks_an_async_generator_and_works_as_a_callback(layout):
    async def chunks(model):
        async for chunk in model.astream("hi"):
            yield chunk

    model, received = probe(chunk_layout=layout), Received()
    async for _ in received.track_async(chunks(model)):
        pass
    assert received.text == REPLY
    assert_incremental(received, model, every_chunk=True)

    model, callback = probe(chunk_layout=layout), Received()
    callback("".join([chunk.content async for chunk in model.astream("hi")]))
    with fails_with("testing.buffered"):
        assert_incremental(callback, model)


# --- heartbeat ------------------------------------------------------------------------------


async def test_heartbeat_passes_async_streaming():
    model = probe()
    async with heartbeat() as beat:
        assert await consume_async(model, "hi") == REPLY
    assert beat.beats > 5 and beat.largest_gap < beat.max_gap


async def test_heartbeat_catches_a_sleep_that_blocks_the_loop():
    beat = heartbeat()
    with pytest.raises(AssertionError) as failure:
        async with beat:
            time.sleep(0.5)
    assert beat.largest_gap >= 0.4  # the steady clock may miss a few ms at either end of the sleep
    assert str(failure.value) == t("testing.loop_blocked", seconds=beat.largest_gap)


async def test_heartbeat_catches_sync_streaming_inside_async_code():
    model = probe(token_delay=0.05)  # 12 gaps of 50 ms: the loop is blocked for 0.6 s
    with pytest.raises(AssertionError, match=re.escape(t("testing.loop_blocked", seconds=0)[:20])):
        async with heartbeat():
            await consume_blocking(model, "hi")


async def test_heartbeat_lets_the_students_own_error_through():
    with pytest.raises(ZeroDivisionError):
        async with heartbeat():
            time.sleep(0.5)
            1 / 0  # noqa: B018


# --- assert_cancel_stops_model ----------------------------------------------------------------


@each_layout
async def test_cancelling_an_async_for_consumer_stops_the_model(layout):
    model = probe(chunk_layout=layout)
    await assert_cancel_stops_model(consume_async(model, "hi"), model)
    assert model.record.outcome == "cancelled" and len([c for c in model.record.chunks if c.text]) < 5


@pytest.mark.parametrize("consumer", [consume_in_detached_task, consume_shielded, consume_blocking])
async def test_a_consumer_that_does_not_pass_cancellation_on_fails(consumer):
    model = probe()
    with fails_with("testing.cancel_ignored"):
        await assert_cancel_stops_model(consumer(model, "hi"), model)


async def test_cancel_check_reports_a_consumer_that_never_calls_the_model():
    async def idle() -> None:
        await asyncio.sleep(0.01)

    model = probe()
    with fails_with("testing.model_not_called"):
        await assert_cancel_stops_model(idle(), model)


# --- assert_streams_overlap -------------------------------------------------------------------


@each_layout
async def test_concurrent_streams_overlap_and_sequential_ones_do_not(layout):
    model = probe(chunk_layout=layout)
    await asyncio.gather(consume_async(model, "a"), consume_async(model, "b"))
    assert_streams_overlap(model)

    model = probe(chunk_layout=layout)
    await consume_async(model, "a")
    await consume_async(model, "b")
    with fails_with("testing.streams_sequential"):
        assert_streams_overlap(model)

    model = probe()
    await consume_async(model, "a")
    with fails_with("testing.streams_missing", expected=2, got=1):
        assert_streams_overlap(model)


# --- faults -------------------------------------------------------------------------------------


def collect_keeping_partial(model) -> str:
    text = ""
    try:
        for chunk in model.stream("hi"):
            text += chunk.content
    except StreamInterruptedError:
        pass
    return text


def collect_losing_partial(model) -> str:
    try:
        return "".join(chunk.content for chunk in model.stream("hi"))
    except StreamInterruptedError:
        return ""


@each_layout
def test_partial_text_kept_passes_when_kept_and_fails_when_lost(layout):
    model = probe(error_after=4, chunk_layout=layout)
    with expect_error_handled(model):
        text = collect_keeping_partial(model)
    assert_partial_text_kept(text, model)

    model = probe(error_after=4, chunk_layout=layout)
    with fails_with("testing.partial_text_lost", chunks=4):  # the four words, whatever empty chunks came with them
        assert_partial_text_kept(collect_losing_partial(model), model)


def test_error_handled_fails_when_the_error_escapes():
    model = probe(error_after=2)
    with pytest.raises(AssertionError) as failure:
        with expect_error_handled(model):
            list(model.stream("hi"))
    assert str(failure.value) == t("testing.error_escaped", error=model.record.error)


class AnswerFailed(Exception):
    pass


def test_expect_model_error_accepts_the_error_or_one_raised_from_it():
    model = probe(rate_limited=True)
    with expect_model_error(model) as caught:
        list(model.stream("hi"))
    assert isinstance(caught.error, RateLimitError)

    model = probe(error_after=2)
    with expect_model_error(model) as caught:
        try:
            list(model.stream("hi"))
        except StreamInterruptedError as error:
            raise AnswerFailed("the answer broke") from error
    assert isinstance(caught.error, AnswerFailed)


def test_expect_model_error_fails_when_the_error_is_swallowed():
    model = probe(error_after=2)
    with fails_with("testing.error_hidden"):
        with expect_model_error(model):
            collect_keeping_partial(model)


def test_expect_model_error_lets_an_unrelated_bug_through():
    model = probe(error_after=2)
    with pytest.raises(KeyError):
        with expect_model_error(model):
            for chunk in model.stream("hi"):
                raise KeyError(chunk.content)


def test_failure_messages_follow_the_students_language(monkeypatch):
    model = probe()
    with record_stdout() as screen:
        print_buffered(model, "hi")
    monkeypatch.setenv("COURSE_LANG", "pt")
    with pytest.raises(AssertionError, match="mostre cada chunk assim que ele chegar"):
        assert_incremental(screen, model)
    monkeypatch.setenv("COURSE_LANG", "id")
    with pytest.raises(AssertionError, match="tampilkan setiap chunk begitu chunk itu tiba"):
        assert_incremental(screen, model)
