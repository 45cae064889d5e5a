"""Which chunk carries what: your model and the fake's three layouts, each streamed for real."""

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk

from coursekit import FakeStreamingChatModel, describe_provider, get_chat_model


def carried(chunk: AIMessageChunk) -> list[str]:
    """The names of the metadata one chunk carries."""
    return sorted(chunk.response_metadata) + (["usage"] if chunk.usage_metadata else [])


def listed(names: list[str]) -> str:
    return ", ".join(names) or "no metadata"


def kind(chunk: AIMessageChunk) -> str:
    return "text" if chunk.text else "empty"


def role(chunks: list[AIMessageChunk], index: int) -> str:
    """A chunk named by its place in the stream rather than by its number."""
    if index == len(chunks) - 1:
        return "the last chunk"
    return "a text chunk" if chunks[index].text else "an empty chunk of its own"


def layout(model: BaseChatModel) -> dict[str, str]:
    """Stream one answer, say where its metadata travelled, and what the sum of the chunks holds."""
    chunks = list(model.stream("Say hello."))
    first, last = chunks[0], chunks[-1]
    finish = next(i for i, chunk in enumerate(chunks) if "finish_reason" in chunk.response_metadata)
    usage = next((i for i, chunk in enumerate(chunks) if chunk.usage_metadata), None)
    with_finish = [name for name in carried(chunks[finish]) if name != "finish_reason"]
    on_text = sorted({name for chunk in chunks if chunk.text for name in carried(chunk)})
    full = sum(chunks[1:], start=first)  # first + second + ... + last
    metadata = full.response_metadata
    return {
        "first chunk": f"{kind(first)}: {listed(carried(first))}",
        "text chunks": listed(on_text),
        "finish_reason": f"{role(chunks, finish)}, with {listed(with_finish)}",
        "usage": "none" if usage is None else "the finish_reason chunk" if usage == finish else role(chunks, usage),
        "last chunk": f"{kind(last)}, chunk_position={last.chunk_position!r}: {listed(carried(last))}",
        "the sum": f"finish_reason={metadata.get('finish_reason')!r}, "
        f"model={metadata.get('model_name') or metadata.get('model')!r}, "
        f"usage={'yes' if full.usage_metadata else 'none'}",
    }


model = get_chat_model()
sources = {f"get_chat_model(): {describe_provider(model)}": model}
for name in ("openai", "maritaca", "single"):
    sources[f"FakeStreamingChatModel(chunk_layout={name!r})"] = FakeStreamingChatModel(chunk_layout=name)

for label, source in sources.items():
    print(label)
    for row, cell in layout(source).items():
        print(f"  {row:<14} {cell}")
    print()
