"""Drift guard: the fake's chunk layouts are the real clients' layouts, measured over the local stub.

ChatOpenAI (``stream_usage=True``) and ChatMaritaca stream from :mod:`coursekit.openai_stub`;
the fake streams the same reply in the matching ``chunk_layout``. Each chunk is reduced to its
shape, never its text: whether it carries text or a tool-call piece, which ``response_metadata``
keys (with ``finish_reason`` and the model's name), which usage keys, its ``chunk_position``.
When a client upgrade moves its metadata, these tests fail and show the old and new layouts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk
from langchain_core.tools import tool
from langchain_maritaca import ChatMaritaca
from langchain_openai import ChatOpenAI
from pydantic import ValidationError

from coursekit.fake_model import CHUNK_LAYOUTS, FakeStreamingChatModel
from coursekit.openai_stub import serve_openai_stub
from coursekit.replies import tokenize

REPLY = "Metadata travels on its own chunks, so read it from the sum of the stream."
QUESTION = "Where is the metadata?"
WEATHER_QUESTION = "What is the weather in 'Recife'?"
N = len(tokenize(REPLY))
CLIENT_MODEL = "stub-model"

# ChatOpenAI caches one async HTTP client per base URL across event loops (see test_providers.py).
same_loop = pytest.mark.asyncio(loop_scope="module")


@tool
def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"Sunny in {city}"


ARGUMENT_PIECES = len(tokenize('{"city": "Recife"}'))

#: What each real client sends, run by run, as measured (langchain-openai 1.7.3, langchain-maritaca 0.4.1).
MEASURED = {
    ("openai", "text"): [
        "empty meta{model_provider}",
        f"text meta{{model_provider}} ×{N}",
        "empty meta{finish_reason=stop,model_name=<model>,model_provider}",
        "empty usage{input_token_details,input_tokens,output_token_details,output_tokens,total_tokens}",
        "empty last",
    ],
    ("openai", "tool call"): [
        "empty call(id,index,name) meta{model_provider}",
        f"empty call(args,index) meta{{model_provider}} ×{ARGUMENT_PIECES}",
        "empty meta{finish_reason=tool_calls,model_name=<model>,model_provider}",
        "empty usage{input_token_details,input_tokens,output_token_details,output_tokens,total_tokens}",
        "empty last",
    ],
    # Under a response_format (with_structured_output's json_schema and json_mode), ChatOpenAI reads
    # the stream with openai's parsing helper: the finish chunk names no model, and the whole
    # completion comes last, with the model, token_usage, the usage and additional_kwargs["parsed"].
    ("openai", "response format"): [
        "empty meta{model_provider}",
        f"text meta{{model_provider}} ×{N}",
        "empty meta{finish_reason=stop,model_provider}",
        "empty ×2",
        "empty meta{id,model_name=<model>,model_provider,system_fingerprint,token_usage} "
        "usage{input_token_details,input_tokens,output_token_details,output_tokens,total_tokens}",
        "empty last",
    ],
    ("maritaca", "text"): [
        "empty",
        f"text ×{N}",
        "empty meta{finish_reason=stop,model=<model>}",
        "empty last",
    ],
}

#: The fake's own layout with no client behind it: text, then one last chunk with everything.
SINGLE_TEXT = [
    f"text ×{N}",
    "empty meta{finish_reason=stop,model=<model>,model_name=<model>} usage{input_tokens,output_tokens,total_tokens} last",
]


def shape(chunk: AIMessageChunk, model_name: str) -> str:
    """What a chunk carries and where, without its text: ``empty meta{finish_reason=stop,...} last``."""
    parts = ["text" if chunk.content else "empty"]
    for piece in chunk.tool_call_chunks:
        parts.append(f"call({_joined(key for key in ('name', 'id', 'args', 'index') if piece.get(key) not in (None, ''))})")
    if chunk.response_metadata:
        keys = (_metadata_key(key, value, model_name) for key, value in chunk.response_metadata.items())
        parts.append(f"meta{{{_joined(keys)}}}")
    if chunk.usage_metadata:
        parts.append(f"usage{{{_joined(chunk.usage_metadata)}}}")
    if chunk.chunk_position:
        parts.append(chunk.chunk_position)
    return " ".join(parts)


def _joined(keys: Iterable[str]) -> str:
    return ",".join(sorted(keys))


def _metadata_key(key: str, value: Any, model_name: str) -> str:
    """The key, with the values that are shape rather than text: why it ended, whose name."""
    if key == "finish_reason":
        return f"{key}={value}"
    if key in ("model", "model_name"):
        return f"{key}={'<model>' if value == model_name else value}"
    return key


def layout(chunks: list[AIMessageChunk], model_name: str) -> list[str]:
    """The shapes, with a run of equal ones written once: ``text ×12``."""
    runs = [(kind, len(list(group))) for kind, group in groupby(shape(chunk, model_name) for chunk in chunks)]
    return [kind if count == 1 else f"{kind} ×{count}" for kind, count in runs]


class Tokens(BaseCallbackHandler):
    """The tokens ``on_llm_new_token`` receives."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    def on_llm_new_token(self, token: str, **kwargs: object) -> None:
        self.tokens.append(token)


@pytest.fixture(scope="module")
def stub_url() -> Iterator[str]:
    with serve_openai_stub(FakeStreamingChatModel(responses=[REPLY])) as base_url:
        yield base_url


def real_client(client: str, base_url: str) -> BaseChatModel:
    if client == "openai":
        return ChatOpenAI(model=CLIENT_MODEL, api_key="stub", base_url=base_url, stream_usage=True, max_retries=0)
    return ChatMaritaca(model=CLIENT_MODEL, api_key="stub", base_url=base_url, max_retries=0)


def fake(chunk_layout: str) -> FakeStreamingChatModel:
    return FakeStreamingChatModel(responses=[REPLY], chunk_layout=chunk_layout)


def streamed(model: Any, question: str) -> tuple[list[AIMessageChunk], list[str]]:
    """The chunks of one stream and the tokens the callbacks saw meanwhile."""
    callback = Tokens()
    chunks = list(model.stream(question, config={"callbacks": [callback]}))
    return chunks, callback.tokens


def changed(client: str, case: str, real: list[str], expected: list[str]) -> str:
    return (
        f"{client}'s {case} stream changed its layout.\n  was: {expected}\n  now: {real}\n"
        "Update MEASURED here and the fake's LAYOUTS (coursekit/fake_model.py), then the lessons that read metadata."
    )


CASES = [("openai", "text"), ("openai", "tool call"), ("openai", "response format"), ("maritaca", "text")]
RESPONSE_FORMAT = {"type": "json_object"}


def prepared(model: BaseChatModel, case: str) -> Any:
    """The model as the case calls it: with a forced tool, a response_format, or as it is."""
    if case == "tool call":
        return model.bind_tools([get_weather], tool_choice="get_weather")
    if case == "response format":
        return model.bind(response_format=RESPONSE_FORMAT)
    return model


@pytest.mark.parametrize(("client", "case"), CASES)
def test_the_real_client_streams_as_measured(stub_url: str, client: str, case: str) -> None:
    model = prepared(real_client(client, stub_url), case)
    chunks, tokens = streamed(model, WEATHER_QUESTION if case == "tool call" else QUESTION)
    real = layout(chunks, CLIENT_MODEL)
    assert real == MEASURED[client, case], changed(client, case, real, MEASURED[client, case])
    assert tokens == [chunk.content for chunk in chunks], "on_llm_new_token fires once per chunk, empty ones too"


@pytest.mark.parametrize(("client", "case"), CASES)
def test_the_fake_streams_like_the_real_client(stub_url: str, client: str, case: str) -> None:
    real_model, fake_model = prepared(real_client(client, stub_url), case), prepared(fake(client), case)
    question = WEATHER_QUESTION if case == "tool call" else QUESTION
    real_chunks, real_tokens = streamed(real_model, question)
    fake_chunks, fake_tokens = streamed(fake_model, question)
    real, faked = layout(real_chunks, CLIENT_MODEL), layout(fake_chunks, "fake-streaming-1")
    assert faked == real, f"chunk_layout={client!r} is not {client}'s {case} layout:\n  fake: {faked}\n  real: {real}"
    assert len(fake_tokens) == len(real_tokens) == len(real_chunks)
    merged_real, merged_fake = sum(real_chunks[1:], real_chunks[0]), sum(fake_chunks[1:], fake_chunks[0])
    assert shape(merged_fake, "fake-streaming-1") == shape(merged_real, CLIENT_MODEL), "the sums differ"
    calls = [[(call["name"], call["args"]) for call in merged.tool_calls] for merged in (merged_fake, merged_real)]
    assert calls[0] == calls[1] and bool(calls[0]) == (case == "tool call")


def received_before_failing(model: Any) -> list[AIMessageChunk]:
    chunks: list[AIMessageChunk] = []
    with pytest.raises(Exception):  # noqa: B017 - each client raises its own connection error
        for chunk in model.stream(QUESTION):
            chunks.append(chunk)
    return chunks


@pytest.mark.parametrize("client", ["openai", "maritaca"])
def test_a_stream_that_breaks_halfway_breaks_at_the_same_place(client: str) -> None:
    with serve_openai_stub(FakeStreamingChatModel(responses=[REPLY], error_after=3)) as base_url:
        real = received_before_failing(real_client(client, base_url))
    faked = received_before_failing(FakeStreamingChatModel(responses=[REPLY], chunk_layout=client, error_after=3))
    opening, text, *_ = MEASURED[client, "text"]
    assert layout(faked, "fake-streaming-1") == layout(real, CLIENT_MODEL) == [opening, text.replace(f"×{N}", "×3")]


@same_loop
@pytest.mark.parametrize("client", ["openai", "maritaca"])
async def test_async_streams_have_the_same_layout(stub_url: str, client: str) -> None:
    real = [chunk async for chunk in real_client(client, stub_url).astream(QUESTION)]
    faked = [chunk async for chunk in fake(client).astream(QUESTION)]
    assert layout(faked, "fake-streaming-1") == layout(real, CLIENT_MODEL) == MEASURED[client, "text"]


@pytest.mark.parametrize("client", ["openai", "maritaca"])
def test_streaming_invoke_reports_what_the_client_reports(stub_url: str, client: str) -> None:
    """``streaming=True`` merges the stream: ChatMaritaca's answer then has no usage, nor the fake's."""
    real_model = real_client(client, stub_url).model_copy(update={"streaming": True})
    real_tokens, fake_tokens = Tokens(), Tokens()
    real = real_model.invoke(QUESTION, config={"callbacks": [real_tokens]})
    faked = fake(client).model_copy(update={"streaming": True}).invoke(QUESTION, config={"callbacks": [fake_tokens]})
    assert sorted(faked.response_metadata) == sorted(real.response_metadata)
    assert (faked.usage_metadata is None) == (real.usage_metadata is None) == (client == "maritaca")
    chunks = list(real_model.stream(QUESTION))
    assert fake_tokens.tokens == real_tokens.tokens == [chunk.content for chunk in chunks], "one token per chunk"


@pytest.mark.parametrize("client", ["openai", "maritaca"])
def test_a_whole_answer_names_the_model_under_the_clients_key_and_reports_usage(stub_url: str, client: str) -> None:
    """The standard suite's model_name checks fail on ChatMaritaca for this reason (test_standard_tests.py)."""
    real, faked = real_client(client, stub_url).invoke(QUESTION), fake(client).invoke(QUESTION)
    model_keys = {"model", "model_name"}
    assert faked.response_metadata.keys() & model_keys == real.response_metadata.keys() & model_keys
    assert faked.response_metadata["finish_reason"] == real.response_metadata["finish_reason"] == "stop"
    assert faked.usage_metadata["output_tokens"] == real.usage_metadata["output_tokens"] == N


def test_chatmaritaca_cannot_stream_a_tool_call(stub_url: str) -> None:
    """langchain-maritaca 0.4.1 reads only ``delta.content``: OpenAI's ``"content": null`` beside a
    tool call fails validation (and ``delta.tool_calls`` would be dropped anyway). When this test
    fails, the client can stream tool calls: measure its layout, add it to MEASURED and compare.
    Until then the fake's maritaca layout streams a tool call in its text layout, with ChatOpenAI's
    pieces (name and id first, then the arguments), so tool-calling code still runs on it."""
    model = real_client("maritaca", stub_url).bind_tools([get_weather], tool_choice="get_weather")
    with pytest.raises(ValidationError):
        list(model.stream(WEATHER_QUESTION))
    assert model.invoke(WEATHER_QUESTION).tool_calls, "a whole answer does carry the call"
    faked, _ = streamed(fake("maritaca").bind_tools([get_weather], tool_choice="get_weather"), WEATHER_QUESTION)
    assert layout(faked, "fake-streaming-1") == [
        "empty call(id,index,name)",
        f"empty call(args,index) ×{ARGUMENT_PIECES}",
        "empty meta{finish_reason=tool_calls,model=<model>}",
        "empty last",
    ]


def test_the_single_layout_keeps_everything_on_the_last_chunk() -> None:
    assert layout(list(fake("single").stream(QUESTION)), "fake-streaming-1") == SINGLE_TEXT


def test_every_layout_is_covered() -> None:
    assert {client for client, _ in MEASURED} | {"single"} == set(CHUNK_LAYOUTS)
