"""Exercise 4: StreamMetrics' numbers match what was streamed, and when."""

from __future__ import annotations

import pytest

from coursekit.i18n import t
from coursekit.testing import ProbeModel

REPLY = "Users feel the first token; the rest is about speed."
PROMPT = "Measure me."
FIRST, BETWEEN = 0.5, 0.1


def measured(exercise, responses=(REPLY,), calls: int = 1):
    """Stream on the probe's virtual clock: every delay is known exactly and costs no real time."""
    probe = ProbeModel(
        responses=list(responses), streaming=True, virtual_time=True, time_to_first_token=FIRST, token_delay=BETWEEN
    )
    metrics = exercise.StreamMetrics(clock=probe.clock)
    answers = [probe.invoke(PROMPT, config={"callbacks": [metrics]}) for _ in range(calls)]
    return probe, metrics, answers[-1]


def text_chunks(probe: ProbeModel) -> int:
    return sum(1 for chunk in probe.record.chunks if chunk.text)


@pytest.mark.task(2)
def test_counts_the_tokens_the_model_reports(exercise):
    """Counts as many tokens as usage_metadata reports

    pt: Conta tantos tokens quanto o usage_metadata informa
    id: Menghitung token sebanyak yang dilaporkan usage_metadata
    """
    probe, metrics, answer = measured(exercise)
    usage = answer.usage_metadata["output_tokens"]
    assert metrics.tokens == text_chunks(probe) == usage, t(
        "day2_callbacks.token_count", counted=metrics.tokens, usage=usage
    )


@pytest.mark.task(2)
def test_time_to_first_token(exercise):
    """Measures the time to the first token

    pt: Mede o tempo até o primeiro token
    id: Mengukur waktu hingga token pertama
    """
    _, metrics, _ = measured(exercise)
    assert metrics.time_to_first_token == pytest.approx(FIRST), t(
        "day2_callbacks.ttft_wrong", expected=FIRST, got=metrics.time_to_first_token
    )


@pytest.mark.task(3)
def test_total_time(exercise):
    """Measures the total time, until on_llm_end

    pt: Mede o tempo total, até on_llm_end
    id: Mengukur total waktu, sampai on_llm_end
    """
    probe, metrics, _ = measured(exercise)
    total = FIRST + BETWEEN * text_chunks(probe)  # the empty last chunk comes one delay after the last token
    assert metrics.total_time == pytest.approx(total), t(
        "day2_callbacks.total_wrong", expected=total, got=metrics.total_time
    )


@pytest.mark.task(3)
def test_reads_output_tokens_from_usage(exercise):
    """Reads output_tokens from the answer's usage_metadata

    pt: Lê output_tokens do usage_metadata da resposta
    id: Membaca output_tokens dari usage_metadata jawaban
    """
    _, metrics, answer = measured(exercise)
    usage = answer.usage_metadata["output_tokens"]
    assert metrics.output_tokens == usage, t("day2_callbacks.usage_missing", usage=usage)


@pytest.mark.task(4)
def test_tokens_per_second(exercise):
    """tokens_per_second is tokens / total_time

    pt: tokens_per_second é tokens / total_time
    id: tokens_per_second sama dengan tokens / total_time
    """
    probe, metrics, _ = measured(exercise)
    expected = text_chunks(probe) / (FIRST + BETWEEN * text_chunks(probe))
    assert metrics.tokens_per_second == pytest.approx(expected), t("day2_callbacks.speed_wrong")


@pytest.mark.task(1)
def test_each_call_starts_from_zero(exercise):
    """A second call is measured on its own

    pt: Uma segunda chamada é medida à parte
    id: Pemanggilan kedua diukur tersendiri
    """
    _, metrics, answer = measured(exercise, responses=("one two three four five six", "seven eight"), calls=2)
    assert metrics.tokens == answer.usage_metadata["output_tokens"] == 2, t("day2_callbacks.not_reset")
    assert metrics.time_to_first_token == pytest.approx(FIRST), t("day2_callbacks.not_reset")
    assert metrics.total_time == pytest.approx(FIRST + 2 * BETWEEN), t("day2_callbacks.not_reset")


@pytest.mark.task(1)
def test_uses_the_real_clock_by_default(exercise):
    """Without a clock argument, measures real seconds

    pt: Sem o argumento clock, mede segundos de verdade
    id: Tanpa argumen clock, mengukur detik sungguhan
    """
    probe = ProbeModel(responses=[REPLY], streaming=True, time_to_first_token=0.05, token_delay=0.01)
    metrics = exercise.StreamMetrics()
    probe.invoke(PROMPT, config={"callbacks": [metrics]})
    assert 0.05 <= metrics.time_to_first_token <= metrics.total_time, t(
        "day2_callbacks.ttft_wrong", expected=0.05, got=metrics.time_to_first_token
    )
    assert metrics.tokens_per_second > 0, t("day2_callbacks.speed_wrong")
