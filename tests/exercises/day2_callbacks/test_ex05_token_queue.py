"""Exercise 5: TokenQueue hands tokens to another task; relay yields them as they arrive."""

from __future__ import annotations

import asyncio

import pytest

from coursekit.i18n import t
from coursekit.testing import (
    ProbeModel,
    Received,
    assert_cancel_stops_model,
    assert_incremental,
    expect_model_error,
    heartbeat,
)

REPLY = "The queue lets the model and the reader each go at their own pace, without waiting on each other at all."
PROMPT = "Relay this."
#: Far longer than any answer here takes; only a reader waiting for nothing gets near it.
PATIENCE = 5.0


def text_chunks(probe: ProbeModel) -> list[str]:
    return [chunk.text for chunk in probe.record.chunks if chunk.text]


def drain(queue: asyncio.Queue) -> list:
    items = []
    while not queue.empty():
        items.append(queue.get_nowait())
    return items


@pytest.mark.task(1)
async def test_handler_queues_the_tokens_then_done(exercise):
    """TokenQueue puts each token, then DONE, on the queue

    pt: TokenQueue coloca cada token e depois DONE na fila
    id: TokenQueue memasukkan setiap token, lalu DONE, ke antrean
    """
    probe = ProbeModel(responses=[REPLY], streaming=True, token_delay=0.0)
    handler = exercise.TokenQueue()
    await probe.ainvoke(PROMPT, config={"callbacks": [handler]})
    items = drain(handler.queue)
    assert items == [*text_chunks(probe), exercise.DONE], t("day2_callbacks.queue_items", items=items[-3:])


@pytest.mark.task(2)
async def test_handler_queues_the_error(exercise):
    """TokenQueue puts the error on the queue when the stream breaks

    pt: TokenQueue coloca o erro na fila quando o stream falha
    id: TokenQueue memasukkan error ke antrean saat stream gagal
    """
    probe = ProbeModel(responses=[REPLY], streaming=True, token_delay=0.0, error_after=3)
    handler = exercise.TokenQueue()
    with expect_model_error(probe):
        await probe.ainvoke(PROMPT, config={"callbacks": [handler]})
    items = drain(handler.queue)
    assert items == [*text_chunks(probe), probe.record.error], t("day2_callbacks.queue_items", items=items[-3:])


@pytest.mark.task(3)
async def test_relay_yields_the_tokens_as_they_arrive(exercise):
    """relay yields each token while the model is still streaming, without blocking the loop

    pt: relay faz yield de cada token enquanto o modelo ainda está no stream, sem travar o loop
    id: relay me-yield setiap token selagi model masih streaming, tanpa memblokir loop
    """
    probe = ProbeModel(responses=[REPLY], streaming=True)
    received = Received()
    async with heartbeat():
        tokens = [token async for token in received.track_async(exercise.relay(probe, PROMPT))]
    assert tokens == text_chunks(probe), t("day2_callbacks.tokens_mismatch")
    assert_incremental(received, probe)


@pytest.mark.task(4)
async def test_relay_raises_the_error_after_the_partial_tokens(exercise):
    """relay yields the tokens before a failure, then raises the model's error

    pt: relay faz yield dos tokens que chegaram antes da falha e depois lança o erro do modelo
    id: relay me-yield token yang tiba sebelum kegagalan, lalu me-raise error dari model
    """
    probe = ProbeModel(responses=[REPLY], streaming=True, error_after=4)
    tokens: list[str] = []

    async def read_all() -> None:
        async for token in exercise.relay(probe, PROMPT):
            tokens.append(token)

    with expect_model_error(probe):
        try:
            await asyncio.wait_for(read_all(), PATIENCE)
        except TimeoutError:
            raise AssertionError(t("day2_callbacks.relay_hangs")) from None
    assert tokens == text_chunks(probe), t("day2_callbacks.tokens_mismatch")


@pytest.mark.task(5)
async def test_cancelling_the_reader_stops_the_model(exercise):
    """Cancelling the reader stops the model's task

    pt: Cancelar o leitor interrompe a task do modelo
    id: Membatalkan pembaca menghentikan task model
    """
    probe = ProbeModel(responses=[REPLY], streaming=True)

    async def read_all() -> None:
        async for _ in exercise.relay(probe, PROMPT):
            pass

    await assert_cancel_stops_model(read_all(), probe)
