"""Exercise 5: two models answer in parallel; split their interleaved tokens by run_id.

``RunnableParallel`` runs its branches at the same time, for example a list of pros and a list
of cons written by the same model::

    chain = RunnableParallel(pros=pros_prompt | model, cons=cons_prompt | model)

``astream_events`` then delivers both models' chunks in one stream, interleaved as they are
written: a pros token, two cons tokens, another pros token... Both runs are the same model, so
their events have the same type (``on_chat_model_stream``), the same ``name`` and the same
tags. What tells them apart is ``event["run_id"]``: every run gets its own id, carried by all
of its events, from its ``on_chat_model_start`` to its ``on_chat_model_end``.

Write the coroutine ``split_branches(chain, inputs, show)``, for a page with one pane per branch:

1. number the model runs 0, 1, ... in the order they *start*, at their
   ``on_chat_model_start`` event (which comes before any of their chunks). Not in the order
   their first token arrives: the second branch may well answer first;
2. for each non-empty chunk of an ``on_chat_model_stream`` event, find its run's number by
   ``run_id`` and call ``show(number, text)`` at once, so both panes grow while the models write;
3. return the whole text of each run, in the order of their numbers: ``[text of run 0, text
   of run 1]``.

Try it::

    import asyncio
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_core.runnables import RunnableParallel
    from coursekit import FakeStreamingChatModel

    model = FakeStreamingChatModel.realistic(rules={"pros": "Fast, cheap, simple.", "cons": "Fragile, noisy."})
    chain = RunnableParallel(
        pros=ChatPromptTemplate.from_template("List the pros of {thing}") | model,
        cons=ChatPromptTemplate.from_template("List the cons of {thing}") | model,
    )
    texts = asyncio.run(split_branches(chain, {"thing": "streaming"}, lambda number, text: print(number, repr(text))))
    print(texts)

The numbered tokens of both branches come mixed, as the two models write them, and ``texts`` is
``['Fast, cheap, simple.', 'Fragile, noisy.']``.

Read this task in your language: ``coursekit task ex05_parallel_branches``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def split_branches(chain: Runnable, inputs: Any, show: Callable[[int, str], None]) -> list[str]:
    """Show each model token with its branch's number as it arrives; return each branch's whole text."""
    # TODO: keep a dict run_id -> number, filled at each "on_chat_model_start", and one list of
    # texts per number. On each "on_chat_model_stream" chunk with text, look its run_id up, add
    # the text and call show(number, text). Return the joined texts, in number order.
    raise NotImplementedError("split_branches")
