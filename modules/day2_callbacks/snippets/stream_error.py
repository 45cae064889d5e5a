"""When the stream breaks, on_llm_error fires instead of on_llm_end, and the partial text survives."""

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult

from coursekit import FakeStreamingChatModel, StreamInterruptedError


class PartialKeeper(BaseCallbackHandler):
    """Collects tokens so that whatever arrived before a failure is not lost."""

    def __init__(self) -> None:
        self.tokens: list[str] = []
        self.outcome = "running"

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.tokens.append(token)

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.outcome = "finished"

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.outcome = f"failed with {type(error).__name__}: {error}"


keeper = PartialKeeper()
# error_after=4: the connection "drops" after four chunks, like a flaky network would.
model = FakeStreamingChatModel(responses=["Partial answers are still worth keeping."], error_after=4)
try:
    for _ in model.stream("Tell me something.", config={"callbacks": [keeper]}):
        pass
except StreamInterruptedError:
    pass  # the error still reaches the caller; the handler only observed it
print(keeper.outcome)
print(f"kept so far: {''.join(keeper.tokens)!r}")
