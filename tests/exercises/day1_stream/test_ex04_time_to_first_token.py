"""Exercise 4: time_stream measures the time to first token and the total time.

The probe runs on virtual time, so the expected numbers are exact and instant; each timing test
runs on every chunk layout, because providers open the stream with an empty chunk that is not
the first token, and close it with chunks that still belong to the total.
"""

from __future__ import annotations

import pytest

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, ProbeModel

ANSWER = "Latency is the wait before the first word; throughput is how fast the rest follows."
PROMPT = "What is latency?"
# (seconds before the first token, seconds between tokens), in the model's virtual time. A first
# token at 0.0 s is a real measurement (falsy, not missing), which `if not first_token:` loses.
PACINGS = [(0.8, 0.05), (0.1, 0.3), (0.0, 0.2)]


def timed(exercise, first: float, between: float, layout: str = "openai", answer: str = ANSWER, **fields):
    """The student's timing of a probe whose delays pass on its virtual clock, instantly."""
    probe = ProbeModel(
        responses=[answer],
        virtual_time=True,
        time_to_first_token=first,
        token_delay=between,
        chunk_layout=layout,
        **fields,
    )
    return probe, exercise.time_stream(probe, PROMPT, clock=probe.clock)


def first_text_after_start(probe: ProbeModel) -> float:
    record = probe.record
    return next(chunk for chunk in record.chunks if chunk.text).at - record.started.at


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_returns_the_whole_answer(exercise, layout):
    """Returns the whole answer

    pt: Devolve a resposta inteira
    id: Mengembalikan seluruh jawaban
    """
    probe, timing = timed(exercise, *PACINGS[0], layout=layout)
    assert timing.text == probe.record.text == ANSWER, t("day1_stream.wrong_text")


@pytest.mark.task(1)
def test_streams_the_answer_once(exercise):
    """Streams the answer once, and times that same stream

    pt: Faz o stream da resposta uma única vez e mede esse mesmo stream
    id: Melakukan stream jawaban satu kali saja, dan mengukur stream yang sama itu
    """
    probe, _ = timed(exercise, *PACINGS[0])
    assert [record.via for record in probe.records] == ["stream"], t("day1_stream.one_call")


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
@pytest.mark.parametrize("first, between", PACINGS)
def test_time_to_first_token(exercise, first, between, layout):
    """Measures the time to the first token

    pt: Mede o tempo até o primeiro token
    id: Mengukur waktu hingga token pertama
    """
    probe, timing = timed(exercise, first, between, layout)
    assert timing.first_token == pytest.approx(first_text_after_start(probe)), t("day1_stream.first_token")


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_a_line_break_is_a_first_token(exercise, layout):
    """A chunk of whitespace, such as a line break, is the first token too

    pt: Um chunk só de espaço em branco, como uma quebra de linha, também conta como primeiro token
    id: Chunk yang hanya berisi spasi atau baris baru juga terhitung sebagai token pertama
    """
    answer = "\n\n" + ANSWER
    probe, timing = timed(exercise, 0.2, 0.1, layout, answer=answer, chunking="chars")
    assert timing.text == probe.record.text == answer, t("day1_stream.wrong_text")
    assert timing.first_token == pytest.approx(first_text_after_start(probe)), t("day1_stream.first_token")


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
@pytest.mark.parametrize("first, between", PACINGS)
def test_total_time(exercise, first, between, layout):
    """Measures the total time until the stream is over

    pt: Mede o tempo total até o fim do stream
    id: Mengukur total waktu sampai stream selesai
    """
    probe, timing = timed(exercise, first, between, layout)
    record = probe.record
    assert timing.total == pytest.approx(record.ended.at - record.started.at), t("day1_stream.total_time")


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_a_silent_answer_has_no_first_token(exercise, layout):
    """An answer with no text has no first token

    pt: Uma resposta sem texto não tem primeiro token
    id: Jawaban tanpa teks tidak punya token pertama
    """
    probe, timing = timed(exercise, 0.4, 0.1, layout, answer="")
    assert timing.text == "" and timing.first_token is None, t("day1_stream.silent_answer")
    assert timing.total == pytest.approx(0.4), t("day1_stream.total_time")


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_uses_the_real_clock_by_default(exercise, layout):
    """Without a clock argument, measures real seconds

    pt: Sem o argumento clock, mede segundos de verdade
    id: Tanpa argumen clock, mengukur detik sungguhan
    """
    probe = ProbeModel(responses=[ANSWER], time_to_first_token=0.03, token_delay=0.002, chunk_layout=layout)
    timing = exercise.time_stream(probe, PROMPT)
    record = probe.record  # stamped on time.perf_counter, inside the student's start and end: lower bounds
    assert timing.first_token is not None, t("day1_stream.first_token")
    assert timing.first_token >= first_text_after_start(probe) >= 0.03, t("day1_stream.first_token")
    assert timing.total >= record.ended.at - record.started.at, t("day1_stream.total_time")
