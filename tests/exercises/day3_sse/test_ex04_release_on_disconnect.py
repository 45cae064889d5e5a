"""Exercise 4: the generator gives its model back to the pool when the answer ends, fails, or the client leaves."""

from __future__ import annotations

import asyncio

import pytest

from coursekit.errors import FakeModelError
from coursekit.i18n import t
from coursekit.testing import ProbeModel, assert_incremental

ANSWER = "A model is expensive, so a server lends it to one stream at a time and takes it back after."
PROMPT = "Why pool models?"
#: A second client waits this long for the pool's only model before the test gives up.
SECOND_CLIENT_PATIENCE = 5.0


def pool_of_one(exercise, **faults) -> tuple[object, ProbeModel]:
    model = ProbeModel(responses=[ANSWER], **faults)
    return exercise.ModelPool([model]), model


async def assert_given_back(server, pool) -> None:
    assert await server.wait_until(lambda: pool.in_use == 0), t("day3_sse.model_not_released")


@pytest.mark.task(1)
async def test_streams_the_answer_then_gives_the_model_back(exercise, serve):
    """Streams token events as they are written, then done, and gives the model back

    pt: Envia os eventos token à medida que são escritos, depois done, e devolve o modelo ao pool
    id: Mengirim event token begitu ditulis, lalu done, dan mengembalikan model ke pool
    """
    pool, model = pool_of_one(exercise)
    server = serve(exercise.create_app(pool))
    reply = await server.sse("GET", "/stream", params={"prompt": PROMPT})
    assert "".join(reply.token_texts) == ANSWER, t("day3_sse.tokens_mismatch")
    assert [event.event for event in reply.events][-1:] == ["done"], t("day3_sse.done_missing")
    assert_incremental(reply.received, model)
    await assert_given_back(server, pool)


@pytest.mark.task(2)
async def test_a_client_that_leaves_stops_the_model(exercise, serve):
    """When the client disconnects, the model stops and goes back to the pool

    pt: Quando o cliente se desconecta, o modelo para e volta para o pool
    id: Saat klien memutus koneksi, model berhenti dan kembali ke pool
    """
    pool, model = pool_of_one(exercise)
    server = serve(exercise.create_app(pool))
    await server.sse("GET", "/stream", params={"prompt": PROMPT}, stop_after=3)
    assert await server.wait_until(lambda: model.record.outcome != "running"), t("day3_sse.model_kept_going")
    assert model.record.outcome in ("cancelled", "closed"), t("day3_sse.model_kept_going")
    await assert_given_back(server, pool)


@pytest.mark.task(2)
async def test_the_next_client_gets_the_model_after_a_disconnect(exercise, serve):
    """After a client leaves mid-answer, the next client gets the pool's only model

    pt: Depois que um cliente sai no meio da resposta, o próximo cliente recebe o único modelo do pool
    id: Setelah klien pergi di tengah jawaban, klien berikutnya mendapat satu-satunya model di pool
    """
    pool, _ = pool_of_one(exercise)
    server = serve(exercise.create_app(pool))
    await server.sse("GET", "/stream", params={"prompt": PROMPT}, stop_after=3)
    try:
        reply = await asyncio.wait_for(server.sse("GET", "/stream", params={"prompt": PROMPT}), SECOND_CLIENT_PATIENCE)
    except TimeoutError:
        raise AssertionError(t("day3_sse.model_not_released")) from None
    assert "".join(reply.token_texts) == ANSWER, t("day3_sse.tokens_mismatch")


@pytest.mark.task(3)
async def test_a_model_error_also_gives_the_model_back(exercise, serve):
    """When the model fails mid-answer, it still goes back to the pool

    pt: Quando o modelo falha no meio da resposta, ele volta para o pool mesmo assim
    id: Saat model gagal di tengah jawaban, model tetap kembali ke pool
    """
    pool, _ = pool_of_one(exercise, error_after=3)
    server = serve(exercise.create_app(pool))
    await server.sse("GET", "/stream", params={"prompt": PROMPT}, tolerate=FakeModelError)
    await assert_given_back(server, pool)
