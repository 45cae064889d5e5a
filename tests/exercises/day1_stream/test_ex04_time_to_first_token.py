"""Exercise 4: time_stream measures the time to first token and the total time."""

from __future__ import annotations

import pytest

from coursekit.i18n import t
from coursekit.testing import ProbeModel

ANSWER = "Latency is the wait before the first word; throughput is how fast the rest follows."
PROMPT = "What is latency?"
# (seconds before the first token, seconds between tokens), in the model's virtual time.
PACINGS = [(0.8, 0.05), (0.1, 0.3)]


def timed(exercise, first: float, between: float):
    """The student's timing of a probe whose delays pass on its virtual clock, instantly."""
    probe = ProbeModel(responses=[ANSWER], virtual_time=True, time_to_first_token=first, token_delay=between)
    return probe, exercise.time_stream(probe, PROMPT, clock=probe.clock)


@pytest.mark.task(1)
def test_returns_the_whole_answer(exercise):
    """Returns the whole answer

    pt: Devolve a resposta inteira
    id: Mengembalikan seluruh jawaban
    """
    probe, timing = timed(exercise, *PACINGS[0])
    assert timing.text == probe.record.text == ANSWER, t("day1_stream.wrong_text")


@pytest.mark.task(2)
@pytest.mark.parametrize("first, between", PACINGS)
def test_time_to_first_token(exercise, first, between):
    """Measures the time to the first token

    pt: Mede o tempo até o primeiro token
    id: Mengukur waktu hingga token pertama
    """
    probe, timing = timed(exercise, first, between)
    record = probe.record
    first_text = next(chunk for chunk in record.chunks if chunk.text)
    expected = first_text.at - record.started.at
    assert timing.first_token == pytest.approx(expected), t("day1_stream.first_token")


@pytest.mark.task(3)
@pytest.mark.parametrize("first, between", PACINGS)
def test_total_time(exercise, first, between):
    """Measures the total time until the stream is over

    pt: Mede o tempo total até o fim do stream
    id: Mengukur total waktu sampai stream selesai
    """
    probe, timing = timed(exercise, first, between)
    record = probe.record
    expected = record.ended.at - record.started.at
    assert timing.total == pytest.approx(expected), t("day1_stream.total_time")


@pytest.mark.task(2)
def test_a_silent_answer_has_no_first_token(exercise):
    """An answer with no text has no first token

    pt: Uma resposta sem texto não tem primeiro token
    id: Jawaban tanpa teks tidak punya token pertama
    """
    probe = ProbeModel(responses=[""], virtual_time=True, time_to_first_token=0.4)
    timing = exercise.time_stream(probe, PROMPT, clock=probe.clock)
    assert timing.text == "" and timing.first_token is None, t("day1_stream.silent_answer")
    assert timing.total == pytest.approx(0.4), t("day1_stream.total_time")


@pytest.mark.task(3)
def test_uses_the_real_clock_by_default(exercise):
    """Without a clock argument, measures real seconds

    pt: Sem o argumento clock, mede segundos de verdade
    id: Tanpa argumen clock, mengukur detik sungguhan
    """
    probe = ProbeModel(responses=[ANSWER], time_to_first_token=0.05, token_delay=0.01)
    timing = exercise.time_stream(probe, PROMPT)
    later_gaps = 0.01 * (len(probe.record.chunks) - 1)  # sleeps after the first chunk: lower bounds
    assert timing.first_token is not None and timing.first_token >= 0.05, t("day1_stream.first_token")
    assert timing.total >= timing.first_token + later_gaps, t("day1_stream.total_time")
