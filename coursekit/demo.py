"""``coursekit demo``: a short streamed answer in the terminal, proof that the set-up works.

It goes through :func:`get_chat_model`, the same switch notebooks use, so it answers offline
with the fake model and from Maritaca or OpenAI once a key is set, and it says which one it
used. Tokens are written the moment they arrive: seeing the words appear one by one is the
point of the course.
"""

from __future__ import annotations

import os
from typing import TextIO

from langchain_core.language_models import BaseChatModel

from coursekit.fake_model import LATENCY_ENV
from coursekit.i18n import t
from coursekit.providers import describe_provider, get_chat_model, provider_name


def demo_model(lang: str) -> BaseChatModel:
    """The chat model of the environment; the offline one paced like a real provider."""
    if provider_name(lang=lang) == "fake" and not os.environ.get(LATENCY_ENV):
        return get_chat_model(lang=lang, latency="realistic")
    return get_chat_model(lang=lang)


def run_demo(out: TextIO, lang: str, model: BaseChatModel | None = None) -> str:
    """Stream the demo answer to ``out`` token by token and return the full text."""
    model = model or demo_model(lang)
    prompt = t("cli.demo_prompt", lang)
    out.write(t("cli.demo_provider", lang, provider=describe_provider(model, lang)) + "\n")
    out.write(f"> {prompt}\n\n")
    out.flush()
    parts = []
    for chunk in model.stream(prompt):
        if chunk.text:
            out.write(chunk.text)
            out.flush()
            parts.append(chunk.text)
    out.write("\n")
    out.flush()
    return "".join(parts)
