"""Which of the course's languages a request wants, so errors and the page speak it."""

from __future__ import annotations

from starlette.requests import Request

from coursekit.i18n import current_language, normalize_language


def request_language(request: Request) -> str:
    """``?lang=`` first, then the browser's ``Accept-Language``, then the server's own language.

    Browsers list languages in order of preference, so the first one the course speaks wins;
    ``q`` weights are not needed for that and are ignored.
    """
    explicit = normalize_language(request.query_params.get("lang"))
    if explicit:
        return explicit
    for tag in request.headers.get("accept-language", "").split(","):
        language = normalize_language(tag.split(";")[0].strip())
        if language:
            return language
    return current_language()
