"""Exercise 1: sse_frame writes SSE frames that a real client reads back exactly, as they arrive."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

from coursekit.i18n import t
from coursekit.testing import assert_incremental

ANSWER = "Each frame ends with a blank line, and only then does the browser hand the event to the page."
#: (sent, what the client must read): clients join the data lines with "\n".
ROUND_TRIPS = [
    ("Hello", "Hello"),
    ("", ""),
    ("first line\nsecond line", "first line\nsecond line"),
    ("from Windows\r\nsecond", "from Windows\nsecond"),
    ("old Mac\rsecond", "old Mac\nsecond"),
    ("ends with a newline\n", "ends with a newline\n"),
    ("\n", "\n"),
    (" leading space", " leading space"),
    ("para one\n\npara two", "para one\n\npara two"),
    ("a\u2028b\x0bc", "a\u2028b\x0bc"),  # not line breaks for SSE, though str.splitlines() splits there
    ("data: looks like a field  ", "data: looks like a field  "),
]


def app_streaming(frames: Callable[[], AsyncIterator[str]]) -> Starlette:
    async def events(request: Request) -> StreamingResponse:
        return StreamingResponse(frames(), media_type="text/event-stream")

    return Starlette(routes=[Route("/events", events)])


@pytest.mark.task(1)
@pytest.mark.parametrize(("data", "frame"), [("Hello", "data: Hello\n\n"), ("", "data: \n\n")], ids=["text", "empty"])
def test_one_line_of_data(exercise, data, frame):
    """One line of text becomes one data: line and a blank line

    pt: Uma linha de texto vira uma linha data: e uma linha em branco
    id: Satu baris teks menjadi satu baris data: dan satu baris kosong
    """
    assert exercise.sse_frame(data) == frame, t("day3_sse.frame_text", expected=frame, got=exercise.sse_frame(data))


@pytest.mark.task(2)
def test_each_line_gets_its_own_data_field(exercise):
    """Each line of the text gets its own data: line

    pt: Cada linha do texto ganha a sua própria linha data:
    id: Setiap baris teks mendapat baris data: sendiri
    """
    expected = "data: first\ndata: second\ndata: third\n\n"
    got = exercise.sse_frame("first\r\nsecond\rthird")
    assert got == expected, t("day3_sse.frame_text", expected=expected, got=got)


@pytest.mark.task(3)
def test_event_id_and_retry_fields(exercise):
    """event:, id: and retry: come before the data

    pt: event:, id: e retry: vêm antes do data
    id: event:, id:, dan retry: muncul sebelum data
    """
    expected = "event: token\nid: 7\nretry: 3000\ndata: Hi\n\n"
    got = exercise.sse_frame("Hi", event="token", id="7", retry=3000)
    assert got == expected, t("day3_sse.frame_text", expected=expected, got=got)
    only_event = exercise.sse_frame("[DONE]", event="done")
    assert only_event == "event: done\ndata: [DONE]\n\n", t("day3_sse.frame_text", expected="event: done\\ndata: [DONE]\\n\\n", got=only_event)


@pytest.mark.task(3)
@pytest.mark.parametrize(
    ("fields", "frame"),
    [({"id": ""}, "id: \ndata: x\n\n"), ({"retry": 0}, "retry: 0\ndata: x\n\n"), ({"event": ""}, "event: \ndata: x\n\n")],
    ids=["empty-id", "retry-0", "empty-event"],
)
def test_empty_or_zero_fields_are_written(exercise, fields, frame):
    """A field that is empty or 0 but not None is still written

    pt: Um campo vazio ou 0, mas que não é None, ainda é escrito
    id: Field yang kosong atau 0, tetapi bukan None, tetap ditulis
    """
    got = exercise.sse_frame("x", **fields)
    assert got == frame, t("day3_sse.falsy_field", fields=fields, expected=frame, got=got)


@pytest.mark.task(4)
@pytest.mark.parametrize(
    "field",
    [{"event": "token\ndata: injected"}, {"id": "1\r2"}, {"event": "a\r\nb"}, {"event": "token\n"}, {"id": "7\r\n"}, {"id": "\r"}],
    ids=["event-LF", "id-CR", "event-CRLF", "event-trailing-LF", "id-trailing-CRLF", "id-only-CR"],
)
def test_line_break_in_event_or_id_is_refused(exercise, field):
    """A line break in event or id raises ValueError

    pt: Uma quebra de linha em event ou id lança ValueError
    id: Baris baru di dalam event atau id memunculkan ValueError
    """
    try:
        frame = exercise.sse_frame("x", **field)
    except ValueError:
        return
    raise AssertionError(t("day3_sse.injection", frame=frame))


@pytest.mark.task(2)
async def test_a_real_client_reads_every_text_back(exercise, serve):
    """A real client reads every text back unchanged

    pt: Um cliente de verdade lê cada texto de volta sem alterações
    id: Klien sungguhan membaca kembali setiap teks tanpa perubahan
    """
    async def frames() -> AsyncIterator[str]:
        for data, _ in ROUND_TRIPS:
            yield exercise.sse_frame(data)

    reply = await serve(app_streaming(frames)).sse("GET", "/events")
    got = [event.data for event in reply.events]
    for (sent, expected), received in zip(ROUND_TRIPS, got):
        assert received == expected, t("day3_sse.round_trip", sent=sent, expected=expected, got=received)
    assert len(got) == len(ROUND_TRIPS), t("day3_sse.event_count", expected=len(ROUND_TRIPS), got=len(got))


@pytest.mark.task(3)
async def test_a_real_client_reads_the_fields_back(exercise, serve):
    """A real client reads event, id and retry back, an empty id and retry 0 included

    pt: Um cliente de verdade lê event, id e retry de volta, inclusive um id vazio e retry 0
    id: Klien sungguhan membaca kembali event, id, dan retry, termasuk id kosong dan retry 0
    """
    sent = [
        {"event": "token", "id": "7", "retry": 3000},
        {"id": ""},  # an empty id resets the id the client would send back on reconnecting
        {"retry": 0},
    ]
    expected = [("token", "7", 3000), ("message", "", None), ("message", "", 0)]

    async def frames() -> AsyncIterator[str]:
        for fields in sent:
            yield exercise.sse_frame("x", **fields)

    reply = await serve(app_streaming(frames)).sse("GET", "/events")
    got = [(event.event, event.id, event.retry) for event in reply.events]
    assert got == expected, t("day3_sse.fields_read_back", expected=expected, got=got)


@pytest.mark.task(1)
async def test_each_frame_is_dispatched_as_it_arrives(exercise, serve, paced):
    """Each frame reaches the client while the model is still writing

    pt: Cada frame chega ao cliente enquanto o modelo ainda está escrevendo
    id: Setiap frame sampai ke klien selagi model masih menulis
    """
    probe = paced(responses=[ANSWER])

    async def frames() -> AsyncIterator[str]:
        async for chunk in probe.astream("Explain frames."):
            if chunk.text:
                yield exercise.sse_frame(chunk.text)
        yield exercise.sse_frame("[DONE]")

    reply = await serve(app_streaming(frames)).sse("GET", "/events", lockstep=probe)
    texts = [event.data for event in reply.events]
    assert texts[-1:] == ["[DONE]"], t("day3_sse.done_missing")
    assert "".join(texts[:-1]) == ANSWER, t("day3_sse.tokens_mismatch")
    assert_incremental(reply.received, probe, every_chunk=True)
