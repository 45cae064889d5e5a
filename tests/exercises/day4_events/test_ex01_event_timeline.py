"""Exercise 1: the (event, name) timeline of prompt | model | parser, recorded live and predicted exactly.

The expected order is written out below from the v2 schema, and every check runs on each
provider's chunk layout: the empty chunks that open and close a stream flow through the whole
chain like text, so their events belong in the timeline too. Liveness is checked by order of
events against a model that waits for the reader, never by timings.
"""

from __future__ import annotations

import pytest
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, PacedProbe, Received, assert_incremental

#: Ends with a whitespace-only token ("\n"): text, unlike the empty chunks around it.
ANSWER = "Events show every step of a chain while it runs.\n"
PROMPT = ChatPromptTemplate.from_template("Tell me about {topic}.")
INPUTS = {"topic": "events"}
CHUNKINGS = ["words", 7]


def expected_timeline(model_name: str, chunks: int) -> list[tuple[str, str]]:
    """What astream_events(version="v2") emits for PROMPT | model | StrOutputParser()."""
    flowing = [("on_parser_stream", "StrOutputParser"), ("on_chain_stream", "RunnableSequence")]
    events = [
        ("on_chain_start", "RunnableSequence"),
        ("on_prompt_start", "ChatPromptTemplate"),
        ("on_prompt_end", "ChatPromptTemplate"),
        ("on_chat_model_start", model_name),
    ]
    for number in range(chunks):
        events.append(("on_chat_model_stream", model_name))
        if number == 0:  # the parser's run starts when the first chunk reaches it
            events.append(("on_parser_start", "StrOutputParser"))
        events += flowing
    return events + [
        ("on_chat_model_end", model_name),
        ("on_parser_end", "StrOutputParser"),
        ("on_chain_end", "RunnableSequence"),
    ]


def difference(expected: list[tuple[str, str]], got: list) -> dict[str, object]:
    """Where two timelines part, for a message that points at the first wrong event."""
    position = next((i for i, (want, have) in enumerate(zip(expected, got)) if tuple(have) != want), min(len(expected), len(got)))
    return {
        "position": position + 1,
        "expected": expected[position] if position < len(expected) else "(the end)",
        "got": tuple(got[position]) if position < len(got) else "(the end)",
    }


def probe(layout: str = "openai", chunking: str | int = "words") -> PacedProbe:
    return PacedProbe(responses=[ANSWER], chunk_layout=layout, chunking=chunking)


async def recorded(exercise, chain) -> list:
    return [pair async for pair in exercise.timeline(chain, INPUTS)]


@pytest.mark.task(1)
@pytest.mark.parametrize("chunking", CHUNKINGS)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_records_every_event_in_order(exercise, layout, chunking):
    """Records every event of prompt | model | parser as (event, name), in the exact order of the v2 schema

    pt: Registra cada evento de prompt | model | parser como (event, name), na ordem exata do esquema v2
    id: Mencatat setiap event dari prompt | model | parser sebagai (event, name), persis sesuai urutan skema v2
    """
    model = probe(layout, chunking)
    got = await recorded(exercise, PROMPT | model | StrOutputParser())
    expected = expected_timeline(type(model).__name__, len(model.record.chunks))
    assert [tuple(pair) for pair in got] == expected, t("day4_events.timeline_mismatch", **difference(expected, got))


@pytest.mark.task(1)
async def test_names_come_from_run_name(exercise):
    """A model renamed with with_config(run_name=...) appears under its new name

    pt: Um modelo renomeado com with_config(run_name=...) aparece com o novo nome
    id: Model yang diberi nama baru dengan with_config(run_name=...) muncul dengan nama barunya
    """
    model = probe("maritaca")
    got = await recorded(exercise, PROMPT | model.with_config(run_name="writer") | StrOutputParser())
    expected = expected_timeline("writer", len(model.record.chunks))
    assert [tuple(pair) for pair in got] == expected, t("day4_events.timeline_mismatch", **difference(expected, got))


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_yields_each_event_as_it_arrives(exercise, layout):
    """Each of the model's stream events reaches the reader before the model writes its next chunk

    pt: Cada evento de stream do modelo chega ao leitor antes de o modelo escrever o chunk seguinte
    id: Setiap event stream dari model sampai ke pembaca sebelum model menulis chunk berikutnya
    """
    model = probe(layout)
    seen = Received()  # one update per model stream event that carried text
    model.follow(seen)
    streamed = 0
    async for pair in exercise.timeline(PROMPT | model | StrOutputParser(), INPUTS):
        if tuple(pair)[:1] == ("on_chat_model_stream",):
            chunk = model.record.chunks[streamed] if streamed < len(model.record.chunks) else None
            streamed += 1
            if chunk is not None and chunk.text:
                seen(chunk.text)
    assert seen.text == ANSWER, t("day4_events.timeline_no_model_stream")
    try:
        assert_incremental(seen, model, every_chunk=True)
    except AssertionError:
        raise AssertionError(t("day4_events.timeline_buffered")) from None


@pytest.mark.task(3)
@pytest.mark.parametrize("chunks", [1, 2, 5, 8])
def test_predicts_the_timeline(exercise, chunks):
    """Predicts the whole timeline for a model that streams a given number of chunks

    pt: Prevê a linha do tempo inteira para um modelo que envia um dado número de chunks
    id: Memprediksi seluruh linimasa untuk model yang mengirim sejumlah chunk tertentu
    """
    got = exercise.predicted_timeline("ProbeModel", chunks)
    expected = expected_timeline("ProbeModel", chunks)
    assert [tuple(pair) for pair in got] == expected, t("day4_events.prediction_mismatch", **difference(expected, got))


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_prediction_matches_a_real_run(exercise, layout):
    """The prediction matches what a real run emits, counting the empty chunks of each provider

    pt: A previsão bate com o que uma execução real emite, contando os chunks vazios de cada provedor
    id: Prediksinya cocok dengan yang dikeluarkan eksekusi sungguhan, termasuk chunk kosong dari tiap provider
    """
    model = probe(layout)
    chain = PROMPT | model.with_config(run_name="answerer") | StrOutputParser()
    real = [(event["event"], event["name"]) async for event in chain.astream_events(INPUTS, version="v2")]
    got = exercise.predicted_timeline("answerer", len(model.record.chunks))
    assert [tuple(pair) for pair in got] == real, t("day4_events.prediction_mismatch", **difference(real, got))
