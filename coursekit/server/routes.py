"""The JSON and SSE endpoints: log in, generate, chat, health."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage
from sse_starlette import EventSourceResponse

from coursekit.server.auth import TokenService, current_user
from coursekit.server.errors import ApiError
from coursekit.server.language import request_language
from coursekit.server.schemas import ChatReply, ChatRequest, GenerateRequest, Health, LoginRequest, TokenResponse
from coursekit.server.streaming import StreamTracker, event_stream_response, upstream_error

router = APIRouter()

CurrentUser = Annotated[str, Depends(current_user)]
_ERROR = {"description": 'JSON: {"error": {"code", "message"}}'}
_SSE = {200: {"description": "Server-Sent Events: token..., then done or error", "content": {"text/event-stream": {}}}}


def _model(request: Request) -> BaseChatModel:
    return request.app.state.model


def _streams(request: Request) -> StreamTracker:
    return request.app.state.streams


@router.post("/login", responses={401: _ERROR, 422: _ERROR})
async def login(body: LoginRequest, request: Request) -> TokenResponse:
    """Trade the username and password for a bearer token."""
    tokens: TokenService = request.app.state.tokens
    if not tokens.credentials_match(body.username, body.password):
        raise ApiError(401, "wrong_credentials")
    return TokenResponse(access_token=tokens.issue(body.username), expires_in=tokens.ttl_seconds)


@router.post("/api/generate", responses={**_SSE, 401: _ERROR, 422: _ERROR, 429: _ERROR, 502: _ERROR})
async def generate(body: GenerateRequest, request: Request, user: CurrentUser) -> EventSourceResponse:
    """Stream the answer to ``prompt`` as Server-Sent Events."""
    return await event_stream_response(_model(request), body.prompt, _streams(request), request_language(request))


@router.post("/chat", response_model=ChatReply, responses={**_SSE, 401: _ERROR, 422: _ERROR, 429: _ERROR, 502: _ERROR})
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


@router.get("/health")
async def health(request: Request) -> Health:
    """Liveness, and how many streams are open right now."""
    return Health(active_streams=_streams(request).active)
