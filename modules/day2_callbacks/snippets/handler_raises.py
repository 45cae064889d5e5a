"""A handler that raises is logged and skipped; the stream goes on, unless raise_error=True."""

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler

from coursekit import FakeStreamingChatModel


class Clumsy(BaseCallbackHandler):
    """Has a bug: it cannot cope with punctuation."""

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if token == ",":
            raise ValueError("commas are not supported")


class Strict(Clumsy):
    """The same bug, but asks LangChain to let its errors stop the run."""

    raise_error = True


model = FakeStreamingChatModel(responses=["First, second, third."])

# Default (raise_error=False): LangChain logs a warning on stderr and keeps streaming.
words = [chunk.content for chunk in model.stream("Count.", config={"callbacks": [Clumsy()]})]
print(f"Clumsy: the stream finished with {''.join(words)!r}")

# raise_error=True: the handler's exception ends the stream at the bad token.
words = []
try:
    for chunk in model.stream("Count.", config={"callbacks": [Strict()]}):
        words.append(chunk.content)
except ValueError as error:
    print(f"Strict: stopped after {''.join(words)!r} because {error}")
