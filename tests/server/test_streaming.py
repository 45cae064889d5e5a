"""The happy path over real HTTP: events arrive one by one, well-formed, for many clients at once."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from httpx_sse import aconnect_sse, connect_sse
from sse_starlette import JSONServerSentEvent, ServerSentEvent

from coursekit.replies import tokenize
from coursekit.server.streaming import token_frame
from coursekit.sse import sse_frame
from coursekit.testing import ProbeModel, Received, assert_incremental

ANSWER = "Server-Sent Events push each token to the browser as soon as the model writes it, over one response."


def read_events(url: str, path: str, body: dict, headers: dict[str, str]) -> list[tuple[str, dict, str]]:
    """(event, data, id) for every event of one stream."""
    with httpx.Client(timeout=30.0) as http, connect_sse(http, "POST", f"{url}{path}", json=body, headers=headers) as source:
        return [(sse.event, json.loads(sse.data), sse.id) for sse in source.iter_sse()]


def test_tokens_arrive_while_the_model_is_still_writing(serve, auth):
    probe = ProbeModel(responses=[ANSWER], time_to_first_token=0.05, token_delay=0.05)
    url = serve(probe)
    received = Received()
    with httpx.Client(timeout=30.0) as http, connect_sse(
        http, "POST", f"{url}/api/generate", json={"prompt": "What is SSE?"}, headers=auth(url)
    ) as source:
        for sse in source.iter_sse():
            if sse.event == "token":
                received(json.loads(sse.data)["text"])

    assert received.text == ANSWER
    # The first token reached the client before the model produced its last chunk: streamed,
    # not buffered. Ordering, not timing, so a slow machine cannot make it flake.
    assert_incremental(received, probe)
    # Several tokens, not just one, arrived while the model was still writing (~1 s of slack).
    last_chunk = probe.record.chunks[-1].seq
    assert sum(update.seq < last_chunk for update in received.updates) >= 3


def test_stream_format_ids_done_and_headers(serve, auth):
    url = serve(ProbeModel(responses=[ANSWER], token_delay=0.0))
    with httpx.Client() as http, connect_sse(
        http, "POST", f"{url}/api/generate", json={"prompt": "hi"}, headers=auth(url)
    ) as source:
        headers = source.response.headers
        events = [(sse.event, json.loads(sse.data), sse.id) for sse in source.iter_sse()]

    assert headers["content-type"].startswith("text/event-stream")
    assert headers["cache-control"] == "no-cache"
    assert headers["x-accel-buffering"] == "no"
    tokens = [event for event in events if event[0] == "token"]
    # The model's last chunk is empty (it only carries metadata): it must not become an event.
    assert [data["text"] for _, data, _ in tokens] == tokenize(ANSWER)
    assert all(data["text"] for _, data, _ in tokens)
    assert [event_id for _, _, event_id in tokens] == [str(n) for n in range(1, len(tokens) + 1)]
    kind, done, _ = events[-1]
    assert kind == "done"
    assert done["tokens"] == len(tokens)
    assert done["finish_reason"] == "stop"
    assert done["usage"]["output_tokens"] == len(tokens)
    assert [kind for kind, _, _ in events].count("done") == 1


def test_chat_streams_when_asked(serve, auth):
    url = serve(ProbeModel(responses=[ANSWER], token_delay=0.0))
    events = read_events(url, "/chat", {"message": "hi", "stream": True}, auth(url))
    assert "".join(data["text"] for kind, data, _ in events if kind == "token") == ANSWER
    assert events[-1][0] == "done"


def test_chat_answers_in_one_json_when_not_streaming(serve, auth):
    probe = ProbeModel(responses=[ANSWER], token_delay=0.0)
    url = serve(probe)
    response = httpx.post(f"{url}/chat", json={"message": "hi", "stream": False}, headers=auth(url))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["reply"] == ANSWER
    assert body["finish_reason"] == "stop"
    assert body["usage"]["output_tokens"] == len(tokenize(ANSWER))
    assert probe.record.via == "invoke"


def test_chat_stream_defaults_to_false(serve, auth):
    url = serve(ProbeModel(responses=[ANSWER], token_delay=0.0))
    response = httpx.post(f"{url}/chat", json={"message": "hi"}, headers=auth(url))
    assert response.json()["reply"] == ANSWER


async def test_fifty_concurrent_streams_all_complete(serve, auth, client, idle):
    probe = ProbeModel(rules={r"client (\d+)": "Hello, client! Here are your tokens, one by one."}, token_delay=0.01)
    url = serve(probe)
    headers = auth(url)

    async def one_stream(number: int) -> tuple[str, str]:
        texts, last = [], ""
        async with aconnect_sse(
            client, "POST", f"{url}/api/generate", json={"prompt": f"client {number}"}, headers=headers
        ) as source:
            async for sse in source.aiter_sse():
                last = sse.event
                if sse.event == "token":
                    texts.append(json.loads(sse.data)["text"])
        return "".join(texts), last

    results = await asyncio.gather(*(one_stream(n) for n in range(50)))

    assert all(result == ("Hello, client! Here are your tokens, one by one.", "done") for result in results)
    assert len(probe.records) == 50
    assert all(record.outcome == "completed" for record in probe.records)
    # The streams really overlapped: some started before another one finished.
    first_end = min(record.ended.seq for record in probe.records)
    assert sum(record.started.seq < first_end for record in probe.records) > 1
    idle(url)


@pytest.mark.parametrize("text", ["Hi", ' line\nbreak, "quotes" and \\ ', "cr\rlf\r\n", "a\u2028b ünïcode", ""])
def test_token_frames_are_the_bytes_sse_starlette_would_write(text: str) -> None:
    """The server encodes token events itself (the hot path); they must match the library's, byte for byte."""
    expected = JSONServerSentEvent({"text": text}, event="token", id="12").encode()
    assert token_frame(text, 12) == expected
    assert expected.count(b"\r\n\r\n") == 1 and expected.endswith(b"\r\n\r\n")


@pytest.mark.parametrize(("data", "event", "id"), [("one", None, None), ("two\nlines", "note", 3), ("", "done", None), ("a\r\nb", None, "x")])
def test_the_course_encoder_writes_what_sse_starlette_writes(data: str, event: str | None, id: int | str | None) -> None:
    """One encoder for the server and the stub, the same bytes as the library's."""
    assert sse_frame(data, event=event, id=id) == ServerSentEvent(data=data, event=event, id=None if id is None else str(id)).encode()
