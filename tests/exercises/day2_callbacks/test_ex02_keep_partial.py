"""Exercise 2: PartialAnswer keeps the text and the error when the stream breaks."""

from __future__ import annotations

import pytest

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, ProbeModel, assert_partial_text_kept, expect_model_error

REPLY = "A dropped connection should not cost us the words that already arrived."
PROMPT = "Go on."


def streamed(exercise, **probe_options):
    """Stream the probe with the student's handler; an injected fault still reaches this caller."""
    probe = ProbeModel(responses=[REPLY], token_delay=0.0, **probe_options)
    answer = exercise.PartialAnswer()
    if probe.error_after is None:
        for _ in probe.stream(PROMPT, config={"callbacks": [answer]}):
            pass
    else:
        with expect_model_error(probe):  # the handler only observes the error; it cannot stop it
            for _ in probe.stream(PROMPT, config={"callbacks": [answer]}):
                pass
    return probe, answer


@pytest.mark.task(1)
def test_collects_the_whole_answer(exercise):
    """Collects the whole answer in text

    pt: Junta a resposta inteira em text
    id: Mengumpulkan seluruh jawaban di text
    """
    probe, answer = streamed(exercise)
    assert answer.text == probe.record.text == REPLY, t("day2_callbacks.tokens_mismatch")


@pytest.mark.task(2)
def test_finished_after_a_complete_answer(exercise):
    """finished is True after a complete answer, with no error

    pt: finished é True depois de uma resposta completa, sem erro
    id: finished bernilai True setelah jawaban lengkap, tanpa error
    """
    _, answer = streamed(exercise)
    assert answer.finished is True and answer.error is None, t("day2_callbacks.finished_flag")


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_not_finished_while_streaming(exercise, layout):
    """finished stays False until the answer is complete, whichever provider's chunk layout

    pt: finished continua False até a resposta ficar completa, seja qual for o formato de chunks do provedor
    id: finished tetap False sampai jawaban lengkap, apa pun susunan chunk dari provider-nya
    """
    probe = ProbeModel(responses=[REPLY], token_delay=0.0, chunk_layout=layout)
    answer = exercise.PartialAnswer()
    for _ in probe.stream(PROMPT, config={"callbacks": [answer]}):
        assert answer.finished is False, t("day2_callbacks.finished_flag")
    assert answer.finished is True, t("day2_callbacks.finished_flag")


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_keeps_the_error_of_a_broken_stream(exercise, layout):
    """Keeps the error when the stream breaks, and is not finished, whichever provider's chunk layout

    pt: Guarda o erro quando o stream falha, e finished continua False, seja qual for o formato de chunks do provedor
    id: Menyimpan error saat stream gagal, dan finished tetap False, apa pun susunan chunk dari provider-nya
    """
    probe, answer = streamed(exercise, error_after=3, chunk_layout=layout)
    assert answer.error is probe.record.error, t("day2_callbacks.error_not_kept")
    assert answer.finished is False, t("day2_callbacks.finished_flag")


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
@pytest.mark.parametrize("error_after", [1, 4])
def test_keeps_the_partial_text(exercise, error_after, layout):
    """Keeps the text that arrived before the failure

    pt: Guarda o texto que chegou antes da falha
    id: Menyimpan teks yang sudah tiba sebelum kegagalan
    """
    probe, answer = streamed(exercise, error_after=error_after, chunk_layout=layout)
    assert_partial_text_kept(answer.text, probe)
    assert answer.text == probe.record.text, t("day2_callbacks.tokens_mismatch")


@pytest.mark.task(3)
async def test_works_in_async_code(exercise):
    """Works the same with ainvoke() on a streaming model

    pt: Funciona do mesmo jeito com ainvoke() num modelo com streaming
    id: Bekerja sama saja dengan ainvoke() pada model yang melakukan streaming
    """
    probe = ProbeModel(responses=[REPLY], streaming=True, token_delay=0.0, error_after=5)
    answer = exercise.PartialAnswer()
    with expect_model_error(probe):
        await probe.ainvoke(PROMPT, config={"callbacks": [answer]})
    assert answer.error is probe.record.error, t("day2_callbacks.error_not_kept")
    assert_partial_text_kept(answer.text, probe)
