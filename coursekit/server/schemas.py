"""Request and response bodies. Strict types, so ``{"prompt": 42}`` is an error, not ``"42"``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictStr
from pydantic_core import PydanticCustomError

#: Longest prompt or chat message accepted, in characters. Longer ones get a 422 at once
#: instead of a slow, expensive upstream call that would likely fail anyway.
MAX_PROMPT_CHARS = 4000


def _not_blank(text: str) -> str:
    if not text.strip():
        raise PydanticCustomError("string_blank", "Text must not be blank")
    return text


PromptText = Annotated[StrictStr, Field(min_length=1, max_length=MAX_PROMPT_CHARS), AfterValidator(_not_blank)]


class LoginRequest(BaseModel):
    username: StrictStr
    password: StrictStr


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    """Seconds until the token expires; log in again after that."""


class GenerateRequest(BaseModel):
    prompt: PromptText


class ChatRequest(BaseModel):
    message: PromptText
    stream: StrictBool = False


class ChatReply(BaseModel):
    reply: str
    finish_reason: str | None
    usage: dict[str, Any] | None


class FormAnswer(BaseModel):
    """The object ``POST /api/form`` asks the model for, checked once the model has written all of it.

    Strict, so ``"confidence": "0.9"`` is an answer that does not fit, not a number; keys it does
    not know are let through (the page shows only these four).
    """

    model_config = ConfigDict(strict=True)

    topic: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1)
    key_points: list[str] = Field(max_length=20)
    confidence: float = Field(ge=0, le=1)


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    active_streams: int
    """Streams this worker is sending right now."""
    worker: str
    """Which process answered, ``host/pid``: behind a load balancer, or with ``--workers``, they differ."""


class FieldProblem(BaseModel):
    field: str
    message: str


class ErrorInfo(BaseModel):
    code: str
    """Stable, for programs to branch on: ``invalid_json``, ``wrong_credentials``, ``too_many_logins``..."""
    message: str
    """For people, in the request's language."""
    details: list[FieldProblem] | None = None
    """422 only: one entry per field that is wrong."""


class ErrorResponse(BaseModel):
    """The one shape of every error the server answers."""

    error: ErrorInfo
