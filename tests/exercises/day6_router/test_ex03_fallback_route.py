"""Exercise 3: a classifier that fails, lies or says nothing routes to general, with fallback: true.

Each failure is one a real classifier has: a provider error before anything arrives, a stream
that breaks in the middle of the tool call, a label outside the Literal ("cooking", "Math"), and
a model that writes prose instead of calling the tool (no Route at all). The answer must still
stream, from the general route; a question the classifier itself calls general is no fallback.
Everything runs on the virtual clock (see conftest).
"""

from __future__ import annotations

import logging

import pytest
from day6_kit import ANSWERS, QUESTIONS, answer_model, classifier_model, unpacked

from coursekit.i18n import t

#: How a classifier lets the router down, as the options of its probe.
FAILURES = {
    "provider_error": {"label": "math", "rate_limited": True},
    "broken_stream": {"label": "math", "error_after": 2},
    "unknown_label": {"label": "cooking"},
    "wrong_case": {"label": "Math"},
    "no_tool_call": {"label": "math", "json_fault": "prose"},
}


async def collect(exercise, classifier, model, question) -> list:
    return [unpacked(item) async for item in exercise.route_events(classifier, model, question)]


def run(exercise, virtual, classifier, model, question) -> list:
    try:
        return virtual(lambda: collect(exercise, classifier, model, question))
    except Exception as error:
        raise AssertionError(t("day6_router.fallback_escaped", error=f"{type(error).__name__}: {str(error)[:80]}")) from error


def assert_answered(events: list, route: str, fallback: bool) -> None:
    names = [name for name, _ in events]
    assert names[:1] == ["route"] and names[-1:] == ["done"] and set(names[1:-1]) <= {"token"}, t("day6_router.route_sequence", got=names[:3] + names[-2:])
    expected = {"route": route, "fallback": fallback}
    if events[0][1] != expected:
        key = "day6_router.fallback_not_marked" if fallback else "day6_router.fallback_on_success"
        raise AssertionError(t(key, got=events[0][1], expected=expected))
    text = "".join(data.get("text", "") for name, data in events if name == "token" and isinstance(data, dict))
    assert text == ANSWERS[route], t("day6_router.route_wrong_answer", route=route, got=text[:60])


@pytest.mark.task(1)
@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failing_classifier_falls_back_to_general(exercise, virtual, failure):
    """A classifier that raises, breaks, gives a label outside the Literal or calls no tool: route general, fallback true, the general answer

    pt: Um classificador que lança erro, quebra, dá um rótulo fora do Literal ou não chama a ferramenta: rota general, fallback true, a resposta geral
    id: Classifier yang melempar error, terputus, memberi label di luar Literal, atau tidak memanggil tool: rute general, fallback true, jawaban umum
    """
    options = dict(FAILURES[failure])
    classifier = classifier_model(options.pop("label"), time_to_first_token=1.0, **options)
    model = answer_model(time_to_first_token=2.0, token_delay=0.5)
    events = run(exercise, virtual, classifier, model, QUESTIONS["math"])
    assert_answered(events, "general", True)
    assert len(classifier.records) == 1, t("day6_router.classified_twice", calls=len(classifier.records))


@pytest.mark.task(1)
@pytest.mark.parametrize("route", list(QUESTIONS))
def test_a_working_classifier_is_no_fallback(exercise, virtual, route):
    """A label the classifier gives (general included) is the route, with fallback false

    pt: Um rótulo que o classificador dá (general inclusive) é a rota, com fallback false
    id: Label yang diberikan classifier (termasuk general) adalah rutenya, dengan fallback false
    """
    classifier = classifier_model(route, time_to_first_token=1.0)
    model = answer_model(time_to_first_token=2.0, token_delay=0.5)
    assert_answered(run(exercise, virtual, classifier, model, QUESTIONS[route]), route, False)


@pytest.mark.task(2)
def test_the_fallback_is_logged(exercise, virtual, caplog):
    """The server logs a warning, or worse, when it falls back, so a broken classifier shows in the logs

    pt: O servidor registra um aviso, ou algo mais grave, quando usa o fallback, para que um classificador quebrado apareça nos logs
    id: Server mencatat peringatan, atau yang lebih serius, saat memakai fallback, supaya classifier yang rusak terlihat di log
    """
    classifier = classifier_model("cooking", time_to_first_token=1.0)
    with caplog.at_level(logging.WARNING):
        events = run(exercise, virtual, classifier, answer_model(), QUESTIONS["math"])
    assert_answered(events, "general", True)
    logged = [record for record in caplog.records if record.levelno >= logging.WARNING and not record.name.startswith(("langchain", "asyncio"))]
    assert logged, t("day6_router.fallback_not_logged")
