"""Exercise 2: GET /stream sends token events as the model writes them, then done, without blocking."""

from __future__ import annotations

import asyncio

import pytest

from coursekit.i18n import t
from coursekit.testing import ProbeModel, assert_incremental

ANSWERS = {
    "owls": "Owls turn their heads so far because their eyes cannot move inside the skull.",
    "tides": "Tides rise and fall twice a day, pulled mostly by the Moon and a little by the Sun.",
}


def probe() -> ProbeModel:
    return ProbeModel(rules=ANSWERS)


async def stream(server, prompt: str):
    return await server.sse("GET", "/stream", params={"prompt": prompt})


@pytest.mark.task(1)
async def test_streams_the_answer_to_the_prompt(exercise, serve):
    """GET /stream streams the answer to its prompt as text/event-stream

    pt: GET /stream envia a resposta ao prompt como text/event-stream
    id: GET /stream mengirim jawaban untuk prompt-nya sebagai text/event-stream
    """
    model = probe()
    reply = await stream(serve(exercise.create_app(model)), "Why do owls turn their heads?")
    assert reply.content_type.startswith("text/event-stream"), t("day3_sse.not_event_stream", content_type=reply.content_type)
    assert "".join(reply.token_texts) == ANSWERS["owls"], t("day3_sse.tokens_mismatch")


@pytest.mark.task(2)
async def test_token_events_carry_json_and_ids(exercise, serve):
    """Each token event has JSON data {"text": ...} and the ids 1, 2, 3...

    pt: Cada evento token tem data JSON {"text": ...} e os ids 1, 2, 3...
    id: Setiap event token punya data JSON {"text": ...} dan id 1, 2, 3...
    """
    model = probe()
    reply = await stream(serve(exercise.create_app(model)), "What makes tides?")
    tokens = reply.named("token")
    expected = [chunk.text for chunk in model.record.chunks if chunk.text]
    assert reply.payloads("token") == [{"text": text} for text in expected], t("day3_sse.token_payloads")
    ids = [event.id for event in tokens]
    assert ids == [str(number) for number in range(1, len(tokens) + 1)], t("day3_sse.token_ids", ids=ids[:5])


@pytest.mark.task(3)
async def test_ends_with_one_done_event(exercise, serve):
    """The stream ends with one done event that counts the tokens

    pt: O stream termina com um único evento done que conta os tokens
    id: Stream diakhiri satu event done yang menghitung jumlah token
    """
    reply = await stream(serve(exercise.create_app(probe())), "Why do owls turn their heads?")
    names = [event.event for event in reply.events]
    assert names[-1:] == ["done"] and names.count("done") == 1, t("day3_sse.done_missing")
    assert reply.payloads("done") == [{"tokens": len(reply.named("token"))}], t("day3_sse.done_payload")


@pytest.mark.task(4)
async def test_tokens_arrive_while_the_model_writes(exercise, serve):
    """The first token reaches the client before the model has finished

    pt: O primeiro token chega ao cliente antes de o modelo terminar
    id: Token pertama sampai ke klien sebelum model selesai
    """
    model = probe()
    reply = await stream(serve(exercise.create_app(model)), "Why do owls turn their heads?")
    assert_incremental(reply.received, model)


@pytest.mark.task(5)
async def test_two_clients_are_served_at_the_same_time(exercise, serve):
    """Two clients stream at the same time: the event loop is never blocked

    pt: Dois clientes recebem o stream ao mesmo tempo: o event loop nunca trava
    id: Dua klien menerima stream bersamaan: event loop tidak pernah terblokir
    """
    model = probe()
    server = serve(exercise.create_app(model))
    first, second = await asyncio.gather(stream(server, "owls?"), stream(server, "tides?"))
    assert "".join(first.token_texts) == ANSWERS["owls"], t("day3_sse.tokens_mismatch")
    assert "".join(second.token_texts) == ANSWERS["tides"], t("day3_sse.tokens_mismatch")
    assert len(model.records) == 2, t("day3_sse.one_call_per_request", calls=len(model.records))
    one, other = model.records
    overlapped = one.chunks[0].seq < other.done.seq and other.chunks[0].seq < one.done.seq
    assert overlapped, t("day3_sse.served_in_turn")
