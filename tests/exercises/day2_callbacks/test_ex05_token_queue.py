"""Exercise 5: TokenQueue hands tokens to another task; relay yields them as they arrive."""

from __future__ import annotations

import asyncio
from contextlib import aclosing
from typing import Any

import pytest
from pydantic import PrivateAttr

from coursekit.i18n import t
from coursekit.testing import (
    CHUNK_LAYOUTS,
    ProbeModel,
    Received,
    assert_incremental,
    expect_model_error,
    heartbeat,
)

REPLY = "The queue lets the model and the reader each go at their own pace, without waiting on each other.\n\n"
PROMPT = "Relay this."
#: Not a prompt: ainvoke() refuses it before the model starts, so no hook ever fires.
NOT_A_PROMPT = 12345
#: Far longer than any answer here takes; only a reader waiting for nothing gets near it.
PATIENCE = 5.0
#: Far longer than a correct relay needs to hand over a waiting token or to stop the model (a few loop turns).
PROMPTLY = 1.0
#: Seconds before the first chunk and between chunks: short, yet a reader that waits for the end is plain.
FIRST, BETWEEN = 0.05, 0.01


class TrackedProbe(ProbeModel):
    """A probe that keeps the task each call streamed in: whether the model stopped is whether that task ended."""

    _calls: list[asyncio.Task[Any]] = PrivateAttr(default_factory=list)

    async def _astream(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[override]
        self._calls.append(asyncio.current_task())
        async with aclosing(super()._astream(messages, stop, run_manager, **kwargs)) as chunks:
            async for chunk in chunks:
                yield chunk

    async def assert_stopped(self, message: str) -> None:
        """Every call has ended: a stopped task is done at once, so this waits only for a wrong one."""
        if self._calls:
            await asyncio.wait(self._calls, timeout=PROMPTLY)
        if any(not call.done() for call in self._calls):
            raise AssertionError(message)


class StalledProbe(TrackedProbe):
    """A probe that goes quiet after a chunk, as a provider does between network reads, until cancelled.

    Nothing can arrive after the test acts, however loaded the machine, so no check races the next chunk.
    """

    after_text: bool = False
    """Go quiet after the first chunk with text, instead of after the very first chunk."""

    _quiet: asyncio.Event = PrivateAttr(default_factory=asyncio.Event)

    async def _astream(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[override]
        async with aclosing(super()._astream(messages, stop, run_manager, **kwargs)) as chunks:
            async for chunk in chunks:
                yield chunk
                if chunk.text or not self.after_text:
                    self._quiet.set()
                    await asyncio.Future()  # only a cancellation ends this wait

    async def gone_quiet(self, reader: asyncio.Task[Any]) -> None:
        """Wait until the stream went quiet; the reader's own error, if it ended first."""
        quiet = asyncio.ensure_future(self._quiet.wait())
        await asyncio.wait({quiet, reader}, timeout=PATIENCE, return_when=asyncio.FIRST_COMPLETED)
        quiet.cancel()
        if not self._quiet.is_set():
            if reader.done():
                reader.result()  # the student's own error is the most useful report
            reader.cancel()
            raise AssertionError(t("testing.model_not_called"))


@pytest.fixture
async def probes():
    """Makes the probes of one test, and keeps every task of the test until it is over, then settles them.

    A wrong relay leaves tasks behind (running, or failed with an error nobody read). Kept, they
    cannot be finalised by a garbage collection inside ``ast.parse`` while pytest reports the
    failure, which crashes pytest on Python 3.11 (``SystemError: AST constructor recursion depth
    mismatch``) instead of showing the student's message.
    """
    loop = asyncio.get_running_loop()
    tasks: list[asyncio.Task[Any]] = []

    def keep(loop: asyncio.AbstractEventLoop, coro: Any, **options: Any) -> asyncio.Task[Any]:
        tasks.append(asyncio.Task(coro, loop=loop, **options))
        return tasks[-1]

    def make(kind: type[TrackedProbe] = TrackedProbe, **options: Any) -> TrackedProbe:
        return kind(responses=[REPLY], streaming=True, **options)

    loop.set_task_factory(keep)
    yield make
    loop.set_task_factory(None)
    running = [task for task in tasks if not task.done() and task is not asyncio.current_task()]
    for task in running:
        task.cancel()
    if running:
        await asyncio.wait(running, timeout=PROMPTLY)
    for task in tasks:
        if task.done() and not task.cancelled():
            task.exception()


def text_chunks(probe: ProbeModel) -> list[str]:
    return [chunk.text for chunk in probe.record.chunks if chunk.text]


def drain(queue: asyncio.Queue) -> list:
    items = []
    while not queue.empty():
        items.append(queue.get_nowait())
    return items


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_handler_queues_the_tokens_then_done(exercise, layout):
    """TokenQueue puts each non-empty token, then DONE, on the queue, whichever provider's chunk layout

    pt: TokenQueue coloca cada token não vazio e depois DONE na fila, seja qual for o formato de chunks do provedor
    id: TokenQueue memasukkan setiap token yang tidak kosong, lalu DONE, ke antrean, apa pun susunan chunk dari provider-nya
    """
    probe = ProbeModel(responses=[REPLY], streaming=True, token_delay=0.0, chunk_layout=layout)
    handler = exercise.TokenQueue()
    await probe.ainvoke(PROMPT, config={"callbacks": [handler]})
    items = drain(handler.queue)
    assert items == [*text_chunks(probe), exercise.DONE], t("day2_callbacks.queue_items", items=items[-3:])


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_handler_queues_the_error(exercise, layout):
    """TokenQueue puts the error on the queue when the stream breaks

    pt: TokenQueue coloca o erro na fila quando o stream falha
    id: TokenQueue memasukkan error ke antrean saat stream gagal
    """
    probe = ProbeModel(responses=[REPLY], streaming=True, token_delay=0.0, error_after=3, chunk_layout=layout)
    handler = exercise.TokenQueue()
    with expect_model_error(probe):
        await probe.ainvoke(PROMPT, config={"callbacks": [handler]})
    items = drain(handler.queue)
    assert items == [*text_chunks(probe), probe.record.error], t("day2_callbacks.queue_items", items=items[-3:])


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_relay_yields_the_tokens_as_they_arrive(exercise, probes, layout):
    """relay yields each token while the model is still streaming, without blocking the loop

    pt: relay faz yield de cada token enquanto o modelo ainda está no stream, sem travar o loop
    id: relay me-yield setiap token selagi model masih streaming, tanpa memblokir loop
    """
    probe = probes(time_to_first_token=FIRST, token_delay=BETWEEN, chunk_layout=layout)
    received = Received()
    async with heartbeat():
        tokens = [token async for token in received.track_async(exercise.relay(probe, PROMPT))]
    assert tokens == text_chunks(probe), t("day2_callbacks.tokens_mismatch")
    assert_incremental(received, probe)


@pytest.mark.task(4)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_relay_raises_the_error_after_the_partial_tokens(exercise, probes, layout):
    """relay yields the tokens before a failure, then raises the model's error

    pt: relay faz yield dos tokens que chegaram antes da falha e depois lança o erro do modelo
    id: relay me-yield token yang tiba sebelum kegagalan, lalu me-raise error dari model
    """
    probe = probes(token_delay=BETWEEN, error_after=4, chunk_layout=layout)
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


@pytest.mark.task(4)
async def test_relay_raises_an_error_from_before_any_hook(exercise, probes):
    """relay raises the call's error when it fails before any hook fires (a number instead of a prompt)

    pt: relay lança o erro da chamada quando ela falha antes de qualquer hook disparar (um número no lugar do prompt)
    id: relay me-raise error pemanggilan yang gagal sebelum hook apa pun terpanggil (angka, bukan prompt)
    """
    probe = probes()
    with pytest.raises(ValueError) as refused:
        await probe.ainvoke(NOT_A_PROMPT)

    async def read_all() -> list[str]:
        return [token async for token in exercise.relay(probe, NOT_A_PROMPT)]

    reader = asyncio.ensure_future(read_all())
    await asyncio.wait({reader}, timeout=PATIENCE)
    if not reader.done():
        raise AssertionError(t("day2_callbacks.relay_hangs_before_any_hook"))
    error = reader.exception()
    if error is None:
        raise AssertionError(t("day2_callbacks.early_error_hidden"))
    if not isinstance(error, ValueError) or str(error) != str(refused.value):
        raise error  # the student's own error is the most useful report


@pytest.mark.task(5)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_cancelling_the_reader_stops_the_model(exercise, probes, layout):
    """Cancelling the reader stops the model's task, and the reader ends cancelled

    pt: Cancelar o leitor interrompe a task do modelo, e o leitor termina cancelado
    id: Membatalkan pembaca menghentikan task model, dan pembaca berakhir dalam keadaan dibatalkan
    """
    probe = probes(StalledProbe, chunk_layout=layout)

    async def read_all() -> None:
        async for _ in exercise.relay(probe, PROMPT):
            pass

    reader = asyncio.create_task(read_all())
    await probe.gone_quiet(reader)
    reader.cancel()
    await asyncio.wait({reader}, timeout=PATIENCE)
    if not reader.done():
        raise AssertionError(t("testing.cancel_ignored"))
    await probe.assert_stopped(t("day2_callbacks.cancel_left_model_running"))
    if not reader.cancelled():
        error = reader.exception()
        if error is None:
            raise AssertionError(t("testing.cancel_swallowed"))
        raise AssertionError(t("testing.cancel_replaced", error=repr(error))) from error


@pytest.mark.task(5)
async def test_closing_the_reader_early_stops_the_model(exercise, probes):
    """A reader that stops early and closes relay (aclose()) stops the model's task

    pt: Um leitor que para antes do fim e fecha o relay (aclose()) interrompe a task do modelo
    id: Pembaca yang berhenti lebih awal dan menutup relay (aclose()) menghentikan task model
    """
    probe = probes(StalledProbe, after_text=True)
    tokens = exercise.relay(probe, PROMPT)
    try:
        first = await asyncio.wait_for(anext(tokens), PROMPTLY)
    except TimeoutError:
        raise AssertionError(t("day2_callbacks.relay_waits_for_the_end")) from None
    await tokens.aclose()
    assert first == text_chunks(probe)[0], t("day2_callbacks.tokens_mismatch")
    await probe.assert_stopped(t("day2_callbacks.close_left_model_running"))
