"""Exercise 2: GET /stream sends token events as the model writes them, then done, without blocking."""

from __future__ import annotations

import asyncio

import pytest

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, assert_incremental

#: Each answer ends with a whitespace-only token ("\n"), which is text like any other.
ANSWERS = {
    "owls": "Owls turn their heads so far because their eyes cannot move inside the skull.\n",
    "tides": "Tides rise and fall twice a day, pulled mostly by the Moon and a little by the Sun.\n",
}


async def stream(server, prompt: str, **options):
    return await server.sse("GET", "/stream", params={"prompt": prompt}, **options)


@pytest.mark.task(1)
async def test_streams_the_answer_to_the_prompt(exercise, serve, paced):
    """GET /stream streams the answer to its prompt as text/event-stream, calling the model once

    pt: GET /stream envia a resposta ao prompt como text/event-stream, chamando o modelo uma vez
    id: GET /stream mengirim jawaban untuk prompt-nya sebagai text/event-stream, dengan satu panggilan model
    """
    model = paced(rules=ANSWERS)
    reply = await stream(serve(exercise.create_app(model)), "Why do owls turn their heads?")
    assert reply.content_type.startswith("text/event-stream"), t("day3_sse.not_event_stream", content_type=reply.content_type)
    assert "".join(reply.token_texts) == ANSWERS["owls"], t("day3_sse.tokens_mismatch")
    assert len(model.records) == 1, t("day3_sse.called_more_than_once", calls=len(model.records))


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_token_events_carry_json_and_ids(exercise, serve, paced, layout):
    """Each token event has JSON data {"text": ...} and the ids 1, 2, 3..., whatever the provider's chunks

    pt: Cada evento token tem data JSON {"text": ...} e os ids 1, 2, 3..., sejam quais forem os chunks do provedor
    id: Setiap event token punya data JSON {"text": ...} dan id 1, 2, 3..., apa pun bentuk chunk dari provider-nya
    """
    model = paced(rules=ANSWERS, chunk_layout=layout)
    reply = await stream(serve(exercise.create_app(model)), "What makes tides?")
    expected = [chunk.text for chunk in model.record.chunks if chunk.text]
    assert reply.payloads("token") == [{"text": text} for text in expected], t("day3_sse.token_payloads")
    ids = [event.id for event in reply.named("token")]
    assert ids == [str(number) for number in range(1, len(ids) + 1)], t("day3_sse.token_ids", ids=ids[:5])


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_ends_with_one_done_event(exercise, serve, paced, layout):
    """The stream ends with one done event that counts the tokens, whatever the provider's chunks

    pt: O stream termina com um único evento done que conta os tokens, sejam quais forem os chunks do provedor
    id: Stream diakhiri satu event done yang menghitung jumlah token, apa pun bentuk chunk dari provider-nya
    """
    model = paced(rules=ANSWERS, chunk_layout=layout)
    reply = await stream(serve(exercise.create_app(model)), "Why do owls turn their heads?")
    assert reply.names[-1:] == ["done"] and reply.names.count("done") == 1, t("day3_sse.done_missing")
    texts = sum(1 for chunk in model.record.chunks if chunk.text)
    assert reply.payloads("done") == [{"tokens": texts}], t("day3_sse.done_payload")


@pytest.mark.task(4)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_tokens_arrive_while_the_model_writes(exercise, serve, paced, layout):
    """Each token reaches the client before the model writes the next one

    pt: Cada token chega ao cliente antes de o modelo escrever o seguinte
    id: Setiap token sampai ke klien sebelum model menulis token berikutnya
    """
    model = paced(rules=ANSWERS, chunk_layout=layout)
    reply = await stream(serve(exercise.create_app(model)), "Why do owls turn their heads?", lockstep=model)
    assert "".join(reply.token_texts) == ANSWERS["owls"], t("day3_sse.tokens_mismatch")
    assert_incremental(reply.received, model, every_chunk=True)


@pytest.mark.task(5)
async def test_two_clients_are_served_at_the_same_time(exercise, serve, paced):
    """Two clients stream at the same time: the event loop is never blocked

    pt: Dois clientes recebem o stream ao mesmo tempo: o event loop nunca trava
    id: Dua klien menerima stream bersamaan: event loop tidak pernah terblokir
    """
    model = paced(rules=ANSWERS)
    paced.meet(model, streams=2)
    server = serve(exercise.create_app(model))
    first, second = await asyncio.gather(stream(server, "owls?"), stream(server, "tides?"))
    assert "".join(first.token_texts) == ANSWERS["owls"], t("day3_sse.tokens_mismatch")
    assert "".join(second.token_texts) == ANSWERS["tides"], t("day3_sse.tokens_mismatch")
    assert len(model.records) == 2, t("day3_sse.one_call_per_request", calls=len(model.records))
    one, other = model.records
    overlapped = one.chunks[0].seq < other.done.seq and other.chunks[0].seq < one.done.seq
    assert overlapped, t("day3_sse.served_in_turn")
