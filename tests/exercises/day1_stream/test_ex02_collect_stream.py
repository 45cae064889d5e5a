"""Exercise 2: collect_stream adds the chunks up into text, finish reason and usage.

Every test runs on each chunk layout, because providers spread the metadata differently:
ChatOpenAI sends the finish reason on one chunk, the usage on the next and closes with an empty
chunk; ChatMaritaca sends no usage at all. Only the sum of the chunks (or reading each value from
whichever chunk carries it) is right on all of them.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, ProbeModel

ANSWERS = {
    "moon": "The Moon moves about 3.8 cm farther from Earth every year.\n",
    "bread": "Bread rises because yeast turns sugar into gas.",
}
PROMPTS = ["Tell me about the moon.", "How does bread rise?"]


class GetWeather(BaseModel):
    """Current weather in a city."""

    city: str


def probe(layout: str, **fields) -> ProbeModel:
    return ProbeModel(rules=ANSWERS, chunk_layout=layout, time_to_first_token=0.005, token_delay=0, **fields)


def with_tools(model: ProbeModel):
    return model.bind_tools([GetWeather], tool_choice="GetWeather")


def carried(model, prompt: str, key: str) -> list:
    """The values of ``key`` the raw chunks carry: the reference, whichever chunks carry them."""
    values = []
    for chunk in model.stream(prompt):
        value = chunk.usage_metadata if key == "usage" else chunk.response_metadata.get(key)
        if value is not None:
            values.append(value)
    return values


@pytest.mark.task(1)
@pytest.mark.parametrize("chunking", ["words", "chars"])
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_text_is_the_whole_answer(exercise, layout, chunking):
    """The text is the whole answer, exactly as streamed

    pt: O texto é a resposta inteira, exatamente como veio no stream
    id: Teksnya adalah seluruh jawaban, persis seperti yang dikirim stream
    """
    model = probe(layout, chunking=chunking)
    text, _, _ = exercise.collect_stream(model, PROMPTS[0])
    assert text == model.record.text == ANSWERS["moon"], t("day1_stream.collected_text")


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_finish_reason_comes_from_the_stream(exercise, layout):
    """The finish reason is the one the stream reported, wherever it came

    pt: O motivo de término é o que o stream informou, em qualquer chunk que tenha vindo
    id: Alasan selesai (finish reason) adalah yang dilaporkan stream, di chunk mana pun datangnya
    """
    assert carried(probe(layout), PROMPTS[1], "finish_reason") == ["stop"]
    _, finish_reason, _ = exercise.collect_stream(probe(layout), PROMPTS[1])
    assert finish_reason == "stop", t("day1_stream.finish_reason")

    assert carried(with_tools(probe(layout)), "Weather in Recife?", "finish_reason") == ["tool_calls"]
    text, finish_reason, _ = exercise.collect_stream(with_tools(probe(layout)), "Weather in Recife?")
    assert finish_reason == "tool_calls", t("day1_stream.finish_reason")
    assert text == "", t("day1_stream.collected_text")


@pytest.mark.task(3)
@pytest.mark.parametrize("prompt", PROMPTS)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_usage_is_the_token_count_of_the_call(exercise, layout, prompt):
    """The usage is the token count the stream reported, or None when it reported none

    pt: O uso é a contagem de tokens que o stream informou, ou None quando não informou nenhuma
    id: Pemakaiannya adalah jumlah token yang dilaporkan stream, atau None kalau stream tidak melaporkannya
    """
    reported = carried(probe(layout), prompt, "usage")
    assert len(reported) <= 1  # one chunk at most carries usage: the reference is that chunk's
    expected = dict(reported[0]) if reported else None
    if layout != "maritaca":  # the reference must be a real count where the layout sends one
        assert expected is not None and expected["total_tokens"] > 0
    _, _, usage = exercise.collect_stream(probe(layout), prompt)
    assert (None if usage is None else dict(usage)) == expected, t("day1_stream.usage")


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_streams_the_answer_only_once(exercise, layout):
    """Calls model.stream() once, and not invoke()

    pt: Chama model.stream() uma única vez, e não invoke()
    id: Memanggil model.stream() satu kali saja, bukan invoke()
    """
    model = probe(layout)
    exercise.collect_stream(model, PROMPTS[0])
    assert [record.via for record in model.records] == ["stream"], t("day1_stream.one_stream")
