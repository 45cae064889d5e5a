"""The local OpenAI-compatible stub: wire format, incremental delivery, faults, bad input, CLI.

Client libraries are lenient parsers, so these tests read the raw SSE events with httpx-sse and
hold the stub to what OpenAI actually sends.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from httpx_sse import connect_sse
from langchain_core.callbacks import BaseCallbackHandler
from langchain_openai import ChatOpenAI

from coursekit.fake_model import CHUNK_LAYOUTS, FakeStreamingChatModel
from coursekit.i18n import t
from coursekit.openai_stub import serve_openai_stub
from coursekit.replies import tokenize

REPLY = "Tokens travel one by one, and the reader sees them at once."
PIECES = tokenize(REPLY)
QUESTION = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "How does streaming feel?"}]
REPO_ROOT = Path(__file__).resolve().parents[1]


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather in a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
WEATHER_QUESTION = [{"role": "user", "content": "What is the weather in 'Recife'?"}]


@pytest.fixture(scope="module")
def stub_url() -> Iterator[str]:
    with serve_openai_stub(FakeStreamingChatModel(responses=[REPLY])) as base_url:
        yield base_url


@pytest.fixture(scope="module", params=CHUNK_LAYOUTS)
def any_layout_stub_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A stub whose model streams in each layout in turn: the wire must not change."""
    with serve_openai_stub(FakeStreamingChatModel(responses=[REPLY], chunk_layout=request.param)) as base_url:
        yield base_url


def stream_events(base_url: str, **body: Any) -> list[str]:
    """The ``data`` field of every SSE event of one streamed completion."""
    request = {"model": "stub-model", "messages": QUESTION, "stream": True, **body}
    with httpx.Client() as client, connect_sse(client, "POST", f"{base_url}/chat/completions", json=request) as source:
        assert source.response.status_code == 200
        return [event.data for event in source.iter_sse()]


def test_stream_follows_the_openai_wire_format(any_layout_stub_url: str) -> None:
    data = stream_events(any_layout_stub_url, stream_options={"include_usage": True})
    assert data[-1] == "[DONE]"
    events = [json.loads(item) for item in data[:-1]]
    assert {e["object"] for e in events} == {"chat.completion.chunk"}
    assert len({e["id"] for e in events}) == 1
    assert {e["model"] for e in events} == {"stub-model"}
    opening, *text, finish, usage = events
    assert opening["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert [e["choices"][0]["delta"]["content"] for e in text] == PIECES
    assert all(e["choices"][0]["finish_reason"] is None for e in [opening, *text])
    assert finish["choices"] == [{"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}]
    assert usage["choices"] == []
    prompt_tokens = usage["usage"]["prompt_tokens"]
    assert prompt_tokens > 0
    assert usage["usage"] == {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": len(PIECES),
        "total_tokens": prompt_tokens + len(PIECES),
    }


def test_usage_is_sent_only_when_asked_for(any_layout_stub_url: str) -> None:
    data = stream_events(any_layout_stub_url)
    events = [json.loads(item) for item in data[:-1]]
    assert all("usage" not in e for e in events)
    assert events[-1]["choices"][0]["finish_reason"] == "stop"


@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_a_tool_call_streams_its_name_first_then_its_arguments(layout: str) -> None:
    with serve_openai_stub(FakeStreamingChatModel(chunk_layout=layout)) as base_url:
        data = stream_events(base_url, messages=WEATHER_QUESTION, tools=[WEATHER_TOOL], stream_options={"include_usage": True})
    assert data[-1] == "[DONE]"
    opening, *arguments, finish, usage = [json.loads(item) for item in data[:-1]]
    (header,) = opening["choices"][0]["delta"].pop("tool_calls")
    assert opening["choices"][0]["delta"] == {"role": "assistant", "content": None}
    assert header == {"index": 0, "id": header["id"], "type": "function", "function": {"name": "get_weather", "arguments": ""}}
    assert header["id"].startswith("call_")
    deltas = [e["choices"][0]["delta"] for e in arguments]
    assert len(deltas) >= 4 and all(set(delta) == {"tool_calls"} for delta in deltas)
    assert all(delta["tool_calls"][0].keys() == {"index", "function"} for delta in deltas)
    assert json.loads("".join(d["tool_calls"][0]["function"]["arguments"] for d in deltas)) == {"city": "Recife"}
    assert finish["choices"] == [{"index": 0, "delta": {}, "logprobs": None, "finish_reason": "tool_calls"}]
    assert usage["choices"] == [] and usage["usage"]["completion_tokens"] == len(deltas)


def test_a_forced_tool_choice_reaches_the_model(stub_url: str) -> None:
    other = {"type": "function", "function": {"name": "add", "parameters": {"type": "object", "properties": {}}}}
    body = {"model": "m", "messages": QUESTION, "tools": [other, WEATHER_TOOL]}
    body["tool_choice"] = {"type": "function", "function": {"name": "get_weather"}}
    (call,) = httpx.post(f"{stub_url}/chat/completions", json=body).json()["choices"][0]["message"]["tool_calls"]
    assert call["function"]["name"] == "get_weather"
    body["tool_choice"] = "none"
    assert httpx.post(f"{stub_url}/chat/completions", json=body).json()["choices"][0]["message"]["content"] == REPLY


def test_a_non_streaming_tool_call_comes_whole(stub_url: str) -> None:
    body = {"model": "m", "messages": WEATHER_QUESTION, "tools": [WEATHER_TOOL], "tool_choice": "required"}
    choice = httpx.post(f"{stub_url}/chat/completions", json=body).json()["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    (call,) = choice["message"].pop("tool_calls")
    assert choice["message"] == {"role": "assistant", "content": None}
    assert call["type"] == "function" and call["id"].startswith("call_") and call["function"]["name"] == "get_weather"
    assert json.loads(call["function"]["arguments"]) == {"city": "Recife"}


@pytest.mark.parametrize("content", [{"content": None}, {}], ids=["content-null", "no-content"])
def test_a_conversation_can_carry_a_tool_call_and_its_result(stub_url: str, content: dict[str, Any]) -> None:
    """The assistant's tool call comes back with no text (ChatOpenAI leaves the content out), then the tool's answer."""
    call = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Recife"}'}}
    assistant = {"role": "assistant", "tool_calls": [call], **content}
    messages = [*WEATHER_QUESTION, assistant, {"role": "tool", "tool_call_id": "call_1", "content": "Sunny"}]
    response = httpx.post(f"{stub_url}/chat/completions", json={"model": "m", "messages": messages})
    assert response.status_code == 200, response.text
    assert response.json()["choices"][0]["message"] == {"role": "assistant", "content": REPLY}


def test_stop_sequences_cut_the_reply(stub_url: str) -> None:
    events = [json.loads(item) for item in stream_events(stub_url, stop=",")[:-1]]
    text = "".join(e["choices"][0]["delta"].get("content", "") for e in events if e["choices"])
    assert text == REPLY.split(",")[0]


def test_non_streaming_completion(stub_url: str) -> None:
    response = httpx.post(f"{stub_url}/chat/completions", json={"model": "stub-model", "messages": QUESTION})
    assert response.status_code == 200
    completion = response.json()
    assert completion["object"] == "chat.completion"
    assert completion["choices"][0]["message"] == {"role": "assistant", "content": REPLY}
    assert completion["choices"][0]["finish_reason"] == "stop"
    assert completion["usage"]["completion_tokens"] == len(PIECES)


class FinishedFlag(BaseCallbackHandler):
    def __init__(self) -> None:
        self.finished = threading.Event()

    def on_llm_end(self, response: object, **kwargs: object) -> None:
        self.finished.set()


def test_chunks_leave_the_server_while_the_model_is_still_writing() -> None:
    flag = FinishedFlag()
    model = FakeStreamingChatModel(responses=[REPLY], token_delay=0.05, callbacks=[flag])
    request = {"model": "stub-model", "messages": QUESTION, "stream": True}
    with (
        serve_openai_stub(model) as base_url,
        httpx.Client() as client,
        connect_sse(client, "POST", f"{base_url}/chat/completions", json=request) as source,
    ):
        events = source.iter_sse()
        first_text = next(e for e in events if json.loads(e.data)["choices"][0]["delta"].get("content"))
        # Generous: the model needs ~0.05 s per remaining token before it finishes.
        assert not flag.finished.is_set(), "the first chunk arrived only after the model had finished"
        assert [e.data for e in events][-1] == "[DONE]"
    assert json.loads(first_text.data)["choices"][0]["delta"]["content"] == PIECES[0]
    assert flag.finished.is_set()


def test_failure_mid_stream_drops_the_connection_after_some_chunks() -> None:
    received: list[str] = []
    with serve_openai_stub(FakeStreamingChatModel(responses=[REPLY], error_after=2)) as base_url:
        request = {"model": "m", "messages": QUESTION, "stream": True}
        with httpx.Client() as client, connect_sse(client, "POST", f"{base_url}/chat/completions", json=request) as source:
            with pytest.raises(httpx.RemoteProtocolError):
                for event in source.iter_sse():
                    received.append(event.data)
        failed = httpx.post(f"{base_url}/chat/completions", json={"model": "m", "messages": QUESTION})
    contents = [json.loads(d)["choices"][0]["delta"].get("content") for d in received]
    assert [c for c in contents if c] == PIECES[:2]
    assert "[DONE]" not in received
    assert failed.status_code == 500
    assert failed.json()["error"]["type"] == "server_error"


def test_rate_limit_is_a_429_before_the_stream_starts() -> None:
    with serve_openai_stub(FakeStreamingChatModel(rate_limited=True)) as base_url:
        body = {"model": "m", "messages": QUESTION, "stream": True}
        response = httpx.post(f"{base_url}/chat/completions", json=body)
        model = ChatOpenAI(model="m", api_key="stub", base_url=base_url, max_retries=0)
        with pytest.raises(openai.RateLimitError):
            list(model.stream("hi"))
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"
    assert response.json()["error"]["type"] == "rate_limit_exceeded"


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        pytest.param({"messages": QUESTION}, "model", id="no-model"),
        pytest.param({"model": "m", "messages": []}, "messages", id="no-messages"),
        pytest.param({"model": "m", "messages": [{"role": "robot", "content": "hi"}]}, "role", id="unknown-role"),
        pytest.param({"model": "m", "messages": [{"role": "tool", "content": "42"}]}, "tool_call_id", id="tool-without-id"),
        pytest.param("{not json", "json", id="not-json"),
    ],
)
def test_bad_requests_get_a_400_with_an_openai_style_message(stub_url: str, body: Any, mentions: str) -> None:
    if isinstance(body, str):
        response = httpx.post(f"{stub_url}/chat/completions", content=body, headers={"content-type": "application/json"})
    else:
        response = httpx.post(f"{stub_url}/chat/completions", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert mentions in error["message"].lower()


def test_command_line_serves_until_ctrl_c() -> None:
    command = [sys.executable, "-m", "coursekit.openai_stub", "--port", "0", "--latency", "none", "--lang", "pt"]
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = process.stdout.readline()
        base_url = re.search(r"http://127\.0\.0\.1:\d+/v1", banner).group(0)
        assert banner.strip() == t("providers.stub_running", "pt", url=base_url)
        assert f"OPENAI_BASE_URL={base_url}" in process.stdout.readline()
        response = httpx.post(f"{base_url}/chat/completions", json={"model": "m", "messages": QUESTION})
        assert response.status_code == 200 and response.json()["choices"][0]["message"]["content"]
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors


# --- JSON: response_format and json_fault on the wire ----------------------------------------

CITY_SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "population": {"type": "integer"}},
    "required": ["name", "population"],
}
JSON_SCHEMA_FORMAT = {"type": "json_schema", "json_schema": {"name": "City", "schema": CITY_SCHEMA, "strict": True}}
CITY_QUESTION = [{"role": "user", "content": "Tell me about 'Rio' and its 6 million people."}]


def streamed_text(base_url: str, **body: Any) -> tuple[list[str], str | None]:
    """The content deltas of one streamed completion, and its finish_reason."""
    events = [json.loads(item) for item in stream_events(base_url, **body)[:-1]]
    deltas = [e["choices"][0]["delta"].get("content") for e in events if e["choices"]]
    finish = [e["choices"][0]["finish_reason"] for e in events if e["choices"] and e["choices"][0]["finish_reason"]]
    return [delta for delta in deltas if delta], finish[0] if finish else None


@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_a_json_schema_response_format_streams_an_instance_in_tokenizer_pieces(layout: str) -> None:
    with serve_openai_stub(FakeStreamingChatModel(chunk_layout=layout)) as base_url:
        pieces, finish = streamed_text(base_url, messages=CITY_QUESTION, response_format=JSON_SCHEMA_FORMAT)
        whole = httpx.post(
            f"{base_url}/chat/completions", json={"model": "m", "messages": CITY_QUESTION, "response_format": JSON_SCHEMA_FORMAT}
        ).json()
    text = "".join(pieces)
    assert json.loads(text) == {"name": "Rio", "population": 6}
    assert pieces == tokenize(text) and pieces[:4] == ["{\n", " ", ' "', "name"]
    assert finish == "stop" and whole["choices"][0]["message"]["content"] == text


def test_json_object_mode_answers_with_a_json_object() -> None:
    with serve_openai_stub(FakeStreamingChatModel()) as base_url:
        pieces, _ = streamed_text(base_url, messages=CITY_QUESTION, response_format={"type": "json_object"})
        plain, _ = streamed_text(base_url, messages=CITY_QUESTION, response_format={"type": "text"})
    assert isinstance(json.loads("".join(pieces)), dict)
    with pytest.raises(json.JSONDecodeError):
        json.loads("".join(plain))  # the same question without JSON mode gets prose


@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_a_truncated_answer_reaches_the_wire_as_finish_reason_length(layout: str) -> None:
    """The server sends what it has and says why it stopped; only a client may refuse to parse it."""
    model = FakeStreamingChatModel(chunk_layout=layout, json_fault="truncated")
    with serve_openai_stub(model) as base_url:
        pieces, finish = streamed_text(base_url, messages=CITY_QUESTION, response_format=JSON_SCHEMA_FORMAT)
    assert finish == "length"
    with pytest.raises(json.JSONDecodeError):
        json.loads("".join(pieces))
    assert '{\n  "name": "Rio",\n  "population": 6\n}'.startswith("".join(pieces))


def test_prose_around_the_json_reaches_the_wire() -> None:
    with serve_openai_stub(FakeStreamingChatModel(json_fault="prose")) as base_url:
        pieces, finish = streamed_text(base_url, messages=CITY_QUESTION, response_format=JSON_SCHEMA_FORMAT)
    assert "".join(pieces).startswith("Sure! Here is the JSON you asked for:\n\n{") and finish == "stop"
