"""JSON fidelity: the fake streams JSON as ChatOpenAI and ChatMaritaca do, faults included.

Both real clients talk to the local OpenAI-compatible stub, whose answers come from a
``FakeStreamingChatModel`` with the same rules and ``json_fault``; the fake then answers in
process, in the client's ``chunk_layout``. For one reply they must agree on all that a lesson
reads: each chunk's text and metadata keys, the tool-call pieces, ``finish_reason``, the
partial objects of every parser and structured-output method, and what each spoiled answer
makes the parsers yield or raise. When the two disagree, the fake is wrong.

An error matches when the fake's is an instance of the real client's type, so that code which
catches what the real client raises also catches the fake's.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from functools import reduce
from typing import Any

import jsonpatch
import openai
import pytest
from langchain_core.exceptions import OutputParserException
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from langchain_core.output_parsers.openai_tools import JsonOutputKeyToolsParser
from langchain_maritaca import ChatMaritaca
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, ValidationError

from coursekit.fake_model import JSON_FAULTS, FakeStreamingChatModel
from coursekit.openai_stub import serve_openai_stub
from coursekit.testing.probe import ProbeModel


class City(BaseModel):
    """A city. The name comes last, so partial objects validate as soon as it starts."""

    population: int
    name: str


CITY = {"population": 6, "name": "Rio de Janeiro"}
RULES = {"Rio": CITY}
QUESTION = "Tell me about Rio"
SCHEMAS = {"pydantic": City, "json schema": City.model_json_schema()}
FAULTS = [None, *JSON_FAULTS]
CLIENTS = ["openai", "maritaca"]
CLIENT_MODEL = "stub-model"

# ChatOpenAI's own json_schema parsing makes pydantic warn about its "parsed" field: the client's noise.
pytestmark = pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")
# ChatOpenAI caches one async HTTP client per base URL across event loops (see test_providers.py).
same_loop = pytest.mark.asyncio(loop_scope="module")
each_fault = pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault or "valid")
each_client = pytest.mark.parametrize("client", CLIENTS)
each_schema = pytest.mark.parametrize("schema", SCHEMAS.values(), ids=SCHEMAS.keys())


@pytest.fixture(scope="module")
def stub_urls() -> Iterator[dict[str | None, str]]:
    """One stub per fault, all answering with the same rules."""
    with ExitStack() as stack:
        yield {fault: stack.enter_context(serve_openai_stub(FakeStreamingChatModel(rules=RULES, json_fault=fault))) for fault in FAULTS}


def real(client: str, url: str) -> BaseChatModel:
    if client == "openai":
        return ChatOpenAI(model=CLIENT_MODEL, api_key="stub", base_url=url, stream_usage=True, max_retries=0)
    return ChatMaritaca(model=CLIENT_MODEL, api_key="stub", base_url=url, max_retries=0)


def fake(client: str, fault: str | None, kind: type[FakeStreamingChatModel] = FakeStreamingChatModel) -> BaseChatModel:
    extra = {"token_delay": 0.0, "virtual_time": True} if kind is ProbeModel else {}
    return kind(rules=RULES, json_fault=fault, chunk_layout=client, **extra)


Outcome = tuple[list[Any], BaseException | None]


def outcome(run: Callable[[], Iterable[Any]]) -> Outcome:
    """What a loop over ``run()`` received, and the error that ended it, if one did."""
    received: list[Any] = []
    try:
        for item in run():
            received.append(item)
    except Exception as error:  # noqa: BLE001 - the error is the result under test
        return received, error
    return received, None


def streamed(runnable: Any) -> Outcome:
    return outcome(lambda: runnable.stream(QUESTION))


def invoked(runnable: Any) -> Outcome:
    return outcome(lambda: [runnable.invoke(QUESTION)])


def assert_same(what: str, real_outcome: Outcome, fake_outcome: Outcome) -> None:
    (real_items, real_error), (fake_items, fake_error) = real_outcome, fake_outcome
    assert fake_items == real_items, f"{what}:\n  fake: {fake_items}\n  real: {real_items}"
    if real_error is None:
        assert fake_error is None, f"{what}: the real client raises nothing, the fake raises {fake_error!r}"
    else:
        assert isinstance(fake_error, type(real_error)), (
            f"{what}: the real client raises {type(real_error).__name__} ({real_error}), the fake {fake_error!r}"
        )


def shape(chunk: AIMessageChunk) -> tuple[Any, ...]:
    """A chunk's text, its tool-call pieces, and the keys (not values) of its metadata and usage."""
    pieces = tuple(
        (piece["name"] is not None, piece["id"] is not None, piece["args"], piece["index"]) for piece in chunk.tool_call_chunks
    )
    finish = chunk.response_metadata.get("finish_reason")
    return chunk.content, pieces, tuple(sorted(chunk.response_metadata)), finish, tuple(sorted(chunk.usage_metadata or {})), chunk.chunk_position


def shapes(result: Outcome) -> Outcome:
    chunks, error = result
    return [shape(chunk) for chunk in chunks], error


def merged(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    return reduce(operator.add, chunks)


# --- the raw stream ----------------------------------------------------------------------------


@each_client
@each_fault
@pytest.mark.parametrize("kind", [FakeStreamingChatModel, ProbeModel], ids=["fake", "probe"])
def test_json_text_streams_in_the_same_chunks(stub_urls: dict, client: str, fault: str | None, kind: type) -> None:
    real_chunks = streamed(real(client, stub_urls[fault]))
    fake_chunks = streamed(fake(client, fault, kind))
    assert_same(f"{client}, {fault}", shapes(real_chunks), shapes(fake_chunks))
    texts = [chunk.content for chunk in fake_chunks[0] if chunk.content]
    assert '{"' in "".join(texts), "the reply carries JSON text"


@each_fault
def test_a_response_format_stream_has_the_same_chunks_and_ending(stub_urls: dict, fault: str | None) -> None:
    """ChatOpenAI reads it with openai's parsing helper: a closing of its own, and a refusal when cut off."""
    response_format = {"type": "json_object"}
    real_chunks = streamed(real("openai", stub_urls[fault]).bind(response_format=response_format))
    fake_chunks = streamed(fake("openai", fault).bind(response_format=response_format))
    assert_same(f"response_format, {fault}", shapes(real_chunks), shapes(fake_chunks))
    if fault == "truncated":
        assert isinstance(real_chunks[1], openai.LengthFinishReasonError)


@each_fault
def test_tool_call_chunks_come_in_the_same_pieces_with_the_name_and_id_first(stub_urls: dict, fault: str | None) -> None:
    real_model = real("openai", stub_urls[fault]).bind_tools([City], tool_choice="City")
    fake_model = fake("openai", fault).bind_tools([City], tool_choice="City")
    real_chunks, fake_chunks = streamed(real_model), streamed(fake_model)
    assert_same(f"tool call, {fault}", shapes(real_chunks), shapes(fake_chunks))
    real_whole, fake_whole = merged(real_chunks[0]), merged(fake_chunks[0])
    assert fake_whole.response_metadata["finish_reason"] == real_whole.response_metadata["finish_reason"]
    assert [call["args"] for call in fake_whole.tool_calls] == [call["args"] for call in real_whole.tool_calls]
    if fault in (None, "truncated", "mismatch"):
        pieces = [piece for chunk in fake_chunks[0] for piece in chunk.tool_call_chunks]
        assert pieces[0]["name"] == "City" and pieces[0]["id"] and pieces[0]["args"] == ""
        assert all(piece["name"] is None and piece["id"] is None and piece["index"] == 0 for piece in pieces[1:])
        assert [piece["args"] for piece in pieces[1:4]] == ['{"', "name" if fault == "mismatch" else "population", '":']


# --- parsers over the stream -------------------------------------------------------------------


@each_client
@each_fault
@pytest.mark.parametrize("diff", [False, True], ids=["objects", "patches"])
def test_json_output_parser_yields_the_same_partials(stub_urls: dict, client: str, fault: str | None, diff: bool) -> None:
    real_chain, fake_chain = real(client, stub_urls[fault]) | JsonOutputParser(diff=diff), fake(client, fault) | JsonOutputParser(diff=diff)
    assert_same(f"{client}, {fault}, stream", streamed(real_chain), streamed(fake_chain))
    assert_same(f"{client}, {fault}, invoke", invoked(real_chain), invoked(fake_chain))


@each_client
@each_schema
@each_fault
def test_json_mode_structured_output_yields_the_same(stub_urls: dict, client: str, schema: Any, fault: str | None) -> None:
    real_model = real(client, stub_urls[fault]).with_structured_output(schema, method="json_mode")
    fake_model = fake(client, fault).with_structured_output(schema, method="json_mode")
    assert_same(f"{client}, json_mode, {fault}, stream", streamed(real_model), streamed(fake_model))
    assert_same(f"{client}, json_mode, {fault}, invoke", invoked(real_model), invoked(fake_model))


@each_schema
@each_fault
@pytest.mark.parametrize("method", ["json_schema", "function_calling"])
def test_chatopenai_structured_output_yields_the_same(stub_urls: dict, schema: Any, fault: str | None, method: str) -> None:
    real_model = real("openai", stub_urls[fault]).with_structured_output(schema, method=method)
    fake_model = fake("openai", fault).with_structured_output(schema, method=method)
    assert_same(f"{method}, {fault}, stream", streamed(real_model), streamed(fake_model))
    assert_same(f"{method}, {fault}, invoke", invoked(real_model), invoked(fake_model))


@each_schema
@each_fault
def test_chatmaritaca_function_calling_answers_the_same_when_whole(stub_urls: dict, schema: Any, fault: str | None) -> None:
    """ChatMaritaca cannot stream a tool call (test_chunk_layouts.py), but a whole answer carries it."""
    real_model = real("maritaca", stub_urls[fault]).with_structured_output(schema)
    assert_same(f"maritaca, function_calling, {fault}", invoked(real_model), invoked(fake("maritaca", fault).with_structured_output(schema)))


@each_fault
def test_json_output_key_tools_parser_yields_the_same_partial_arguments(stub_urls: dict, fault: str | None) -> None:
    parser = JsonOutputKeyToolsParser(key_name="City", first_tool_only=True)
    real_chain = real("openai", stub_urls[fault]).bind_tools([City], tool_choice="City") | parser
    fake_chain = fake("openai", fault).bind_tools([City], tool_choice="City") | parser
    assert_same(f"tools parser, {fault}, stream", streamed(real_chain), streamed(fake_chain))
    assert_same(f"tools parser, {fault}, invoke", invoked(real_chain), invoked(fake_chain))


# --- what each answer does, asserted on both --------------------------------------------------


def both(client: str, fault: str | None, stub_urls: dict) -> list[BaseChatModel]:
    return [real(client, stub_urls[fault]), fake(client, fault)]


@each_client
def test_valid_json_streams_growing_partials_whose_patches_rebuild_it(stub_urls: dict, client: str) -> None:
    for model in both(client, None, stub_urls):
        partials = list((model | JsonOutputParser()).stream(QUESTION))
        assert partials[0] == {} and partials[-1] == CITY and len(partials) >= 4
        assert {"population": 6, "name": "Rio"} in partials, "a string grows as it is written"
        patches = list((model | JsonOutputParser(diff=True)).stream(QUESTION))
        assert patches[0] == [{"op": "replace", "path": "", "value": {}}]
        assert jsonpatch.apply_patch({}, [op for ops in patches for op in ops]) == CITY


@same_loop
@each_client
async def test_prose_around_the_json_streams_nothing_and_raises_only_when_invoked(stub_urls: dict, client: str) -> None:
    for model in both(client, "prose", stub_urls):
        chain = model | JsonOutputParser()
        assert [partial async for partial in chain.astream(QUESTION)] == [], "streaming hides the bad JSON"
        with pytest.raises(OutputParserException):
            await chain.ainvoke(QUESTION)


@same_loop
@each_client
async def test_a_fenced_json_block_is_read_by_the_parser(stub_urls: dict, client: str) -> None:
    for model in both(client, "fenced", stub_urls):
        assert (await (model | JsonOutputParser()).ainvoke(QUESTION)) == CITY
        assert (await model.ainvoke(QUESTION)).content.startswith("Sure! Here is the JSON you asked for:\n\n```json\n")


@same_loop
@each_client
async def test_truncated_json_ends_with_length_and_the_parser_returns_what_arrived(stub_urls: dict, client: str) -> None:
    """No exception anywhere: the parser repairs the cut-off text, and only validation finds the hole."""
    for model in both(client, "truncated", stub_urls):
        chunks = [chunk async for chunk in model.astream(QUESTION)]
        assert merged(chunks).response_metadata["finish_reason"] == "length"
        partial = await (model | JsonOutputParser()).ainvoke(QUESTION)
        assert partial != CITY and CITY["name"].startswith(partial.get("name", ""))
        with pytest.raises(ValidationError):
            City.model_validate(partial)


@same_loop
@each_client
async def test_mismatched_json_parses_but_fails_validation(stub_urls: dict, client: str) -> None:
    for model in both(client, "mismatch", stub_urls):
        value = await (model | JsonOutputParser()).ainvoke(QUESTION)
        assert value == {"name": "Rio de Janeiro"}
        with pytest.raises(ValidationError) as raised:
            City.model_validate(value)
        assert [error["loc"] for error in raised.value.errors()] == [("population",)]


def test_a_pydantic_model_under_json_schema_gives_only_the_finished_object(stub_urls: dict) -> None:
    """ChatOpenAI parses json_schema output once it is finished; json_mode and function_calling stream
    every partial object that validates. The fake does the same (compared above); here, what it is."""
    for model in (real("openai", stub_urls[None]), fake("openai", None)):
        assert list(model.with_structured_output(City, method="json_schema").stream(QUESTION)) == [City(**CITY)]
        names = [city.name for city in model.with_structured_output(City, method="json_mode").stream(QUESTION)]
        assert names[0] == "" and names[-1] == CITY["name"] and len(names) >= 3


@each_client
def test_json_mode_follows_the_schema_the_prompt_describes(client: str) -> None:
    """JSON mode sends no schema: a real model writes the one the prompt's format instructions give."""
    parser = PydanticOutputParser(pydantic_object=City)
    prompt = f"Tell me about 'Lima', a city of 10 million.\n{parser.get_format_instructions()}"
    json_mode = {"type": "json_object"}
    with serve_openai_stub(FakeStreamingChatModel()) as url:
        real_chain = real(client, url).bind(response_format=json_mode) | parser
        real_outcome = outcome(lambda: real_chain.stream(prompt))
    fake_chain = FakeStreamingChatModel(chunk_layout=client).bind(response_format=json_mode) | parser
    assert_same(f"{client}, json_object", real_outcome, outcome(lambda: fake_chain.stream(prompt)))
    assert real_outcome[0][-1] == City(population=10, name="Lima")
