"""Exercise 3: per-call callbacks reach every step of a chain, and only that call."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, ProbeModel

REPLY = "Per-call callbacks follow the run into every step."
INPUTS = {"topic": "callbacks"}
STEPS = {"ChatPromptTemplate", "chat model", "StrOutputParser"}


class StepRecorder(BaseCallbackHandler):
    """Which runs started, and which tokens the chat model sent."""

    def __init__(self) -> None:
        self.steps: list[str] = []
        self.tokens: list[str] = []

    def on_chain_start(self, serialized: dict[str, Any] | None, inputs: Any, **kwargs: Any) -> None:
        self.steps.append(kwargs.get("name") or "chain")

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any
    ) -> None:
        self.steps.append("chat model")

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if token:
            self.tokens.append(token)


def make_chain(layout: str = "openai"):
    probe = ProbeModel(responses=[REPLY], token_delay=0.0, chunk_layout=layout)
    return probe, ChatPromptTemplate.from_template("Explain {topic}.") | probe | StrOutputParser()


@pytest.mark.task(1)
def test_returns_the_whole_answer(exercise):
    """Returns the whole answer

    pt: Devolve a resposta inteira
    id: Mengembalikan seluruh jawaban
    """
    _, chain = make_chain()
    assert exercise.stream_answer(chain, INPUTS, [StepRecorder()]) == REPLY, t("day2_callbacks.answer_text")


@pytest.mark.task(2)
def test_callbacks_reach_every_step(exercise):
    """The handlers see the prompt, the chat model and the parser

    pt: Os handlers veem o prompt, o chat model e o parser
    id: Handler-nya melihat prompt, chat model, dan parser
    """
    _, chain = make_chain()
    recorder = StepRecorder()
    exercise.stream_answer(chain, INPUTS, [recorder])
    assert STEPS <= set(recorder.steps), t("day2_callbacks.steps_missing", steps=recorder.steps)


@pytest.mark.task(1)
def test_calls_the_model_once(exercise):
    """Runs the model once for one answer

    pt: Executa o modelo uma única vez para uma resposta
    id: Menjalankan model satu kali saja untuk satu jawaban
    """
    probe, chain = make_chain()
    exercise.stream_answer(chain, INPUTS, [StepRecorder()])
    assert len(probe.records) == 1, t("day2_callbacks.model_called_again", calls=len(probe.records))


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_model_tokens_reach_every_handler(exercise, layout):
    """Every handler gets every token of the chat model, whichever provider's chunk layout

    pt: Cada handler recebe todos os tokens do chat model, seja qual for o formato de chunks do provedor
    id: Setiap handler menerima semua token dari chat model, apa pun susunan chunk dari provider-nya
    """
    probe, chain = make_chain(layout)
    first, second = StepRecorder(), StepRecorder()
    exercise.stream_answer(chain, INPUTS, [first, second])
    expected = [chunk.text for chunk in probe.record.chunks if chunk.text]
    assert first.tokens == expected and second.tokens == expected, t("day2_callbacks.no_tokens_per_call")


@pytest.mark.task(3)
def test_later_calls_do_not_reach_the_handlers(exercise):
    """A later call without the handlers does not reach them

    pt: Uma chamada posterior sem os handlers não chega até eles
    id: Pemanggilan berikutnya tanpa handler tidak sampai ke handler tersebut
    """
    probe, chain = make_chain()
    recorder = StepRecorder()
    exercise.stream_answer(chain, INPUTS, [recorder])
    seen = (list(recorder.steps), list(recorder.tokens))
    assert recorder.steps, t("day2_callbacks.steps_missing", steps=recorder.steps)
    chain.invoke({"topic": "something else"})
    list(chain.stream({"topic": "one more thing"}))
    list(probe.stream("And the model alone?"))
    assert (recorder.steps, recorder.tokens) == seen, t("day2_callbacks.callbacks_leaked")


@pytest.mark.task(3)
def test_each_call_has_its_own_handlers(exercise):
    """A second call with new handlers reaches only the new ones

    pt: Uma segunda chamada com handlers novos chega só aos novos
    id: Pemanggilan kedua dengan handler baru hanya sampai ke handler yang baru
    """
    probe, chain = make_chain()
    first, second = StepRecorder(), StepRecorder()
    exercise.stream_answer(chain, INPUTS, [first])
    seen = (list(first.steps), list(first.tokens))
    exercise.stream_answer(chain, {"topic": "a second question"}, [second])
    expected = [chunk.text for chunk in probe.record.chunks if chunk.text]
    assert (first.steps, first.tokens) == seen, t("day2_callbacks.callbacks_leaked")
    assert second.tokens == expected, t("day2_callbacks.no_tokens_per_call")
