"""Exercise 3: a model failure mid-stream reaches the client as an error event, on a healthy connection."""

from __future__ import annotations

import asyncio
import logging

import pytest

from coursekit.errors import FakeModelError
from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, assert_incremental

ANSWER = "A stream can fail halfway, and the client deserves to know why it stopped, not just that it did.\n"
PROMPT = "Tell me about failures."


async def stream(serve_app, model, **options):
    """The events of one request; fails when the model's error broke the connection."""
    reply = await serve_app.sse("GET", "/stream", params={"prompt": PROMPT}, tolerate=FakeModelError, **options)
    assert not reply.broken, t("day3_sse.error_broke_stream")
    return reply


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_failure_becomes_an_error_event_after_the_tokens(exercise, serve, paced, layout):
    """A failure after 4 tokens: 4 token events, then one error event, and the stream ends cleanly

    pt: Uma falha depois de 4 tokens: 4 eventos token, depois um evento error, e o stream termina sem cortar a conexão
    id: Kegagalan setelah 4 token: 4 event token, lalu satu event error, dan stream berakhir dengan rapi
    """
    model = paced(responses=[ANSWER], error_after=4, chunk_layout=layout)
    reply = await stream(serve(exercise.create_app(model)), model)
    assert "".join(reply.token_texts) == model.record.text, t("day3_sse.tokens_mismatch")
    assert reply.names[-1:] == ["error"] and "done" not in reply.names, t("day3_sse.error_event_missing", names=reply.names[-3:])
    assert reply.payloads("error") == [{"message": exercise.ERROR_MESSAGE, "tokens": 4}], t(
        "day3_sse.error_payload", payload=reply.events[-1].data
    )


@pytest.mark.task(1)
async def test_failure_before_the_first_token(exercise, serve, paced):
    """A failure before any token is an error event too, with tokens 0

    pt: Uma falha antes de qualquer token também vira um evento error, com tokens 0
    id: Kegagalan sebelum token apa pun juga menjadi event error, dengan tokens 0
    """
    model = paced(responses=[ANSWER], rate_limited=True)
    reply = await stream(serve(exercise.create_app(model)), model)
    assert reply.names == ["error"], t("day3_sse.error_event_missing", names=reply.names)
    assert reply.payloads("error") == [{"message": exercise.ERROR_MESSAGE, "tokens": 0}], t(
        "day3_sse.error_payload", payload=reply.events[-1].data
    )


@pytest.mark.task(1)
async def test_a_client_that_leaves_is_not_a_failure(exercise, paced, cancelled_read, caplog):
    """A client that leaves cancels the generator: the cancellation goes on, with no error event or error log

    pt: Um cliente que sai cancela o gerador: o cancelamento segue adiante, sem evento error nem log de erro
    id: Klien yang pergi membatalkan generator: pembatalan diteruskan, tanpa event error maupun log error
    """
    model = paced(responses=[ANSWER]).stall()
    events = exercise.safe_token_events(model, PROMPT)
    with caplog.at_level(logging.ERROR):
        reading = await cancelled_read(events, model)
    assert reading.cancelled(), t("day3_sse.cancel_swallowed")
    logged = [record for record in caplog.records if record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError)]
    assert not logged, t("day3_sse.disconnect_logged")
    assert model.record.outcome == "cancelled", t("day3_sse.model_kept_going")


@pytest.mark.task(2)
async def test_failure_is_logged_with_its_traceback(exercise, serve, paced, caplog):
    """The server logs the failure with its traceback; the client only gets ERROR_MESSAGE

    pt: O servidor registra a falha no log com o traceback; o cliente só recebe ERROR_MESSAGE
    id: Server mencatat kegagalan ke log beserta traceback-nya; klien hanya menerima ERROR_MESSAGE
    """
    model = paced(responses=[ANSWER], error_after=3)
    with caplog.at_level(logging.ERROR):
        reply = await stream(serve(exercise.create_app(model)), model)
    logged = [
        record
        for record in caplog.records
        if record.exc_info and record.exc_info[1] is model.record.error and not record.name.startswith("uvicorn")
    ]
    assert logged, t("day3_sse.error_not_logged")
    assert str(model.record.error) not in reply.events[-1].data, t("day3_sse.error_leaked")


@pytest.mark.task(3)
async def test_tokens_before_the_failure_arrive_as_they_are_written(exercise, serve, paced):
    """Each token before the failure reaches the client before the model writes the next one

    pt: Cada token anterior à falha chega ao cliente antes de o modelo escrever o seguinte
    id: Setiap token sebelum kegagalan sampai ke klien sebelum model menulis token berikutnya
    """
    model = paced(responses=[ANSWER], error_after=12)
    reply = await stream(serve(exercise.create_app(model)), model, lockstep=model)
    assert "".join(reply.token_texts) == model.record.text, t("day3_sse.tokens_mismatch")
    assert_incremental(reply.received, model, every_chunk=True)


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_a_complete_answer_still_ends_with_done(exercise, serve, paced, layout):
    """Without a failure, the answer ends with done and no error event

    pt: Sem falha, a resposta termina com done e nenhum evento error
    id: Tanpa kegagalan, jawaban diakhiri done tanpa event error
    """
    model = paced(responses=[ANSWER], chunk_layout=layout)
    reply = await stream(serve(exercise.create_app(model)), model)
    assert "".join(reply.token_texts) == ANSWER, t("day3_sse.tokens_mismatch")
    assert reply.names[-1:] == ["done"] and not reply.named("error"), t("day3_sse.done_missing")
    texts = sum(1 for chunk in model.record.chunks if chunk.text)
    assert reply.payloads("done") == [{"tokens": texts}], t("day3_sse.done_payload")


@pytest.mark.task(3)
async def test_two_clients_are_served_at_the_same_time(exercise, serve, paced):
    """Two clients stream at the same time: the event loop is never blocked

    pt: Dois clientes recebem o stream ao mesmo tempo: o event loop nunca trava
    id: Dua klien menerima stream bersamaan: event loop tidak pernah terblokir
    """
    model = paced(responses=[ANSWER])
    paced.meet(model, streams=2)
    server = serve(exercise.create_app(model))
    first, second = await asyncio.gather(stream(server, model), stream(server, model))
    assert "".join(first.token_texts) == "".join(second.token_texts) == ANSWER, t("day3_sse.tokens_mismatch")
    assert len(model.records) == 2, t("day3_sse.one_call_per_request", calls=len(model.records))
    one, other = model.records
    overlapped = one.chunks[0].seq < other.done.seq and other.chunks[0].seq < one.done.seq
    assert overlapped, t("day3_sse.served_in_turn")
