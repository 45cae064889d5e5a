"""Takes the tokens from the chain's own on_chain_stream events.

The student picks the stream events of the whole chain, the outermost run, expecting them to carry
the answer as it is written; but they carry what the chain streams, which a final plain function
produces only at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable


async def stream_tokens(chain: Runnable, inputs: Any, on_token: Callable[[str], None]) -> Any:
    output = None
    async for event in chain.astream_events(inputs, version="v2"):
        if event["event"] == "on_chain_stream" and not event["parent_ids"]:
            chunk = event["data"]["chunk"]
            if chunk:
                on_token(chunk if isinstance(chunk, str) else str(chunk))
        elif event["event"] == "on_chain_end" and not event["parent_ids"]:
            output = event["data"]["output"]
    return output
