"""Exercise 2: collect_stream adds the chunks up into text, finish reason and usage."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from coursekit.i18n import t
from coursekit.testing import ProbeModel

ANSWERS = {
    "moon": "The Moon moves about 3.8 cm farther from Earth every year.",
    "bread": "Bread rises because yeast turns sugar into gas.",
}


class GetWeather(BaseModel):
    """Current weather in a city."""

    city: str


def probe(**fields) -> ProbeModel:
    return ProbeModel(rules=ANSWERS, token_delay=0.005, **fields)


def expected(model, prompt: str):
    """What invoke() returns for the same question: the reference the sum of chunks must match."""
    message = model.invoke(prompt)
    return message.text, message.response_metadata.get("finish_reason"), message.usage_metadata


@pytest.mark.task(1)
@pytest.mark.parametrize("chunking", ["words", "chars"])
def test_text_is_the_whole_answer(exercise, chunking):
    """The text is the whole answer, exactly as streamed

    pt: O texto é a resposta inteira, exatamente como veio no stream
    id: Teksnya adalah seluruh jawaban, persis seperti yang dikirim stream
    """
    model = probe(chunking=chunking)
    text, _, _ = exercise.collect_stream(model, "Tell me about the moon.")
    assert text == model.record.text == ANSWERS["moon"], t("day1_stream.collected_text")


@pytest.mark.task(2)
def test_finish_reason_comes_from_the_stream(exercise):
    """The finish reason comes from the end of the stream

    pt: O motivo de término vem do fim do stream
    id: Alasan selesai (finish reason) diambil dari akhir stream
    """
    _, finish_reason, _ = exercise.collect_stream(probe(), "How does bread rise?")
    assert finish_reason == expected(probe(), "How does bread rise?")[1] == "stop", t("day1_stream.finish_reason")

    tools_model = probe().bind_tools([GetWeather], tool_choice="GetWeather")
    text, finish_reason, _ = exercise.collect_stream(tools_model, "Weather in Recife?")
    assert finish_reason == "tool_calls", t("day1_stream.finish_reason")
    assert text == "", t("day1_stream.collected_text")


@pytest.mark.task(3)
@pytest.mark.parametrize("prompt", ["Tell me about the moon.", "How does bread rise?"])
def test_usage_is_the_token_count_of_the_call(exercise, prompt):
    """The usage is the token count the model reported

    pt: O uso é a contagem de tokens que o modelo informou
    id: Pemakaiannya adalah jumlah token yang dilaporkan model
    """
    _, _, usage = exercise.collect_stream(probe(), prompt)
    reference = expected(probe(), prompt)[2]
    assert usage is not None and dict(usage) == dict(reference), t("day1_stream.usage")


@pytest.mark.task(1)
def test_streams_the_answer_only_once(exercise):
    """Calls model.stream() once, and not invoke()

    pt: Chama model.stream() uma única vez, e não invoke()
    id: Memanggil model.stream() satu kali saja, bukan invoke()
    """
    model = probe()
    exercise.collect_stream(model, "Tell me about the moon.")
    assert [record.via for record in model.records] == ["stream"], t("day1_stream.one_stream")
