"""``mkdocs build --strict`` works, and every guide and notebook is a real page in every language.

``--strict`` alone is not enough: when mkdocs-static-i18n and mkdocs-jupyter clash, notebooks
come out as raw JSON, or only in English, and the build still passes (static-i18n issue 198).
So the built files are read back: each notebook page must be rendered HTML in its own language,
each guide must show its snippets, and the language switcher must link a page to its translations.
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest
from guide_pages import extra_pages

from coursekit.guides import ROOT, as_read, day_title, guide_days, headings, included_snippets, notebook_path, page_names, page_path
from coursekit.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from coursekit.manifest import load_course
from coursekit.notebooks import read

PAGES = [pytest.param(day, lang, id=f"{lang}/{day}") for day in guide_days() for lang in LANGUAGES]
#: Every page of every guide: (day, page name, lang); a page ``name`` is built as ``<day>/<name>/``.
GUIDE_PAGES = [
    pytest.param(day, name, lang, id=f"{lang}/{day}/{name}")
    for day in guide_days()
    for name in page_names(day)
    for lang in LANGUAGES
]


def page(site: Path, lang: str, *parts: str) -> str:
    """The text of a built page; pages of other languages live under /<lang>/."""
    prefix = [] if lang == DEFAULT_LANGUAGE else [lang]
    path = site.joinpath(*prefix, *parts, "index.html")
    assert path.exists(), f"{path.relative_to(site)} was not built"
    return path.read_text(encoding="utf-8")


def text_of(page_html: str) -> str:
    """The visible text, roughly: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page_html))


def h1_of(day: str, lang: str, name: str = "index") -> str:
    return headings(as_read(page_path(day, name, lang).read_text(encoding="utf-8"), day, lang))[0][1]


def url_parts(day: str, name: str) -> tuple[str, ...]:
    return (day,) if name == "index" else (day, name)


def switcher_links(page_html: str) -> dict[str, str]:
    """The language switcher: hreflang -> href."""
    return {lang: href for href, lang in re.findall(r'<a href="([^"]*)" hreflang="([^"]*)"', page_html)}


@pytest.mark.parametrize(("day", "name", "lang"), GUIDE_PAGES)
def test_guide_page_shows_its_snippets(site: Path, day: str, name: str, lang: str) -> None:
    guide = page(site, lang, *url_parts(day, name))
    assert f"<title>{html.escape(h1_of(day, lang, name), quote=False)}" in guide
    visible = text_of(guide)
    for snippet in included_snippets(page_path(day, name, lang).read_text(encoding="utf-8")):
        docstring = ast.get_docstring(ast.parse((ROOT / snippet).read_text(encoding="utf-8")))
        assert docstring, f"{snippet} needs a docstring: its first line identifies it on the page"
        assert docstring.splitlines()[0] in visible, f"{snippet} is not on the page"


@pytest.mark.parametrize(("day", "lang"), PAGES)
def test_notebook_page_is_rendered_html_in_its_language(site: Path, day: str, lang: str) -> None:
    notebook = page(site, lang, day, "notebook")
    assert notebook.lstrip().lower().startswith("<!doctype html>")
    assert "jp-Notebook" in notebook and "jp-CodeCell" in notebook, "not converted by mkdocs-jupyter"
    assert '"nbformat"' not in notebook and '"cell_type"' not in notebook, "raw notebook JSON on the page"
    assert h1_of(day, lang) in text_of(notebook), "the notebook's prose is not in this language"


@pytest.mark.parametrize(("day", "lang"), PAGES)
def test_notebook_page_shows_the_committed_outputs(site: Path, day: str, lang: str) -> None:
    """Every output the notebook stores is on its page (mkdocs-jupyter runs nothing: ``execute: false``)."""
    notebook_html = page(site, lang, day, "notebook")
    stored = [output for cell in read(notebook_path(day, lang)).cells if cell.cell_type == "code" for output in cell.outputs]
    assert stored, "the notebook has no outputs: run `make notebooks`"
    areas = re.findall(r'<div class="[^"]*\bjp-OutputArea-output\b[^"]*" data-mime-type=', notebook_html)
    assert len(areas) == len(stored), "not every stored output is shown"
    shown = text_of(notebook_html)
    for output in stored:
        if output.output_type == "stream":
            first = next(line.strip() for line in output.text.splitlines() if line.strip())
            assert first in shown, f"{first!r} is not on the page"


@pytest.mark.parametrize(("day", "lang"), PAGES)
def test_language_switcher_links_the_translations(site: Path, day: str, lang: str) -> None:
    for parts in (*(url_parts(day, name) for name in page_names(day)), (day, "notebook")):
        links = switcher_links(page(site, lang, *parts))
        assert sorted(links) == sorted(LANGUAGES)
        for other, href in links.items():
            prefix = "" if other == DEFAULT_LANGUAGE else f"{other}/"
            target = f"{prefix}{'/'.join(parts)}/"
            resolved = Path(site, *([lang] if lang != DEFAULT_LANGUAGE else []), *parts, href).resolve()
            assert resolved == Path(site, target).resolve(), f"{other} link {href!r} does not reach {target}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_guides_list_their_exercises_from_the_manifest(site: Path, lang: str) -> None:
    course = load_course()
    for day in guide_days():
        shown = text_of(page(site, lang, day))
        for exercise in (exercise for exercise in course.exercises if exercise.day == day):
            assert f"{exercise.stem}: {exercise.title[lang]}" in shown, (day, exercise.stem)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_lists_the_days_of_the_manifest(site: Path, lang: str) -> None:
    home = text_of(page(site, lang))
    written = set(guide_days())
    for number, day in enumerate(load_course().days, start=1):
        assert day_title(number, day.title, lang) in home
    links = re.findall(r'<a href="([^"]+)">', page(site, lang))
    for day in written:
        assert f"{day}/" in links and f"{day}/notebook/" in links


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("day", "name"), extra_pages(), ids=[f"{day}/{name}" for day, name in extra_pages()])
def test_further_pages_sit_in_their_days_navigation(site: Path, day: str, name: str, lang: str) -> None:
    """The sidebar of the day's first page links its further pages, in the page's language."""
    links = re.findall(r'<a href="([^"]+)"[^>]*class="md-nav__link', page(site, lang, day))
    assert f"{name}/" in links, f"{day}/{name} is missing from the navigation: {links}"
    further = page(site, lang, day, name)
    assert re.search(rf'<html lang="{lang}[-"]', further), "the page is built in another language"


def test_snippet_sources_are_not_published(site: Path) -> None:
    assert not list(site.rglob("*.py")) and not list(site.rglob("*.ipynb"))


#: Material's own interface text, which must follow the page's language too.
SEARCH_PLACEHOLDER = {"en": "Search", "pt": "Buscar", "id": "Cari"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_theme_interface_speaks_the_page_language(site: Path, lang: str) -> None:
    home = page(site, lang)
    assert re.search(rf'<html lang="{lang}[-"]', home), "the <html lang> attribute names another language"
    assert f'placeholder="{SEARCH_PLACEHOLDER[lang]}"' in home, "the theme's own labels are in another language"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_sidebar_names_the_course_once(site: Path, lang: str) -> None:
    """The header names the course; the home page's entry says where to start instead of repeating it."""
    html_text = page(site, lang)
    navigation = html_text[html_text.index("md-nav--primary"):]
    navigation = text_of(navigation[: navigation.index("</nav>")])
    assert navigation.count(load_course().title[lang]) == 1
    assert t("site.home", lang) in navigation


def cast_of(snippet: str) -> Path:
    """``modules/<day>/snippets/<name>.py`` is recorded in ``modules/<day>/casts/<name>.cast``."""
    path = ROOT / snippet
    return path.parent.parent / "casts" / f"{path.stem}.cast"


@pytest.mark.parametrize(("day", "name", "lang"), GUIDE_PAGES)
def test_every_recorded_snippet_plays_under_its_code(site: Path, day: str, name: str, lang: str) -> None:
    """Each included snippet with a cast gets a player box, in order, whose cast the site serves."""
    built = page(site, lang, *url_parts(day, name))
    here = site.joinpath(*([] if lang == DEFAULT_LANGUAGE else [lang]), *url_parts(day, name))
    shown = included_snippets(page_path(day, name, lang).read_text(encoding="utf-8"))
    recorded = [snippet for snippet in shown if cast_of(snippet).exists()]
    boxes = re.findall(r'<div class="course-cast" data-cast="([^"]+)">', built)
    assert [Path(url).stem for url in boxes] == [Path(snippet).stem for snippet in recorded]
    for url in boxes:
        cast = (here / url).resolve()
        assert cast.is_file() and cast.is_relative_to(site), f"{url} is not served by the site"
    if boxes:
        for asset in ("asciinema-player.css", "asciinema-player.min.js"):
            href = re.search(rf'"([^"]*/assets/asciinema-player/{asset})"', built)
            assert href and (here / href[1]).resolve().is_file(), f"{asset} is not loaded from the site itself"


def test_every_guide_language_plays_recordings(site: Path) -> None:
    """The casts reach readers of every language (a page without snippets may have none)."""
    for lang in LANGUAGES:
        assert any('class="course-cast"' in page(site, lang, day) for day in guide_days()), f"no player in {lang}"
