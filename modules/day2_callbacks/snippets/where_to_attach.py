"""Three places to attach a handler, and which steps of a chain each one sees."""

from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from coursekit import FakeStreamingChatModel


class StepLog(BaseCallbackHandler):
    """Remembers which runs started, so we can see how far a handler reaches."""

    def __init__(self) -> None:
        self.steps: list[str] = []

    def on_chain_start(self, serialized: dict[str, Any] | None, inputs: Any, **kwargs: Any) -> None:
        self.steps.append(kwargs.get("name") or "chain")

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any
    ) -> None:
        self.steps.append("chat model")


prompt = ChatPromptTemplate.from_template("Explain {topic} in one sentence.")

# 1. Constructor: the handler belongs to this model object and fires on every call it makes,
#    but it sees only the model, never the prompt, the parser or the chain around it.
on_model = StepLog()
model = FakeStreamingChatModel(callbacks=[on_model])
chain = prompt | model | StrOutputParser()
chain.invoke({"topic": "rivers"})
print("constructor:", on_model.steps)

# 2. Per call: config={"callbacks": [...]} is passed down to every step of this one run.
per_call = StepLog()
chain.invoke({"topic": "rivers"}, config={"callbacks": [per_call]})
print("per call:   ", per_call.steps)
steps_so_far = len(per_call.steps)
chain.invoke({"topic": "lakes"})  # a later call, without config
print("next call:  ", len(per_call.steps) - steps_so_far, "new steps seen")

# 3. with_config: a new runnable that carries the config into each of its calls.
bound = StepLog()
named_chain = chain.with_config(callbacks=[bound], run_name="explainer")
named_chain.invoke({"topic": "rivers"})
print("with_config:", bound.steps)
