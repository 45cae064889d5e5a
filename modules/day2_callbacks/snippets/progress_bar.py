"""A tqdm progress bar that moves with every token and closes cleanly, even when the stream fails."""

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult
from tqdm import tqdm

from coursekit import FakeStreamingChatModel, StreamInterruptedError


class TokenProgressBar(BaseCallbackHandler):
    """One bar per model call; closed in on_llm_end *and* on_llm_error so it never dangles."""

    def __init__(self) -> None:
        self.bar: tqdm | None = None

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any
    ) -> None:
        self.bar = tqdm(desc="answer", unit="tok")

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if token and self.bar is not None:
            self.bar.update(1)

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        if self.bar is not None:
            self.bar.close()

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(f"failed: {error}")
            self.bar.close()


REPLY = "The bar moves with every token, and it closes even if the connection drops."

for error_after in (None, 5):  # a complete answer, then one that breaks after five chunks
    progress = TokenProgressBar()
    model = FakeStreamingChatModel.realistic(responses=[REPLY], streaming=True, error_after=error_after)
    try:
        model.invoke("Show me progress.", config={"callbacks": [progress]})
    except StreamInterruptedError:
        pass
    # tqdm marks a closed bar as disabled.
    print(f"error_after={error_after}: bar stopped at {progress.bar.n} tokens, closed: {progress.bar.disable}")
