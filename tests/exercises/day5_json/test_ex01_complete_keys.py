"""Exercise 1: complete_snapshots shows a JSON answer key by key, each key once its value is finished.

The answer mixes what real models write: strings cut into many chunks, a number that grows
(``6`` then ``6.7``), a list, a nested object, and brackets inside a string. Every check holds
however the fake cuts the JSON (tokens, characters, fixed sizes) and on every provider's layout,
with its empty opening and metadata-only closing chunks. Liveness is checked by order of events
against a model that writes its next chunk only once the reader has what is due
(:class:`DueProbe`), never by timings.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from coursekit import FakeStreamingChatModel
from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS
from coursekit.testing.probe import moment

ANSWER: dict[str, Any] = {
    "city": "Rio de Janeiro",
    "country": "Brazil",
    "population_millions": 6.7,
    "sights": ["Sugarloaf Mountain", "Christ the Redeemer"],
    "coordinates": {"lat": -22.91, "lon": -43.17},
    "motto": "a city of {hills} and [beaches]",
}
QUESTION = "Describe Rio de Janeiro as JSON."
CHUNKINGS = ["words", "chars", 7]


class Snapshots:
    """What the reader got: each snapshot as yielded, a copy taken at that moment, and when."""

    def __init__(self) -> None:
        self.kept: list[Any] = []
        self.copies: list[Any] = []
        self.moments: list[Any] = []

    def __call__(self, snapshot: Any) -> None:
        self.kept.append(snapshot)
        self.copies.append(copy.deepcopy(snapshot))
        self.moments.append(moment())

    def shown_keys(self, count: int | None = None) -> int:
        """How many keys the latest of the first ``count`` snapshots holds."""
        shown = self.copies[:count] if count is not None else self.copies
        return len(shown[-1]) if shown and isinstance(shown[-1], dict) else 0


def finished_keys(text: str, parsed) -> int:
    """How many keys the model's text so far has finished: all but the last key of the partial object."""
    value = parsed(text)
    return max(0, len(value) - 1) if isinstance(value, dict) else 0


async def read(exercise, model, question: str = QUESTION) -> Snapshots:
    got = Snapshots()
    try:
        async for snapshot in exercise.complete_snapshots(model, question):
            got(snapshot)
    except json.JSONDecodeError as error:
        raise AssertionError(t("day5_json.keys_raw_text", error=error)) from error
    return got


def check_snapshots(got: Snapshots, answer: dict[str, Any]) -> None:
    """Only finished values, each snapshot one step bigger than the last, ending with the whole answer."""
    assert got.kept, t("day5_json.keys_nothing")
    for number, (kept, taken) in enumerate(zip(got.kept, got.copies), start=1):
        assert kept == taken, t("day5_json.keys_changed_after", number=number)
    keys = list(answer)
    for number, snapshot in enumerate(got.copies, start=1):
        assert isinstance(snapshot, dict), t("day5_json.keys_not_a_dict", kind=type(snapshot).__name__)
        assert list(snapshot) == keys[: len(snapshot)], t("day5_json.keys_order", number=number, keys=list(snapshot))
        for key, value in snapshot.items():
            assert value == answer[key], t("day5_json.keys_unfinished", number=number, key=key, value=value, final=answer[key])
    for number, (before, after) in enumerate(zip(got.copies, got.copies[1:]), start=2):
        assert len(after) > len(before), t("day5_json.keys_repeated", number=number)
    assert got.copies[-1] == answer, t("day5_json.keys_last_missing", missing=keys[len(got.copies[-1]):])


@pytest.mark.task(1)
@pytest.mark.parametrize("chunking", CHUNKINGS)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_snapshots_hold_only_finished_values(exercise, layout, chunking):
    """Each snapshot holds only finished values, one more key each time, and the last is the whole answer

    pt: Cada snapshot só traz valores terminados, uma chave a mais a cada vez, e o último é a resposta inteira
    id: Setiap snapshot hanya berisi nilai yang sudah selesai, satu kunci lebih banyak setiap kali, dan yang terakhir adalah jawaban utuh
    """
    model = FakeStreamingChatModel(rules={".*": ANSWER}, chunk_layout=layout, chunking=chunking)
    check_snapshots(await read(exercise, model), ANSWER)


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_an_indented_answer_gives_the_same_snapshots(exercise, layout):
    """JSON written over many lines with indentation, as models often write it, gives the same snapshots

    pt: Um JSON escrito em várias linhas, com indentação, como os modelos costumam escrever, dá os mesmos snapshots
    id: JSON yang ditulis dalam banyak baris dengan indentasi, seperti yang sering ditulis model, menghasilkan snapshot yang sama
    """
    model = FakeStreamingChatModel(responses=[json.dumps(ANSWER, indent=2, ensure_ascii=False)], chunk_layout=layout)
    check_snapshots(await read(exercise, model), ANSWER)


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_a_single_key_is_finished_when_the_object_closes(exercise, layout):
    """An answer with one key gives one snapshot, the whole answer, once the object has closed

    pt: Uma resposta com uma só chave dá um snapshot, a resposta inteira, quando o objeto fecha
    id: Jawaban dengan satu kunci menghasilkan satu snapshot, yaitu jawaban utuh, setelah objeknya tertutup
    """
    answer = {"summary": "Streaming JSON shows each finished field while the rest is being written."}
    got = await read(exercise, FakeStreamingChatModel(rules={".*": answer}, chunk_layout=layout))
    check_snapshots(got, answer)
    assert len(got.copies) == 1, t("day5_json.keys_repeated", number=2)


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_each_snapshot_comes_as_its_key_finishes(exercise, due, first_late, parsed_text, layout):
    """Each snapshot reaches the reader before the model writes the chunk after the one that finished its key

    pt: Cada snapshot chega ao leitor antes de o modelo escrever o chunk seguinte ao que terminou a sua chave
    id: Setiap snapshot sampai ke pembaca sebelum model menulis chunk sesudah chunk yang menyelesaikan kuncinya
    """
    got = Snapshots()
    model = due(rules={".*": ANSWER}, chunk_layout=layout, time_to_first_token=0.05)
    model.until(lambda text: got.shown_keys() >= finished_keys(text, parsed_text))
    async for snapshot in exercise.complete_snapshots(model, QUESTION):
        got(snapshot)
    check_snapshots(got, ANSWER)
    assert len(model.records) == 1, t("day5_json.keys_model_twice", calls=len(model.records))
    late = first_late(model.record, got.moments, lambda text, n: got.shown_keys(n) >= finished_keys(text, parsed_text))
    assert late is None, t("day5_json.keys_late", chunk=late)
    assert got.moments[0].seq < model.record.done.seq, t("day5_json.keys_late", chunk=1)


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_a_fenced_answer_streams_the_same(exercise, layout):
    """JSON after a sentence and inside a ```json fence, as chat models often write it, gives the same snapshots

    pt: Um JSON depois de uma frase e dentro de um bloco ```json, como os modelos de chat costumam escrever, dá os mesmos snapshots
    id: JSON sesudah sebuah kalimat dan di dalam blok ```json, seperti yang sering ditulis model chat, menghasilkan snapshot yang sama
    """
    model = FakeStreamingChatModel(rules={".*": ANSWER}, chunk_layout=layout, json_fault="fenced")
    try:
        got = await read(exercise, model)
    except NotImplementedError:
        raise
    except Exception as error:  # json.loads or parse_partial_json on the sentence before the fence
        raise AssertionError(t("day5_json.keys_fenced")) from error
    assert got.kept, t("day5_json.keys_fenced")
    check_snapshots(got, ANSWER)
