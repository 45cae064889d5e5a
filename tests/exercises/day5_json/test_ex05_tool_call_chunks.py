"""Exercise 5: stream_tool_call shows a bound tool's arguments while they are written, then the exact call.

The model is a :class:`ToolCallProbe`: the course's probe, which streams the tool call as the
provider layouts do (name and id in the first piece only, ``finish_reason`` on a content-less
chunk of its own, empty chunks around the call), and writes down each piece of the ``args``
string it sent. The partial arguments the student must show are worked out from those very
pieces, and "before the end" is an order of events on the probe's counter, not a time.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessageChunk
from langchain_core.outputs import ChatGenerationChunk
from langchain_core.utils.json import parse_partial_json
from pydantic import PrivateAttr

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, ProbeModel
from coursekit.testing.probe import Moment, moment

ARGS = {
    "origin": "GRU",
    "destination": "CGK",
    "date": "2026-12-24",
    "passengers": 2,
    "notes": "Two seats together by the window, and one vegetarian meal please",
}
QUESTION = "Book a flight from São Paulo to Jakarta for two of us on Christmas Eve."
RULES = {"flight": ARGS}


class ToolCallProbe(ProbeModel):
    """A probe that keeps, for each call, the ``args`` pieces and the id of the tool call it streamed.

    ``opening_delta`` puts an empty chunk, with no tool call in it, before everything else: the
    role-only delta some OpenAI-compatible servers send first. The first token is slow, as it
    is on a hosted model, and the others come quickly.
    """

    time_to_first_token: float = 0.05
    token_delay: float = 0.002
    opening_delta: bool = False

    _pieces: list[list[str]] = PrivateAttr(default_factory=list)
    _ids: list[str | None] = PrivateAttr(default_factory=list)
    _finish: list[int | None] = PrivateAttr(default_factory=list)

    def _paced_chunks(self, messages, stop, **kwargs):  # type: ignore[override]
        pieces: list[str] = []
        self._pieces.append(pieces)
        self._ids.append(None)
        self._finish.append(None)
        sent = 0
        for delay, chunk in super()._paced_chunks(messages, stop, **kwargs):
            if sent == 0 and self.opening_delta:
                yield delay, ChatGenerationChunk(message=AIMessageChunk(content=""))
                delay, sent = 0.0, 1
            message = chunk.message
            for piece in getattr(message, "tool_call_chunks", []):
                pieces.append(piece["args"] or "")
                self._ids[-1] = self._ids[-1] or piece["id"]
            if message.response_metadata.get("finish_reason") and self._finish[-1] is None:
                self._finish[-1] = sent
            sent += 1
            yield delay, chunk

    @property
    def call_id(self) -> str | None:
        """The id of the tool call in the latest stream."""
        return self._ids[-1] if self._ids else None

    def growing_args(self) -> list[dict[str, Any]]:
        """The arguments as they grew in the latest stream: each new non-empty value of
        ``parse_partial_json`` over the ``args`` string so far, in order."""
        grown: list[dict[str, Any]] = []
        text = ""
        for piece in self._pieces[-1]:
            text += piece
            if not text:
                continue
            args = parse_partial_json(text)
            if isinstance(args, dict) and args and (not grown or args != grown[-1]):
                grown.append(args)
        return grown

    @property
    def finish_chunk(self) -> Moment:
        """When the latest stream produced its chunk with ``finish_reason``: the arguments were all written before it."""
        return self.record.chunks[self._finish[-1]]


class Form:
    """``show(args)``: every value shown, stamped on the probe's counter as it arrives."""

    def __init__(self) -> None:
        self.shown: list[tuple[Any, Moment]] = []

    def __call__(self, args: Any) -> None:
        self.shown.append((args, moment()))

    @property
    def values(self) -> list[Any]:
        """What was shown, leaving out empty dicts (showing ``{}`` first or not is up to the student)."""
        return [value for value, _ in self.shown if value != {}]


async def run(exercise, model: ToolCallProbe) -> tuple[Any, Form]:
    form = Form()
    try:
        result = await exercise.stream_tool_call(model, QUESTION, form)
    except IndexError as error:
        raise AssertionError(t("day5_json.tool_chunk_without_call", error=error)) from error
    except json.JSONDecodeError as error:
        raise AssertionError(t("day5_json.tool_args_empty_string", error=error)) from error
    assert model.call_id, t("day5_json.tool_not_bound")
    assert isinstance(result, dict), t("day5_json.tool_result_shape", got=type(result).__name__)
    return result, form


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_returns_the_exact_tool_call(exercise, layout):
    """Returns the call of book_flight with its id and exactly the arguments the model wrote

    pt: Devolve a chamada de book_flight com o id dela e exatamente os argumentos que o modelo escreveu
    id: Mengembalikan panggilan book_flight beserta id-nya dan persis argumen yang ditulis model
    """
    model = ToolCallProbe(rules=RULES, chunk_layout=layout)
    result, _ = await run(exercise, model)
    assert (result.get("name"), result.get("id")) == ("book_flight", model.call_id), t(
        "day5_json.tool_call_identity", name=result.get("name"), id=result.get("id")
    )
    assert result.get("args") == ARGS, t("day5_json.tool_args_exact", got=repr(result.get("args"))[:120])


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_reports_finish_reason_tool_calls(exercise, layout):
    """Reports finish_reason "tool_calls", wherever in the stream the provider puts it

    pt: Informa finish_reason "tool_calls", esteja onde estiver no stream em que o provedor o coloca
    id: Melaporkan finish_reason "tool_calls", di mana pun penyedia menaruhnya dalam stream
    """
    model = ToolCallProbe(rules=RULES, chunk_layout=layout)
    result, _ = await run(exercise, model)
    assert result.get("finish_reason") == "tool_calls", t("day5_json.tool_finish_reason", got=result.get("finish_reason"))


@pytest.mark.task(1)
async def test_a_stream_that_opens_with_an_empty_chunk(exercise):
    """A stream whose first chunk carries no tool call at all still gives the exact call and finish_reason

    pt: Um stream cujo primeiro chunk não traz chamada de ferramenta nenhuma ainda dá a chamada exata e o finish_reason
    id: Stream yang chunk pertamanya sama sekali tidak membawa panggilan tool tetap menghasilkan panggilan yang persis dan finish_reason
    """
    model = ToolCallProbe(rules=RULES, chunk_layout="maritaca", opening_delta=True)
    result, form = await run(exercise, model)
    assert (result.get("name"), result.get("id")) == ("book_flight", model.call_id), t(
        "day5_json.tool_call_identity", name=result.get("name"), id=result.get("id")
    )
    assert result.get("args") == ARGS, t("day5_json.tool_args_exact", got=repr(result.get("args"))[:120])
    assert result.get("finish_reason") == "tool_calls", t("day5_json.tool_finish_reason", got=result.get("finish_reason"))
    assert form.values == model.growing_args(), t("day5_json.tool_args_shown", got=repr(form.values[:3])[:160])


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_shows_the_arguments_as_they_grow(exercise, layout):
    """show gets the parsed arguments each time they grow, ending with the exact arguments

    pt: show recebe os argumentos interpretados cada vez que eles crescem, terminando com os argumentos exatos
    id: show menerima argumen hasil parse setiap kali argumen itu bertambah, diakhiri dengan argumen yang persis
    """
    model = ToolCallProbe(rules=RULES, chunk_layout=layout)
    _, form = await run(exercise, model)
    grown = model.growing_args()
    assert len(grown) > len(ARGS), "the test needs arguments written in more pieces than there are keys"
    assert form.values == grown, t("day5_json.tool_args_shown", got=repr(form.values[:3])[:160])


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_the_arguments_appear_while_the_model_writes(exercise, layout):
    """The first partial arguments are shown before the model has finished writing them

    pt: Os primeiros argumentos parciais são mostrados antes de o modelo terminar de escrevê-los
    id: Argumen parsial pertama sudah ditampilkan sebelum model selesai menulisnya
    """
    model = ToolCallProbe(rules=RULES, chunk_layout=layout)
    _, form = await run(exercise, model)
    shown = [when for value, when in form.shown if value != {}]
    assert shown, t("day5_json.tool_args_shown", got="[]")
    assert shown[0].seq < model.finish_chunk.seq, t("day5_json.tool_args_late")
