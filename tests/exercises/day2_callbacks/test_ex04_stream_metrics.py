"""Exercise 4: StreamMetrics' numbers match what was streamed, and when."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, message_chunk_to_message
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, LLMResult

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, ProbeModel

REPLY = "Users feel the first token; the rest is about speed."
PROMPT = "Measure me."
FIRST, BETWEEN = 0.5, 0.1


def measured(exercise, responses=(REPLY,), calls: int = 1, layout: str = "openai"):
    """Stream on the probe's virtual clock: every delay is known exactly and costs no real time."""
    probe = ProbeModel(
        responses=list(responses),
        streaming=True,
        virtual_time=True,
        time_to_first_token=FIRST,
        token_delay=BETWEEN,
        chunk_layout=layout,
    )
    metrics = exercise.StreamMetrics(clock=probe.clock)
    answers = [probe.invoke(PROMPT, config={"callbacks": [metrics]}) for _ in range(calls)]
    return probe, metrics, answers[-1]


def text_chunks(probe: ProbeModel) -> int:
    return sum(1 for chunk in probe.record.chunks if chunk.text)


def reported(answer: AIMessage) -> int:
    """The model's own output count, or 0 when its stream reports no usage (ChatMaritaca's does not)."""
    return (answer.usage_metadata or {}).get("output_tokens", 0)


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_counts_the_text_tokens(exercise, layout):
    """Counts each non-empty token once, whichever provider's chunk layout

    pt: Conta cada token não vazio uma vez, seja qual for o formato de chunks do provedor
    id: Menghitung setiap token yang tidak kosong satu kali, apa pun susunan chunk dari provider-nya
    """
    probe, metrics, _ = measured(exercise, layout=layout)
    assert metrics.tokens == text_chunks(probe), t(
        "day2_callbacks.token_count", counted=metrics.tokens, streamed=text_chunks(probe)
    )


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_time_to_first_token(exercise, layout):
    """Measures the time to the first token, whichever provider's chunk layout

    pt: Mede o tempo até o primeiro token, seja qual for o formato de chunks do provedor
    id: Mengukur waktu hingga token pertama, apa pun susunan chunk dari provider-nya
    """
    _, metrics, _ = measured(exercise, layout=layout)
    assert metrics.time_to_first_token == pytest.approx(FIRST), t(
        "day2_callbacks.ttft_wrong", expected=FIRST, got=metrics.time_to_first_token
    )


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_total_time(exercise, layout):
    """Measures the total time, until on_llm_end

    pt: Mede o tempo total, até on_llm_end
    id: Mengukur total waktu, sampai on_llm_end
    """
    probe, metrics, _ = measured(exercise, layout=layout)
    total = FIRST + BETWEEN * text_chunks(probe)  # the closing chunks come one delay after the last token
    assert metrics.total_time == pytest.approx(total), t(
        "day2_callbacks.total_wrong", expected=total, got=metrics.total_time
    )


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_reads_output_tokens_from_usage(exercise, layout):
    """Reads output_tokens from the answer's usage_metadata, whichever provider (0 when it sends none)

    pt: Lê output_tokens do usage_metadata da resposta, seja qual for o provedor (0 quando ele não envia)
    id: Membaca output_tokens dari usage_metadata jawaban, apa pun provider-nya (0 kalau provider tidak mengirimnya)
    """
    metrics = exercise.StreamMetrics(clock=lambda: 0.0)
    for responses, chunk_layout in ((["Usage first."], "openai"), ([REPLY], layout)):  # one handler, two providers
        probe = ProbeModel(responses=responses, streaming=True, token_delay=0.0, chunk_layout=chunk_layout)
        answer = probe.invoke(PROMPT, config={"callbacks": [metrics]})
        assert metrics.output_tokens == reported(answer), t("day2_callbacks.usage_missing", usage=reported(answer))


@pytest.mark.task(3)
def test_output_tokens_is_the_models_own_count(exercise):
    """output_tokens is the model's count, even when it differs from the chunks

    pt: output_tokens é a contagem do modelo, mesmo quando difere do número de chunks
    id: output_tokens adalah hitungan model, walaupun berbeda dari jumlah chunk
    """
    usage = {"input_tokens": 3, "output_tokens": 5, "total_tokens": 8}
    chunks = [  # a provider may put several tokens in one chunk
        AIMessageChunk(content="Two"),
        AIMessageChunk(content=" chunks."),
        AIMessageChunk(content="", usage_metadata=usage, chunk_position="last"),
    ]
    metrics = exercise.StreamMetrics(clock=lambda: 0.0)
    metrics.on_chat_model_start({}, [[]])
    for chunk in chunks:
        metrics.on_llm_new_token(chunk.content, chunk=ChatGenerationChunk(message=chunk))
    answer = message_chunk_to_message(sum(chunks[1:], chunks[0]))
    metrics.on_llm_end(LLMResult(generations=[[ChatGeneration(message=answer)]]))
    assert metrics.output_tokens == 5, t("day2_callbacks.usage_missing", usage=5)


@pytest.mark.task(4)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_tokens_per_second(exercise, layout):
    """tokens_per_second is tokens / total_time

    pt: tokens_per_second é tokens / total_time
    id: tokens_per_second sama dengan tokens / total_time
    """
    probe, metrics, _ = measured(exercise, layout=layout)
    expected = text_chunks(probe) / (FIRST + BETWEEN * text_chunks(probe))
    assert metrics.tokens_per_second == pytest.approx(expected), t("day2_callbacks.speed_wrong")


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_each_call_starts_from_zero(exercise, layout):
    """A second call is measured on its own

    pt: Uma segunda chamada é medida à parte
    id: Pemanggilan kedua diukur tersendiri
    """
    replies = ("one two three four five six", "seven eight")
    _, metrics, answer = measured(exercise, responses=replies, calls=2, layout=layout)
    assert metrics.tokens == 2 and metrics.output_tokens == reported(answer), t("day2_callbacks.not_reset")
    assert metrics.time_to_first_token == pytest.approx(FIRST), t("day2_callbacks.not_reset")
    assert metrics.total_time == pytest.approx(FIRST + 2 * BETWEEN), t("day2_callbacks.not_reset")


@pytest.mark.task(1)
def test_uses_the_real_clock_by_default(exercise):
    """Without a clock argument, measures real seconds

    pt: Sem o argumento clock, mede segundos de verdade
    id: Tanpa argumen clock, mengukur detik sungguhan
    """
    probe = ProbeModel(responses=[REPLY], streaming=True, time_to_first_token=0.05, token_delay=0.002)
    metrics = exercise.StreamMetrics()
    probe.invoke(PROMPT, config={"callbacks": [metrics]})
    assert 0.05 <= metrics.time_to_first_token <= metrics.total_time, t(
        "day2_callbacks.ttft_wrong", expected=0.05, got=metrics.time_to_first_token
    )
    assert metrics.tokens_per_second > 0, t("day2_callbacks.speed_wrong")
