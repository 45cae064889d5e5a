"""astream(): the same chunks for async code, so one process can serve many streams at once."""

import asyncio
import time

from coursekit import FakeStreamingChatModel, get_chat_model


async def answer(model: FakeStreamingChatModel, question: str) -> str:
    """The whole text of one streamed answer."""
    parts = []
    async for chunk in model.astream(question):
        parts.append(chunk.text)
    return "".join(parts)


async def main() -> None:
    model = get_chat_model()
    async for chunk in model.astream([("human", "What is streaming?")]):
        if chunk.text:
            print(chunk.text, end="", flush=True)
    print("\n")

    # While one stream waits for its next token, the event loop serves the other one.
    paced = FakeStreamingChatModel(latency="0.2,0.01")
    start = time.perf_counter()
    await answer(paced, "What is streaming?")
    alone = time.perf_counter() - start

    start = time.perf_counter()
    answers = await asyncio.gather(answer(paced, "What is streaming?"), answer(paced, "O que é streaming?"))
    together = time.perf_counter() - start
    print(f"one answer alone: {alone:.1f} s; {len(answers)} answers at the same time: {together:.1f} s")


asyncio.run(main())
