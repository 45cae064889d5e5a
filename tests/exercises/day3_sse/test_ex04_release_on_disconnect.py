"""Exercise 4: the generator gives its model back to the pool when the answer ends, fails, or the client leaves."""

from __future__ import annotations

import asyncio

import pytest

from coursekit.errors import FakeModelError
from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, assert_incremental

ANSWER = "A model is expensive, so a server lends it to one stream at a time and takes it back after.\n"
PROMPT = "Why pool models?"
#: A second client waits this long for the pool's only model before the test gives up.
SECOND_CLIENT_PATIENCE = 5.0


async def assert_given_back(server, pool) -> None:
    assert await server.wait_until(lambda: pool.in_use == 0), t("day3_sse.model_not_released")


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_streams_the_answer_then_gives_the_model_back(exercise, serve, paced, layout):
    """Streams each token event before the model writes the next, then done, and gives the model back

    pt: Envia cada evento token antes de o modelo escrever o seguinte, depois done, e devolve o modelo ao pool
    id: Mengirim setiap event token sebelum model menulis token berikutnya, lalu done, dan mengembalikan model ke pool
    """
    model = paced(responses=[ANSWER], chunk_layout=layout)
    pool = exercise.ModelPool([model])
    server = serve(exercise.create_app(pool))
    reply = await server.sse("GET", "/stream", params={"prompt": PROMPT}, lockstep=model)
    assert "".join(reply.token_texts) == ANSWER, t("day3_sse.tokens_mismatch")
    assert reply.names[-1:] == ["done"], t("day3_sse.done_missing")
    texts = sum(1 for chunk in model.record.chunks if chunk.text)
    assert reply.payloads("done") == [{"tokens": texts}], t("day3_sse.done_payload")
    assert_incremental(reply.received, model, every_chunk=True)
    await assert_given_back(server, pool)


@pytest.mark.task(1)
async def test_two_clients_stream_at_the_same_time(exercise, serve, paced):
    """With two models in the pool, two clients stream at the same time: the event loop is never blocked

    pt: Com dois modelos no pool, dois clientes recebem o stream ao mesmo tempo: o event loop nunca trava
    id: Dengan dua model di pool, dua klien menerima stream bersamaan: event loop tidak pernah terblokir
    """
    one, other = paced(responses=[ANSWER]), paced(responses=[ANSWER])
    paced.meet(one, other, streams=2)
    pool = exercise.ModelPool([one, other])
    server = serve(exercise.create_app(pool))
    replies = await asyncio.gather(*(server.sse("GET", "/stream", params={"prompt": PROMPT}) for _ in range(2)))
    assert all("".join(reply.token_texts) == ANSWER for reply in replies), t("day3_sse.tokens_mismatch")
    assert len(one.records) == len(other.records) == 1, t("day3_sse.one_call_per_request", calls=len(one.records) + len(other.records))
    overlapped = one.record.chunks[0].seq < other.record.done.seq and other.record.chunks[0].seq < one.record.done.seq
    assert overlapped, t("day3_sse.served_in_turn")
    await assert_given_back(server, pool)


@pytest.mark.task(2)
async def test_a_client_that_leaves_stops_the_model(exercise, serve, paced):
    """When the client disconnects, the model stops and goes back to the pool

    pt: Quando o cliente se desconecta, o modelo para e volta para o pool
    id: Saat klien memutus koneksi, model berhenti dan kembali ke pool
    """
    model = paced(responses=[ANSWER])
    pool = exercise.ModelPool([model])
    server = serve(exercise.create_app(pool))
    await server.sse("GET", "/stream", params={"prompt": PROMPT}, stop_after=3, lockstep=model)
    assert await server.wait_until(lambda: model.record.outcome != "running"), t("day3_sse.model_kept_going")
    assert model.record.outcome in ("cancelled", "closed"), t("day3_sse.model_kept_going")
    await assert_given_back(server, pool)


@pytest.mark.task(2)
async def test_the_next_client_gets_the_model_after_a_disconnect(exercise, serve, paced):
    """After a client leaves mid-answer, the next client gets the pool's only model

    pt: Depois que um cliente sai no meio da resposta, o próximo cliente recebe o único modelo do pool
    id: Setelah klien pergi di tengah jawaban, klien berikutnya mendapat satu-satunya model di pool
    """
    model = paced(responses=[ANSWER])
    pool = exercise.ModelPool([model])
    server = serve(exercise.create_app(pool))
    await server.sse("GET", "/stream", params={"prompt": PROMPT}, stop_after=3, lockstep=model)
    try:
        reply = await asyncio.wait_for(server.sse("GET", "/stream", params={"prompt": PROMPT}), SECOND_CLIENT_PATIENCE)
    except TimeoutError:
        raise AssertionError(t("day3_sse.model_not_released")) from None
    assert "".join(reply.token_texts) == ANSWER, t("day3_sse.tokens_mismatch")


@pytest.mark.task(2)
async def test_cancelled_while_the_model_writes(exercise, paced, cancelled_read):
    """Cancelled while it waits for the model, the generator gives the model back and stays cancelled

    pt: Cancelado enquanto espera o modelo, o gerador devolve o modelo ao pool e continua cancelado
    id: Jika dibatalkan saat menunggu model, generator mengembalikan model ke pool dan tetap berstatus dibatalkan
    """
    model = paced(responses=[ANSWER]).stall()
    pool = exercise.ModelPool([model])
    events = exercise.pooled_token_events(pool, PROMPT)
    reading = await cancelled_read(events, model)
    assert pool.in_use == 0, t("day3_sse.model_not_released")
    assert reading.cancelled(), t("day3_sse.cancel_swallowed")


@pytest.mark.task(2)
async def test_closed_at_a_yield(exercise, paced):
    """Closed at a yield (aclose), the generator gives the model back too

    pt: Fechado num yield (aclose), o gerador também devolve o modelo ao pool
    id: Jika ditutup di sebuah yield (aclose), generator juga mengembalikan model ke pool
    """
    model = paced(responses=[ANSWER])
    pool = exercise.ModelPool([model])
    events = exercise.pooled_token_events(pool, PROMPT)
    await asyncio.wait_for(anext(events), 5)
    await events.aclose()
    assert pool.in_use == 0, t("day3_sse.model_not_released_on_close")


@pytest.mark.task(2)
async def test_a_client_that_leaves_while_waiting_for_the_pool(exercise, paced):
    """A client that leaves while waiting for a busy pool gives back nothing it did not borrow

    pt: Um cliente que sai enquanto espera o pool ocupado não devolve nada que não pegou emprestado
    id: Klien yang pergi saat menunggu pool yang sibuk tidak mengembalikan apa pun yang tidak dipinjamnya
    """
    model = paced(responses=[ANSWER])
    pool = exercise.ModelPool([model])
    borrowed = await pool.acquire()  # another stream holds the only model
    reading = asyncio.ensure_future(anext(exercise.pooled_token_events(pool, PROMPT)))
    for _ in range(3):  # let it start and wait in pool.acquire()
        await asyncio.sleep(0)
    reading.cancel()
    await asyncio.wait({reading}, timeout=5)
    if reading.done() and not reading.cancelled() and not isinstance(reading.exception(), asyncio.CancelledError):
        reading.result()  # the student's own error
    pool.release(borrowed)
    assert pool.in_use == 0, t("day3_sse.released_unborrowed", in_use=pool.in_use)


@pytest.mark.task(3)
async def test_a_model_error_also_gives_the_model_back(exercise, serve, paced):
    """When the model fails mid-answer, it still goes back to the pool

    pt: Quando o modelo falha no meio da resposta, ele volta para o pool mesmo assim
    id: Saat model gagal di tengah jawaban, model tetap kembali ke pool
    """
    model = paced(responses=[ANSWER], error_after=3)
    pool = exercise.ModelPool([model])
    server = serve(exercise.create_app(pool))
    await server.sse("GET", "/stream", params={"prompt": PROMPT}, tolerate=FakeModelError)
    await assert_given_back(server, pool)
