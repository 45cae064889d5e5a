"""Exercise 3: two streams at once, on one event loop.

``model.astream(prompt)`` is the async twin of ``stream()``: you read it with ``async for``.
While one stream waits for its next chunk, the event loop is free to run other work, such as a
second stream. Two answers streamed concurrently take about as long as the longer one, not the
sum of both, and their chunks arrive interleaved.

Write the coroutine ``stream_both(model, first_prompt, second_prompt)`` that:

1. returns ``(first_answer, second_answer)``, in the order of the prompts, whichever finishes
   first;
2. streams both answers *at the same time*: write a small coroutine that collects one answer
   with ``async for chunk in model.astream(prompt)``, then run two of them together with
   ``asyncio.gather(...)`` or an ``asyncio.TaskGroup``. Awaiting one and then the other would
   run them one after the other;
3. never blocks the event loop: no ``model.stream()``, no ``time.sleep()`` inside async code.
   They freeze the loop, and every other task with it, even with an ``await asyncio.sleep(0)``
   after each chunk: the loop is still frozen while each token is awaited;
4. stops both streams when it is cancelled (a user closes the page, a timeout fires), and
   ends cancelled itself. ``gather`` and ``TaskGroup`` cancel their children for you; tasks you
   create by hand and only await one by one, ``asyncio.wait`` and worker threads do not. Don't
   catch ``asyncio.CancelledError`` to return something instead: whoever cancelled the task
   must see that it stopped.

Try it::

    import asyncio
    from coursekit import FakeStreamingChatModel
    first, second = asyncio.run(stream_both(FakeStreamingChatModel.realistic(), "Tell a joke", "Say hi"))

Streamed one after the other, the two answers would take about twice as long as one of them;
streamed together, they take about as long as the longer one.

Read this task in your language: ``coursekit task ex03_concurrent_streams``.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel


async def stream_both(model: BaseChatModel, first_prompt: str, second_prompt: str) -> tuple[str, str]:
    """Stream the answers to both prompts concurrently; return them in the order of the prompts."""
    # TODO: define a coroutine that collects one answer from model.astream(prompt), then run it
    # for both prompts with asyncio.gather and return the two answers as a tuple.
    raise NotImplementedError("stream_both")
