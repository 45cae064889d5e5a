"""Exercise 3: tokens_of keeps the tokens of the model run with a given run_name, and only those.

The chain drafts with one model and improves the draft with another, each followed by a parser,
so the chain's stream, the parsers' stream events and the models' class names all mix the two;
only the run name tells them apart. Both orders are asked for (the final model's and the
draft's), with two models and with one model named twice, on every chunk layout.
"""

from __future__ import annotations

import pytest
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, PacedProbe, Received, assert_incremental

DRAFT = "Streaming helps, maybe, because people see text sooner.\n"
FINAL = "Streaming shows the first words within a second, so the wait feels short.\n"
DRAFT_PROMPT = ChatPromptTemplate.from_template("Draft an answer: {question}")
FINAL_PROMPT = ChatPromptTemplate.from_template("Improve this draft: {draft}")
INPUTS = {"question": "Why stream an answer?"}
#: One model can play both parts: it answers the improving prompt with the final text.
RULES = {"Improve this draft": FINAL, "Draft an answer": DRAFT}


def pipeline(draft_model, final_model, *, names=("draft", "final"), ends_in_a_function=False):
    draft_name, final_name = names
    chain = (
        DRAFT_PROMPT
        | draft_model.with_config(run_name=draft_name)
        | StrOutputParser()
        | RunnableLambda(lambda draft: {"draft": draft})
        | FINAL_PROMPT
        | final_model.with_config(run_name=final_name)
        | StrOutputParser()
    )
    if ends_in_a_function:
        chain = chain | RunnableLambda(lambda answer: {"answer": answer, "words": len(answer.split())})
    return chain


def texts(model: PacedProbe, call: int = -1) -> list[str]:
    """The non-empty chunks one call of the model streamed."""
    return [chunk.text for chunk in model.records[call].chunks if chunk.text]


async def collected(exercise, chain, run_name: str) -> list:
    return [text async for text in exercise.tokens_of(chain, INPUTS, run_name)]


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_yields_only_the_final_models_tokens(exercise, layout):
    """Yields every token of the model named "final", in order, and none of the draft's

    pt: Produz cada token do modelo chamado "final", na ordem, e nenhum do rascunho
    id: Menghasilkan setiap token dari model bernama "final", berurutan, dan tidak satu pun dari draft
    """
    draft, final = PacedProbe(responses=[DRAFT], chunk_layout=layout), PacedProbe(responses=[FINAL], chunk_layout=layout)
    got = await collected(exercise, pipeline(draft, final), "final")
    assert got == texts(final), t("day4_events.named_tokens_mismatch", name="final")


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_one_model_named_twice(exercise, layout):
    """The same model used for both steps: only the run name tells the two runs apart

    pt: O mesmo modelo usado nos dois passos: só o nome da execução distingue as duas
    id: Model yang sama dipakai di kedua langkah: hanya nama run yang membedakan keduanya
    """
    model = PacedProbe(rules=RULES, chunk_layout=layout)
    got = await collected(exercise, pipeline(model, model, names=("writer", "editor")), "editor")
    assert got == texts(model, 1), t("day4_events.named_tokens_mismatch", name="editor")


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_can_pick_the_draft_instead(exercise, layout):
    """Asked for the draft's run name, yields only the draft's tokens, though it is not the last model

    pt: Quando se pede o nome da execução do rascunho, produz só os tokens dele, embora não seja o último modelo
    id: Jika yang diminta nama run draft, hanya token draft yang dihasilkan, walaupun bukan model terakhir
    """
    draft, final = PacedProbe(responses=[DRAFT], chunk_layout=layout), PacedProbe(responses=[FINAL], chunk_layout=layout)
    got = await collected(exercise, pipeline(draft, final), "draft")
    assert got == texts(draft), t("day4_events.named_tokens_mismatch", name="draft")


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_works_when_the_chain_ends_in_a_function(exercise, layout):
    """Still yields the final model's tokens when a plain function comes after it

    pt: Continua produzindo os tokens do modelo final quando uma função comum vem depois dele
    id: Tetap menghasilkan token model final ketika ada fungsi biasa sesudahnya
    """
    draft, final = PacedProbe(responses=[DRAFT], chunk_layout=layout), PacedProbe(responses=[FINAL], chunk_layout=layout)
    got = await collected(exercise, pipeline(draft, final, ends_in_a_function=True), "final")
    assert got == texts(final), t("day4_events.named_tokens_mismatch", name="final")


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_final_tokens_arrive_as_they_are_written(exercise, layout):
    """Each final token reaches the reader before the final model writes the next one

    pt: Cada token final chega ao leitor antes de o modelo final escrever o seguinte
    id: Setiap token final sampai ke pembaca sebelum model final menulis token berikutnya
    """
    draft, final = PacedProbe(responses=[DRAFT], chunk_layout=layout), PacedProbe(responses=[FINAL], chunk_layout=layout)
    received = Received()
    final.follow(received)
    async for _ in received.track_async(exercise.tokens_of(pipeline(draft, final, ends_in_a_function=True), INPUTS, "final")):
        pass
    assert received.text == FINAL, t("day4_events.named_tokens_mismatch", name="final")
    try:
        assert_incremental(received, final, every_chunk=True)
    except AssertionError:
        raise AssertionError(t("day4_events.tokens_late")) from None
