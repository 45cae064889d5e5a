"""Exercise 5: split_branches tells two parallel runs of one model apart by run_id, live.

Both branches run the same :class:`TakingTurns` model, so name and tags are shared. The model
makes the two streams write their text chunks by turns, the second stream first, and each chunk
only once the reader has been shown every chunk before it: interleaving and liveness are then
checked exactly, by the order of events, however loaded the machine.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from typing import Any, Literal

import pytest
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableParallel
from pydantic import PrivateAttr

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, ProbeModel
from coursekit.testing.http import PATIENCE_SECONDS
from coursekit.testing.probe import Moment, moment

PROS = "Readers see text at once, and long answers feel short.\n"
CONS = "More moving parts, and errors arrive late.\n"
RULES = {"advantages": PROS, "drawbacks": CONS}
INPUTS = {"thing": "streaming"}
#: The stream that started second writes first, as a faster branch would.
LEADER = 1


class TakingTurns(ProbeModel):
    """The first two streams of this model write their text chunks by turns, the second stream first.

    Before each text chunk a stream waits until the other stream has written its share (or
    finished) and, with a reader (:meth:`read_by`), until the reader has been shown every text
    chunk written so far. A wait that lasts :data:`PATIENCE_SECONDS` ends the turns for good.
    """

    time_to_first_token: float = 0.01
    token_delay: float = 0.002

    _reader: Callable[[], int] | None = PrivateAttr(default=None)
    _written: list[int] = PrivateAttr(default_factory=lambda: [0, 0])
    _finished: list[bool] = PrivateAttr(default_factory=lambda: [False, False])
    _gave_up: bool = PrivateAttr(default=False)

    def read_by(self, shown: Callable[[], int]) -> None:
        """Pace the streams by ``shown()``: how many tokens the reader has been shown."""
        self._reader = shown

    def _arecorded(self, chunks: AsyncIterator[Any], via: Literal["stream", "invoke"]) -> AsyncIterator[Any]:
        return super()._arecorded(self._by_turns(chunks), via)

    async def _by_turns(self, chunks: AsyncIterator[Any]) -> AsyncIterator[Any]:
        me = len(self._records) - 1  # ProbeModel started this stream's record just now
        try:
            async with aclosing(chunks):  # type: ignore[type-var]
                async for chunk in chunks:
                    if chunk.text and me < 2:
                        await self._wait_for_turn(me)
                        self._written[me] += 1
                    yield chunk
        finally:
            if me < 2:
                self._finished[me] = True

    def _my_turn(self, me: int) -> bool:
        other = 1 - me
        ahead = 0 if me == LEADER else 1  # the leader's k-th chunk comes before the follower's k-th
        others_done = self._finished[other] or self._written[other] >= self._written[me] + ahead
        shown = self._reader is None or self._reader() >= sum(self._written)
        return others_done and shown

    async def _wait_for_turn(self, me: int) -> None:
        deadline = time.monotonic() + PATIENCE_SECONDS
        while not self._gave_up and not self._my_turn(me):
            if time.monotonic() > deadline:
                self._gave_up = True
            await asyncio.sleep(0.001)


class Panes:
    """``show(number, text)``: what the page was shown, stamped on arrival."""

    def __init__(self) -> None:
        self.shown: list[tuple[Any, Any, Moment]] = []

    def __call__(self, number: Any, text: Any) -> None:
        self.shown.append((number, text, moment()))

    @property
    def calls(self) -> list[tuple[Any, Any]]:
        return [(number, text) for number, text, _ in self.shown]


def branches(model: TakingTurns):
    return RunnableParallel(
        pros=ChatPromptTemplate.from_template("List the advantages of {thing}.") | model,
        cons=ChatPromptTemplate.from_template("List the drawbacks of {thing}.") | model,
    )


def written(model: TakingTurns) -> list[tuple[int, str, Moment]]:
    """Every text chunk of both streams, with its stream's number, in the order they were written."""
    chunks = [(number, chunk.text, chunk) for number, record in enumerate(model.records) for chunk in record.chunks if chunk.text]
    return sorted(chunks, key=lambda item: item[2].seq)  # type: ignore[return-value]


async def run(exercise, layout: str = "openai", *, paced: bool = False):
    model = TakingTurns(rules=RULES, chunk_layout=layout)
    panes = Panes()
    if paced:
        model.read_by(lambda: len(panes.shown))
    texts = await exercise.split_branches(branches(model), INPUTS, panes)
    return model, panes, texts


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_returns_each_branch_text(exercise, layout):
    """Returns the two exact texts, the branch that started first in first place

    pt: Devolve os dois textos exatos, o do ramo que começou primeiro em primeiro lugar
    id: Mengembalikan dua teks yang persis, teks cabang yang mulai lebih dulu di urutan pertama
    """
    model, _, texts = await run(exercise, layout)
    assert len(model.records) == 2, t("day4_events.chain_run_twice", calls=len(model.records))
    assert list(texts) == [PROS, CONS], t("day4_events.branch_texts", count=len(texts))


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_shows_every_token_with_its_branch(exercise, layout):
    """show gets each token with its branch's number, interleaved exactly as the two models wrote them

    pt: show recebe cada token com o número do seu ramo, intercalados exatamente como os dois modelos os escreveram
    id: show menerima setiap token beserta nomor cabangnya, berselang-seling persis seperti yang ditulis kedua model
    """
    model, panes, _ = await run(exercise, layout)
    expected = [(number, text) for number, text, _ in written(model)]
    assert panes.calls == expected, t("day4_events.branch_tokens")


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_both_panes_grow_while_the_models_write(exercise, layout):
    """Each token is shown before either model writes its next one, so both answers grow side by side

    pt: Cada token é mostrado antes de qualquer um dos modelos escrever o seguinte, e as duas respostas crescem lado a lado
    id: Setiap token ditampilkan sebelum model mana pun menulis token berikutnya, sehingga kedua jawaban tumbuh berdampingan
    """
    model, panes, _ = await run(exercise, layout, paced=True)
    chunks = written(model)
    assert len(panes.shown) == len(chunks), t("day4_events.branch_tokens")
    # Each token must be shown before the next one is written; the last, before the streams end.
    following = [chunk.seq for _, _, chunk in chunks[1:]] + [max(record.ended.seq for record in model.records)]
    for (_, _, chunk), (_, _, shown), next_seq in zip(chunks, panes.shown, following):
        assert chunk.seq < shown.seq < next_seq, t("day4_events.branches_late")
