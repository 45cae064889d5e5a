"""When things go wrong: the client leaves, the model fails before or during the stream."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from httpx_sse import aconnect_sse, connect_sse
from langchain_core.messages import BaseMessage

from coursekit.errors import StreamInterruptedError
from coursekit.i18n import t
from coursekit.replies import last_human_text
from coursekit.testing import CHUNK_LAYOUTS, ProbeModel

LONG_ANSWER = " ".join(f"word{n}" for n in range(200))


class FailsWhenAsked(ProbeModel):
    """Breaks mid-stream (after 3 text chunks, whatever empty chunks the layout adds) only when
    the prompt says "break", so one server can serve a failing request and healthy ones side by side."""

    def _paced_chunks(self, messages: list[BaseMessage], stop: list[str] | None, **kwargs: Any):  # type: ignore[override]
        breaks = "break" in last_human_text(messages)
        texts = 0
        for delay, chunk in super()._paced_chunks(messages, stop, **kwargs):
            if chunk.text:
                if breaks and texts == 3:
                    raise StreamInterruptedError(texts)
                texts += 1
            yield delay, chunk


class BrokenProvider(ProbeModel):
    """Fails before the first token with an unexpected error, like a provider with a bad model name."""

    def _paced_chunks(self, messages, stop, **kwargs):  # type: ignore[override]
        raise RuntimeError("secret internal detail: upstream said 404 for model xyz")
        yield  # pragma: no cover - makes this a generator, as the parent is


def events_of(url: str, body: dict, headers: dict[str, str]) -> list[tuple[str, dict]]:
    with httpx.Client(timeout=30.0) as http, connect_sse(http, "POST", f"{url}/api/generate", json=body, headers=headers) as source:
        return [(sse.event, json.loads(sse.data)) for sse in source.iter_sse()]


async def test_client_disconnect_cancels_the_model_stream(serve, auth, client, idle):
    probe = ProbeModel(responses=[LONG_ANSWER], token_delay=0.05)
    url = serve(probe)
    async with aconnect_sse(client, "POST", f"{url}/api/generate", json={"prompt": "hi"}, headers=auth(url)) as source:
        events = source.aiter_sse()  # keep a reference: dropping it would close the stream early
        assert [(await anext(events)).event for _ in range(3)] == ["token"] * 3
        assert (await client.get(f"{url}/health")).json()["active_streams"] == 1
        assert probe.record.outcome == "running"
    # Leaving the block closed the connection mid-stream.
    await asyncio.to_thread(idle, url)

    record = probe.record
    assert record.outcome in {"cancelled", "closed"}, record.outcome
    assert len(record.chunks) < len(LONG_ANSWER.split()), "the model kept producing after the client left"


@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_mid_stream_failure_becomes_an_error_event(serve, auth, idle, layout):
    probe = FailsWhenAsked(responses=[LONG_ANSWER], token_delay=0.0, chunk_layout=layout)
    url = serve(probe)
    headers = auth(url)
    events = events_of(url, {"prompt": "please break"}, headers)

    assert [kind for kind, _ in events] == ["token"] * 3 + ["error"]
    error = events[-1][1]["error"]
    assert error["code"] == "stream_interrupted"
    assert error["message"] == t("server.stream_interrupted", "en")
    assert error["tokens"] == 3
    assert isinstance(probe.records[0].error, StreamInterruptedError)
    idle(url)

    # The same server goes on serving.
    healthy = events_of(url, {"prompt": "hello"}, headers)
    assert healthy[-1][0] == "done"
    assert "".join(data["text"] for kind, data in healthy if kind == "token") == LONG_ANSWER


async def test_a_failing_stream_does_not_disturb_others(serve, auth, client):
    probe = FailsWhenAsked(responses=["one two three four five six seven eight"], token_delay=0.02)
    url = serve(probe)
    headers = auth(url)

    async def last_event(prompt: str) -> str:
        async with aconnect_sse(client, "POST", f"{url}/api/generate", json={"prompt": prompt}, headers=headers) as source:
            return [sse.event async for sse in source.aiter_sse()][-1]

    prompts = ["break it", "fine 1", "break again", "fine 2", "fine 3"]
    assert await asyncio.gather(*(last_event(p) for p in prompts)) == ["error", "done", "error", "done", "done"]


def test_rate_limit_before_the_stream_is_a_429(serve, auth):
    url = serve(ProbeModel(rate_limited=True))
    headers = auth(url)
    for path, body in [("/api/generate", {"prompt": "hi"}), ("/chat", {"message": "hi", "stream": True}), ("/chat", {"message": "hi"})]:
        response = httpx.post(f"{url}{path}", json=body, headers=headers)
        assert response.status_code == 429, (path, body, response.text)
        assert response.headers["content-type"] == "application/json"
        assert response.headers["retry-after"] == "1"
        assert response.json()["error"] == {"code": "rate_limited", "message": t("server.rate_limited", "en", seconds=1)}


def test_provider_failure_before_the_stream_is_a_502_without_details(serve, auth, idle):
    url = serve(BrokenProvider())
    headers = auth(url)
    for path, body in [("/api/generate", {"prompt": "hi"}), ("/chat", {"message": "hi"})]:
        response = httpx.post(f"{url}{path}", json=body, headers=headers)
        assert response.status_code == 502
        assert response.json()["error"]["code"] == "upstream_failed"
        assert "secret internal detail" not in response.text
    health = httpx.get(f"{url}/health").json()
    assert (health["status"], health["active_streams"]) == ("ok", 0)
