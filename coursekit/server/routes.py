"""The JSON and SSE endpoints: log in, generate, chat, health.

Every error status a route can answer is in its OpenAPI ``responses``, with the one error model
(:class:`~coursekit.server.schemas.ErrorResponse`), so a client generator or a fuzzer
(``tests/server/test_fuzz.py`` runs schemathesis) can check error bodies as well as answers.
"""

from __future__ import annotations

import os
import socket
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage
from sse_starlette import EventSourceResponse

from coursekit.server.auth import TokenService, current_user
from coursekit.server.errors import ApiError
from coursekit.server.language import request_language
from coursekit.server.schemas import (
    ChatReply,
    ChatRequest,
    ErrorResponse,
    GenerateRequest,
    Health,
    LoginRequest,
    TokenResponse,
)
from coursekit.server.streaming import StreamTracker, event_stream_response, upstream_error
from coursekit.server.throttle import LoginThrottle

router = APIRouter()

CurrentUser = Annotated[str, Depends(current_user)]
#: "host/pid", for /health: which of several workers or hosts answered.
WORKER = f"{socket.gethostname()}/{os.getpid()}"


def _error(description: str, *headers: str) -> dict[str, Any]:
    """An OpenAPI response: the error model, and the headers that always come with this status."""
    documented = {name: {"description": _HEADERS[name], "schema": {"type": "string"}, "required": True} for name in headers}
    return {"model": ErrorResponse, "description": description, **({"headers": documented} if documented else {})}


_HEADERS = {
    "Retry-After": "Seconds to wait before trying again.",
    "WWW-Authenticate": "Bearer: send 'Authorization: Bearer <token>' from POST /login.",
}


def _event(name: str, data: dict[str, Any], *, numbered: bool = False) -> dict[str, Any]:
    """One kind of SSE event, its ``data`` JSON described by ``data`` (OpenAPI 3.1: the schema is per event)."""
    properties: dict[str, Any] = {
        "event": {"const": name},
        "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": data},
    }
    if numbered:
        properties["id"] = {"type": "string", "pattern": "^[1-9][0-9]*$"}
    return {"type": "object", "required": ["event", "data", *(["id"] if numbered else [])], "properties": properties}


_TOKEN_DATA = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}}
_DONE_DATA = {
    "type": "object",
    "required": ["tokens", "finish_reason", "usage"],
    "properties": {"tokens": {"type": "integer", "minimum": 0}, "finish_reason": {"type": ["string", "null"]},
                   "usage": {"type": ["object", "null"]}},
}
_ERROR_DATA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message", "tokens"],
                             "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                                            "tokens": {"type": "integer", "minimum": 0}}}},
}
#: Each event of a stream: numbered tokens, then done, or error if the model fails mid-stream.
_STREAM = {
    "schema": {"oneOf": [_event("token", _TOKEN_DATA, numbered=True), _event("done", _DONE_DATA), _event("error", _ERROR_DATA)]},
    "example": 'id: 1\r\nevent: token\r\ndata: {"text":"Hello"}\r\n\r\n',
}
_SSE = {200: {"description": "Server-Sent Events: token..., then done or error", "content": {"text/event-stream": _STREAM}}}
#: Every route: a client over the connection bound gets 503 (see coursekit.server.connections).
_ANY = {503: _error("Too many open connections: try again after Retry-After.", "Retry-After")}
#: Every route with a JSON body.
_BODY = {
    400: _error("The body is not valid JSON."),
    408: _error("The body did not arrive in time."),
    413: _error("The body is larger than 64 KiB."),
    422: _error("A field is missing, of the wrong type, empty or too long: see details."),
    **_ANY,
}
_PROTECTED = {
    401: _error("No token, or an invalid or expired one.", "WWW-Authenticate"),
    429: _error("The model provider is limiting requests.", "Retry-After"),
    502: _error("The model provider failed before answering."),
    **_BODY,
}


def _model(request: Request) -> BaseChatModel:
    return request.app.state.model


def _streams(request: Request) -> StreamTracker:
    return request.app.state.streams


_LOGIN = {
    401: _error("Wrong username or password."),
    429: _error("Too many wrong passwords for this username from this address: wait Retry-After seconds.", "Retry-After"),
    **_BODY,
}


@router.post("/login", responses=_LOGIN)
async def login(body: LoginRequest, request: Request) -> TokenResponse:
    """Trade the username and password for a bearer token."""
    tokens: TokenService = request.app.state.tokens
    throttle: LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else ""
    throttle.check(address, body.username)
    if not tokens.credentials_match(body.username, body.password):
        throttle.failed(address, body.username)
        raise ApiError(401, "wrong_credentials")
    throttle.succeeded(address, body.username)
    return TokenResponse(access_token=tokens.issue(body.username), expires_in=tokens.ttl_seconds)


@router.post("/api/generate", responses={**_SSE, **_PROTECTED})
async def generate(body: GenerateRequest, request: Request, user: CurrentUser) -> EventSourceResponse:
    """Stream the answer to ``prompt`` as Server-Sent Events."""
    return await event_stream_response(_model(request), body.prompt, _streams(request), request_language(request))


_CHAT_OK = {200: {"description": "One JSON reply, or with \"stream\": true the events of /api/generate", "content": {"text/event-stream": _STREAM}}}


@router.post("/chat", response_model=ChatReply, responses={**_CHAT_OK, **_PROTECTED})
async def chat(body: ChatRequest, request: Request, user: CurrentUser) -> ChatReply | EventSourceResponse:
    """One reply as JSON, or, with ``"stream": true``, the same events as ``/api/generate``."""
    if body.stream:
        return await event_stream_response(_model(request), body.message, _streams(request), request_language(request))
    try:
        reply = await _model(request).ainvoke([HumanMessage(body.message)])
    except Exception as error:
        raise upstream_error(error) from error
    return ChatReply(
        reply=reply.text,
        finish_reason=reply.response_metadata.get("finish_reason"),
        usage=getattr(reply, "usage_metadata", None),
    )


@router.get("/health", responses=_ANY)
async def health(request: Request) -> Health:
    """Liveness, how many streams are open right now, and which worker answered."""
    return Health(active_streams=_streams(request).active, worker=WORKER)
