"""A short streamed answer in the terminal: proof that the set-up works, with or without a key."""

from __future__ import annotations

import sys

from coursekit.fake_model import FakeStreamingChatModel

DEMO_PROMPT = "In two sentences, why do chat apps stream their answers?"


def run_demo(prompt: str = DEMO_PROMPT) -> str:
    """Stream an answer to stdout token by token and return the full text."""
    model = FakeStreamingChatModel.realistic()
    print(f"provider: fake ({model.model_name}), offline\n> {prompt}\n", flush=True)
    parts = []
    for chunk in model.stream(prompt):
        if chunk.content:
            sys.stdout.write(chunk.content)
            sys.stdout.flush()
            parts.append(chunk.content)
    print()
    return "".join(parts)
