"""``get_chat_model()``: one switch between the offline fake model and a real provider.

Course code never names a provider; it asks for a chat model and the environment decides. With
no key a student gets :class:`FakeStreamingChatModel`; with ``MARITACA_API_KEY`` or
``OPENAI_API_KEY`` (in the shell or in ``.env``) the same notebook streams from Maritaca or
OpenAI. ``COURSE_PROVIDER`` forces a choice and ``COURSE_MODEL`` a model name.

A provider chosen without its key fails here, with one sentence in the student's language that
names the variable, instead of an obscure HTTP error on the first request.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dotenv import find_dotenv, load_dotenv
from langchain_core.language_models import BaseChatModel

from coursekit.errors import MissingAPIKeyError
from coursekit.fake_model import FakeStreamingChatModel
from coursekit.i18n import t

PROVIDER_ENV = "COURSE_PROVIDER"
MODEL_ENV = "COURSE_MODEL"
DOTENV_ENV = "COURSE_DOTENV"
#: Public endpoints are not worth printing; a custom one (a proxy, the local stub) is.
PUBLIC_BASE_URLS = frozenset({"https://chat.maritaca.ai/api", "https://api.openai.com/v1"})


class UnknownProviderError(ValueError):
    """``COURSE_PROVIDER`` (or ``provider=``) names a provider the course does not know."""


@dataclass(frozen=True)
class Provider:
    """What the switch needs to know about one provider."""

    default_model: str
    key_variable: str | None = None
    base_url_variable: str | None = None


#: In order of preference when ``COURSE_PROVIDER`` is unset: the first provider with a key wins.
PROVIDERS: dict[str, Provider] = {
    "maritaca": Provider("sabia-3.1", "MARITACA_API_KEY", "MARITACA_API_BASE"),
    "openai": Provider("gpt-4o-mini", "OPENAI_API_KEY", "OPENAI_BASE_URL"),
    "fake": Provider("fake-streaming-1"),
}


def load_env(dotenv_path: str | Path | None = None) -> bool:
    """Read ``.env`` (found from the working directory upwards) into ``os.environ``.

    Variables already set always win over the file, so a key exported in the shell is never
    replaced. ``COURSE_DOTENV=0`` skips the file, which keeps the test suite independent of a
    developer's ``.env``. Returns whether the file set anything.
    """
    if os.environ.get(DOTENV_ENV, "1").strip().lower() in {"0", "false", "no", "off"}:
        return False
    path = dotenv_path or find_dotenv(usecwd=True)
    return bool(path) and load_dotenv(path, override=False)


def provider_name(provider: str | None = None, *, lang: str | None = None) -> str:
    """The provider :func:`get_chat_model` would use: ``provider``, else ``COURSE_PROVIDER``,
    else the first provider whose key is set, else ``"fake"``. Keys are not checked here."""
    load_env()
    raw = provider or os.environ.get(PROVIDER_ENV) or ""
    chosen = raw.strip().lower()
    if not chosen:
        return next(name for name, spec in PROVIDERS.items() if not spec.key_variable or _env(spec.key_variable))
    if chosen not in PROVIDERS:
        choices = ", ".join(sorted(PROVIDERS))
        raise UnknownProviderError(t("providers.unknown_provider", lang, provider=raw.strip(), choices=choices))
    return chosen


def get_chat_model(provider: str | None = None, *, lang: str | None = None, **kwargs: Any) -> BaseChatModel:
    """A chat model from the environment; keyword arguments go to the model's constructor.

    ``model=`` beats ``COURSE_MODEL``, which beats the provider's default. ``streaming=True``,
    ``callbacks=``, ``temperature=``... pass through unchanged. ``latency=`` paces the fake (as
    does ``COURSE_FAKE_LATENCY``) and is dropped for real providers, so demo code runs on any of
    them. ``lang`` only chooses the language of errors.

    Raises:
        MissingAPIKeyError: the chosen provider's key is not set (checked before any request).
        UnknownProviderError: ``COURSE_PROVIDER`` is not fake, maritaca or openai.
    """
    name = provider_name(provider, lang=lang)
    spec = PROVIDERS[name]
    kwargs["model"] = kwargs.get("model") or _env(MODEL_ENV) or spec.default_model
    if spec.key_variable is None:
        return FakeStreamingChatModel(**kwargs)
    # Pacing only means something to the fake; ChatOpenAI would send it to the API and fail.
    kwargs.pop("latency", None)
    api_key = kwargs.pop("api_key", None) or _env(spec.key_variable)
    if not api_key:
        raise MissingAPIKeyError(t("providers.missing_key", lang, provider=name, variable=spec.key_variable))
    base_url = kwargs.pop("base_url", None) or (spec.base_url_variable and _env(spec.base_url_variable))
    if base_url:
        kwargs["base_url"] = base_url
    return _BUILDERS[name](api_key=api_key, **kwargs)


def describe_provider(model: BaseChatModel, lang: str | None = None) -> str:
    """A one-line label such as ``fake (fake-streaming-1), offline`` or ``openai (gpt-4o-mini)``."""
    if isinstance(model, FakeStreamingChatModel):
        return t("providers.described_offline", lang, provider="fake", model=model.model_name)
    name = model._llm_type.removesuffix("-chat")  # "openai-chat", "maritaca-chat"
    model_name = getattr(model, "model_name", "?")
    base_url = getattr(model, "openai_api_base", None) or getattr(model, "maritaca_api_base", None)
    if base_url and base_url.rstrip("/") not in PUBLIC_BASE_URLS:
        return t("providers.described_at", lang, provider=name, model=model_name, url=base_url)
    return f"{name} ({model_name})"


def _env(name: str) -> str | None:
    """A variable's value, with blank treated as unset (``OPENAI_API_KEY=`` in a copied .env)."""
    value = os.environ.get(name, "").strip()
    return value or None


def _maritaca(**kwargs: Any) -> BaseChatModel:
    # Imported on use: students on the offline path never pay for loading the provider SDKs.
    from langchain_maritaca import ChatMaritaca

    return ChatMaritaca(**kwargs)


def _openai(**kwargs: Any) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    # ChatOpenAI leaves usage off when base_url is set; the course always wants it.
    kwargs.setdefault("stream_usage", True)
    return ChatOpenAI(**kwargs)


_BUILDERS: dict[str, Callable[..., BaseChatModel]] = {"maritaca": _maritaca, "openai": _openai}
