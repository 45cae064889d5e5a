"""Test names in the student's language: parsed from the test's docstring, checked by ``verify``."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.grading import grade
from coursekit.grading.names import missing_languages, name_in, names_from_docstring
from coursekit.manifest import Course

FIXTURES = Path(__file__).parent / "fixtures"

DOC = """Each chunk appears on screen as soon as it arrives.

    pt: Cada chunk aparece na tela assim que chega.
    id: Setiap chunk muncul di layar begitu tiba.
    """


def test_a_docstring_names_its_test_in_every_language() -> None:
    assert names_from_docstring(DOC) == {
        "en": "Each chunk appears on screen as soon as it arrives.",
        "pt": "Cada chunk aparece na tela assim que chega.",
        "id": "Setiap chunk muncul di layar begitu tiba.",
    }
    assert missing_languages(DOC) == []


def test_the_name_follows_the_language_and_falls_back_to_the_english_first_line() -> None:
    assert name_in(DOC, "en") == "Each chunk appears on screen as soon as it arrives."
    assert name_in(DOC, "pt") == "Cada chunk aparece na tela assim que chega."
    partial = "Only in English and Portuguese.\n\npt: Só em inglês e em português.\n"
    assert name_in(partial, "id") == "Only in English and Portuguese."
    assert missing_languages(partial) == ["id"]


def test_only_lines_that_start_with_a_course_language_are_names() -> None:
    doc = """Sends the id: field before the data.

    Checks the frame: event, id and data fields.
    id:
    fr: Envoie le champ id.
    pt: Envia o campo id: antes dos dados.
    """
    assert names_from_docstring(doc) == {
        "en": "Sends the id: field before the data.",
        "pt": "Envia o campo id: antes dos dados.",  # only the first colon separates the language
    }
    assert missing_languages(doc) == ["id"]  # an empty "id:" line names nothing


@pytest.mark.parametrize("doc", [None, "", "   \n  "])
def test_no_docstring_gives_no_name(doc: str | None) -> None:
    assert names_from_docstring(doc) == {}
    assert name_in(doc, "pt") is None
    assert missing_languages(doc) == ["pt", "id"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("pt", ["Soma 2 e 3.", "Soma 0 e 0.", "Soma dois inteiros quaisquer. [-1-1-0]", "Soma dois inteiros quaisquer. [10-5-15]"]),
        ("id", ["Menjumlahkan 2 dan 3.", "Menjumlahkan 0 dan 0.", "Menjumlahkan dua bilangan bulat apa saja. [-1-1-0]",
                "Menjumlahkan dua bilangan bulat apa saja. [10-5-15]"]),
    ],
)
def test_the_grader_names_tests_in_the_grading_language(mini_course: Course, lang: str, expected: list[str]) -> None:
    report = grade(mini_course, ["ex01"], FIXTURES / "mini" / "solutions", lang=lang)
    assert [test.name for test in report.exercises[0].tests] == expected
