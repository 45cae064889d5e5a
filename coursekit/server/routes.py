"""The JSON and SSE endpoints: log in, generate, chat, health.

What each route can answer, errors included, is documented in :mod:`coursekit.server.responses`.
"""

from __future__ import annotations

import os
import socket
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage
from sse_starlette import EventSourceResponse

from coursekit.server.auth import TokenService, current_user
from coursekit.server.errors import ApiError
from coursekit.server.language import request_language
from coursekit.server.responses import ANY_ROUTE, CHAT_OK, LOGIN, PROTECTED, STREAM_OK
from coursekit.server.schemas import (
    ChatReply,
    ChatRequest,
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


def _model(request: Request) -> BaseChatModel:
    return request.app.state.model


def _streams(request: Request) -> StreamTracker:
    return request.app.state.streams


@router.post("/login", responses=LOGIN)
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


@router.post("/api/generate", responses={**STREAM_OK, **PROTECTED})
async def generate(body: GenerateRequest, request: Request, user: CurrentUser) -> EventSourceResponse:
    """Stream the answer to ``prompt`` as Server-Sent Events."""
    return await event_stream_response(_model(request), body.prompt, _streams(request), request_language(request))


@router.post("/chat", response_model=ChatReply, responses={**CHAT_OK, **PROTECTED})
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


@router.get("/health", responses=ANY_ROUTE)
async def health(request: Request) -> Health:
    """Liveness, how many streams are open right now, and which worker answered."""
    return Health(active_streams=_streams(request).active, worker=WORKER)
