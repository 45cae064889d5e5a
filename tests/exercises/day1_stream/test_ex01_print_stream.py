"""Exercise 1: print_stream shows each chunk the moment it arrives and returns the whole answer."""

from __future__ import annotations

import pytest

from coursekit.i18n import t
from coursekit.testing import ProbeModel, assert_incremental, record_stdout

ANSWERS = {
    "tea": "Green tea has less caffeine than coffee, and a gentler taste.",
    "rain": "Rain forms when droplets in a cloud grow too heavy to float.",
}


def run(exercise, prompt: str, chunking: str | int = "words"):
    """Run the student's function on a probe that answers ``prompt`` and a recorded terminal."""
    probe = ProbeModel(rules=ANSWERS, chunking=chunking, token_delay=0.02)
    with record_stdout() as screen:
        returned = exercise.print_stream(probe, prompt)
    return probe, screen, returned


@pytest.mark.task(1)
@pytest.mark.parametrize("chunking", ["words", 4])
def test_returns_the_whole_answer(exercise, chunking):
    """Returns the whole answer to the prompt

    pt: Devolve a resposta inteira ao prompt
    id: Mengembalikan seluruh jawaban untuk prompt
    """
    probe, _, returned = run(exercise, "Tell me about tea.", chunking)
    assert returned == probe.record.text == ANSWERS["tea"], t("day1_stream.wrong_text")


@pytest.mark.task(2)
@pytest.mark.parametrize("chunking", ["words", 4])
def test_prints_the_answer_once_on_one_line(exercise, chunking):
    """Prints the answer once, on one line, then a newline

    pt: Imprime a resposta uma única vez, numa só linha, seguida de uma quebra de linha
    id: Mencetak jawaban tepat satu kali, dalam satu baris, lalu baris baru
    """
    _, screen, _ = run(exercise, "Why does it rain?", chunking)
    assert screen.text == ANSWERS["rain"] + "\n", t("day1_stream.printed_text")


@pytest.mark.task(3)
def test_each_chunk_appears_as_it_arrives(exercise):
    """Each chunk appears on screen as soon as it arrives

    pt: Cada chunk aparece na tela assim que chega
    id: Setiap chunk muncul di layar begitu tiba
    """
    probe, screen, _ = run(exercise, "Tell me about tea.")
    assert_incremental(screen, probe, every_chunk=True)


@pytest.mark.task(4)
def test_skips_empty_chunks(exercise):
    """Skips empty chunks

    pt: Ignora os chunks vazios
    id: Melewati chunk yang kosong
    """
    _, screen, _ = run(exercise, "Why does it rain?")
    assert screen.text, t("testing.nothing_shown")
    assert screen.empty_flushes == 0, t("testing.empty_chunks")
