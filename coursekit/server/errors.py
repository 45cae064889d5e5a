"""One JSON error shape for every failure: ``{"error": {"code": ..., "message": ...}}``.

Clients (the course page, a student's script, a grader) can then branch on ``code`` and show
``message`` without parsing HTML or a traceback. FastAPI's own handlers answer validation and
HTTP errors in other shapes, so :func:`install_error_handlers` replaces them; messages follow
the request's language (see :mod:`coursekit.server.language`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from coursekit.i18n import t
from coursekit.server.language import request_language

logger = logging.getLogger("coursekit.server")

#: HTTP errors raised by routing or middleware, by status, and the message that explains them.
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}


class ApiError(Exception):
    """An expected failure: an HTTP status, a stable ``code``, and values for its message.

    ``code`` doubles as the message key in ``coursekit/i18n/server.toml``.
    """

    def __init__(
        self, status_code: int, code: str, *, headers: Mapping[str, str] | None = None, **values: Any
    ) -> None:
        super().__init__(code)
        self.status_code = status_code
        self.code = code
        self.headers = dict(headers or {})
        self.values = values


class ApiHTTPError(StarletteHTTPException):
    """An :class:`ApiError` raised while FastAPI reads a body: it lets only HTTP exceptions through."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.status_code, headers=error.headers)
        self.api_error = error


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The JSON error document, also used as the data of an SSE ``error`` event."""
    return {"error": {"code": code, "message": message, **extra}}


def api_error_response(error: ApiError, lang: str) -> JSONResponse:
    message = t(f"server.{error.code}", lang, **error.values)
    return JSONResponse(error_body(error.code, message), status_code=error.status_code, headers=error.headers)


def install_error_handlers(app: FastAPI) -> None:
    """Replace FastAPI's default handlers so that no error leaves in another shape."""

    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, error: ApiError) -> JSONResponse:
        return api_error_response(error, request_language(request))

    @app.exception_handler(RequestValidationError)
    async def on_invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        lang = request_language(request)
        problems = list(error.errors())
        if any(problem["type"] == "json_invalid" for problem in problems):
            return JSONResponse(error_body("invalid_json", t("server.invalid_json", lang)), status_code=400)
        details = [{"field": _field_name(p), "message": _describe(p, lang)} for p in problems]
        body = error_body("invalid_request", details[0]["message"], details=details)
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if isinstance(error, ApiHTTPError):
            return api_error_response(error.api_error, request_language(request))
        code = _HTTP_CODES.get(error.status_code, "request_failed")
        message = t(
            f"server.{code}", request_language(request),
            path=request.url.path, method=request.method, status=error.status_code,
        )
        return JSONResponse(error_body(code, message), status_code=error.status_code, headers=error.headers)

    @app.exception_handler(Exception)
    async def on_unexpected_error(request: Request, error: Exception) -> JSONResponse:
        logger.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
        body = error_body("internal_error", t("server.internal_error", request_language(request)))
        return JSONResponse(body, status_code=500)


def _field_name(problem: Mapping[str, Any]) -> str:
    """``("body", "prompt")`` -> ``"prompt"``; the body itself is ``"body"``."""
    path = [str(part) for part in problem["loc"][1:]]
    return ".".join(path) or str(problem["loc"][0])


def _describe(problem: Mapping[str, Any], lang: str) -> str:
    """A sentence a student understands, in their language, for one pydantic error."""
    kind, field = problem["type"], _field_name(problem)
    whole_body = len(problem["loc"]) == 1
    if whole_body:
        key = "body_missing" if kind == "missing" else "body_not_object"
        return t(f"server.{key}", lang)
    if kind == "string_too_long":
        length = len(problem["input"]) if isinstance(problem.get("input"), str) else 0
        return t("server.field_too_long", lang, field=field, length=length, limit=problem["ctx"]["max_length"])
    simple = {
        "missing": "field_missing",
        "string_type": "field_not_text",
        "bool_type": "field_not_boolean",
        "string_too_short": "field_empty",
        "string_blank": "field_empty",
    }
    if kind in simple:
        return t(f"server.{simple[kind]}", lang, field=field)
    return t("server.field_invalid", lang, field=field, detail=problem["msg"])
