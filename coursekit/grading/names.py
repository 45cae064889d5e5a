"""Test names in the student's language, written once in the test's own docstring.

A graded test names itself in English on its docstring's first line, and in the other course
languages on lines that start with the language code::

    def test_each_chunk_appears_as_it_arrives(exercise):
        \"\"\"Each chunk appears on screen as soon as it arrives.

        pt: Cada chunk aparece na tela assim que chega.
        id: Setiap chunk muncul di layar begitu tiba.
        \"\"\"

Keeping the translations next to the test, rather than in a catalogue, means a test cannot be
renamed or added without its translations in sight; ``coursekit verify`` refuses an exercise
test that lacks any of them (:func:`missing_languages`).
"""

from __future__ import annotations

import inspect

from coursekit.i18n import DEFAULT_LANGUAGE, LANGUAGES

TRANSLATED_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)


def names_from_docstring(doc: str | None) -> dict[str, str]:
    """The names a docstring gives its test, by language; empty without a docstring.

    English is the first line; ``pt: ...`` / ``id: ...`` lines further down give the others.
    """
    lines = inspect.cleandoc(doc or "").splitlines()
    if not lines or not lines[0].strip():
        return {}
    names = {DEFAULT_LANGUAGE: lines[0].strip()}
    for line in lines[1:]:
        lang, colon, name = line.partition(":")
        if colon and lang in TRANSLATED_LANGUAGES and name.strip():
            names.setdefault(lang, name.strip())
    return names


def name_in(doc: str | None, lang: str) -> str | None:
    """The test's name in ``lang``, else its English name, else None (no docstring)."""
    names = names_from_docstring(doc)
    return names.get(lang) or names.get(DEFAULT_LANGUAGE)


def missing_languages(doc: str | None) -> list[str]:
    """The translated languages a docstring gives no name in, in course order."""
    names = names_from_docstring(doc)
    return [lang for lang in TRANSLATED_LANGUAGES if lang not in names]
