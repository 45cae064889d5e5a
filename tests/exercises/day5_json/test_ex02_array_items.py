"""Exercise 2: array_items yields each item of a JSON array right after the chunk that closes it.

The items are objects with what makes a naive reader stumble: a nested object that closes
before its item does, a list, and braces and brackets inside strings; keys come before and after
the array. Every check holds however the fake cuts the JSON and on every provider's layout.
"Right after" is checked by order of events against a model that writes its next chunk only once
the reader has every item closed so far (:class:`DueProbe`), never by timings.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from coursekit import FakeStreamingChatModel
from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS
from coursekit.testing.probe import moment

CITIES: list[dict[str, Any]] = [
    {
        "name": "Rio de Janeiro",
        "coordinates": {"lat": -22.91, "lon": -43.17},
        "sights": ["Sugarloaf Mountain", "Christ the Redeemer"],
        "nickname": "Cidade {Maravilhosa}",
    },
    {
        "name": "Recife",
        "coordinates": {"lat": -8.05, "lon": -34.88},
        "sights": ["Boa Viagem [beach]"],
        "nickname": "the \"Brazilian Venice\"",
    },
    {"name": "Salvador", "coordinates": {"lat": -12.97, "lon": -38.5}, "sights": [], "population_millions": 2.4},
]
ANSWER = {"title": "Three cities by the sea", "cities": CITIES, "note": "Ask for more and the list grows."}
QUESTION = "List three Brazilian cities by the sea, as JSON."
CHUNKINGS = ["words", "chars", 7]


def closed_items(text: str, key: str) -> int:
    """How many items of the array ``key`` the text so far has closed (a whole JSON value each)."""
    opened = re.search(rf'"{re.escape(key)}"\s*:\s*\[', text)
    if opened is None:
        return 0
    decoder, position, count = json.JSONDecoder(), opened.end(), 0
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position == len(text) or text[position] == "]":
            return count
        try:
            _, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            return count
        count += 1


class Items:
    """What the reader got: each item, and when."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self.moments: list[Any] = []

    def __call__(self, item: Any) -> None:
        self.items.append(item)
        self.moments.append(moment())


async def read(exercise, model, key: str = "cities", into: Items | None = None, question: str = QUESTION) -> Items:
    got = into or Items()
    async for item in exercise.array_items(model, question, key):
        got(item)
    return got


def check_items(got: list[Any], expected: list[Any]) -> None:
    """Exactly the array's items, in order, each once."""
    for number, item in enumerate(got, start=1):
        if number > len(expected):
            raise AssertionError(t("day5_json.items_too_many", count=len(got), expected=len(expected)))
        if item != expected[number - 1]:
            repeated = item in got[: number - 1]
            raise AssertionError(t("day5_json.items_repeated" if repeated else "day5_json.items_unfinished", number=number, item=item))
    assert len(got) == len(expected), t("day5_json.items_missing", count=len(got), expected=len(expected))


@pytest.mark.task(1)
@pytest.mark.parametrize("chunking", CHUNKINGS)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_yields_each_item_whole_once_in_order(exercise, layout, chunking):
    """Yields exactly the array's items, each whole and once, in order, with keys before and after the array

    pt: Produz exatamente os itens do array, cada um inteiro e uma única vez, na ordem, com chaves antes e depois do array
    id: Menghasilkan persis item-item array, masing-masing utuh dan sekali saja, berurutan, dengan kunci sebelum dan sesudah array
    """
    model = FakeStreamingChatModel(rules={".*": ANSWER}, chunk_layout=layout, chunking=chunking)
    check_items((await read(exercise, model)).items, CITIES)


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_an_indented_answer_gives_the_same_items(exercise, layout):
    """JSON written over many lines with indentation, as models often write it, gives the same items

    pt: Um JSON escrito em várias linhas, com indentação, como os modelos costumam escrever, dá os mesmos itens
    id: JSON yang ditulis dalam banyak baris dengan indentasi, seperti yang sering ditulis model, menghasilkan item yang sama
    """
    model = FakeStreamingChatModel(responses=[json.dumps(ANSWER, indent=2, ensure_ascii=False)], chunk_layout=layout)
    check_items((await read(exercise, model)).items, CITIES)


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_any_key_and_an_empty_array(exercise, layout):
    """Reads the array of the key it is given, the last key of the object, and yields nothing for an empty one

    pt: Lê o array da chave que recebe, a última chave do objeto, e não produz nada para um array vazio
    id: Membaca array dari kunci yang diberikan, kunci terakhir objek, dan tidak menghasilkan apa pun untuk array kosong
    """
    stops = [{"stop": "Lapa", "minutes": 5}, {"stop": "Centro", "minutes": 12}]
    rules = {"line A": {"line": "A", "stops": stops}, ".*": {"stops": [], "line": "B"}}
    model = FakeStreamingChatModel(rules=rules, chunk_layout=layout)
    check_items((await read(exercise, model, key="stops", question="Which stops does line A make?")).items, stops)
    check_items((await read(exercise, model, key="stops", question="And line B?")).items, [])


@pytest.mark.task(2)
@pytest.mark.parametrize("chunking", ["words", 3])
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_each_item_comes_right_after_its_closing_chunk(exercise, due, first_late, layout, chunking):
    """Each item reaches the reader before the model writes the chunk after the one that closed it

    pt: Cada item chega ao leitor antes de o modelo escrever o chunk seguinte ao que o fechou
    id: Setiap item sampai ke pembaca sebelum model menulis chunk sesudah chunk yang menutupnya
    """
    got = Items()
    model = due(rules={".*": ANSWER}, chunk_layout=layout, chunking=chunking, time_to_first_token=0.05)
    model.until(lambda text: len(got.items) >= closed_items(text, "cities"))
    await read(exercise, model, into=got)
    check_items(got.items, CITIES)
    assert len(model.records) == 1, t("day5_json.items_model_twice", calls=len(model.records))
    late = first_late(model.record, got.moments, lambda text, n: n >= closed_items(text, "cities"))
    assert late is None, t("day5_json.items_late", chunk=late)


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_a_fenced_answer_gives_the_same_items(exercise, layout):
    """JSON after a sentence and inside a ```json fence, as chat models often write it, gives the same items

    pt: Um JSON depois de uma frase e dentro de um bloco ```json, como os modelos de chat costumam escrever, dá os mesmos itens
    id: JSON sesudah sebuah kalimat dan di dalam blok ```json, seperti yang sering ditulis model chat, menghasilkan item yang sama
    """
    model = FakeStreamingChatModel(rules={".*": ANSWER}, chunk_layout=layout, json_fault="fenced")
    try:
        got = await read(exercise, model)
    except NotImplementedError:
        raise
    except Exception as error:  # json.loads of a text that starts with a sentence
        raise AssertionError(t("day5_json.items_fenced")) from error
    check_items(got.items, CITIES)
