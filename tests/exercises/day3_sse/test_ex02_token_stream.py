"""Exercise 2: GET /stream sends token events as the model writes them, then done with how the answer ended."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest

from coursekit import FakeStreamingChatModel
from coursekit.errors import FakeModelError
from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, assert_incremental

#: Each answer ends with a whitespace-only token ("\n"), which is text like any other.
ANSWERS = {
    "owls": "Owls turn their heads so far because their eyes cannot move inside the skull.\n",
    "tides": "Tides rise and fall twice a day, pulled mostly by the Moon and a little by the Sun.\n",
}
OWLS = "Why do owls turn their heads?"
#: A token limit that cuts the owls' answer in the middle, as max_tokens does on a provider.
TOKEN_LIMIT = 6
DONE_FIELDS = {"tokens", "finish_reason", "usage"}


async def stream(server, prompt: str, **options):
    return await server.sse("GET", "/stream", params={"prompt": prompt}, **options)


def how_it_ended(prompt: str, **model_options: Any) -> dict[str, Any]:
    """What ``done`` must say, from the same answer streamed offline: text chunks, and the sum of all chunks."""
    chunks = list(FakeStreamingChatModel(rules=ANSWERS, **model_options).stream(prompt))
    answer = sum(chunks[1:], chunks[0])
    tokens = sum(1 for chunk in chunks if chunk.text)
    return {"tokens": tokens, "finish_reason": answer.response_metadata.get("finish_reason"), "usage": answer.usage_metadata}


def in_short(names: list[str]) -> str:
    """``token ×12, done``: the events a client got, runs of one name counted."""
    runs = [(name, len(list(group))) for name, group in itertools.groupby(names)]
    return ", ".join(name if count == 1 else f"{name} ×{count}" for name, count in runs) or "-"


def the_done_event(reply) -> dict[str, Any]:
    """The one done event's payload, checked for its fields; a failure names what is missing."""
    payloads = reply.payloads("done")
    assert len(payloads) == 1, t("day3_sse.done_missing")
    payload = payloads[0]
    fields = sorted(payload) if isinstance(payload, dict) else payload
    assert isinstance(payload, dict) and set(payload) == DONE_FIELDS, t("day3_sse.done_fields", fields=fields)
    return payload


def assert_ended_as(payload: dict[str, Any], expected: dict[str, Any]) -> None:
    assert payload["tokens"] == expected["tokens"], t("day3_sse.done_count", got=payload["tokens"], expected=expected["tokens"])
    got, wanted = payload["finish_reason"], expected["finish_reason"]
    if got != wanted and got == "stop":
        raise AssertionError(t("day3_sse.finish_reason_assumed", expected=wanted))
    assert got == wanted, t("day3_sse.finish_reason_lost", got=got, expected=wanted)
    assert payload["usage"] == expected["usage"], t("day3_sse.usage_lost", got=payload["usage"], expected=expected["usage"])


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_token_events_then_one_done_event(exercise, serve, paced, layout):
    """GET /stream sends one token event per chunk with text (JSON {"text": ...}, ids 1, 2, 3...), then one done, and nothing else

    pt: GET /stream envia um evento token por chunk com texto (JSON {"text": ...}, ids 1, 2, 3...), depois um done, e nada mais
    id: GET /stream mengirim satu event token per chunk berisi teks (JSON {"text": ...}, id 1, 2, 3...), lalu satu done, tanpa yang lain
    """
    model = paced(rules=ANSWERS, chunk_layout=layout)
    reply = await stream(serve(exercise.create_app(model)), OWLS)
    assert reply.content_type.startswith("text/event-stream"), t("day3_sse.not_event_stream", content_type=reply.content_type)
    assert len(model.records) == 1, t("day3_sse.called_again_for_metadata", calls=len(model.records))
    texts = [chunk.text for chunk in model.record.chunks if chunk.text]
    expected = ["token"] * len(texts) + ["done"]
    assert reply.names == expected, t("day3_sse.event_sequence", expected=in_short(expected), got=in_short(reply.names))
    assert reply.payloads("token") == [{"text": text} for text in texts], t("day3_sse.token_payloads")
    ids = [event.id for event in reply.named("token")]
    assert ids == [str(number) for number in range(1, len(ids) + 1)], t("day3_sse.token_ids", ids=ids[:5])


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_done_says_how_the_answer_ended(exercise, serve, paced, layout):
    """The done event carries the token count, the finish reason and the usage, wherever the provider put them

    pt: O evento done leva a contagem de tokens, o finish reason e o uso, onde quer que o provedor os tenha posto
    id: Event done membawa jumlah token, finish reason, dan usage, di chunk mana pun provider menaruhnya
    """
    model = paced(rules=ANSWERS, chunk_layout=layout)
    reply = await stream(serve(exercise.create_app(model)), OWLS)
    assert_ended_as(the_done_event(reply), how_it_ended(OWLS, chunk_layout=layout))


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_an_answer_cut_by_the_token_limit_says_length(exercise, serve, paced, layout):
    """An answer cut short by the token limit ends with done saying finish_reason "length", not "stop"

    pt: Uma resposta cortada pelo limite de tokens termina com um done que diz finish_reason "length", e não "stop"
    id: Jawaban yang terpotong oleh batas token diakhiri event done dengan finish_reason "length", bukan "stop"
    """
    model = paced(rules=ANSWERS, chunk_layout=layout, max_tokens=TOKEN_LIMIT)
    reply = await stream(serve(exercise.create_app(model)), OWLS)
    assert "".join(reply.token_texts) == model.record.text, t("day3_sse.tokens_mismatch")
    assert_ended_as(the_done_event(reply), how_it_ended(OWLS, chunk_layout=layout, max_tokens=TOKEN_LIMIT))


@pytest.mark.task(4)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_tokens_arrive_while_the_model_writes(exercise, serve, paced, layout):
    """Each token reaches the client before the model writes the next one; keeping the sum holds nothing back

    pt: Cada token chega ao cliente antes de o modelo escrever o seguinte; manter a soma não segura nada
    id: Setiap token sampai ke klien sebelum model menulis token berikutnya; menyimpan jumlahnya tidak menahan apa pun
    """
    model = paced(rules=ANSWERS, chunk_layout=layout)
    reply = await stream(serve(exercise.create_app(model)), OWLS, lockstep=model)
    assert "".join(reply.token_texts) == ANSWERS["owls"], t("day3_sse.tokens_mismatch")
    assert_incremental(reply.received, model, every_chunk=True)


@pytest.mark.task(5)
async def test_two_clients_are_served_at_the_same_time(exercise, serve, paced):
    """Two clients stream at the same time, each request calling the model once: the event loop is never blocked

    pt: Dois clientes recebem o stream ao mesmo tempo, cada requisição chamando o modelo uma vez: o event loop nunca trava
    id: Dua klien menerima stream bersamaan, masing-masing request memanggil model sekali: event loop tidak pernah terblokir
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


@pytest.mark.task(6)
async def test_a_failed_answer_never_ends_with_done(exercise, serve, paced):
    """A model that fails after 4 tokens: the client gets those 4 tokens and no done, which would claim a complete answer

    pt: Um modelo que falha depois de 4 tokens: o cliente recebe esses 4 tokens e nenhum done, que diria que a resposta está completa
    id: Model yang gagal setelah 4 token: klien menerima 4 token itu tanpa event done, yang seolah menyatakan jawabannya lengkap
    """
    model = paced(rules=ANSWERS, error_after=4)
    reply = await stream(serve(exercise.create_app(model)), OWLS, tolerate=FakeModelError)
    assert "done" not in reply.names, t("day3_sse.done_after_failure", names=in_short(reply.names))
    assert "".join(reply.token_texts) == model.record.text, t("day3_sse.tokens_mismatch")


@pytest.mark.task(6)
async def test_a_client_that_leaves_stops_the_model(exercise, serve, paced):
    """A client that leaves after 3 events ends the model's stream with it, instead of leaving it open

    pt: Um cliente que sai depois de 3 eventos encerra junto o stream do modelo, em vez de deixá-lo aberto
    id: Klien yang pergi setelah 3 event ikut mengakhiri stream model, bukan membiarkannya tetap terbuka
    """
    model = paced(rules=ANSWERS)
    server = serve(exercise.create_app(model))
    await stream(server, OWLS, stop_after=3, lockstep=model)
    assert await server.wait_until(lambda: model.record.outcome != "running"), t("day3_sse.model_left_running")
    assert model.record.outcome in ("cancelled", "closed"), t("day3_sse.model_left_running")
