"""Exercise 6: the LangGraph router streams its node updates as steps, the tool's result, then the answer's tokens.

The graph is the exercise's own (build_graph): classify, then the math node with a calculator
tool (through the tools node) or the code or general node. The answer model is a probe with no
rules, so the math node calls the calculator for "What is 25 * 17?" and then words the tool's
result, as a real model does. Everything runs on the virtual clock (see conftest), and the order
checks compare the probes' shared counter, never a time.
"""

from __future__ import annotations

import pytest
from day6_kit import QUESTIONS, Probe, classifier_model, unpacked

from coursekit.i18n import t
from coursekit.testing import Received, assert_incremental
from coursekit.testing.probe import moment

#: The steps of each route, in order: the math node runs twice, around the calculator.
STEPS = {
    "math": ["classify", "math", "tools", "math"],
    "code": ["classify", "code"],
    "general": ["classify", "general"],
}


async def collect(exercise, graph, question, tokens: Received) -> list:
    events = []
    async for item in exercise.graph_events(graph, question):
        name, data = unpacked(item)
        if name == "token":
            tokens(data.get("text", "") if isinstance(data, dict) else str(data))
        events.append((name, data, moment()))
    return events


def run(exercise, virtual, route: str, **answer_options):
    classifier = classifier_model(route, time_to_first_token=0.5, token_delay=0.01)
    model = Probe(time_to_first_token=1.0, token_delay=0.5, **answer_options)
    tokens = Received()
    graph = exercise.build_graph(classifier, model)
    events = virtual(lambda: collect(exercise, graph, QUESTIONS[route], tokens))
    return events, model, tokens


def shape(events: list) -> list:
    """The events as ('step', node), 'tool', 'token' or 'done', with the tokens of a row counted once."""
    out: list = []
    for name, data, _ in events:
        item = ("step", data.get("node")) if name == "step" and isinstance(data, dict) else name
        if item == "token" and out[-1:] == ["token"]:
            continue
        out.append(item)
    return out


@pytest.mark.task(1)
@pytest.mark.parametrize("route", list(STEPS))
def test_steps_then_tokens_then_done(exercise, virtual, route):
    """A step event per node update, in the graph's order, the answer's tokens, then done

    pt: Um evento step por atualização de nó, na ordem do grafo, os tokens da resposta, depois done
    id: Satu event step per pembaruan node, sesuai urutan graf, token jawaban, lalu done
    """
    events, model, _ = run(exercise, virtual, route)
    nodes = [data.get("node") for name, data, _ in events if name == "step" and isinstance(data, dict)]
    assert nodes == STEPS[route], t("day6_router.graph_steps", got=nodes, expected=STEPS[route])
    expected = [("step", node) for node in STEPS[route]]
    expected.insert(len(expected) - 1, "token")
    if route == "math":
        expected.insert(3, "tool")
    assert shape(events) == expected + ["done"], t("day6_router.graph_sequence", got=shape(events))
    text = "".join(data.get("text", "") for name, data, _ in events if name == "token")
    assert text == model.record.text, t("day6_router.graph_tokens", got=text[:60])
    assert events[-1][1] == {"tokens": sum(name == "token" for name, _, _ in events)}, t("day6_router.done_payload", got=events[-1][1])


@pytest.mark.task(1)
def test_the_tool_result_comes_before_the_final_tokens(exercise, virtual):
    """The calculator's result is sent as a tool event before the model writes its first word about it

    pt: O resultado da calculadora é enviado como evento tool antes de o modelo escrever a primeira palavra sobre ele
    id: Hasil kalkulator dikirim sebagai event tool sebelum model menulis kata pertamanya tentang hasil itu
    """
    events, model, _ = run(exercise, virtual, "math")
    tools = [(data, when) for name, data, when in events if name == "tool"]
    assert tools and tools[0][0] == {"name": "calculator", "output": "425"}, t("day6_router.graph_tool", got=tools[0][0] if tools else None)
    first_word = next(chunk for chunk in model.records[-1].chunks if chunk.text)
    assert tools[0][1].seq < first_word.seq, t("day6_router.graph_tool_late")


@pytest.mark.task(2)
@pytest.mark.parametrize("route", ["math", "general"])
def test_tokens_leave_as_the_model_writes(exercise, virtual, route):
    """Each token event is sent before the answer model writes the next piece

    pt: Cada evento token é enviado antes de o modelo de resposta escrever o pedaço seguinte
    id: Setiap event token dikirim sebelum model penjawab menulis potongan berikutnya
    """
    events, model, tokens = run(exercise, virtual, route)
    assert tokens.text == model.record.text, t("day6_router.graph_tokens", got=tokens.text[:60])
    try:
        assert_incremental(tokens, model, every_chunk=True)
    except AssertionError:
        raise AssertionError(t("day6_router.graph_tokens_late")) from None
