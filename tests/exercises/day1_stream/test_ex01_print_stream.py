"""Exercise 1: print_stream shows each chunk the moment it arrives and returns the whole answer.

Every test runs on each chunk layout: real providers open the stream with an empty chunk and
close it with one or more, so code that stops at the first empty chunk, or prints them, fails.
The answers hold whitespace-only chunks (a line break, the spaces of "chars" chunking), which
are text and must be printed.
"""

from __future__ import annotations

import pytest

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, ProbeModel, assert_incremental, record_stdout

ANSWERS = {
    "tea": "Green tea has less caffeine than coffee, and a gentler taste.\n",
    "rain": "Rain forms when droplets in a cloud grow too heavy to float.\nThen they fall.",
}
CHUNKINGS = ["words", 4, "chars"]


def run(exercise, prompt: str, layout: str, chunking: str | int = "words"):
    """Run the student's function on a probe that answers ``prompt`` and a recorded terminal.

    The order of events is what the checks compare, so the probe needs no pacing beyond a
    short wait for its first token, as a real provider has.
    """
    probe = ProbeModel(rules=ANSWERS, chunking=chunking, chunk_layout=layout, time_to_first_token=0.005, token_delay=0)
    with record_stdout() as screen:
        returned = exercise.print_stream(probe, prompt)
    return probe, screen, returned


@pytest.mark.task(1)
@pytest.mark.parametrize("chunking", CHUNKINGS)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_returns_the_whole_answer(exercise, layout, chunking):
    """Returns the whole answer to the prompt

    pt: Devolve a resposta inteira ao prompt
    id: Mengembalikan seluruh jawaban untuk prompt
    """
    probe, _, returned = run(exercise, "Tell me about tea.", layout, chunking)
    assert returned == probe.record.text == ANSWERS["tea"], t("day1_stream.wrong_text")


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_calls_the_model_once(exercise, layout):
    """Streams the answer once, and builds the return value from that stream

    pt: Faz o stream da resposta uma única vez e monta o valor devolvido a partir dele
    id: Melakukan stream jawaban satu kali saja, dan menyusun nilai kembalian dari stream itu
    """
    probe, _, _ = run(exercise, "Why does it rain?", layout)
    assert [record.via for record in probe.records] == ["stream"], t("day1_stream.one_call")


@pytest.mark.task(2)
@pytest.mark.parametrize("chunking", CHUNKINGS)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_prints_the_answer_once_on_one_line(exercise, layout, chunking):
    """Prints the answer once, on one line, then a newline

    pt: Imprime a resposta uma única vez, numa só linha, seguida de uma quebra de linha
    id: Mencetak jawaban tepat satu kali, dalam satu baris, lalu baris baru
    """
    _, screen, _ = run(exercise, "Why does it rain?", layout, chunking)
    assert screen.text == ANSWERS["rain"] + "\n", t("day1_stream.printed_text")


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_each_chunk_appears_as_it_arrives(exercise, layout):
    """Each chunk appears on screen as soon as it arrives

    pt: Cada chunk aparece na tela assim que chega
    id: Setiap chunk muncul di layar begitu tiba
    """
    probe, screen, _ = run(exercise, "Tell me about tea.", layout)
    assert_incremental(screen, probe, every_chunk=True)


@pytest.mark.task(4)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_skips_empty_chunks(exercise, layout):
    """Skips empty chunks

    pt: Ignora os chunks vazios
    id: Melewati chunk yang kosong
    """
    _, screen, _ = run(exercise, "Why does it rain?", layout)
    assert screen.text, t("testing.nothing_shown")
    assert screen.empty_flushes == 0, t("testing.empty_chunks")
