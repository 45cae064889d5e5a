"""``GET /``: the course's one-page client, in the reader's language, with no external assets.

The HTML is a ``string.Template`` filled from ``coursekit/i18n/server.toml``; the script and the
stylesheet are served from ``/static`` so that a strict Content-Security-Policy (no inline
code, nothing from other origins) can protect the token the page holds. The form view's
fast-json-patch is the pinned npm build committed in ``vendor/fast-json-patch/``, served from
:data:`VENDOR_URL` by the same server.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from pathlib import Path
from string import Template

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from coursekit.i18n import LANGUAGES, t
from coursekit.server.language import request_language
from coursekit.server.schemas import MAX_PROMPT_CHARS
from coursekit.server.settings import ServerSettings

STATIC_DIR = Path(__file__).with_name("static")
TEMPLATE_PATH = Path(__file__).with_name("templates") / "index.html"
#: fast-json-patch, for the form view: the npm build committed in the repository (see its VERSION).
VENDOR_DIR = Path(__file__).resolve().parents[2] / "vendor" / "fast-json-patch"
VENDOR_URL = "/static/vendor/fast-json-patch"

HTML_LANG = {"en": "en", "pt": "pt-BR", "id": "id"}
LANGUAGE_NAMES = {"en": "English", "pt": "Português", "id": "Bahasa Indonesia"}
#: Keys the script needs at run time, sent as JSON in the page.
SCRIPT_MESSAGES = ("ready", "waiting", "streaming", "done", "filling", "filled", "stopped", "connection_lost", "network_error")
PAGE_TEXTS = (
    "page_title", "page_intro", "language_label", "login_heading", "label_username", "label_password",
    "button_login", "chat_heading", "label_prompt", "prompt_placeholder", "button_send", "button_stop",
    "button_logout", "answer_heading", "label_show_steps", "steps_heading", "step_running", "step_ended", "step_interrupted",
    "label_show_form", "form_heading", "form_topic", "form_summary", "form_key_points", "form_confidence",
)
#: The routed chat's texts in the page (day 6).
ROUTE_TEXTS = (
    "label_route", "route_label", "route_math", "route_code", "route_general", "route_fallback", "route_fallback_title",
    "fallback_error", "fallback_invalid_label", "fallback_timeout",
)
#: And the ones its script needs at run time ("{route}" is filled in by the script).
ROUTE_SCRIPT_MESSAGES = ("routing", "routed", "route_stopped")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

router = APIRouter()


@cache
def _template() -> Template:
    return Template(TEMPLATE_PATH.read_text(encoding="utf-8"))


def render_page(lang: str, settings: ServerSettings) -> str:
    """The page in ``lang``; the demo login is only shown while the demo password is in use."""
    texts = {key: escape(t(f"server.{key}", lang)) for key in (*PAGE_TEXTS, *ROUTE_TEXTS)}
    # "{count}" stays in the text: the script fills it in as tokens arrive.
    script_messages = {key: t(f"server.status_{key}", lang, count="{count}") for key in SCRIPT_MESSAGES}
    # And "{route}" too: the script fills in the route once the classifier has chosen it.
    script_messages |= {key: t(f"server.status_{key}", lang, route="{route}") for key in ROUTE_SCRIPT_MESSAGES}
    links = " ".join(_language_link(code, current=code == lang) for code in LANGUAGES)
    hint = ""
    if settings.uses_demo_password:
        hint = '<p class="hint" id="demo-hint">' + t(
            "server.demo_hint", lang,
            username=f"<code>{escape(settings.username)}</code>", password=f"<code>{escape(settings.password)}</code>",
        ) + "</p>"
    return _template().substitute(
        texts,
        html_lang=HTML_LANG[lang],
        status_ready=escape(script_messages["ready"]),
        messages_json=json.dumps(script_messages, ensure_ascii=False).replace("<", "\\u003c"),
        language_links=links,
        demo_hint=hint,
        max_prompt_chars=MAX_PROMPT_CHARS,
        vendor_url=VENDOR_URL,
    )


def _language_link(code: str, *, current: bool) -> str:
    marker = ' aria-current="page"' if current else ""
    return f'<a href="?lang={code}" hreflang="{HTML_LANG[code]}"{marker}>{LANGUAGE_NAMES[code]}</a>'


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def index(request: Request) -> HTMLResponse:
    html = render_page(request_language(request), request.app.state.settings)
    return HTMLResponse(html, headers=SECURITY_HEADERS)
