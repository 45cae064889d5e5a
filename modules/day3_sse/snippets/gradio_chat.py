"""Gradio's ChatInterface streams when its function is a generator that yields the growing reply."""

import asyncio
from collections.abc import AsyncIterator

import gradio as gr

from coursekit import FakeStreamingChatModel

model = FakeStreamingChatModel.realistic(responses=["Gradio redraws the whole message each time, so yield all of it so far."])


async def reply(message: str, history: list[dict]) -> AsyncIterator[str]:
    """Gradio shows each value in place of the previous one: yield the whole text so far."""
    conversation = [(turn["role"], turn["content"]) for turn in history] + [("user", message)]
    so_far = ""
    async for chunk in model.astream(conversation):
        so_far += chunk.text
        yield so_far


# analytics_enabled=False: by default Gradio reports usage statistics over the network.
demo = gr.ChatInterface(reply, title="Day 3 chat", analytics_enabled=False)
print(f"built a {type(demo).__name__}; demo.launch() would serve it on http://127.0.0.1:7860")


async def main() -> None:
    """Call the function the way Gradio does, with the history in its "messages" format."""
    history = [{"role": "user", "content": "Hi!"}, {"role": "assistant", "content": "Hello! Ask me anything."}]
    values = [value async for value in reply("How does Gradio stream?", history)]
    for number, value in enumerate(values, start=1):
        if number <= 3 or number == len(values):
            print(f"yield {number:>2}: {value!r}")
        elif number == 4:
            print("...")


asyncio.run(main())
