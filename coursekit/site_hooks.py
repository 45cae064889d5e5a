"""MkDocs hooks of the course site (``hooks:`` in mkdocs.yml).

The site is ``docs_dir: modules`` (the guides, ``index.<lang>.md`` as mkdocs-static-i18n's
suffix layout expects) plus the notebooks, which live outside it in ``notebooks/<lang>/<day>.ipynb``
so that a student opens one folder in Jupyter. Three small jobs make that one site:

1. **Notebooks count as pages.** static-i18n rebuilds every file as a plain mkdocs ``File`` and
   keeps only Markdown as pages, so mkdocs-jupyter's notebooks end up copied as raw JSON, or
   missing in the other languages, while ``--strict`` still passes (static-i18n issue 198).
   Counting ``.ipynb`` files as documentation pages fixes it.
2. **Notebooks are mounted beside their guide**, as ``<day>/notebook.<lang>.ipynb``, the name
   static-i18n understands, so each language gets its page and the language switcher links
   them. The files are added before static-i18n sorts languages; once it has rebuilt them, each
   page is pointed back at the real notebook.
3. **The manifest names the days and exercises**: the home page's ``<!-- course-days -->`` marker
   becomes the list of days from ``course.toml``, each day's section in the navigation gets its
   title, and a guide's ``<!-- day-heading -->`` and ``<!-- day-exercises -->`` markers become its
   heading and its day's exercises (:func:`coursekit.guides.as_read`).
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from coursekit.guides import ROOT, as_read, day_title, guide_days, notebook_path
from coursekit.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from coursekit.manifest import load_course

DAYS_MARKER = "<!-- course-days -->"
_MOUNTED_NOTEBOOK = re.compile(r"(?P<day>[a-z0-9_]+)/notebook(?:\.(?P<lang>[a-z]{2}))?\.ipynb")


def on_startup(command: str, dirty: bool) -> None:
    _count_notebooks_as_pages()


@event_priority(-50)  # after mkdocs-jupyter (0), before static-i18n (-100) sorts the languages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    for day in guide_days():
        for lang in LANGUAGES:
            if not notebook_path(day, lang).exists():
                raise PluginError(f"{notebook_path(day, lang).relative_to(ROOT)} is missing: run `make notebooks`")
            suffix = "" if lang == DEFAULT_LANGUAGE else f".{lang}"
            files.append(File(f"{day}/notebook{suffix}.ipynb", config.docs_dir, config.site_dir, config.use_directory_urls))
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    for file in files.documentation_pages():
        mounted = _MOUNTED_NOTEBOOK.fullmatch(file.src_uri)
        if mounted:
            file.abs_src_path = str(notebook_path(mounted["day"], mounted["lang"] or DEFAULT_LANGUAGE))
    lang = _current_language(config)
    titles = {day.slug: day_title(number, day.title, lang) for number, day in enumerate(load_course().days, start=1)}
    for item in nav.items:
        if isinstance(item, Section) and item.children:
            slug = _day_of(item)
            if slug in titles:
                item.title = titles[slug]
        elif isinstance(item, Page) and "/" not in item.file.src_uri:  # the home page, in any language
            item.title = t("site.home", lang)  # the header already names the course
    return nav


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    lang = _current_language(config)
    if DAYS_MARKER in markdown:
        markdown = markdown.replace(DAYS_MARKER, days_list(lang))
    if "/" in page.file.src_uri:  # a day's page, not the home page
        markdown = as_read(markdown, page.file.src_uri.split("/", 1)[0], lang)
    return markdown


def days_list(lang: str) -> str:
    """The course's days as a Markdown list: days with a guide link to it and to their notebook."""
    written = set(guide_days())
    lines = []
    for number, day in enumerate(load_course().days, start=1):
        title = day_title(number, day.title, lang)
        if day.slug in written:
            notebook = t("site.notebook", lang)
            lines.append(f"{number}. [{title}]({day.slug}/index.md) · [{notebook}]({day.slug}/notebook.ipynb)")
        else:
            lines.append(f"{number}. {title}")
    return "\n".join(lines)


def _count_notebooks_as_pages() -> None:
    """Make every ``File`` ending in ``.ipynb`` a documentation page (idempotent)."""
    if getattr(File.is_documentation_page, "counts_notebooks", False):
        return
    is_markdown_page = File.is_documentation_page

    def is_documentation_page(self: File) -> bool:
        return self.src_uri.endswith(".ipynb") or is_markdown_page(self)

    is_documentation_page.counts_notebooks = True  # type: ignore[attr-defined]
    File.is_documentation_page = is_documentation_page  # type: ignore[method-assign]


def _current_language(config: MkDocsConfig) -> str:
    """The language being built: static-i18n builds the site once per language."""
    return config.plugins["i18n"].current_language


def _day_of(section: Section) -> str | None:
    """The day folder of a navigation section, from the first page inside it."""
    for child in section.children:
        file: Any = getattr(child, "file", None)
        if file is not None:
            return file.src_uri.split("/", 1)[0]
    return None
