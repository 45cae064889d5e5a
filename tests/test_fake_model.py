"""FakeStreamingChatModel streams like a real provider: every promise of the course, checked.

Timing checks only use lower bounds and orderings (a chunk cannot arrive before its delay has
passed), never upper bounds, so a loaded machine makes them slower but not flaky.
"""

from __future__ import annotations

import asyncio
import json
import operator
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import reduce
from itertools import repeat
from typing import Annotated, Any, Literal

import openai
import pytest
from langchain_core.caches import InMemoryCache
from langchain_core.callbacks import AsyncCallbackHandler, BaseCallbackHandler, StreamingStdOutCallbackHandler
from langchain_core.exceptions import OutputParserException
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser, StrOutputParser
from langchain_core.output_parsers.openai_tools import JsonOutputToolsParser
from langchain_core.prompts import ChatPromptTemplate, PromptTemplate
from langchain_core.tools import tool
from pydantic import BaseModel, Field, PrivateAttr, ValidationError
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

import coursekit
from coursekit.errors import FakeModelError, InvalidLatencyError, RateLimitError, StreamInterruptedError
from coursekit.fake_model import CHUNK_LAYOUTS, LATENCY_PRESETS, FakeStreamingChatModel
from coursekit.i18n import t

REPLY = "Streaming  sends text\n\npiece by piece, while the model writes."
PIECES = ["Streaming", "  sends", " text", "\n\npiece", " by", " piece", ",", " while", " the", " model", " writes", "."]


#: The ``response_metadata`` keys that name the model in each layout, as the real clients do.
MODEL_KEYS = {"openai": {"model_name"}, "maritaca": {"model"}, "single": {"model_name", "model"}}
each_layout = pytest.mark.parametrize("layout", CHUNK_LAYOUTS)


def contents(chunks: list[AIMessageChunk]) -> list[str]:
    return [chunk.content for chunk in chunks]


def texts(chunks: list[AIMessageChunk] | list[str]) -> list[str]:
    """The chunks' text (or the strings), without the empty opening and closing chunks of the layout."""
    return [text for text in (getattr(chunk, "content", chunk) for chunk in chunks) if text]


def finish_chunk(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    (finish,) = [chunk for chunk in chunks if chunk.response_metadata.get("finish_reason")]
    return finish


def aggregate(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    return reduce(operator.add, chunks)


async def acollect(model: Any, value: Any, **kwargs: Any) -> list[Any]:
    return [chunk async for chunk in model.astream(value, **kwargs)]


class TokenRecorder(BaseCallbackHandler):
    """Records how ``on_llm_new_token`` is called."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def on_llm_new_token(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append((args, kwargs))

    @property
    def tokens(self) -> list[str]:
        return [kwargs["token"] for _, kwargs in self.calls]


class AsyncTokenCounter(AsyncCallbackHandler):
    """Counts the chunks the model has produced, in the event loop's thread."""

    def __init__(self) -> None:
        self.count = 0
        self.threads: set[int] = set()

    async def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.count += 1
        self.threads.add(threading.get_ident())


class RecordingExecutor(ThreadPoolExecutor):
    """A default executor that counts the jobs handed to worker threads."""

    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.jobs = 0

    def submit(self, *args: Any, **kwargs: Any) -> Any:
        self.jobs += 1
        return super().submit(*args, **kwargs)


class Joke(BaseModel):
    """A joke to tell the user."""

    setup: str = Field(description="question that sets the joke up")
    punchline: str = Field(description="answer that resolves it")


class JokeDict(TypedDict):
    """A joke to tell the user."""

    setup: Annotated[str, ..., "question that sets the joke up"]
    punchline: Annotated[str, ..., "answer that resolves it"]


class Route(BaseModel):
    """Where a question should go."""

    destination: Literal["general", "math"]


@tool
def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"Sunny in {city}"


@tool
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


# --- what it is ------------------------------------------------------------------------------


def test_a_real_chat_model_exported_from_coursekit_and_built_with_no_arguments() -> None:
    model = coursekit.FakeStreamingChatModel()
    assert coursekit.FakeStreamingChatModel is FakeStreamingChatModel
    assert isinstance(model, BaseChatModel) and not isinstance(model, GenericFakeChatModel)
    assert type(model)._stream is not BaseChatModel._stream
    assert type(model)._astream is not BaseChatModel._astream
    assert model.invoke("Hello").content


def test_the_model_name_takes_either_spelling() -> None:
    assert FakeStreamingChatModel(model="fake-a").model_name == "fake-a"
    assert FakeStreamingChatModel(model_name="fake-b").model_name == "fake-b"
    assert FakeStreamingChatModel().invoke("hi").response_metadata["model_name"] == "fake-streaming-1"


def test_a_misspelt_argument_is_reported_and_provider_arguments_are_accepted(recwarn: pytest.WarningsRecorder) -> None:
    FakeStreamingChatModel(api_key="unused", base_url="http://127.0.0.1:1/v1", timeout=5, max_retries=1)
    assert not recwarn.list
    with pytest.warns(UserWarning, match="respones"):
        FakeStreamingChatModel(respones=["hi"])


@pytest.mark.parametrize("bad", [{"chunking": 0}, {"token_delay": -1}, {"error_after": -2}, {"max_tokens": 0}])
def test_impossible_settings_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        FakeStreamingChatModel(**bad)


# --- inputs and ways of calling --------------------------------------------------------------

INPUTS = {
    "string": "What is the capital of France?",
    "tuples": [("system", "Answer briefly."), ("human", "What is the capital of France?")],
    "messages": [SystemMessage("Answer briefly."), HumanMessage("What is the capital of France?")],
    "chat prompt value": ChatPromptTemplate.from_messages([("human", "What is the capital of {country}?")]).invoke(
        {"country": "France"}
    ),
    "string prompt value": PromptTemplate.from_template("What is the capital of {country}?").invoke({"country": "France"}),
}


@pytest.mark.parametrize("value", INPUTS.values(), ids=INPUTS.keys())
def test_every_input_form_reaches_the_rules(value: Any) -> None:
    model = FakeStreamingChatModel(rules={"capital of France": "Paris."})
    assert model.invoke(value).content == "Paris."
    assert "".join(contents(list(model.stream(value)))) == "Paris."


@pytest.mark.parametrize("value", INPUTS.values(), ids=INPUTS.keys())
async def test_every_input_form_works_asynchronously(value: Any) -> None:
    model = FakeStreamingChatModel(rules={"capital of France": "Paris."})
    assert (await model.ainvoke(value)).content == "Paris."
    assert "".join(contents(await acollect(model, value))) == "Paris."


RULES = {"apples": "Apples are red.", "pears": "Pears are green."}


def test_batch_answers_each_input_in_order() -> None:
    replies = FakeStreamingChatModel(rules=RULES).batch(["Tell me about pears", "Tell me about apples"])
    assert [reply.content for reply in replies] == ["Pears are green.", "Apples are red."]


async def test_abatch_answers_each_input_in_order() -> None:
    replies = await FakeStreamingChatModel(rules=RULES).abatch(["Tell me about pears", "Tell me about apples"])
    assert [reply.content for reply in replies] == ["Pears are green.", "Apples are red."]


@each_layout
async def test_an_lcel_pipe_invokes_and_streams(layout: str) -> None:
    model = FakeStreamingChatModel(rules=RULES, chunk_layout=layout)
    chain = ChatPromptTemplate.from_template("Tell me about {fruit}") | model | StrOutputParser()
    assert chain.invoke({"fruit": "apples"}) == "Apples are red."
    pieces = list(chain.stream({"fruit": "apples"}))
    assert pieces == contents(list(model.stream("Tell me about apples")))  # one piece per chunk, empty ones too
    assert texts(pieces) == ["Apples", " are", " red", "."] and pieces[-1] == ""
    assert "".join([piece async for piece in chain.astream({"fruit": "pears"})]) == "Pears are green."


@each_layout
async def test_astream_events_v2_follow_the_documented_order(layout: str) -> None:
    model = FakeStreamingChatModel(responses=[REPLY], chunk_layout=layout)
    chain = ChatPromptTemplate.from_template("{question}") | model | StrOutputParser()
    events = [event async for event in chain.astream_events({"question": "Why stream?"}, version="v2")]

    per_token = ["on_chat_model_stream", "on_parser_stream", "on_chain_stream"]
    streamed_alone = list(model.stream("Why stream?"))
    model_chunks = len(streamed_alone)  # the text pieces and the layout's empty chunks
    expected = (
        ["on_chain_start", "on_prompt_start", "on_prompt_end", "on_chat_model_start"]
        + ["on_chat_model_stream", "on_parser_start", "on_parser_stream", "on_chain_stream"]
        + per_token * (model_chunks - 1)
        + ["on_chat_model_end", "on_parser_end", "on_chain_end"]
    )
    assert [event["event"] for event in events] == expected
    streamed = [event["data"]["chunk"] for event in events if event["event"] == "on_chat_model_stream"]
    assert all(isinstance(chunk, AIMessageChunk) for chunk in streamed)
    assert contents(streamed) == contents(streamed_alone) and texts(streamed) == PIECES
    assert [chunk.response_metadata for chunk in streamed] == [chunk.response_metadata for chunk in streamed_alone]
    assert streamed[-1].chunk_position == "last"
    assert {event["name"] for event in events if event["event"].startswith("on_chat_model")} == {"FakeStreamingChatModel"}


# --- what it says ----------------------------------------------------------------------------


def test_scripted_responses_cycle_across_calls_and_ways_of_calling() -> None:
    model = FakeStreamingChatModel(responses=["one", "two", "three"])
    assert model.invoke("a").content == "one"
    assert "".join(contents(list(model.stream("b")))) == "two"
    assert model.invoke("c").content == "three"
    assert model.invoke("d").content == "one"


def test_rules_beat_responses_and_do_not_use_them_up() -> None:
    model = FakeStreamingChatModel(responses=["scripted 1", "scripted 2"], rules={r"^hello\b": "Hi!"})
    assert model.invoke("HELLO there").content == "Hi!"
    assert model.invoke("anything").content == "scripted 1"
    assert model.invoke("hello again").content == "Hi!"
    assert model.invoke("more").content == "scripted 2"


def test_a_dict_rule_without_tools_answers_with_that_json() -> None:
    model = FakeStreamingChatModel(rules={"route": {"destination": "math"}})
    assert json.loads(model.invoke("route this").content) == {"destination": "math"}


def test_the_default_reply_is_deterministic_prose() -> None:
    first, second = FakeStreamingChatModel().invoke("Why stream?"), FakeStreamingChatModel().invoke("Why stream?")
    assert first.content == second.content
    assert len(first.content.split()) > 20


class Recipe(BaseModel):
    title: str
    servings: int = Field(ge=1, le=12)
    difficulty: Literal["easy", "medium", "hard"]
    ingredients: list[str]


def test_format_instructions_get_an_object_that_validates_and_streams_partially() -> None:
    parser = JsonOutputParser(pydantic_object=Recipe)
    prompt = ChatPromptTemplate.from_messages([("system", "{format}"), ("human", "A recipe for {dish} for 4, easy")])
    chain = prompt.partial(format=parser.get_format_instructions()) | FakeStreamingChatModel() | parser

    recipe = Recipe.model_validate(chain.invoke({"dish": "rice"}))
    assert (recipe.servings, recipe.difficulty) == (4, "easy")
    partials = list(chain.stream({"dish": "rice"}))
    assert len(partials) >= 5
    assert all(isinstance(p, dict) for p in partials)
    assert Recipe.model_validate(partials[-1]) == recipe


def test_a_plain_request_for_json_gets_a_json_object() -> None:
    reply = FakeStreamingChatModel().invoke("Summarise streaming as JSON.")
    assert isinstance(json.loads(reply.content), dict)


def test_portuguese_and_indonesian_prompts_get_answers_in_that_language() -> None:
    model = FakeStreamingChatModel()
    portuguese = model.invoke("Explique o que é streaming, por favor.").content.lower()
    indonesian = model.invoke("Tolong jelaskan apa itu streaming.").content.lower()
    english = model.invoke("Please explain what streaming is.").content.lower()
    assert {" não ", " você ", " que ", " é "} & {f" {w} " for w in portuguese.split()}
    assert {" yang ", " dan ", " dengan ", " untuk "} & {f" {w} " for w in indonesian.split()}
    assert " the " in f" {english} "


# --- what the chunks look like ---------------------------------------------------------------


def test_word_chunks_keep_their_leading_space() -> None:
    chunks = list(FakeStreamingChatModel(responses=[REPLY]).stream("hi"))
    assert texts(chunks) == PIECES


TEXTS = ["two  spaces", "lines\n\nand\r\nmore\n", "  padded  ", "ação — 😀 ok", "x"]


@each_layout
@pytest.mark.parametrize("chunking", ["words", "chars", 3])
@pytest.mark.parametrize("text", TEXTS)
def test_chunks_join_to_the_exact_reply_with_no_empty_chunk_inside_the_text(chunking: Any, text: str, layout: str) -> None:
    pieces = contents(list(FakeStreamingChatModel(responses=[text], chunking=chunking, chunk_layout=layout).stream("hi")))
    first = next(i for i, piece in enumerate(pieces) if piece)
    last = max(i for i, piece in enumerate(pieces) if piece)
    body = pieces[first : last + 1]
    assert "".join(body) == text
    assert all(body) and pieces[-1] == ""
    assert first == (0 if layout == "single" else 1), "only the opening chunk comes before the text"
    if chunking == "chars":
        assert all(len(piece) == 1 for piece in body)
    if chunking == 3:
        assert all(len(piece) == 3 for piece in body[:-1]) and 1 <= len(body[-1]) <= 3


@each_layout
def test_one_chunk_after_the_text_says_why_it_ended_and_which_model(layout: str) -> None:
    chunks = list(FakeStreamingChatModel(model="fake-x", responses=[REPLY], chunk_layout=layout).stream("Why do apps stream?"))
    finish = finish_chunk(chunks)
    assert finish.content == "" and chunks.index(finish) > max(i for i, c in enumerate(chunks) if c.content)
    assert finish.response_metadata["finish_reason"] == "stop"
    assert {key: finish.response_metadata[key] for key in MODEL_KEYS[layout]} == dict.fromkeys(MODEL_KEYS[layout], "fake-x")
    assert chunks[-1].chunk_position == "last" and chunks[-1].content == ""
    assert [chunk.chunk_position for chunk in chunks[:-1]] == [None] * (len(chunks) - 1)
    assert (chunks[-1] is finish) == (layout == "single"), "real clients end with core's empty last chunk"


@pytest.mark.parametrize("layout", ["openai", "single"])
def test_usage_comes_once_after_the_text_where_the_client_streams_it(layout: str) -> None:
    chunks = list(FakeStreamingChatModel(responses=[REPLY], chunk_layout=layout).stream("Why do apps stream?"))
    (usage,) = [chunk.usage_metadata for chunk in chunks if chunk.usage_metadata]
    assert usage["output_tokens"] == len(PIECES)
    assert usage["input_tokens"] > 0
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    carrier = next(i for i, chunk in enumerate(chunks) if chunk.usage_metadata)
    assert carrier >= chunks.index(finish_chunk(chunks))


def test_chatmaritacas_layout_streams_no_usage_but_invoke_reports_it() -> None:
    model = FakeStreamingChatModel(responses=[REPLY], chunk_layout="maritaca")
    assert all(chunk.usage_metadata is None for chunk in model.stream("Why do apps stream?"))
    assert model.invoke("Why do apps stream?").usage_metadata["output_tokens"] == len(PIECES)
    assert FakeStreamingChatModel(responses=[REPLY], chunk_layout="maritaca", streaming=True).invoke("hi").usage_metadata is None


def test_chatopenais_layout_names_the_provider_on_every_chunk_until_the_usage() -> None:
    chunks = list(FakeStreamingChatModel(responses=[REPLY]).stream("hi"))
    usage_at = next(i for i, chunk in enumerate(chunks) if chunk.usage_metadata)
    assert all(chunk.response_metadata.get("model_provider") == "fake" for chunk in chunks[:usage_at])
    assert all(chunk.response_metadata == {} for chunk in chunks[usage_at:])
    assert aggregate(chunks).response_metadata["model_provider"] == "fake", "merged once, not concatenated"


def test_input_tokens_grow_with_the_prompt() -> None:
    model = FakeStreamingChatModel(responses=["ok"])
    short = model.invoke("hi").usage_metadata["input_tokens"]
    long = model.invoke([SystemMessage("Be brief and kind."), HumanMessage("hi there, how are you?")]).usage_metadata
    assert long["input_tokens"] > short


@each_layout
async def test_metadata_survives_aggregation_and_matches_invoke(layout: str) -> None:
    model = FakeStreamingChatModel(responses=[REPLY], chunk_layout=layout)
    invoked, ainvoked = model.invoke("hi"), await model.ainvoke("hi")
    assert invoked == ainvoked.model_copy(update={"id": invoked.id})
    assert invoked.content == REPLY
    assert invoked.response_metadata["finish_reason"] == "stop"
    assert {invoked.response_metadata[key] for key in MODEL_KEYS[layout]} == {"fake-streaming-1"}
    assert invoked.usage_metadata["output_tokens"] == len(PIECES), "a whole answer always reports usage"
    for chunks in (list(model.stream("hi")), await acollect(model, "hi")):
        merged = aggregate(chunks)
        assert merged.content == REPLY
        assert merged.chunk_position == "last"
        assert merged.response_metadata == reduce(operator.or_, [chunk.response_metadata for chunk in chunks])
        assert merged.response_metadata == invoked.response_metadata
        assert merged.usage_metadata == (None if layout == "maritaca" else invoked.usage_metadata)


def test_a_cache_keeps_the_layouts_apart() -> None:
    cache = InMemoryCache()
    maritaca, openai = (FakeStreamingChatModel(chunk_layout=layout, cache=cache) for layout in ("maritaca", "openai"))
    assert "model" in maritaca.invoke("hi").response_metadata
    assert "model_name" in openai.invoke("hi").response_metadata, "a reply cached for another layout was served"


def test_stop_sequences_and_max_tokens_end_the_reply_like_a_provider() -> None:
    assert FakeStreamingChatModel(responses=[REPLY]).invoke("hi", stop=["piece"]).content == "Streaming  sends text\n\n"
    assert FakeStreamingChatModel(responses=[REPLY], stop=["text"]).invoke("hi").content == "Streaming  sends "
    capped = FakeStreamingChatModel(responses=[REPLY], max_tokens=3).invoke("hi")
    assert capped.content == "".join(PIECES[:3])
    assert capped.response_metadata["finish_reason"] == "length"
    assert capped.usage_metadata["output_tokens"] == 3


@each_layout
def test_a_per_call_model_overrides_the_reported_name(layout: str) -> None:
    model = FakeStreamingChatModel(chunk_layout=layout)
    (key, *_) = sorted(MODEL_KEYS[layout])
    assert model.invoke("hi", model="fake-other").response_metadata[key] == "fake-other"
    assert finish_chunk(list(model.stream("hi", model="fake-other"))).response_metadata[key] == "fake-other"


# --- streaming inside invoke() and callbacks -------------------------------------------------


@each_layout
def test_streaming_true_makes_invoke_fire_a_token_callback_per_chunk(layout: str) -> None:
    recorder = TokenRecorder()
    model = FakeStreamingChatModel(responses=[REPLY], streaming=True, chunk_layout=layout)
    assert model.invoke("hi", config={"callbacks": [recorder]}).content == REPLY
    assert recorder.tokens == contents(list(model.stream("hi")))  # the empty chunks too, as for real clients
    assert texts(recorder.tokens) == PIECES
    assert all(args == () and "chunk" in kwargs for args, kwargs in recorder.calls), "token is passed by keyword"


def test_without_streaming_invoke_fires_no_token_callback() -> None:
    recorder = TokenRecorder()
    FakeStreamingChatModel(responses=[REPLY]).invoke("hi", config={"callbacks": [recorder]})
    assert recorder.calls == []


@each_layout
def test_stream_fires_a_token_callback_per_chunk_even_without_streaming(layout: str) -> None:
    recorder = TokenRecorder()
    model = FakeStreamingChatModel(responses=[REPLY], chunk_layout=layout)
    chunks = list(model.stream("hi", config={"callbacks": [recorder]}))
    assert recorder.tokens == contents(chunks) and len(chunks) > len(PIECES)
    assert [kwargs["chunk"].message.response_metadata for _, kwargs in recorder.calls] == [c.response_metadata for c in chunks]


@each_layout
async def test_streaming_true_makes_ainvoke_fire_token_callbacks(layout: str) -> None:
    counter = AsyncTokenCounter()
    model = FakeStreamingChatModel(responses=[REPLY], streaming=True, chunk_layout=layout)
    await model.ainvoke("hi", config={"callbacks": [counter]})
    assert counter.count == len(await acollect(model, "hi")) > len(PIECES)


class TokenTexts(BaseCallbackHandler):
    """The tokens ``on_llm_new_token`` receives, by position (async managers) or by keyword (sync)."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    def on_llm_new_token(self, *args: Any, **kwargs: Any) -> None:
        self.tokens.append(args[0] if args else kwargs["token"])


@pytest.mark.filterwarnings("ignore::langchain_core._api.LangChainBetaWarning")
@each_layout
async def test_the_v3_event_stream_fires_a_token_callback_per_chunk_like_the_real_clients(layout: str) -> None:
    """Under astream_events(version="v3") core leaves on_llm_new_token to the model: ChatOpenAI and
    ChatMaritaca fire it in their own _astream, so a handler sees the tokens with them, and must with the fake."""
    counter, tokens = AsyncTokenCounter(), TokenTexts()
    model = FakeStreamingChatModel(responses=[REPLY], chunk_layout=layout)
    stream = await model.astream_events("hi", config={"callbacks": [counter, tokens]}, version="v3")
    assert await stream.text == REPLY
    assert texts(tokens.tokens) == PIECES and counter.count == len(tokens.tokens)
    synced = TokenTexts()
    model.stream_events("hi", config={"callbacks": [synced]}, version="v3").output
    assert synced.tokens == tokens.tokens, "the sync v3 stream fires them too"


def test_streaming_stdout_handler_prints_the_tokens(capsys: pytest.CaptureFixture[str]) -> None:
    handler = StreamingStdOutCallbackHandler()
    FakeStreamingChatModel(responses=[REPLY], streaming=True).invoke("hi", config={"callbacks": [handler]})
    assert capsys.readouterr().out == REPLY
    FakeStreamingChatModel(responses=[REPLY]).invoke("hi", config={"callbacks": [handler]})
    assert capsys.readouterr().out == ""


# --- native async ----------------------------------------------------------------------------


async def test_async_calls_never_hop_to_a_worker_thread() -> None:
    loop = asyncio.get_running_loop()
    executor = RecordingExecutor()
    loop.set_default_executor(executor)
    counter = AsyncTokenCounter()
    model = FakeStreamingChatModel(responses=[REPLY])

    assert "".join(contents(await acollect(model, "hi", config={"callbacks": [counter]}))) == REPLY
    await model.ainvoke("hi")
    await model.abatch(["a", "b"])
    assert executor.jobs == 0
    assert counter.threads == {threading.get_ident()}

    # The probe does see a model without a native _astream hop threads for every chunk.
    await acollect(GenericFakeChatModel(messages=repeat("one two three")), "hi")
    assert executor.jobs >= 3


async def test_a_long_zero_delay_stream_lets_other_tasks_run() -> None:
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    beating = asyncio.create_task(heartbeat())
    model = FakeStreamingChatModel(responses=[" ".join(["word"] * 5000)])
    ticks_seen = [ticks async for chunk in model.astream("hi") if chunk.content]
    beating.cancel()
    assert len(ticks_seen) == 5000
    # Other tasks ran in the middle of the stream, not only while it started or ended.
    assert len(set(ticks_seen[1:-1])) >= 3, "the stream kept the event loop to itself"


# --- latency ---------------------------------------------------------------------------------


def test_no_latency_by_default_and_presets_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    default = FakeStreamingChatModel()
    assert (default.time_to_first_token, default.token_delay) == (0, 0)
    realistic = FakeStreamingChatModel.realistic()
    assert (realistic.time_to_first_token, realistic.token_delay) == LATENCY_PRESETS["realistic"] != (0, 0)
    slow = FakeStreamingChatModel(latency="slow")
    assert (slow.time_to_first_token, slow.token_delay) == LATENCY_PRESETS["slow"]

    monkeypatch.setenv("COURSE_FAKE_LATENCY", "realistic")
    from_env = FakeStreamingChatModel()
    assert (from_env.time_to_first_token, from_env.token_delay) == LATENCY_PRESETS["realistic"]
    monkeypatch.setenv("COURSE_FAKE_LATENCY", "0.2,0.01")
    assert FakeStreamingChatModel().token_delay == 0.01
    assert FakeStreamingChatModel(token_delay=0.5).token_delay == 0.5, "an explicit field beats the environment"
    assert FakeStreamingChatModel(latency="none").token_delay == 0, "an explicit preset beats the environment"


@pytest.mark.parametrize("lang", ["en", "pt", "id"])
def test_a_bad_latency_setting_is_one_clear_line_in_the_students_language(
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("COURSE_LANG", lang)
    monkeypatch.setenv("COURSE_FAKE_LATENCY", "fast")
    with pytest.raises(InvalidLatencyError) as raised:
        FakeStreamingChatModel()
    message = str(raised.value)
    assert "\n" not in message and "COURSE_FAKE_LATENCY" in message and "'fast'" in message
    assert message == t("fake_model.bad_latency", lang, source="COURSE_FAKE_LATENCY", presets="none, realistic, slow", value="fast")
    for bad in ("1,2,3", "-1,0", "nan,0", "inf,0"):
        with pytest.raises(InvalidLatencyError):
            FakeStreamingChatModel(latency=bad)


FIRST, BETWEEN = 0.06, 0.025


def check_pacing(arrivals: list[tuple[float, AIMessageChunk]]) -> None:
    """Arrival times (from the call) of every chunk: none comes before the first token is due, the
    text and then the finish chunk each a token delay after the one before; the empty chunks of
    a layout travel with their neighbours, as on the wire."""
    assert arrivals[0][0] >= FIRST * 0.9
    paced = [at for at, chunk in arrivals if chunk.content or chunk.response_metadata.get("finish_reason")]
    assert len(paced) == 5
    gaps = [later - earlier for earlier, later in zip(paced, paced[1:], strict=False)]
    assert all(gap >= BETWEEN * 0.9 for gap in gaps), gaps
    assert arrivals[-1][0] >= (FIRST + BETWEEN * 4) * 0.9


@each_layout
def test_sync_streams_are_paced(layout: str) -> None:
    model = FakeStreamingChatModel(
        responses=["one two three four"], time_to_first_token=FIRST, token_delay=BETWEEN, chunk_layout=layout
    )
    started = time.perf_counter()
    check_pacing([(time.perf_counter() - started, chunk) for chunk in model.stream("hi")])
    started = time.perf_counter()
    model.invoke("hi")
    assert time.perf_counter() - started >= (FIRST + 4 * BETWEEN) * 0.9


@each_layout
async def test_async_streams_are_paced_and_each_chunk_arrives_as_soon_as_it_is_made(layout: str) -> None:
    model = FakeStreamingChatModel(
        responses=["one two three four"], time_to_first_token=FIRST, token_delay=BETWEEN, chunk_layout=layout
    )
    started = time.perf_counter()
    check_pacing([(time.perf_counter() - started, chunk) async for chunk in model.astream("hi")])


class WatchedModel(FakeStreamingChatModel):
    """Keeps the async generators it hands out, to check they are closed."""

    _generators: list[Any] = PrivateAttr(default_factory=list)

    def _astream(self, *args: Any, **kwargs: Any) -> Any:
        generator = super()._astream(*args, **kwargs)
        self._generators.append(generator)
        return generator


async def test_cancelling_an_astream_task_stops_generation_at_once() -> None:
    model = WatchedModel(responses=["word " * 200], token_delay=0.02)
    counter = AsyncTokenCounter()
    received: list[AIMessageChunk] = []
    three_received = asyncio.Event()

    async def consume() -> None:
        async for chunk in model.astream("hi", config={"callbacks": [counter]}):
            received.append(chunk)
            if len(received) == 3:
                three_received.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(three_received.wait(), timeout=30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    produced = counter.count
    await asyncio.sleep(0.15)  # several token delays: a producer still running would add chunks
    assert counter.count == produced <= 4
    assert len(received) <= 4
    (generator,) = model._generators
    assert generator.ag_frame is None, "the model's generator was left open"


# --- faults ----------------------------------------------------------------------------------


def carries_the_end(chunk: AIMessageChunk) -> bool:
    return bool(chunk.response_metadata.get("finish_reason") or chunk.usage_metadata or chunk.chunk_position)


@each_layout
def test_error_after_n_delivers_n_chunks_then_raises(layout: str) -> None:
    model = FakeStreamingChatModel(responses=[REPLY], error_after=4, chunk_layout=layout)
    received = []
    with pytest.raises(StreamInterruptedError) as raised:
        for chunk in model.stream("hi"):
            received.append(chunk)
    assert texts(received) == PIECES[:4] and received[-1].content == PIECES[3]
    assert not any(carries_the_end(chunk) for chunk in received)
    assert raised.value.chunks_sent == 4
    assert isinstance(raised.value, ConnectionError) and isinstance(raised.value, FakeModelError)
    with pytest.raises(StreamInterruptedError):
        model.invoke("hi")


@each_layout
async def test_error_after_n_in_async_code(layout: str) -> None:
    model = FakeStreamingChatModel(responses=[REPLY], error_after=2, chunk_layout=layout)
    received = []
    with pytest.raises(StreamInterruptedError):
        async for chunk in model.astream("hi"):
            received.append(chunk)
    assert texts(received) == PIECES[:2] and not any(carries_the_end(chunk) for chunk in received)
    with pytest.raises(StreamInterruptedError):
        await model.ainvoke("hi")


@each_layout
def test_a_reply_shorter_than_error_after_still_breaks_before_the_final_chunk(layout: str) -> None:
    received = []
    with pytest.raises(StreamInterruptedError) as raised:
        for chunk in FakeStreamingChatModel(responses=["a b"], error_after=10, chunk_layout=layout).stream("hi"):
            received.append(chunk)
    assert texts(received) == ["a", " b"] and raised.value.chunks_sent == 2
    assert not any(carries_the_end(chunk) for chunk in received)


@each_layout
def test_error_after_zero_breaks_before_anything_arrives(layout: str) -> None:
    received = []
    with pytest.raises(StreamInterruptedError) as raised:
        for chunk in FakeStreamingChatModel(responses=[REPLY], error_after=0, chunk_layout=layout).stream("hi"):
            received.append(chunk)
    assert received == [] and raised.value.chunks_sent == 0


def test_rate_limited_raises_before_the_first_token() -> None:
    recorder = TokenRecorder()
    received = []
    with pytest.raises(RateLimitError) as raised:
        for chunk in FakeStreamingChatModel(rate_limited=True).stream("hi", config={"callbacks": [recorder]}):
            received.append(chunk)
    assert received == [] and recorder.calls == []
    assert raised.value.retry_after > 0 and "\n" not in str(raised.value)
    assert coursekit.RateLimitError is RateLimitError and coursekit.StreamInterruptedError is StreamInterruptedError


async def test_rate_limited_in_async_code() -> None:
    counter = AsyncTokenCounter()
    with pytest.raises(RateLimitError):
        await acollect(FakeStreamingChatModel(rate_limited=True), "hi", config={"callbacks": [counter]})
    assert counter.count == 0
    with pytest.raises(RateLimitError):
        await FakeStreamingChatModel(rate_limited=True).ainvoke("hi")


@pytest.mark.parametrize("lang", ["en", "pt", "id"])
def test_fault_messages_speak_the_students_language(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv("COURSE_LANG", lang)
    assert str(StreamInterruptedError(3)) == t("fake_model.stream_interrupted", lang, chunks=3)
    assert str(RateLimitError(2.5)) == t("fake_model.rate_limited", lang, seconds="2.5")


# --- tools -----------------------------------------------------------------------------------


def test_bind_tools_records_the_tools_in_openai_format() -> None:
    bound = FakeStreamingChatModel().bind_tools([get_weather, add], tool_choice="any")
    assert [spec["function"]["name"] for spec in bound.kwargs["tools"]] == ["get_weather", "add"]
    assert bound.kwargs["tool_choice"] == "any"


def test_a_forced_tool_call_has_valid_arguments_read_from_the_question() -> None:
    reply = FakeStreamingChatModel().bind_tools([add], tool_choice="add").invoke("What is 25 + 17?")
    (call,) = reply.tool_calls
    assert call["name"] == "add" and call["id"] and call["args"] == {"a": 25, "b": 17}
    assert add.invoke(call["args"]) == 42
    assert reply.response_metadata["finish_reason"] == "tool_calls"


@each_layout
def test_tool_arguments_stream_as_tool_call_chunks(layout: str) -> None:
    model = FakeStreamingChatModel(chunk_layout=layout).bind_tools([get_weather], tool_choice="any")
    chunks = list(model.stream("Weather in 'Rio de Janeiro'?"))
    calls = [chunk for chunk in chunks if chunk.tool_call_chunks]
    pieces = [chunk.tool_call_chunks[0] for chunk in calls]
    assert len(pieces) >= 4 and not any(chunk.content for chunk in chunks)
    assert pieces[0]["name"] == "get_weather" and pieces[0]["id"]
    assert all(piece["name"] is None and piece["id"] is None for piece in pieces[1:])
    # Real clients announce the call with its name and id first, then stream the arguments.
    assert (pieces[0]["args"] == "") == (layout != "single") and all(piece["args"] for piece in pieces[1:])
    assert json.loads("".join(piece["args"] for piece in pieces)) == {"city": "Rio de Janeiro"}
    assert calls == chunks[: len(calls)], "the call comes first"
    finish = finish_chunk(chunks)
    assert finish.response_metadata["finish_reason"] == "tool_calls" and chunks.index(finish) == len(calls)
    merged = aggregate(chunks)
    assert merged.tool_calls[0]["args"] == {"city": "Rio de Janeiro"}
    assert merged.response_metadata["finish_reason"] == "tool_calls"


@each_layout
def test_error_after_breaks_a_tool_call_too(layout: str) -> None:
    model = FakeStreamingChatModel(chunk_layout=layout, error_after=2).bind_tools([get_weather], tool_choice="any")
    received = []
    with pytest.raises(StreamInterruptedError):
        for chunk in model.stream("Weather in 'Rio de Janeiro'?"):
            received.append(chunk)
    assert len([c for c in received if any(t["args"] for t in c.tool_call_chunks)]) == 2
    assert not any(carries_the_end(chunk) for chunk in received)


def growing(partials: list[Any]) -> bool:
    """Each partial object extends the one before it."""
    sizes = [len(json.dumps(partial, ensure_ascii=False)) for partial in partials]
    return sizes == sorted(sizes) and len(set(sizes)) >= 3


def test_json_output_tools_parser_yields_growing_partials() -> None:
    chain = FakeStreamingChatModel().bind_tools([get_weather], tool_choice="any") | JsonOutputToolsParser()
    partials = list(chain.stream("Weather in 'São Paulo'?"))
    assert growing(partials)
    assert partials[-1] == [{"type": "get_weather", "args": {"city": "São Paulo"}}]


def test_rule_arguments_win_and_pick_the_tool_they_fit() -> None:
    model = FakeStreamingChatModel(rules={"sum": {"a": 2, "b": 3}, "weather": {"city": "Recife"}})
    bound = model.bind_tools([get_weather, add])
    (call,) = bound.invoke("the sum please").tool_calls
    assert (call["name"], call["args"]) == ("add", {"a": 2, "b": 3})
    (call,) = bound.invoke("what weather today?").tool_calls
    assert (call["name"], call["args"]) == ("get_weather", {"city": "Recife"})


def test_free_to_choose_it_calls_a_tool_the_question_is_about_and_then_answers() -> None:
    bound = FakeStreamingChatModel().bind_tools([get_weather])
    question = HumanMessage("What is the weather in 'Recife'?")
    call_message = bound.invoke([question])
    (call,) = call_message.tool_calls
    assert call["args"] == {"city": "Recife"}
    answer = bound.invoke([question, call_message, get_weather.invoke(call)])
    assert answer.tool_calls == [] and "Sunny in Recife" in answer.content
    assert bound.invoke("Tell me a story").tool_calls == []
    assert FakeStreamingChatModel().bind_tools([get_weather], tool_choice="none").invoke(question.content).tool_calls == []


# --- structured output -----------------------------------------------------------------------


SCHEMAS = {"pydantic": Joke, "typeddict": JokeDict, "json schema": Joke.model_json_schema()}


@pytest.mark.parametrize("method", ["function_calling", "json_mode", "json_schema"])
@pytest.mark.parametrize("schema", SCHEMAS.values(), ids=SCHEMAS.keys())
def test_structured_output_invokes_and_streams(schema: Any, method: str) -> None:
    structured = FakeStreamingChatModel().with_structured_output(schema, method=method)
    result = structured.invoke("Tell me a joke about cats")
    streamed = list(structured.stream("Tell me a joke about cats"))
    if schema is Joke:
        assert isinstance(result, Joke) and streamed[-1] == result
    else:
        assert Joke.model_validate(result) and streamed[-1] == result
        assert growing(streamed), "partial objects while the arguments stream"


async def test_structured_output_streams_asynchronously() -> None:
    structured = FakeStreamingChatModel().with_structured_output(JokeDict)
    partials = [partial async for partial in structured.astream("A joke")]
    assert growing(partials) and Joke.model_validate(partials[-1])


@pytest.mark.parametrize("method", ["function_calling", "json_mode"])
def test_structured_output_can_include_the_raw_message(method: str) -> None:
    result = FakeStreamingChatModel().with_structured_output(Joke, include_raw=True, method=method).invoke("A joke")
    assert set(result) == {"raw", "parsed", "parsing_error"}
    assert isinstance(result["raw"], AIMessage) and isinstance(result["parsed"], Joke)
    assert result["parsing_error"] is None
    if method == "function_calling":
        assert result["raw"].tool_calls[0]["args"] == result["parsed"].model_dump()
    else:
        assert json.loads(result["raw"].content) == result["parsed"].model_dump()


def test_an_unknown_structured_output_method_is_refused() -> None:
    with pytest.raises(ValueError, match="json_mode"):
        FakeStreamingChatModel().with_structured_output(Joke, method="xml")


def test_a_literal_field_gets_one_of_its_values() -> None:
    route = FakeStreamingChatModel().with_structured_output(Route).invoke("Tell me a poem")
    assert route.destination in ("general", "math")


def test_a_router_can_be_scripted_to_send_arithmetic_to_math() -> None:
    rules = {r"\d+\s*[-+*/x]\s*\d+": {"destination": "math"}}
    router = FakeStreamingChatModel(rules=rules).with_structured_output(Route)
    assert router.invoke("What is 25 * 17?") == Route(destination="math")
    assert router.invoke("Who wrote Dom Casmurro?").destination == "general"
    as_text = FakeStreamingChatModel(rules={r"25 \* 17": "math"}) | StrOutputParser()
    assert as_text.invoke("What is 25 * 17?") == "math"


# --- JSON: tokenizer pieces and the three ways it goes wrong ---------------------------------

CITY_RULES = {"Rio": {"name": "Rio de Janeiro", "population": 6}}
CITY_QUESTION = "Tell me about Rio"
CITY_JSON = '{"name": "Rio de Janeiro", "population": 6}'
CITY_PIECES = ['{"', "name", '":', ' "', "Rio", " de", " Janeiro", '",', ' "', "population", '":', " ", "6", "}"]


class City(BaseModel):
    """A city."""

    name: str
    population: int


CITY_SCHEMA = City.model_json_schema()


class CityLastName(BaseModel):
    """A city, its name last: partial objects validate as soon as the name starts."""

    population: int
    name: str


class OptionalCity(BaseModel):
    """A city whose fields are all optional."""

    name: str | None = None
    population: int | None = None


def city_model(**fields: Any) -> FakeStreamingChatModel:
    return FakeStreamingChatModel(rules=CITY_RULES, **fields)


@each_layout
def test_json_streams_in_the_pieces_a_tokenizer_cuts(layout: str) -> None:
    assert texts(list(city_model(chunk_layout=layout).stream(CITY_QUESTION))) == CITY_PIECES
    structured = list(city_model(chunk_layout=layout).bind(response_format={"type": "json_object"}).stream(CITY_QUESTION))
    assert texts(structured) == CITY_PIECES
    bound = city_model(chunk_layout=layout).bind_tools([City], tool_choice="City")
    arguments = [piece["args"] for chunk in bound.stream(CITY_QUESTION) for piece in chunk.tool_call_chunks if piece["args"]]
    assert arguments == CITY_PIECES


def test_indented_json_keeps_its_newlines_and_indents_in_their_own_pieces() -> None:
    model = FakeStreamingChatModel().bind(response_format={"type": "json_schema", "schema": City.model_json_schema()})
    chunks = list(model.stream("Tell me about 'Rio'"))
    pieces = texts(chunks)
    assert pieces[:5] == ["{\n", " ", ' "', "name", '":'] and pieces[-1] == "}"
    assert json.loads("".join(pieces)) == {"name": "Rio", "population": 1}


def test_the_probe_records_the_same_json_pieces() -> None:
    from coursekit.testing.probe import ProbeModel

    probe = ProbeModel(rules=CITY_RULES, token_delay=0.0)
    list(probe.stream(CITY_QUESTION))
    assert texts([moment.text for moment in probe.record.chunks]) == CITY_PIECES


def test_a_json_fault_must_be_one_of_the_four() -> None:
    with pytest.raises(ValidationError, match="json_fault"):
        FakeStreamingChatModel(json_fault="broken")


@pytest.mark.parametrize("fault", ["prose", "fenced", "truncated", "mismatch"])
def test_a_json_fault_leaves_prose_replies_alone(fault: str) -> None:
    reply = "Streaming shows text as it is written."
    assert FakeStreamingChatModel(responses=[reply], json_fault=fault).invoke("hi").content == reply


@each_layout
def test_prose_puts_a_sentence_before_the_json_so_no_parser_reads_it(layout: str) -> None:
    model = city_model(chunk_layout=layout, json_fault="prose")
    text = model.invoke(CITY_QUESTION).content
    assert text == f"Sure! Here is the JSON you asked for:\n\n{CITY_JSON}"
    assert texts(list(model.stream(CITY_QUESTION)))[-len(CITY_PIECES) :] == CITY_PIECES, "the JSON is still cut as JSON"
    chain = model | JsonOutputParser()
    assert list(chain.stream(CITY_QUESTION)) == [], "streaming hides it: nothing, and no error"
    with pytest.raises(OutputParserException):
        chain.invoke(CITY_QUESTION)


def test_the_sentence_before_the_json_speaks_the_question_language() -> None:
    model = FakeStreamingChatModel(rules={"Rio": {"nome": "Rio"}}, json_fault="prose")
    assert model.invoke("Fale sobre o Rio, por favor").content.startswith("Claro! Aqui está o JSON")
    assert model.invoke("Tolong jelaskan tentang Rio").content.startswith("Tentu! Ini JSON")


def test_fenced_json_is_read_by_the_json_parser_but_not_by_json_loads() -> None:
    model = city_model(json_fault="fenced")
    text = model.invoke(CITY_QUESTION).content
    assert text == f"Sure! Here is the JSON you asked for:\n\n```json\n{CITY_JSON}\n```"
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert (model | JsonOutputParser()).invoke(CITY_QUESTION) == CITY_RULES["Rio"]


def test_prose_instead_of_a_tool_call_is_text_with_no_call() -> None:
    answer = city_model(json_fault="prose").bind_tools([City], tool_choice="City").invoke(CITY_QUESTION)
    assert answer.tool_calls == [] and answer.content.endswith(CITY_JSON)
    assert answer.response_metadata["finish_reason"] == "stop"
    assert city_model(json_fault="prose").with_structured_output(City).invoke(CITY_QUESTION) is None


@each_layout
def test_truncated_json_ends_before_the_object_closes_with_finish_reason_length(layout: str) -> None:
    chunks = list(city_model(chunk_layout=layout, json_fault="truncated").stream(CITY_QUESTION))
    pieces = texts(chunks)
    assert pieces == CITY_PIECES[: len(pieces)] and 0 < len(pieces) < len(CITY_PIECES)
    assert finish_chunk(chunks).response_metadata["finish_reason"] == "length"
    with pytest.raises(json.JSONDecodeError):
        json.loads("".join(pieces))
    partial = (city_model(chunk_layout=layout, json_fault="truncated") | JsonOutputParser()).invoke(CITY_QUESTION)
    assert partial == {"name": "Rio de Janeiro"}, "the parser repairs the cut-off text and raises nothing"
    with pytest.raises(ValidationError, match="population"):
        City.model_validate(partial)


@each_layout
def test_truncated_tool_arguments_stop_halfway(layout: str) -> None:
    bound = city_model(chunk_layout=layout, json_fault="truncated").bind_tools([City], tool_choice="City")
    chunks = list(bound.stream(CITY_QUESTION))
    arguments = "".join(piece["args"] for chunk in chunks for piece in chunk.tool_call_chunks)
    assert CITY_JSON.startswith(arguments) and arguments != CITY_JSON
    assert finish_chunk(chunks).response_metadata["finish_reason"] == "length"
    assert aggregate(chunks).tool_calls[0]["args"] == {"name": "Rio de Janeiro"}


def test_openais_parsing_helper_refuses_a_cut_off_answer_under_a_response_format() -> None:
    """ChatOpenAI reads a response_format stream with openai's helper, which raises at the finish chunk."""
    model = city_model(json_fault="truncated").with_structured_output(CITY_SCHEMA, method="json_schema")
    received = []
    with pytest.raises(openai.LengthFinishReasonError):
        for partial in model.stream(CITY_QUESTION):
            received.append(partial)
    assert received == [{}, {"name": ""}, {"name": "Rio"}, {"name": "Rio de"}, {"name": "Rio de Janeiro"}]
    maritaca = city_model(chunk_layout="maritaca", json_fault="truncated").with_structured_output(CITY_SCHEMA, method="json_mode")
    assert maritaca.invoke(CITY_QUESTION) == {"name": "Rio de Janeiro"}


def test_mismatch_leaves_out_the_first_required_key() -> None:
    model = city_model(json_fault="mismatch")
    assert json.loads(model.invoke(CITY_QUESTION).content) == {"population": 6}, "no schema: the first key goes"
    schema = {**CITY_SCHEMA, "required": ["population"]}
    assert model.with_structured_output(schema, method="json_schema").invoke(CITY_QUESTION) == {"name": "Rio de Janeiro"}
    with pytest.raises(ValidationError) as raised:
        model.with_structured_output(City).invoke(CITY_QUESTION)
    assert [error["loc"] for error in raised.value.errors()] == [("name",)]


def test_mismatch_gives_a_wrong_type_when_nothing_is_required() -> None:
    answer = FakeStreamingChatModel(json_fault="mismatch").with_structured_output(OptionalCity.model_json_schema(), method="json_mode")
    value = answer.invoke("Tell me about 'Rio'")
    assert value == {"name": ["Rio"], "population": 1}
    with pytest.raises(ValidationError, match="name"):
        OptionalCity.model_validate(value)


def test_a_pydantic_model_streams_partials_once_they_validate_except_under_json_schema() -> None:
    model = FakeStreamingChatModel(rules={"Rio": {"population": 6, "name": "Rio de Janeiro"}})
    for method in ("function_calling", "json_mode"):
        names = [city.name for city in model.with_structured_output(CityLastName, method=method).stream(CITY_QUESTION)]
        assert names == ["", "Rio", "Rio de", "Rio de Janeiro"], method
    finished = list(model.with_structured_output(CityLastName, method="json_schema").stream(CITY_QUESTION))
    assert finished == [CityLastName(population=6, name="Rio de Janeiro")]
    assert list(city_model().with_structured_output(City).stream(CITY_QUESTION)) == [City(name="Rio de Janeiro", population=6)]


def test_mismatch_reads_the_schema_a_parsers_format_instructions_put_in_the_prompt() -> None:
    parser = PydanticOutputParser(pydantic_object=City)
    prompt = f"Tell me about 'Rio', a city of 6 million.\n{parser.get_format_instructions()}"
    valid = (FakeStreamingChatModel() | parser).invoke(prompt)
    assert valid == City(name="Rio", population=6)
    spoiled = FakeStreamingChatModel(json_fault="mismatch").invoke(prompt).content
    assert json.loads(spoiled) == {"population": 6}
    with pytest.raises(OutputParserException, match="name"):
        (FakeStreamingChatModel(json_fault="mismatch") | parser).invoke(prompt)


@pytest.mark.parametrize("fault", ["prose", "fenced", "truncated", "mismatch"])
def test_the_probe_records_a_spoiled_answer_as_the_fake_streams_it(fault: str) -> None:
    from coursekit.testing.probe import ProbeModel

    probe = ProbeModel(rules=CITY_RULES, json_fault=fault, virtual_time=True)
    chunks = list(probe.stream(CITY_QUESTION))
    assert [moment.text for moment in probe.record.chunks] == contents(list(city_model(json_fault=fault).stream(CITY_QUESTION)))
    assert probe.record.text == "".join(contents(chunks)) and probe.record.outcome == "completed"
