# Fake model only: ChatMaritaca 0.4.1 cannot stream a tool call (day 4), and the stream of one is the lesson here.
"""bind_tools, then add up the tool_call_chunks: the args string grows, it is parsed at the end, finish_reason is tool_calls."""

import asyncio

from langchain_core.tools import tool

from coursekit import get_chat_model


@tool
def save_note(topic: str, summary: str, confidence: float) -> str:
    """Save a short note about a topic."""
    return f"saved {topic!r}"


model = get_chat_model(latency="realistic").bind_tools([save_note], tool_choice="save_note")
question = "Note 'Streaming JSON' at 0.9: 'Partial objects arrive while the model writes'"


def tail(value: object, width: int = 62) -> str:
    text = repr(value)
    return text if len(text) <= width else "…" + text[1 - width :]


async def main() -> None:
    message, names = None, []
    print(f"{'piece of args':<16} the sum's tool_calls[0]['args'] so far")
    async for chunk in model.astream(question):
        message = chunk if message is None else message + chunk  # the sum, as on day 1
        for piece in chunk.tool_call_chunks:
            names.append(piece["name"])
            print(f"{piece['args']!r:<16} {tail(message.tool_calls[0]['args'])}")

    call_chunk, call = message.tool_call_chunks[0], message.tool_calls[0]
    print(f"\n{len(names)} pieces: the first names the tool ({names[0]!r}), {names[1:].count(None)} of the others name nothing.")
    print(f"The args string, added up: {call_chunk['args']!r}")
    print(f"finish_reason: {message.response_metadata['finish_reason']}")
    print(f"The call, parsed: {call['name']}({call['args']})")
    print(f"The tool returns: {await save_note.ainvoke(call['args'])}")


asyncio.run(main())
