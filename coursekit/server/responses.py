"""What each route can answer, for the OpenAPI schema: every error status with the one error model.

A client generator or a fuzzer (``tests/server/test_fuzz.py`` runs schemathesis) can then check
error bodies, their ``Retry-After`` and ``WWW-Authenticate`` headers, and each SSE event of a
stream, as well as the answers.
"""

from __future__ import annotations

from typing import Any

from coursekit.server.schemas import ErrorResponse, FormAnswer


def _error(description: str, *headers: str) -> dict[str, Any]:
    """An OpenAPI response: the error model, and the headers that always come with this status."""
    documented = {name: {"description": _HEADERS[name], "schema": {"type": "string"}, "required": True} for name in headers}
    return {"model": ErrorResponse, "description": description, **({"headers": documented} if documented else {})}


_HEADERS = {
    "Retry-After": "Seconds to wait before trying again.",
    "WWW-Authenticate": "Bearer: send 'Authorization: Bearer <token>' from POST /login.",
}


def sse_event(name: str, data: dict[str, Any], *, numbered: bool = False) -> dict[str, Any]:
    """One kind of SSE event, its ``data`` JSON described by ``data`` (OpenAPI 3.1: the schema is per event)."""
    properties: dict[str, Any] = {
        "event": {"const": name},
        "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": data},
    }
    if numbered:
        properties["id"] = {"type": "string", "pattern": "^[1-9][0-9]*$"}
    return {"type": "object", "required": ["event", "data", *(["id"] if numbered else [])], "properties": properties}


TOKEN_DATA = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}}
DONE_DATA = {
    "type": "object",
    "required": ["tokens", "finish_reason", "usage"],
    "properties": {"tokens": {"type": "integer", "minimum": 0}, "finish_reason": {"type": ["string", "null"]},
                   "usage": {"type": ["object", "null"]}},
}
ERROR_DATA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message", "tokens"],
                             "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                                            "tokens": {"type": "integer", "minimum": 0}}}},
}
#: Each event of a stream: numbered tokens, then done, or error if the model fails mid-stream.
_STREAM = {
    "schema": {"oneOf": [sse_event("token", TOKEN_DATA, numbered=True), sse_event("done", DONE_DATA), sse_event("error", ERROR_DATA)]},
    "example": 'id: 1\r\nevent: token\r\ndata: {"text":"Hello"}\r\n\r\n',
}
STREAM_OK = {200: {"description": "Server-Sent Events: token..., then done or error", "content": {"text/event-stream": _STREAM}}}
#: Every route: a client over the connection bound gets 503 (see coursekit.server.connections).
ANY_ROUTE = {503: _error("Too many open connections: try again after Retry-After.", "Retry-After")}
#: Every route with a JSON body.
_BODY = {
    400: _error("The body is not valid JSON."),
    408: _error("The body did not arrive in time."),
    413: _error("The body is larger than 64 KiB."),
    422: _error("A field is missing, of the wrong type, empty or too long: see details."),
    **ANY_ROUTE,
}
PROTECTED = {
    401: _error("No token, or an invalid or expired one.", "WWW-Authenticate"),
    429: _error("The model provider is limiting requests.", "Retry-After"),
    502: _error("The model provider failed before answering."),
    **_BODY,
}


LOGIN = {
    401: _error("Wrong username or password."),
    429: _error("Too many wrong passwords for this username from this address: wait Retry-After seconds.", "Retry-After"),
    **_BODY,
}


#: One ``patch`` event of /api/form: what JsonOutputParser(diff=True) yielded for one chunk, as it yielded it.
PATCH_DATA = {
    "type": "array",
    "minItems": 1,
    "description": "RFC 6902 JSON Patch operations, to apply in order to the object so far (the first one replaces the root).",
    "items": {
        "type": "object",
        "required": ["op", "path"],
        "properties": {
            "op": {"enum": ["add", "remove", "replace", "move", "copy", "test"]},
            "path": {"type": "string", "description": "A JSON Pointer (RFC 6901); \"\" is the whole object."},
            "value": {},
            "from": {"type": "string"},
        },
    },
}
FORM_DONE_DATA = {
    "type": "object",
    "required": ["object", "patches"],
    "properties": {
        "object": {**FormAnswer.model_json_schema(), "description": "The whole answer, checked: what applying every patch gives."},
        "patches": {"type": "integer", "minimum": 0},
    },
}
FORM_ERROR_DATA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message", "patches"],
        "properties": {
            "code": {"enum": ["stream_interrupted", "answer_not_json", "answer_invalid"]},
            "message": {"type": "string"},
            "patches": {"type": "integer", "minimum": 0, "description": "How many patch events came before."},
            "details": {"type": "array", "description": "answer_invalid only: each field of the answer that does not fit.",
                        "items": {"type": "object", "required": ["field", "message"],
                                  "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}},
        },
    }},
}
_FORM_STREAM = {
    "schema": {"oneOf": [sse_event("patch", PATCH_DATA, numbered=True), sse_event("done", FORM_DONE_DATA), sse_event("error", FORM_ERROR_DATA)]},
    "example": 'id: 1\r\nevent: patch\r\ndata: [{"op":"replace","path":"","value":{}}]\r\n\r\n',
}
#: /api/form: numbered patches, then done with the object, or error (mid-stream, or an answer that does not fit).
FORM_OK = {200: {"description": "Server-Sent Events: patch..., then done or error", "content": {"text/event-stream": _FORM_STREAM}}}


CHAT_OK = {200: {"description": "One JSON reply, or with \"stream\": true the events of /api/generate", "content": {"text/event-stream": _STREAM}}}
