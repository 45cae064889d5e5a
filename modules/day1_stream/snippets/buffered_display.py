"""Buffered display: repaint every 100 ms or every 10 chunks, whichever comes first."""

import asyncio
import time
from collections.abc import AsyncIterator

from coursekit import FakeStreamingChatModel


async def buffered(
    pieces: AsyncIterator[str], *, max_chunks: int = 10, max_wait: float = 0.1
) -> AsyncIterator[list[str]]:
    """Group pieces into batches: a batch leaves when it holds max_chunks pieces, or when
    max_wait seconds have passed since the previous batch left, whichever comes first."""
    batch: list[str] = []
    last_sent = time.monotonic()
    async for piece in pieces:
        if piece:
            batch.append(piece)
        if len(batch) >= max_chunks or (batch and time.monotonic() - last_sent >= max_wait):
            yield batch
            batch = []
            last_sent = time.monotonic()
    if batch:  # whatever is left when the stream ends
        yield batch


async def text_pieces(model: FakeStreamingChatModel, question: str) -> AsyncIterator[str]:
    async for chunk in model.astream(question):
        yield chunk.text


async def show(label: str, model: FakeStreamingChatModel) -> None:
    sizes = []
    async for batch in buffered(text_pieces(model, "What is streaming?")):
        print("".join(batch), end="", flush=True)  # one repaint of the screen
        sizes.append(len(batch))
    print(f"\n[{label}] {len(sizes)} repaints, chunks per repaint: {', '.join(map(str, sizes))}\n")


async def main() -> None:
    # A fast model: ten chunks arrive well within 100 ms, so the size limit decides.
    await show("fast model", FakeStreamingChatModel())
    # A slow model (50 ms per token): 100 ms pass before ten chunks arrive, so the clock decides.
    await show("slow model", FakeStreamingChatModel(latency="0.1,0.05", responses=["Slow tokens leave in small batches, on time."]))


asyncio.run(main())
