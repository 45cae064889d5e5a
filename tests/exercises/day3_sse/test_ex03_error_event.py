"""Exercise 3: a model failure mid-stream reaches the client as an error event, on a healthy connection."""

from __future__ import annotations

import logging

import pytest

from coursekit.errors import FakeModelError
from coursekit.i18n import t
from coursekit.testing import ProbeModel, assert_incremental

ANSWER = "A stream can fail halfway, and the client deserves to know why it stopped, not just that it did."
PROMPT = "Tell me about failures."


async def stream(exercise, serve, model: ProbeModel):
    """The events of one request; fails when the model's error broke the connection."""
    reply = await serve(exercise.create_app(model)).sse("GET", "/stream", params={"prompt": PROMPT}, tolerate=FakeModelError)
    assert not reply.broken, t("day3_sse.error_broke_stream")
    return reply


@pytest.mark.task(1)
async def test_failure_becomes_an_error_event_after_the_tokens(exercise, serve):
    """A failure after 4 tokens: 4 token events, then one error event, and the stream ends cleanly

    pt: Uma falha depois de 4 tokens: 4 eventos token, depois um evento error, e o stream termina sem cortar a conexão
    id: Kegagalan setelah 4 token: 4 event token, lalu satu event error, dan stream berakhir dengan rapi
    """
    model = ProbeModel(responses=[ANSWER], error_after=4)
    reply = await stream(exercise, serve, model)
    assert "".join(reply.token_texts) == model.record.text, t("day3_sse.tokens_mismatch")
    names = [event.event for event in reply.events]
    assert names[-1:] == ["error"] and "done" not in names, t("day3_sse.error_event_missing", names=names[-3:])
    assert reply.payloads("error") == [{"message": exercise.ERROR_MESSAGE, "tokens": 4}], t(
        "day3_sse.error_payload", payload=reply.events[-1].data
    )


@pytest.mark.task(1)
async def test_failure_before_the_first_token(exercise, serve):
    """A failure before any token is an error event too, with tokens 0

    pt: Uma falha antes de qualquer token também vira um evento error, com tokens 0
    id: Kegagalan sebelum token apa pun juga menjadi event error, dengan tokens 0
    """
    model = ProbeModel(responses=[ANSWER], rate_limited=True)
    reply = await stream(exercise, serve, model)
    assert [event.event for event in reply.events] == ["error"], t("day3_sse.error_event_missing", names=[e.event for e in reply.events])
    assert reply.payloads("error") == [{"message": exercise.ERROR_MESSAGE, "tokens": 0}], t(
        "day3_sse.error_payload", payload=reply.events[-1].data
    )


@pytest.mark.task(2)
async def test_failure_is_logged_with_its_traceback(exercise, serve, caplog):
    """The server logs the failure with its traceback; the client only gets ERROR_MESSAGE

    pt: O servidor registra a falha no log com o traceback; o cliente só recebe ERROR_MESSAGE
    id: Server mencatat kegagalan ke log beserta traceback-nya; klien hanya menerima ERROR_MESSAGE
    """
    model = ProbeModel(responses=[ANSWER], error_after=3)
    with caplog.at_level(logging.ERROR):
        reply = await stream(exercise, serve, model)
    logged = [
        record
        for record in caplog.records
        if record.exc_info and record.exc_info[1] is model.record.error and not record.name.startswith("uvicorn")
    ]
    assert logged, t("day3_sse.error_not_logged")
    assert str(model.record.error) not in reply.events[-1].data, t("day3_sse.error_leaked")


@pytest.mark.task(3)
async def test_tokens_before_the_failure_arrive_as_they_are_written(exercise, serve):
    """The tokens before the failure reach the client while the model is still writing

    pt: Os tokens anteriores à falha chegam ao cliente enquanto o modelo ainda está escrevendo
    id: Token sebelum kegagalan sampai ke klien selagi model masih menulis
    """
    model = ProbeModel(responses=[ANSWER], error_after=12)
    reply = await stream(exercise, serve, model)
    assert "".join(reply.token_texts) == model.record.text, t("day3_sse.tokens_mismatch")
    assert_incremental(reply.received, model)


@pytest.mark.task(3)
async def test_a_complete_answer_still_ends_with_done(exercise, serve):
    """Without a failure, the answer ends with done and no error event

    pt: Sem falha, a resposta termina com done e nenhum evento error
    id: Tanpa kegagalan, jawaban diakhiri done tanpa event error
    """
    model = ProbeModel(responses=[ANSWER])
    reply = await stream(exercise, serve, model)
    assert "".join(reply.token_texts) == ANSWER, t("day3_sse.tokens_mismatch")
    assert [event.event for event in reply.events][-1:] == ["done"] and not reply.named("error"), t("day3_sse.done_missing")
    assert reply.payloads("done") == [{"tokens": len(reply.named("token"))}], t("day3_sse.done_payload")
