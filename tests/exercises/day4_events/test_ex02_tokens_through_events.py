"""Exercise 2: stream_tokens shows the model's tokens of a chain that does not stream, and returns its output.

The chains end in a plain function, or call the model from inside one, so ``astream()`` gives
one piece at the end; only the events carry the tokens while the model writes them. Liveness is
checked against a model that waits for each token to reach ``on_token``, by order of events.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, PacedProbe, Received, assert_incremental

#: Ends with a whitespace-only token ("\n"): text, unlike the empty chunks around it.
ANSWER = "A plain function at the end of a chain hides the stream, but not from the events.\n"
PROMPT = ChatPromptTemplate.from_template("Why use events with {what}?")
INPUTS = {"what": "plain functions"}


def summarise(text: str) -> dict[str, Any]:
    """A last step that needs the whole answer, as many real chains have."""
    return {"answer": text, "words": len(text.split())}


EXPECTED_OUTPUT = summarise(ANSWER)


def ending_in_a_function(model):
    return PROMPT | model | StrOutputParser() | RunnableLambda(summarise)


def calling_the_model_inside(model):
    """A step that calls the model itself: its tokens still appear as the model's events."""

    async def ask(prompt_value):
        message = await model.ainvoke(prompt_value)
        return summarise(message.text)

    return PROMPT | RunnableLambda(ask)


CHAINS = {"function_last": ending_in_a_function, "model_inside_a_step": calling_the_model_inside}


class TokenSink(Received):
    """``on_token`` for the student's code: every item it was given, stamped as it came."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Any] = []

    def __call__(self, item: Any) -> None:
        self.items.append(item)
        super().__call__(item)


async def run(exercise, layout: str = "openai", shape: str = "function_last", *, lockstep: bool = False):
    model = PacedProbe(responses=[ANSWER], chunk_layout=layout)
    sink = TokenSink()
    if lockstep:
        model.follow(sink)
    output = await exercise.stream_tokens(CHAINS[shape](model), INPUTS, sink)
    return model, sink, output


def assert_tokens(model: PacedProbe, sink: TokenSink) -> None:
    messages = [item for item in sink.items if hasattr(item, "content")]
    assert not messages, t("day4_events.token_not_text", kind=type(messages[0]).__name__ if messages else "")
    streamed = [chunk.text for chunk in model.record.chunks if chunk.text]
    assert sink.items == streamed, t("day4_events.model_tokens_mismatch")


@pytest.mark.task(1)
@pytest.mark.parametrize("shape", CHAINS)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_passes_every_model_token_on(exercise, layout, shape):
    """on_token gets the text of every chunk the model streams, in order, without the empty ones

    pt: on_token recebe o texto de cada chunk que o modelo envia, na ordem, sem os vazios
    id: on_token menerima teks dari setiap chunk yang dikirim model, berurutan, tanpa yang kosong
    """
    model, sink, _ = await run(exercise, layout, shape)
    assert_tokens(model, sink)


@pytest.mark.task(1)
@pytest.mark.parametrize("shape", CHAINS)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_tokens_arrive_before_the_model_ends(exercise, layout, shape):
    """Each token reaches on_token before the model writes the next one, long before the chain's output exists

    pt: Cada token chega a on_token antes de o modelo escrever o seguinte, bem antes de existir a saída da chain
    id: Setiap token sampai ke on_token sebelum model menulis token berikutnya, jauh sebelum output chain ada
    """
    model, sink, _ = await run(exercise, layout, shape, lockstep=True)
    assert_tokens(model, sink)
    try:
        assert_incremental(sink, model, every_chunk=True)
    except AssertionError:
        raise AssertionError(t("day4_events.tokens_late")) from None


@pytest.mark.task(2)
@pytest.mark.parametrize("shape", CHAINS)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_returns_the_chain_output(exercise, layout, shape):
    """Returns what the whole chain returns, from the same run, calling the model once

    pt: Devolve o que a chain inteira devolve, da mesma execução, chamando o modelo uma vez
    id: Mengembalikan apa yang dikembalikan seluruh chain, dari eksekusi yang sama, dengan satu panggilan model
    """
    model, _, output = await run(exercise, layout, shape)
    assert len(model.records) == 1, t("day4_events.chain_run_twice", calls=len(model.records))
    assert output == EXPECTED_OUTPUT, t("day4_events.wrong_output")


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_returns_the_whole_output_of_a_streaming_chain(exercise, layout):
    """On a chain that streams to its end, returns the whole output, not its last piece

    pt: Numa chain que faz streaming até o fim, devolve a saída inteira, não o último pedaço
    id: Pada chain yang streaming sampai akhir, mengembalikan seluruh output, bukan potongan terakhirnya
    """
    model = PacedProbe(responses=[ANSWER], chunk_layout=layout)
    sink = TokenSink()
    output = await exercise.stream_tokens(PROMPT | model | StrOutputParser(), INPUTS, sink)
    assert_tokens(model, sink)
    assert output == ANSWER, t("day4_events.wrong_output")
