"""A page with both browser clients: EventSource (GET, reconnects) and fetch() (POST, Bearer, stop)."""

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI, Header, HTTPException
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sse_starlette import EventSourceResponse, JSONServerSentEvent

from coursekit import FakeStreamingChatModel
from coursekit.guides import ROOT
from coursekit.server import BackgroundServer

SNIPPETS = ROOT / "modules" / "day3_sse" / "snippets"  # where the two .js files live
DEMO_TOKEN = "let-me-in"  # day 3's API section replaces this with a real login and JWTs
ANSWER = " ".join(
    ["Server-Sent Events push every token down one open HTTP response, and the page shows it at once."] * 4
)
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Day 3: SSE in the browser</title></head>
<body>
  <h2>EventSource (GET, reconnects by itself)</h2>
  <button id="listen">Listen</button> status: <span id="es-status">idle</span>,
  reconnections: <span id="es-reconnects">0</span>
  <p id="es-output"></p>
  <h2>fetch() with a Bearer token (POST, stop button)</h2>
  <input id="token" value="let-me-in" aria-label="Token">
  <button id="send">Send</button> <button id="stop" disabled>Stop</button>
  status: <span id="fetch-status">idle</span>
  <p id="fetch-output"></p>
  <script src="/eventsource_client.js"></script>
  <script src="/fetch_client.js"></script>
</body></html>
"""

model = FakeStreamingChatModel.realistic(responses=[ANSWER])
app = FastAPI()
bearer = HTTPBearer(auto_error=False)


async def token_events(prompt: str, skip: int = 0, drop_after: int | None = None) -> AsyncIterator[JSONServerSentEvent]:
    """Token events with ids; ``skip`` resumes after a reconnection, ``drop_after`` simulates a cut."""
    tokens = 0
    finished = False
    try:
        async for chunk in model.astream(prompt):
            if not chunk.text:
                continue
            tokens += 1
            if tokens <= skip:
                continue  # the browser has it already (a real server would keep what it sent)
            # retry: how long the browser waits before reconnecting, in ms (its default is ~3 s)
            yield JSONServerSentEvent({"text": chunk.text}, event="token", id=str(tokens), retry=500)
            if tokens == drop_after:
                return  # the response ends without "done": to the browser, a dropped connection
        yield JSONServerSentEvent({"tokens": tokens}, event="done")
        finished = True
    finally:
        if not finished:
            print(f"server: the stream closed after token {tokens}, before done", flush=True)


@app.get("/", response_class=HTMLResponse)
async def page() -> str:
    return PAGE


@app.get("/{name}.js")
async def script(name: str) -> FileResponse:
    if name not in ("eventsource_client", "fetch_client"):
        raise HTTPException(404)
    return FileResponse(SNIPPETS / f"{name}.js", media_type="text/javascript")


@app.get("/events")
async def events(
    prompt: str, drop_after: int | None = None, last_event_id: Annotated[int, Header()] = 0
) -> EventSourceResponse:
    # EventSource sends Last-Event-ID when it reconnects; then there is nothing more to drop.
    return EventSourceResponse(token_events(prompt, skip=last_event_id, drop_after=None if last_event_id else drop_after))


class GenerateRequest(BaseModel):
    prompt: str


@app.post("/generate")
async def generate(
    body: GenerateRequest, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> EventSourceResponse:
    if credentials is None or credentials.credentials != DEMO_TOKEN:
        raise HTTPException(401, "Send Authorization: Bearer let-me-in", headers={"WWW-Authenticate": "Bearer"})
    return EventSourceResponse(token_events(body.prompt))


with BackgroundServer(app) as url:
    for name in ("eventsource_client.js", "fetch_client.js"):
        response = httpx.get(f"{url}/{name}")
        print(f"GET /{name} -> {response.status_code} {response.headers['content-type']}")
    print(f"Open {url}/ in your browser.", flush=True)
    input("Press Enter to stop the server.\n")
print("Server stopped.")
