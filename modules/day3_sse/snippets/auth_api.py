"""An authenticated streaming API: POST /login gives a JWT, /api/generate and /chat check it."""

import asyncio
import secrets
import time
from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from httpx_sse import aconnect_sse
from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent

from coursekit import FakeStreamingChatModel
from coursekit.server import BackgroundServer

# --- settings: in real life these come from the environment, never from the code ----------
SECRET = secrets.token_urlsafe(32)  # signs the tokens; a new one at every start logs everyone out
USERS = {"admin": "admin123"}  # demo only: store password hashes (argon2, bcrypt), not passwords
TOKEN_SECONDS = 3600

model: BaseChatModel = FakeStreamingChatModel.realistic(
    rules={"SSE": "Server-Sent Events stream one-way updates over plain HTTP."},
    responses=["JSON when you wait, events when you stream."],
)
app = FastAPI()


class Login(BaseModel):
    username: str
    password: str


class GenerateRequest(BaseModel):
    prompt: str


class ChatRequest(BaseModel):
    message: str
    stream: bool = False


@app.post("/login")
async def login(body: Login) -> dict[str, str]:
    known = USERS.get(body.username)  # None for an unknown user: never compare it with "" or a default
    if known is None or not secrets.compare_digest(known.encode(), body.password.encode()):  # constant time
        raise HTTPException(401, "Wrong username or password")  # one answer for both: no hints
    claims = {"sub": body.username, "exp": int(time.time()) + TOKEN_SECONDS}
    return {"access_token": jwt.encode(claims, SECRET, algorithm="HS256"), "token_type": "bearer"}


bearer = HTTPBearer(auto_error=False)


def get_current_user(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
    """The user named in a valid token, or a 401 that tells the client to log in."""
    if credentials is None:
        raise HTTPException(401, "Missing Authorization: Bearer <token>", headers={"WWW-Authenticate": "Bearer"})
    try:
        claims = jwt.decode(credentials.credentials, SECRET, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.InvalidTokenError as error:  # expired, tampered with, signed with another secret, incomplete
        # The library's reason ("Not enough segments", "Signature has expired") stays on the server.
        raise HTTPException(401, "Invalid token", headers={"WWW-Authenticate": "Bearer"}) from error
    return claims["sub"]


CurrentUser = Annotated[str, Depends(get_current_user)]


async def token_events(text: str) -> AsyncIterator[JSONServerSentEvent]:
    tokens = 0
    async for chunk in model.astream(text):
        if chunk.text:
            tokens += 1
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens))
    yield JSONServerSentEvent({"tokens": tokens}, event="done")


@app.post("/api/generate")
async def generate(body: GenerateRequest, user: CurrentUser) -> EventSourceResponse:
    """Always streams."""
    return EventSourceResponse(token_events(body.prompt))


@app.post("/chat", response_model=None)
async def chat(body: ChatRequest, user: CurrentUser) -> dict[str, str] | EventSourceResponse:
    """Streams when asked to; otherwise one JSON reply."""
    if body.stream:
        return EventSourceResponse(token_events(body.message))
    answer = await model.ainvoke(body.message)
    return {"reply": answer.text}


# --- a client: the same calls as the curl commands in the guide ----------------------------
async def print_events(client: httpx.AsyncClient, path: str, body: dict, headers: dict) -> None:
    async with aconnect_sse(client, "POST", path, json=body, headers=headers) as source:
        async for sse in source.aiter_sse():
            print(f"  {sse.event}: {sse.data}")


async def main() -> None:
    with BackgroundServer(app) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            response = await client.post("/api/generate", json={"prompt": "hi"})
            print("no token:", response.status_code, response.json())

            response = await client.post("/login", json={"username": "admin", "password": "admin123"})
            headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
            print("logged in, token type:", response.json()["token_type"])

            print("POST /api/generate:")
            await print_events(client, "/api/generate", {"prompt": "What is SSE?"}, headers)
            response = await client.post("/chat", json={"message": "And JSON?"}, headers=headers)
            print("POST /chat:", response.headers["content-type"], response.json())
            print('POST /chat with "stream": true:')
            await print_events(client, "/chat", {"message": "And JSON?", "stream": True}, headers)


asyncio.run(main())
