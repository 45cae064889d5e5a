"""Exercise 6: GET /ask forwards a chain's events as named SSE events: step, token, done, and error.

The HTTP checks run against a real uvicorn (:mod:`coursekit.testing.http`); the timing and
cancellation checks read the student's generator directly, against a model that waits for its
reader, so every check compares orders of events. The chain has a plain function before the
prompt, as a retriever would be, so its steps are of three types besides the model's.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

from coursekit.errors import FakeModelError
from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, PacedProbe, Received, assert_incremental
from coursekit.testing.http import SERVER_GRACE_SECONDS, wait_until

ANSWER = "Each step reports its start and its end, and the tokens flow in between.\n"
QUESTION = "What does the page show?"
PROMPT = ChatPromptTemplate.from_template("Notes: {notes}\nQuestion: {question}")


def find_notes(question: str) -> dict[str, str]:
    return {"question": question, "notes": "astream_events reports every step."}


def build_chain(model):
    return RunnableLambda(find_notes) | PROMPT | model | StrOutputParser()


def step(name: str, type_: str, status: str) -> tuple[str, str, str]:
    return (name, type_, status)


def expected_events(model: PacedProbe, *, failed: bool = False) -> list[Any]:
    """The names of the SSE events, with each step as (name, type, status), for one run of the chain."""
    model_name = type(model).__name__
    events: list[Any] = [
        step("find_notes", "chain", "start"),
        step("find_notes", "chain", "end"),
        step("ChatPromptTemplate", "prompt", "start"),
        step("ChatPromptTemplate", "prompt", "end"),
        step(model_name, "chat_model", "start"),
    ]
    for number, chunk in enumerate(model.record.chunks):
        if chunk.text:
            events.append("token")
        if number == 0:  # the parser's run starts when the model's first chunk reaches it
            events.append(step("StrOutputParser", "parser", "start"))
    if failed:
        return events + ["error"]
    return events + [step(model_name, "chat_model", "end"), step("StrOutputParser", "parser", "end"), "done"]


def as_sent(name: str | None, data: Any) -> Any:
    """An SSE event as expected_events writes it: a step as (name, type, status), others by name."""
    if name == "step" and isinstance(data, dict):
        return (data.get("name"), data.get("type"), data.get("status"))
    return name


async def ask(serve_app, **options):
    reply = await serve_app.sse("GET", "/ask", params={"question": QUESTION}, tolerate=FakeModelError, **options)
    assert not reply.broken, t("day4_events.error_broke_stream")
    return reply


def unpacked(item: Any) -> tuple[Any, Any]:
    """``(event name, data)`` of what the generator yielded: a ServerSentEvent or a dict, data as JSON."""
    name, data = (item.get("event"), item.get("data")) if isinstance(item, dict) else (getattr(item, "event", None), getattr(item, "data", None))
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError:
            pass
    return name, data


def sent(reply) -> list[Any]:
    return [as_sent(event.event, reply._json_data(event)) for event in reply.events]


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_streams_steps_tokens_and_done(exercise, serve, paced, layout):
    """GET /ask streams a step event for each start and end of every step, the tokens in between, then done

    pt: GET /ask envia um evento step para cada início e fim de cada passo, os tokens no meio e depois done
    id: GET /ask mengirim event step untuk setiap awal dan akhir setiap langkah, token di antaranya, lalu done
    """
    model = paced(responses=[ANSWER], chunk_layout=layout)
    reply = await ask(serve(exercise.create_app(build_chain(model))))
    assert reply.content_type.startswith("text/event-stream"), t("day4_events.not_event_stream", content_type=reply.content_type)
    got, expected = sent(reply), expected_events(model)
    assert got == expected, t("day4_events.sse_sequence", got=got[:8])
    assert "".join(reply.token_texts) == ANSWER, t("day4_events.sse_tokens")
    assert reply.payloads("done") == [{"tokens": reply.names.count("token")}], t("day4_events.done_payload")


@pytest.mark.task(1)
async def test_steps_carry_their_run_ids(exercise, serve, paced):
    """Each step's start and end carry the same id, a different one for each step, and the chain's id as parent

    pt: O início e o fim de cada passo trazem o mesmo id, um diferente para cada passo, e o id da chain como parent
    id: Awal dan akhir setiap langkah membawa id yang sama, berbeda untuk tiap langkah, dan id chain sebagai parent
    """
    model = paced(responses=[ANSWER])
    reply = await ask(serve(exercise.create_app(build_chain(model))))
    steps = reply.payloads("step")
    assert steps and all(isinstance(data, dict) for data in steps), t("day4_events.step_payload")
    ids: dict[tuple[Any, Any], set[Any]] = {}
    for data in steps:
        ids.setdefault((data.get("name"), data.get("type")), set()).add(data.get("id"))
    parents = {data.get("parent") for data in steps}
    one_id_each = all(len(found) == 1 and None not in found for found in ids.values())
    distinct = len({next(iter(found)) for found in ids.values()}) == len(ids)
    assert one_id_each and distinct, t("day4_events.step_ids")
    assert len(parents) == 1 and None not in parents and not parents & {data.get("id") for data in steps}, t("day4_events.step_parent")


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_a_failure_mid_stream_becomes_an_error_event(exercise, serve, paced, layout):
    """A model failure after 4 tokens ends the stream with an error event, on a connection that stays whole

    pt: Uma falha do modelo depois de 4 tokens termina o stream com um evento error, numa conexão que não cai
    id: Kegagalan model setelah 4 token mengakhiri stream dengan event error, pada koneksi yang tetap utuh
    """
    model = paced(responses=[ANSWER], error_after=4, chunk_layout=layout)
    reply = await ask(serve(exercise.create_app(build_chain(model))))
    got, expected = sent(reply), expected_events(model, failed=True)
    assert got == expected, t("day4_events.sse_error_sequence", got=got[-3:])
    assert reply.payloads("error") == [{"message": exercise.ERROR_MESSAGE, "tokens": 4}], t("day4_events.error_payload")


@pytest.mark.task(2)
async def test_a_failure_before_the_first_token(exercise, serve, paced):
    """A model that refuses at once: the steps that started, then one error event with tokens 0

    pt: Um modelo que recusa de imediato: os passos que começaram e depois um evento error com tokens 0
    id: Model yang langsung menolak: langkah-langkah yang sudah mulai, lalu satu event error dengan tokens 0
    """
    model = paced(responses=[ANSWER], rate_limited=True)
    reply = await ask(serve(exercise.create_app(build_chain(model))))
    got, expected = sent(reply), expected_events(model, failed=True)
    assert got == expected, t("day4_events.sse_error_sequence", got=got[-3:])
    assert reply.payloads("error") == [{"message": exercise.ERROR_MESSAGE, "tokens": 0}], t("day4_events.error_payload")


@pytest.mark.task(2)
async def test_the_failure_is_logged_not_sent(exercise, serve, paced, caplog):
    """The server logs the failure with its traceback; the client only gets ERROR_MESSAGE

    pt: O servidor registra a falha no log com o traceback; o cliente só recebe ERROR_MESSAGE
    id: Server mencatat kegagalan ke log beserta traceback-nya; klien hanya menerima ERROR_MESSAGE
    """
    model = paced(responses=[ANSWER], error_after=3)
    with caplog.at_level(logging.ERROR):
        reply = await ask(serve(exercise.create_app(build_chain(model))))
    logged = [
        record
        for record in caplog.records
        if record.exc_info and record.exc_info[1] is model.record.error and not record.name.startswith("uvicorn")
    ]
    assert logged, t("day4_events.error_not_logged")
    assert str(model.record.error) not in reply.events[-1].data, t("day4_events.error_leaked")


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_tokens_leave_while_the_model_writes(exercise, layout):
    """Each token event is sent before the model writes the next token, between the model's start and end steps

    pt: Cada evento token é enviado antes de o modelo escrever o token seguinte, entre os steps de início e fim do modelo
    id: Setiap event token dikirim sebelum model menulis token berikutnya, di antara step awal dan akhir model
    """
    model = PacedProbe(responses=[ANSWER], chunk_layout=layout)
    tokens = Received()
    model.follow(tokens)
    order: list[Any] = []
    async for item in exercise.step_events(build_chain(model), QUESTION):
        name, data = unpacked(item)
        data = data if isinstance(data, dict) else {}
        if name == "token":
            tokens(data.get("text", ""))
            order.append("token")
        elif name == "step" and data.get("type") == "chat_model":
            order.append(data.get("status"))
    assert tokens.text == ANSWER, t("day4_events.sse_tokens")
    assert order == ["start", *["token"] * len(tokens.updates), "end"], t("day4_events.model_steps_around_tokens")
    try:
        assert_incremental(tokens, model, every_chunk=True)
    except AssertionError:
        raise AssertionError(t("day4_events.tokens_late")) from None


@pytest.mark.task(3)
async def test_a_client_that_leaves_stops_the_chain(exercise, cancelled_read, caplog):
    """A client that leaves cancels the generator: the cancellation goes on and the model stops, with no error

    pt: Um cliente que sai cancela o gerador: o cancelamento segue adiante e o modelo para, sem erro
    id: Klien yang pergi membatalkan generator: pembatalan diteruskan dan model berhenti, tanpa error
    """
    model = PacedProbe(responses=[ANSWER]).stall()
    events = exercise.step_events(build_chain(model), QUESTION)
    with caplog.at_level(logging.ERROR):
        reading = await cancelled_read(events, model)
    assert reading.cancelled(), t("day4_events.cancel_swallowed")
    logged = [record for record in caplog.records if record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError)]
    assert not logged, t("day4_events.disconnect_logged")
    # The chain runs in a task of astream_events' own, which the cancelled read cancels in turn.
    await wait_until(lambda: model.record.outcome != "running", SERVER_GRACE_SECONDS)
    assert model.record.outcome == "cancelled", t("day4_events.model_kept_going")
