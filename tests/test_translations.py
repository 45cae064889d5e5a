"""The three versions of every page stay in step (like the HF course's validate_translation.py).

A translation may word things its own way, but it must have the same sections (the same heading
levels, in the same order), show the same snippets in the same order, and actually be
translated. A day's title also has to match the manifest, which names the day on the site.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from coursekit.guides import EXERCISES_MARKER, ROOT, guide_days, guide_path, headings, included_snippets
from coursekit.i18n import DEFAULT_LANGUAGE, LANGUAGES
from coursekit.manifest import load_course
from coursekit.site_hooks import day_title
from guide_pages import all_languages, extra_pages

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
def test_guide_titles_match_the_manifest(lang: str) -> None:
    written = set(guide_days())
    for number, day in enumerate(load_course().days, start=1):
        if day.slug in written:
            level, title = headings(guide_path(day.slug, lang).read_text(encoding="utf-8"))[0]
            assert (level, title) == (1, day_title(number, day.title, lang))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("day", "name"), extra_pages(), ids=[f"{day}/{name}" for day, name in extra_pages()])
def test_further_pages_are_titled_by_their_day(day: str, name: str, lang: str) -> None:
    """``# Day 3 · Other transports``: the reader always knows which day a page belongs to."""
    number = [course_day.slug for course_day in load_course().days].index(day) + 1
    level, title = headings(all_languages(day, name)[lang].read_text(encoding="utf-8"))[0]
    assert level == 1 and title.startswith(f"{day_title(number, {lang: ''}, lang)}"), title


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("day", guide_days())
def test_a_day_with_exercises_lists_them_from_the_manifest(day: str, lang: str) -> None:
    """The list is generated (site hook, notebooks): a guide only marks where it goes."""
    has_exercises = any(exercise.day == day for exercise in load_course().exercises)
    assert (EXERCISES_MARKER in guide_path(day, lang).read_text(encoding="utf-8")) == has_exercises
