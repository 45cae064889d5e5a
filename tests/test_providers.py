"""``get_chat_model()``: which provider the environment picks, .env, clear errors, and both real
clients (ChatMaritaca, ChatOpenAI) streaming from the local OpenAI-compatible stub, offline."""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from functools import reduce
from pathlib import Path

import httpx
import openai
import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk
from langchain_maritaca import ChatMaritaca
from langchain_openai import ChatOpenAI

from coursekit import describe_provider, get_chat_model, provider_name
from coursekit.errors import MissingAPIKeyError
from coursekit.fake_model import CHUNK_LAYOUTS, FakeStreamingChatModel
from coursekit.i18n import LANGUAGES, t
from coursekit.openai_stub import serve_openai_stub
from coursekit.providers import UnknownProviderError, load_env
from coursekit.replies import tokenize

CLASSES = {"fake": FakeStreamingChatModel, "maritaca": ChatMaritaca, "openai": ChatOpenAI}
KEY_VARIABLE = {"maritaca": "MARITACA_API_KEY", "openai": "OPENAI_API_KEY"}
BASE_URL_VARIABLE = {"maritaca": "MARITACA_API_BASE", "openai": "OPENAI_BASE_URL"}
REAL_PROVIDERS = ["maritaca", "openai"]

REPLY = "Streaming shows the first words at once, and the rest follows while the model writes."
PIECES = tokenize(REPLY)
FAIL_AFTER = 3

# ChatOpenAI shares one cached async HTTP client per base URL across event loops, so a second
# loop would reuse connections of a closed one (langchain-ai/langchain#35783). Async tests that
# reach the stub therefore share one loop, like a real program does.
same_loop = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Run in an empty folder and forget whatever a test (or a .env it loaded) put in os.environ."""
    saved = dict(os.environ)
    monkeypatch.chdir(tmp_path)
    yield
    os.environ.clear()
    os.environ.update(saved)


def use_env(monkeypatch: pytest.MonkeyPatch, **variables: str) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)


# --- choosing the provider -------------------------------------------------------------------

SELECTION = [
    pytest.param({}, "fake", id="no-key-is-offline"),
    pytest.param({"MARITACA_API_KEY": "m"}, "maritaca", id="maritaca-key"),
    pytest.param({"OPENAI_API_KEY": "o"}, "openai", id="openai-key"),
    pytest.param({"MARITACA_API_KEY": "m", "OPENAI_API_KEY": "o"}, "maritaca", id="both-keys-prefer-maritaca"),
    pytest.param({"MARITACA_API_KEY": "  ", "OPENAI_API_KEY": "o"}, "openai", id="blank-key-is-unset"),
    pytest.param({"COURSE_PROVIDER": "", "OPENAI_API_KEY": "o"}, "openai", id="empty-choice-is-unset"),
    pytest.param({"COURSE_PROVIDER": "fake", "MARITACA_API_KEY": "m", "OPENAI_API_KEY": "o"}, "fake", id="force-fake"),
    pytest.param({"COURSE_PROVIDER": "openai", "MARITACA_API_KEY": "m", "OPENAI_API_KEY": "o"}, "openai", id="force-openai"),
    pytest.param({"COURSE_PROVIDER": "maritaca", "MARITACA_API_KEY": "m"}, "maritaca", id="force-maritaca"),
    pytest.param({"COURSE_PROVIDER": " OpenAI ", "OPENAI_API_KEY": "o"}, "openai", id="choice-ignores-case-and-spaces"),
]


@pytest.mark.parametrize(("variables", "expected"), SELECTION)
def test_environment_chooses_the_provider(monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], expected: str) -> None:
    use_env(monkeypatch, **variables)
    assert provider_name() == expected
    assert type(get_chat_model()) is CLASSES[expected]


def test_explicit_provider_argument_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    use_env(monkeypatch, COURSE_PROVIDER="openai", OPENAI_API_KEY="o")
    assert provider_name("fake") == "fake"
    assert type(get_chat_model("fake")) is FakeStreamingChatModel


@pytest.mark.parametrize("lang", LANGUAGES)
def test_unknown_provider_is_a_clear_value_error(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    use_env(monkeypatch, COURSE_PROVIDER="gemini", OPENAI_API_KEY="o", COURSE_LANG=lang)
    with pytest.raises(ValueError) as raised:
        get_chat_model()
    assert isinstance(raised.value, UnknownProviderError)
    message = str(raised.value)
    assert message == t("providers.unknown_provider", lang, provider="gemini", choices="fake, maritaca, openai")
    assert "gemini" in message and all(name in message for name in CLASSES)
    with pytest.raises(UnknownProviderError):
        provider_name()


# --- missing keys ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("provider", REAL_PROVIDERS)
def test_missing_key_is_one_sentence_naming_the_variable(monkeypatch: pytest.MonkeyPatch, provider: str, lang: str) -> None:
    other = next(name for name in REAL_PROVIDERS if name != provider)
    # The other provider's key must not stand in for the missing one.
    use_env(monkeypatch, COURSE_PROVIDER=provider, COURSE_LANG=lang, **{KEY_VARIABLE[other]: "k"})
    with pytest.raises(MissingAPIKeyError) as raised:
        get_chat_model()
    message = str(raised.value)
    assert KEY_VARIABLE[provider] in message
    assert message == t("providers.missing_key", lang, provider=provider, variable=KEY_VARIABLE[provider])
    assert "\n" not in message and message.endswith(".")
    # Checked up front: nothing of an HTTP client or provider SDK is in the way.
    assert raised.value.__cause__ is None and raised.value.__context__ is None
    files = [frame.filename for frame in traceback.extract_tb(raised.value.__traceback__)]
    assert not [f for f in files if any(lib in f for lib in ("httpx", "openai", "langchain_maritaca"))]


def test_missing_key_messages_differ_per_language(monkeypatch: pytest.MonkeyPatch) -> None:
    messages = set()
    for lang in LANGUAGES:
        with pytest.raises(MissingAPIKeyError) as raised:
            get_chat_model("maritaca", lang=lang)
        messages.add(str(raised.value))
    assert len(messages) == len(LANGUAGES)


@pytest.mark.parametrize("provider", REAL_PROVIDERS)
def test_blank_key_counts_as_missing(monkeypatch: pytest.MonkeyPatch, provider: str) -> None:
    use_env(monkeypatch, **{KEY_VARIABLE[provider]: ""})
    with pytest.raises(MissingAPIKeyError, match=KEY_VARIABLE[provider]):
        get_chat_model(provider, lang="en")


@pytest.mark.parametrize("provider", REAL_PROVIDERS)
def test_api_key_argument_is_enough(provider: str) -> None:
    model = get_chat_model(provider, api_key="sk-from-code")
    secret = model.openai_api_key if provider == "openai" else model.maritaca_api_key
    assert secret.get_secret_value() == "sk-from-code"


# --- .env --------------------------------------------------------------------------------------


def test_dotenv_in_a_parent_folder_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("OPENAI_API_KEY=sk-from-dotenv\nCOURSE_MODEL=gpt-from-dotenv\n")
    notebook_folder = tmp_path / "notebooks" / "pt"  # notebooks run from a subfolder
    notebook_folder.mkdir(parents=True)
    monkeypatch.chdir(notebook_folder)
    monkeypatch.delenv("COURSE_DOTENV")
    assert provider_name() == "openai"
    model = get_chat_model()
    assert model.model_name == "gpt-from-dotenv"
    assert model.openai_api_key.get_secret_value() == "sk-from-dotenv"


def test_course_dotenv_0_ignores_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("OPENAI_API_KEY=sk-from-dotenv\n")
    monkeypatch.setenv("COURSE_DOTENV", "0")
    assert provider_name() == "fake"
    assert "OPENAI_API_KEY" not in os.environ


def test_dotenv_never_overrides_the_real_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("COURSE_PROVIDER=openai\nOPENAI_API_KEY=sk-from-dotenv\nCOURSE_MODEL=from-dotenv\n")
    monkeypatch.delenv("COURSE_DOTENV")
    use_env(monkeypatch, OPENAI_API_KEY="sk-from-shell", COURSE_MODEL="from-shell")
    model = get_chat_model()
    assert isinstance(model, ChatOpenAI)  # the .env still fills what the shell left unset
    assert model.openai_api_key.get_secret_value() == "sk-from-shell"
    assert model.model_name == "from-shell"


def test_load_env_takes_an_explicit_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = tmp_path / "course.env"
    settings.write_text("MARITACA_API_KEY=from-explicit-file\n")
    assert load_env(settings) is False  # COURSE_DOTENV=0 from conftest still applies
    assert "MARITACA_API_KEY" not in os.environ
    monkeypatch.delenv("COURSE_DOTENV")
    assert load_env(settings) is True
    assert os.environ["MARITACA_API_KEY"] == "from-explicit-file"
    assert provider_name() == "maritaca"


# --- model name and keyword arguments --------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "default"), [("fake", "fake-streaming-1"), ("maritaca", "sabia-3.1"), ("openai", "gpt-4o-mini")]
)
def test_course_model_overrides_the_default_model(monkeypatch: pytest.MonkeyPatch, provider: str, default: str) -> None:
    use_env(monkeypatch, MARITACA_API_KEY="m", OPENAI_API_KEY="o")
    assert get_chat_model(provider).model_name == default
    monkeypatch.setenv("COURSE_MODEL", "model-from-env")
    assert get_chat_model(provider).model_name == "model-from-env"
    assert get_chat_model(provider, model="model-from-code").model_name == "model-from-code"


class Recorder(BaseCallbackHandler):
    """Collects the tokens a model streams through its callbacks."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    def on_llm_new_token(self, token: str, **kwargs: object) -> None:
        self.tokens.append(token)


@pytest.mark.parametrize("provider", ["maritaca", "openai"])
def test_keyword_arguments_reach_real_providers(monkeypatch: pytest.MonkeyPatch, provider: str) -> None:
    use_env(monkeypatch, **{KEY_VARIABLE[provider]: "k"})
    recorder = Recorder()
    model = get_chat_model(provider, streaming=True, temperature=0.3, callbacks=[recorder], max_tokens=77)
    assert (model.streaming, model.temperature, model.callbacks, model.max_tokens) == (True, 0.3, [recorder], 77)


def test_openai_streams_usage_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    use_env(monkeypatch, OPENAI_API_KEY="o", OPENAI_BASE_URL="http://127.0.0.1:9/v1")
    assert get_chat_model("openai").stream_usage is True
    assert get_chat_model("openai", stream_usage=False).stream_usage is False


def test_keyword_arguments_reach_the_fake_model() -> None:
    recorder = Recorder()
    model = get_chat_model(streaming=True, callbacks=[recorder], latency="0.002,0.001", responses=["Hi there"])
    assert (model.time_to_first_token, model.token_delay) == (0.002, 0.001)
    assert model.invoke("hello").content == "Hi there"
    assert [token for token in recorder.tokens if token] == ["Hi", " there"]  # streamed inside invoke()


def test_fake_model_honours_course_fake_latency(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_FAKE_LATENCY", "0.25,0.05")
    model = get_chat_model()
    assert (model.time_to_first_token, model.token_delay) == (0.25, 0.05)


# --- describing the provider -------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_describe_the_offline_model(lang: str) -> None:
    description = describe_provider(get_chat_model(), lang)
    assert description.startswith("fake (fake-streaming-1), ")
    assert description == t("providers.described_offline", lang, provider="fake", model="fake-streaming-1")


def test_describe_real_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    use_env(monkeypatch, MARITACA_API_KEY="m", OPENAI_API_KEY="o")
    assert describe_provider(get_chat_model("openai")) == "openai (gpt-4o-mini)"
    assert describe_provider(get_chat_model("maritaca", model="sabia-3")) == "maritaca (sabia-3)"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8765/v1")
    assert describe_provider(get_chat_model("openai"), "en") == "openai (gpt-4o-mini) at http://127.0.0.1:8765/v1"


# --- both real clients against the local OpenAI-compatible stub --------------------------------


@pytest.fixture(scope="module")
def stub_url() -> Iterator[str]:
    with serve_openai_stub(FakeStreamingChatModel(responses=[REPLY])) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def failing_stub_url() -> Iterator[str]:
    with serve_openai_stub(FakeStreamingChatModel(responses=[REPLY], error_after=FAIL_AFTER)) as base_url:
        yield base_url


def model_at(monkeypatch: pytest.MonkeyPatch, provider: str, base_url: str, **kwargs: object) -> BaseChatModel:
    """The provider's real client, chosen the way a student would, with its base URL on the stub."""
    use_env(monkeypatch, COURSE_PROVIDER=provider, **{KEY_VARIABLE[provider]: "stub-key", BASE_URL_VARIABLE[provider]: base_url})
    model = get_chat_model(**kwargs)
    assert isinstance(model, CLASSES[provider])
    return model


def check_reply_stream(chunks: list[AIMessageChunk], model_name: str) -> None:
    """Several chunks that join to the reply, then exactly one finish chunk after all the text."""
    assert [c.content for c in chunks if c.content] == PIECES
    assert len(PIECES) > 5
    finishing = [i for i, c in enumerate(chunks) if c.response_metadata.get("finish_reason")]
    assert len(finishing) == 1
    finish = chunks[finishing[0]]
    assert finish.response_metadata["finish_reason"] == "stop"
    # ChatOpenAI names the model "model_name"; ChatMaritaca (langchain-maritaca 0.4.1) names it "model".
    assert model_name in (finish.response_metadata.get("model_name"), finish.response_metadata.get("model"))
    assert not any(c.content for c in chunks[finishing[0] :])


@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_the_fake_keeps_the_same_promise_in_every_layout(layout: str) -> None:
    model = FakeStreamingChatModel(responses=[REPLY], chunk_layout=layout)
    check_reply_stream(list(model.stream("Why stream?")), model.model_name)


@pytest.mark.parametrize("provider", REAL_PROVIDERS)
def test_sync_stream_through_the_stub(monkeypatch: pytest.MonkeyPatch, stub_url: str, provider: str) -> None:
    model = model_at(monkeypatch, provider, stub_url)
    check_reply_stream(list(model.stream("Why stream?")), model.model_name)


@same_loop
@pytest.mark.parametrize("provider", REAL_PROVIDERS)
async def test_async_stream_through_the_stub(monkeypatch: pytest.MonkeyPatch, stub_url: str, provider: str) -> None:
    model = model_at(monkeypatch, provider, stub_url, model="course-model")
    chunks = [chunk async for chunk in model.astream("Why stream?")]
    check_reply_stream(chunks, "course-model")


@same_loop
async def test_openai_stream_reports_usage(monkeypatch: pytest.MonkeyPatch, stub_url: str) -> None:
    model = model_at(monkeypatch, "openai", stub_url)
    chunks = [chunk async for chunk in model.astream("Why stream?")]
    usage = reduce(lambda a, b: a + b, chunks).usage_metadata
    assert usage is not None
    assert usage["output_tokens"] == len(PIECES)
    assert usage["input_tokens"] > 0
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


def test_maritaca_stream_carries_no_usage(monkeypatch: pytest.MonkeyPatch, stub_url: str) -> None:
    """ChatMaritaca's stream carries no usage (langchain-maritaca 0.4.1), so lessons must not rely on it."""
    model = model_at(monkeypatch, "maritaca", stub_url)
    chunks = list(model.stream("Why stream?"))
    assert [c.content for c in chunks if c.content] == PIECES
    assert all(c.usage_metadata is None for c in chunks)


@pytest.mark.parametrize("provider", REAL_PROVIDERS)
def test_invoke_without_streaming_through_the_stub(monkeypatch: pytest.MonkeyPatch, stub_url: str, provider: str) -> None:
    reply = model_at(monkeypatch, provider, stub_url).invoke("Why stream?")
    assert reply.content == REPLY
    assert reply.response_metadata["finish_reason"] == "stop"
    assert reply.usage_metadata["output_tokens"] == len(PIECES)


@pytest.mark.parametrize("provider", REAL_PROVIDERS)
def test_streaming_true_feeds_callbacks_through_the_stub(monkeypatch: pytest.MonkeyPatch, stub_url: str, provider: str) -> None:
    recorder = Recorder()
    reply = model_at(monkeypatch, provider, stub_url, streaming=True, callbacks=[recorder]).invoke("Why stream?")
    assert reply.content == REPLY
    assert [token for token in recorder.tokens if token] == PIECES


def test_latency_is_for_the_fake_only(monkeypatch: pytest.MonkeyPatch, stub_url: str) -> None:
    """Demo code passes latency="realistic"; ChatOpenAI would send it to the API as a parameter."""
    model = model_at(monkeypatch, "openai", stub_url, latency="realistic")
    assert "latency" not in model.model_kwargs
    assert model.invoke("Why stream?").content == REPLY


# What a student catches when the provider drops the connection halfway.
MID_STREAM_ERRORS = {"maritaca": httpx.RemoteProtocolError, "openai": openai.APIConnectionError}


@pytest.mark.parametrize("provider", REAL_PROVIDERS)
def test_server_error_mid_stream_raises_from_the_iterator(
    monkeypatch: pytest.MonkeyPatch, failing_stub_url: str, provider: str
) -> None:
    received: list[str] = []
    with pytest.raises(MID_STREAM_ERRORS[provider]):
        for chunk in model_at(monkeypatch, provider, failing_stub_url).stream("Why stream?"):
            received.append(chunk.content)
    assert [piece for piece in received if piece] == PIECES[:FAIL_AFTER]


@same_loop
@pytest.mark.parametrize("provider", REAL_PROVIDERS)
async def test_server_error_mid_astream_raises_from_the_iterator(
    monkeypatch: pytest.MonkeyPatch, failing_stub_url: str, provider: str
) -> None:
    received: list[str] = []
    with pytest.raises(MID_STREAM_ERRORS[provider]):
        async for chunk in model_at(monkeypatch, provider, failing_stub_url).astream("Why stream?"):
            received.append(chunk.content)
    assert [piece for piece in received if piece] == PIECES[:FAIL_AFTER]
