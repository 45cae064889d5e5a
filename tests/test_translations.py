"""The three versions of every page stay in step (like the HF course's validate_translation.py).

A translation may word things its own way, but it must have the same sections (the same heading
levels, in the same order), show the same snippets in the same order, and actually be
translated. A day's heading comes from the manifest, so no page types it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from guide_pages import all_languages, extra_pages
from markdown_it import MarkdownIt

from coursekit.guides import (
    DAY_HEADING,
    EXERCISES_MARKER,
    ROOT,
    as_read,
    day_title,
    guide_days,
    guide_path,
    headings,
    included_snippets,
    page_names,
    page_path,
)
from coursekit.i18n import DEFAULT_LANGUAGE, LANGUAGES
from coursekit.manifest import load_course

TRANSLATIONS = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]
HOME = {lang: ROOT / "modules" / ("index.md" if lang == DEFAULT_LANGUAGE else f"index.{lang}.md") for lang in LANGUAGES}
#: Paragraphs this long or longer are sentences, not names or commands: they must be translated.
MIN_WORDS_TO_TRANSLATE = 8


def pages() -> list[tuple[str, dict[str, Path]]]:
    """Every translated page: the home page, each day's guide and its further pages, by language."""
    guides = [(day, {lang: guide_path(day, lang) for lang in LANGUAGES}) for day in guide_days()]
    extras = [(f"{day}/{name}", all_languages(day, name)) for day, name in extra_pages()]
    return [("home", HOME), *guides, *extras]


PAGES = pages()
PAGE_IDS = [name for name, _ in PAGES]
DAY_PAGES = [(day, name) for day in guide_days() for name in page_names(day)]


def read(paths: dict[str, Path], lang: str) -> str:
    return paths[lang].read_text(encoding="utf-8")


def paragraphs(markdown: str) -> set[str]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    return {
        tokens[index + 1].content
        for index, token in enumerate(tokens)
        if token.type == "paragraph_open" and len(tokens[index + 1].content.split()) >= MIN_WORDS_TO_TRANSLATE
    }


def test_there_are_guides() -> None:
    assert guide_days(), "no modules/<day>/index.md found"


@pytest.mark.parametrize(("name", "paths"), PAGES, ids=PAGE_IDS)
def test_every_language_exists(name: str, paths: dict[str, Path]) -> None:
    missing = [str(path.relative_to(ROOT)) for path in paths.values() if not path.exists()]
    assert missing == [], f"{name} is missing in: {missing}"


@pytest.mark.parametrize("lang", TRANSLATIONS)
@pytest.mark.parametrize(("name", "paths"), PAGES, ids=PAGE_IDS)
def test_same_sections(name: str, paths: dict[str, Path], lang: str) -> None:
    english = [level for level, _ in headings(read(paths, DEFAULT_LANGUAGE))]
    translated = [level for level, _ in headings(read(paths, lang))]
    assert translated == english, f"{name} ({lang}) heading levels {translated} differ from English {english}"


@pytest.mark.parametrize("lang", TRANSLATIONS)
@pytest.mark.parametrize(("name", "paths"), PAGES, ids=PAGE_IDS)
def test_same_snippets_in_the_same_order(name: str, paths: dict[str, Path], lang: str) -> None:
    assert included_snippets(read(paths, lang)) == included_snippets(read(paths, DEFAULT_LANGUAGE))


@pytest.mark.parametrize("lang", TRANSLATIONS)
@pytest.mark.parametrize(("name", "paths"), PAGES, ids=PAGE_IDS)
def test_prose_is_translated(name: str, paths: dict[str, Path], lang: str) -> None:
    untranslated = paragraphs(read(paths, lang)) & paragraphs(read(paths, DEFAULT_LANGUAGE))
    assert untranslated == set(), f"{name} ({lang}) has English paragraphs left: {sorted(untranslated)}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("day", "name"), DAY_PAGES, ids=[f"{day}/{name}" for day, name in DAY_PAGES])
def test_day_pages_take_their_heading_from_the_manifest(day: str, name: str, lang: str) -> None:
    """No page types its day's number or title: the first line is the marker the site and notebooks fill."""
    first_line = page_path(day, name, lang).read_text(encoding="utf-8").partition("\n")[0]
    marker = DAY_HEADING.fullmatch(first_line)
    assert marker is not None, f"{day}/{name} ({lang}) must start with <!-- day-heading -->, not {first_line!r}"
    assert (marker["title"] is None) == (name == "index"), "only a further page names itself: <!-- day-heading: Its title -->"
    number = [course_day.slug for course_day in load_course().days].index(day) + 1
    level, title = headings(as_read(first_line, day, lang))[0]
    assert level == 1 and title.startswith(day_title(number, {lang: ""}, lang)), title


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("day", guide_days())
def test_a_day_with_exercises_lists_them_from_the_manifest(day: str, lang: str) -> None:
    """The list is generated (site hook, notebooks): a guide only marks where it goes."""
    has_exercises = any(exercise.day == day for exercise in load_course().exercises)
    assert (EXERCISES_MARKER in guide_path(day, lang).read_text(encoding="utf-8")) == has_exercises
