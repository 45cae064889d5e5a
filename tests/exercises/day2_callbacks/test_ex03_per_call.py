"""Exercise 3: per-call callbacks reach every step of a chain, and only that call, while requests run at once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, ProbeModel, assert_streams_overlap

#: One reply per topic, of different lengths, so tokens of two requests cannot pass for one another.
REPLIES = {
    "rivers": "Rivers carry the rain back to the sea, one bend at a time.",
    "tides": "The moon pulls the oceans, and the tides follow it.",
    "volcanoes": "Volcanoes let molten rock out.\n\nThen it cools.",
}
TOPICS = list(REPLIES)
REQUESTS = [{"topic": topic} for topic in TOPICS]
#: Asked by someone else, through the same chain, while the student's requests run.
OTHER_TOPIC, OTHER_REPLY = "glaciers", "Glaciers are rivers of ice that flow very slowly."
#: Seconds between chunks: short, yet long enough for concurrent streams to interleave.
BETWEEN = 0.005


def make_probe(layout: str = "openai") -> ProbeModel:
    return ProbeModel(rules={**REPLIES, OTHER_TOPIC: OTHER_REPLY}, token_delay=BETWEEN, chunk_layout=layout)


def text_chain(probe: ProbeModel):
    return ChatPromptTemplate.from_template("Tell me about {topic}.") | probe | StrOutputParser()


def word_count_chain(probe: ProbeModel):
    """A chain whose output is not the model's text: only a handler sees the tokens inside it."""
    return text_chain(probe) | RunnableLambda(lambda text: len(text.split()))


def streamed(probe: ProbeModel, reply: str) -> list[str]:
    """The non-empty chunks the probe streamed for ``reply``."""
    return next(([c.text for c in r.chunks if c.text] for r in probe.records if r.text == reply), [])


def assert_tokens_per_request(result: Any, probe: ProbeModel, *, calls: int) -> None:
    """One model call per request, and each request's list holds exactly its own answer's tokens."""
    assert len(probe.records) == calls, t(
        "day2_callbacks.model_calls_per_request", calls=len(probe.records), requests=calls
    )
    result = [list(tokens) for tokens in result]
    expected = [streamed(probe, REPLIES[topic]) for topic in TOPICS]
    assert any(result), t("day2_callbacks.no_tokens_per_call")
    assert result == expected, t("day2_callbacks.tokens_mixed")


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_token_log_keeps_every_token(exercise, layout):
    """TokenLog keeps every non-empty token of the chat model, whichever provider's chunk layout

    pt: TokenLog guarda cada token não vazio do chat model, seja qual for o formato de chunks do provedor
    id: TokenLog menyimpan setiap token yang tidak kosong dari chat model, apa pun susunan chunk dari provider-nya
    """
    probe = make_probe(layout)
    log = exercise.TokenLog()
    for _ in text_chain(probe).stream(REQUESTS[-1], config={"callbacks": [log]}):
        pass
    assert log.tokens == streamed(probe, REPLIES[TOPICS[-1]]), t("day2_callbacks.tokens_mismatch")


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_returns_each_requests_own_tokens(exercise, layout):
    """Returns each request's own tokens, in the order of the requests, whichever provider's chunk layout

    pt: Devolve os tokens de cada requisição, na ordem das requisições, seja qual for o formato de chunks do provedor
    id: Mengembalikan token milik setiap permintaan, sesuai urutan permintaan, apa pun susunan chunk dari provider-nya
    """
    probe = make_probe(layout)
    result = await exercise.tokens_per_request(text_chain(probe), REQUESTS)
    assert_tokens_per_request(result, probe, calls=len(REQUESTS))


@pytest.mark.task(2)
async def test_tokens_come_from_the_model_inside_the_chain(exercise):
    """Takes the tokens from the chat model inside the chain, even when the chain ends in a word count

    pt: Pega os tokens do chat model dentro da chain, mesmo quando a chain termina numa contagem de palavras
    id: Mengambil token dari chat model di dalam chain, bahkan ketika chain-nya berakhir dengan hitungan kata
    """
    probe = make_probe()
    result = await exercise.tokens_per_request(word_count_chain(probe), REQUESTS)
    pieces = [piece for tokens in result for piece in tokens]
    assert all(isinstance(piece, str) for piece in pieces), t("day2_callbacks.tokens_from_the_output")
    assert_tokens_per_request(result, probe, calls=len(REQUESTS))


@pytest.mark.task(3)
async def test_requests_stream_at_the_same_time(exercise):
    """Streams the requests at the same time, not one after the other

    pt: Faz o stream das requisições ao mesmo tempo, não uma depois da outra
    id: Menjalankan stream semua permintaan secara bersamaan, bukan satu per satu
    """
    probe = make_probe()
    await exercise.tokens_per_request(text_chain(probe), REQUESTS)
    assert_streams_overlap(probe, count=len(REQUESTS))


@pytest.mark.task(4)
async def test_other_calls_of_the_chain_reach_none_of_the_logs(exercise):
    """Another call of the same chain, at the same time or later, reaches none of the request logs

    pt: Outra chamada da mesma chain, ao mesmo tempo ou depois, não chega a nenhum dos logs das requisições
    id: Pemanggilan lain pada chain yang sama, bersamaan atau sesudahnya, tidak sampai ke log permintaan mana pun
    """
    probe = make_probe()
    chain = text_chain(probe)

    async def someone_else() -> None:
        async for _ in chain.astream({"topic": OTHER_TOPIC}):
            pass

    result, _ = await asyncio.gather(exercise.tokens_per_request(chain, REQUESTS), someone_else())
    seen = [list(tokens) for tokens in result]
    await chain.ainvoke({"topic": OTHER_TOPIC})
    async for _ in chain.astream({"topic": OTHER_TOPIC}):
        pass
    others = set(streamed(probe, OTHER_REPLY)) - {token for reply in REPLIES.values() for token in streamed(probe, reply)}
    leaked = others & {token for tokens in result for token in tokens}
    assert not leaked and [list(tokens) for tokens in result] == seen, t("day2_callbacks.callbacks_leaked")
    assert_tokens_per_request(seen, probe, calls=len(REQUESTS) + 3)
