"""``GET /``: a self-contained page in the reader's language, with the ids the browser test uses; and the schema's introduction."""

from __future__ import annotations

import re
from html import escape

import httpx
import pytest

from coursekit.i18n import t
from coursekit.server import ServerSettings

IDS = ["username", "password", "login-button", "prompt", "send-button", "stop-button", "answer", "status"]


def test_page_has_labelled_controls_and_no_external_assets(serve):
    url = serve()
    response = httpx.get(f"{url}/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    for element_id in IDS:
        assert f'id="{element_id}"' in html
    for field in ("username", "password", "prompt"):
        assert f'<label for="{field}">' in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "the page must not load anything from elsewhere"
    assert "script-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(("asset", "kind"), [("app.js", "javascript"), ("app.css", "text/css")])
def test_script_and_style_are_served_locally(serve, asset, kind):
    url = serve()
    response = httpx.get(f"{url}/static/{asset}")
    assert response.status_code == 200
    assert kind in response.headers["content-type"]
    assert not re.search(r"""(fetch\(|url\(|@import)\s*["'`]?(https?:)?//""", response.text), "no remote loads"


def test_script_posts_with_fetch_and_can_abort(serve):
    script = httpx.get(f"{serve()}/static/app.js").text
    assert "new AbortController()" in script
    assert "getReader()" in script
    assert "Authorization" in script
    assert "new EventSource" not in script


@pytest.mark.parametrize(
    ("query", "headers", "lang"),
    [("?lang=pt", {}, "pt"), ("", {"Accept-Language": "id-ID,id;q=0.9"}, "id"), ("?lang=en", {"Accept-Language": "pt-BR"}, "en")],
)
def test_page_speaks_the_readers_language(serve, query, headers, lang):
    html = httpx.get(f"{serve()}/{query}", headers=headers).text
    for key in ("page_title", "page_intro", "label_username", "button_send", "button_stop"):
        assert escape(t(f"server.{key}", lang)) in html
    assert f'<html lang="{ {"en": "en", "pt": "pt-BR", "id": "id"}[lang] }">' in html


def test_demo_login_is_shown_only_while_in_use(serve):
    assert "admin123" in httpx.get(f"{serve()}/").text
    private = serve(settings=ServerSettings(username="teacher", password="a-real-password"))
    html = httpx.get(f"{private}/").text
    assert "a-real-password" not in html
    assert 'id="demo-hint"' not in html


def test_the_schema_introduces_every_endpoint_it_documents(serve):
    """The OpenAPI description walks through the server day by day: no endpoint is left out of it."""
    schema = httpx.get(f"{serve()}/openapi.json").json()
    description = schema["info"]["description"]
    for path, operations in schema["paths"].items():
        for method in operations:
            assert f"`{method.upper()} {path}`" in description, f"the description does not mention {method.upper()} {path}"
