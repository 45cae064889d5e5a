"""A handler of your own: what each hook receives while a chat model streams."""

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult

from coursekit import FakeStreamingChatModel, StreamInterruptedError


class Narrator(BaseCallbackHandler):
    """Says out loud which hook fired and with what."""

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any
    ) -> None:
        # One list of messages per prompt in the batch; invoke() sends a batch of one.
        model_name = kwargs["invocation_params"]["model_name"]
        print(f"start: {len(messages[0])} message(s) to {model_name}")

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        # Sync code passes `token` by keyword (token=...), so keep that exact parameter name.
        # '' comes for the chunk that opens the stream and for chunks that carry only metadata.
        print(f"token: {token!r}" + ("" if token else "  (no text: opening or metadata-only chunk)"))

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        # The message LangChain merged from the chunks: it has the metadata, whichever chunk carried it.
        message = response.generations[0][0].message
        finish_reason = message.response_metadata.get("finish_reason")
        print(f"end: {message.text!r}, finish_reason={finish_reason!r}, usage={message.usage_metadata}")

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        # Fires instead of on_llm_end; the exception then reaches the caller as usual.
        print(f"error: {error!r}")


class OldStyle(BaseCallbackHandler):
    """Has no on_chat_model_start: LangChain falls back to on_llm_start with plain strings."""

    def on_llm_start(self, serialized: dict[str, Any], prompts: list[str], **kwargs: Any) -> None:
        print(f"on_llm_start got prompts={prompts}")


model = FakeStreamingChatModel(responses=["Hooks fire in order."])
for _ in model.stream("Explain hooks.", config={"callbacks": [Narrator()]}):
    pass

print("--- a stream that breaks after two chunks:")
broken = FakeStreamingChatModel(responses=["Hooks fire in order."], error_after=2)
try:
    for _ in broken.stream("Explain hooks.", config={"callbacks": [Narrator()]}):
        pass
except StreamInterruptedError:
    print("the caller got the error too")

print("--- a handler without on_chat_model_start:")
model.invoke("Explain hooks.", config={"callbacks": [OldStyle()]})
