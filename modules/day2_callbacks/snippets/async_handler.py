"""AsyncCallbackHandler: hooks that are coroutines, awaited on the event loop."""

import asyncio
import threading
from typing import Any

from langchain_core.callbacks import AsyncCallbackHandler, BaseCallbackHandler
from langchain_core.outputs import LLMResult

from coursekit import FakeStreamingChatModel


class AsyncPrinter(AsyncCallbackHandler):
    """Runs on the event loop's own thread, so it may await other coroutines."""

    async def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        print(token, end="", flush=True)

    async def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        on_loop = threading.current_thread() is threading.main_thread()
        print(f"\n[async handler ran on the loop's thread: {on_loop}]")


class SyncWatcher(BaseCallbackHandler):
    """A plain handler used from async code: LangChain hands each call to a worker thread."""

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        on_loop = threading.current_thread() is threading.main_thread()
        print(f"[sync handler ran on the loop's thread: {on_loop}]")


async def main() -> None:
    model = FakeStreamingChatModel.realistic(responses=["Async handlers are awaited between chunks."])
    async for _ in model.astream("Why async?", config={"callbacks": [AsyncPrinter()]}):
        pass
    await model.ainvoke("Why async?", config={"callbacks": [SyncWatcher()]})


asyncio.run(main())
