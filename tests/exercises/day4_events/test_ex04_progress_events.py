"""Exercise 4: gather_notes announces each lookup with a custom progress event; watch shows them before the tokens.

The lookups are a :class:`Library` that finishes a lookup only once the test has seen that
lookup's progress event (or after a patience, like :class:`PacedProbe`), so "announced while the
work happens" is checked by the order of events, never by how long anything took.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain_core.callbacks import adispatch_custom_event
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, PacedProbe, Received, assert_incremental
from coursekit.testing.http import PATIENCE_SECONDS, wait_until
from coursekit.testing.probe import Moment, moment

SOURCES = ("manual", "forum", "changelog")
QUESTION = "How do I stream events?"
ANSWER = "Call astream_events with version v2, and read each event as it comes.\n"


def progress(source: str, step: int, total: int = len(SOURCES)) -> dict[str, Any]:
    return {"source": source, "step": step, "total": total}


EXPECTED_PROGRESS = [progress(source, step) for step, source in enumerate(SOURCES, start=1)]


def as_sent(item: Any) -> Any:
    """A watched item with its progress data cut to the keys sent: with include filters, LangChain
    adds the chain's ``input`` to the data of the first event it yields, a custom event too."""
    kind, value = tuple(item)
    if kind == "progress" and isinstance(value, dict):
        value = {key: value[key] for key in ("source", "step", "total") if key in value}
    return kind, value


class Seen:
    """The progress payloads the test has received, stamped on arrival."""

    def __init__(self) -> None:
        self.progress: list[tuple[Any, Moment]] = []

    def __call__(self, payload: Any) -> None:
        self.progress.append((payload, moment()))

    def has(self, source: str) -> bool:
        return any(isinstance(payload, dict) and payload.get("source") == source for payload, _ in self.progress)


class Library:
    """``fetch(source, question)``: a slow lookup, finished only once its progress event was seen."""

    def __init__(self, seen: Seen | None = None) -> None:
        self.seen = seen
        self.started: list[str] = []
        self.finished: dict[str, Moment] = {}
        self.gave_up = False

    @staticmethod
    def note(source: str) -> str:
        return f"The {source} says events stream every step."

    async def fetch(self, source: str, question: str) -> str:
        self.started.append(source)
        if self.seen is not None and not self.gave_up:
            seen = self.seen
            self.gave_up = not await wait_until(lambda: seen.has(source), PATIENCE_SECONDS)
        await asyncio.sleep(0)  # a lookup always takes at least a turn of the loop
        self.finished[source] = moment()
        return self.note(source)


def notes_step(exercise, library: Library, sources=SOURCES):
    """The student's gather_notes as a step of its own, so its events belong to a run."""

    async def notes(question: str) -> str:
        return await exercise.gather_notes(question, list(sources), library.fetch)

    return RunnableLambda(notes)


async def progress_of(chain, inputs, seen: Seen) -> None:
    """Read the run's events as a client would, keeping the custom events named "progress"."""
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_custom_event" and event["name"] == "progress":
            seen(event["data"])


def reporting_chain(model, library: Library):
    """A chain whose first step reports progress correctly (and logs a custom event of another name)."""

    async def research(question: str) -> dict[str, str]:
        notes = []
        for step, source in enumerate(SOURCES, start=1):
            await adispatch_custom_event("progress", progress(source, step))
            await adispatch_custom_event("log", {"line": f"looking in the {source}"})
            notes.append(await library.fetch(source, question))
        return {"question": question, "notes": "\n".join(notes)}

    prompt = ChatPromptTemplate.from_template("{notes}\n{question}")
    return RunnableLambda(research) | prompt | model | StrOutputParser()


@pytest.mark.task(1)
async def test_gathers_the_notes_of_every_source(exercise):
    """gather_notes fetches every source once, in order, and returns their notes joined by lines

    pt: gather_notes consulta cada fonte uma vez, na ordem, e devolve as notas unidas em linhas
    id: gather_notes mengambil setiap sumber sekali, berurutan, lalu mengembalikan catatannya yang digabung per baris
    """
    library = Library()
    notes = await notes_step(exercise, library).ainvoke(QUESTION)
    assert library.started == list(SOURCES), t("day4_events.notes_mismatch")
    assert notes == "\n".join(Library.note(source) for source in SOURCES), t("day4_events.notes_mismatch")


@pytest.mark.task(1)
@pytest.mark.parametrize("sources", [SOURCES, ("wiki",)])
async def test_sends_one_progress_event_per_source(exercise, sources):
    """gather_notes sends one custom event named "progress" per source, with its source, step and total

    pt: gather_notes envia um evento customizado chamado "progress" por fonte, com a fonte, o passo e o total
    id: gather_notes mengirim satu custom event bernama "progress" untuk setiap sumber, berisi sumber, langkah, dan totalnya
    """
    seen = Seen()
    await progress_of(notes_step(exercise, Library(), sources), QUESTION, seen)
    expected = [progress(source, step, len(sources)) for step, source in enumerate(sources, start=1)]
    assert [payload for payload, _ in seen.progress] == expected, t("day4_events.progress_payloads")


@pytest.mark.task(2)
async def test_announces_each_lookup_just_before_it(exercise):
    """Each progress event comes after the previous lookup has finished and before its own lookup finishes

    pt: Cada evento de progresso vem depois de a consulta anterior terminar e antes de a sua própria terminar
    id: Setiap event progres datang setelah pencarian sebelumnya selesai dan sebelum pencariannya sendiri selesai
    """
    seen = Seen()
    library = Library(seen)
    await progress_of(notes_step(exercise, library), QUESTION, seen)
    assert [payload for payload, _ in seen.progress] == EXPECTED_PROGRESS, t("day4_events.progress_payloads")
    for number, (source, (_, announced)) in enumerate(zip(SOURCES, seen.progress)):
        before_its_lookup = announced.seq < library.finished[source].seq
        after_the_previous = number == 0 or library.finished[SOURCES[number - 1]].seq < announced.seq
        assert before_its_lookup and after_the_previous, t("day4_events.progress_out_of_step", source=source)


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_watch_yields_progress_then_tokens(exercise, layout):
    """watch yields ("progress", data) for each progress event, then ("token", text) for each model token

    pt: watch produz ("progress", data) para cada evento de progresso e depois ("token", texto) para cada token do modelo
    id: watch menghasilkan ("progress", data) untuk setiap event progres, lalu ("token", teks) untuk setiap token model
    """
    model = PacedProbe(responses=[ANSWER], chunk_layout=layout)
    got = [as_sent(item) async for item in exercise.watch(reporting_chain(model, Library()), QUESTION)]
    texts = [chunk.text for chunk in model.record.chunks if chunk.text]
    expected = [("progress", payload) for payload in EXPECTED_PROGRESS] + [("token", text) for text in texts]
    assert got == expected, t("day4_events.watch_mismatch")


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_watch_shows_each_thing_while_it_happens(exercise, layout):
    """Each progress item reaches the reader while its lookup runs, each token before the model writes the next

    pt: Cada item de progresso chega ao leitor enquanto a consulta roda, e cada token antes de o modelo escrever o seguinte
    id: Setiap item progres sampai ke pembaca selagi pencariannya berjalan, dan setiap token sebelum model menulis token berikutnya
    """
    model = PacedProbe(responses=[ANSWER], chunk_layout=layout)
    seen, tokens = Seen(), Received()
    model.follow(tokens)
    library = Library(seen)
    async for item in exercise.watch(reporting_chain(model, library), QUESTION):
        kind, value = as_sent(item)
        (seen if kind == "progress" else tokens)(value)
    assert not library.gave_up and [payload for payload, _ in seen.progress] == EXPECTED_PROGRESS, t("day4_events.progress_late")
    assert tokens.text == ANSWER, t("day4_events.watch_mismatch")
    try:
        assert_incremental(tokens, model, every_chunk=True)
    except AssertionError:
        raise AssertionError(t("day4_events.tokens_late")) from None


@pytest.mark.task(3)
async def test_the_whole_chain_reports_before_it_answers(exercise):
    """With build_chain and both functions, every progress item comes before the first token

    pt: Com build_chain e as duas funções, todo item de progresso vem antes do primeiro token
    id: Dengan build_chain dan kedua fungsi, semua item progres datang sebelum token pertama
    """
    model = PacedProbe(responses=[ANSWER])
    library = Library()
    got = [as_sent(item) async for item in exercise.watch(exercise.build_chain(model, list(SOURCES), library.fetch), QUESTION)]
    kinds = [kind for kind, _ in got]
    assert kinds == ["progress"] * len(SOURCES) + ["token"] * (len(kinds) - len(SOURCES)), t("day4_events.watch_mismatch")
    assert [value for _, value in got[: len(SOURCES)]] == EXPECTED_PROGRESS, t("day4_events.progress_payloads")
    assert "".join(value for _, value in got[len(SOURCES) :]) == ANSWER, t("day4_events.watch_mismatch")
