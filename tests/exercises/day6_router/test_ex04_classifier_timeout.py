"""Exercise 4: a classifier slower than CLASSIFY_TIMEOUT is cancelled and the route falls back at the budget.

Everything runs on the virtual clock (see conftest): the slow classifier's wait is a timer of
that clock, so is the student's timeout, and the loop jumps from one to the next. The times
asserted are the clock's own, exact on any machine: no real second passes.
"""

from __future__ import annotations

import pytest
from day6_kit import ANSWERS, QUESTIONS, answer_model, classifier_model, now, unpacked

from coursekit.i18n import t

#: A clock tick: the virtual clock is exact, this only absorbs float rounding.
TICK = 1e-6


async def timed(exercise, classifier, model, question) -> list:
    """(name, data, seconds since the start) of each event."""
    start = now()
    return [(*unpacked(item), now() - start) async for item in exercise.route_events(classifier, model, question)]


def answer_of(events: list) -> str:
    return "".join(data.get("text", "") for name, data, _ in events if name == "token" and isinstance(data, dict))


#: How a classifier can be too slow: before its first chunk, or in the middle of the tool call.
SLOW = {"thinks_long": {"time_to_first_token": 5.0}, "writes_slowly": {"time_to_first_token": 0.5, "token_delay": 1.0}}


@pytest.mark.task(1)
@pytest.mark.parametrize("slow", list(SLOW))
def test_a_slow_classifier_falls_back_at_the_budget(exercise, virtual, slow):
    """A classifier slower than CLASSIFY_TIMEOUT: the route event says general, fallback true, when the budget runs out

    pt: Um classificador mais lento que CLASSIFY_TIMEOUT: o evento route diz general, fallback true, quando o prazo acaba
    id: Classifier yang lebih lambat dari CLASSIFY_TIMEOUT: event route menyebut general, fallback true, saat batas waktunya habis
    """
    budget = exercise.CLASSIFY_TIMEOUT
    classifier = classifier_model("math", **SLOW[slow])
    model = answer_model(time_to_first_token=1.0, token_delay=0.5)
    events = virtual(lambda: timed(exercise, classifier, model, QUESTIONS["math"]))
    names = [name for name, _, _ in events]
    assert names[:1] == ["route"], t("day6_router.route_event_missing", got=names[:4])
    _, data, sent_at = events[0]
    assert data == {"route": "general", "fallback": True}, t("day6_router.timeout_no_fallback", got=data)
    assert sent_at <= budget + TICK, t("day6_router.timeout_late", sent=sent_at, budget=budget)
    assert answer_of(events) == ANSWERS["general"], t("day6_router.route_wrong_answer", route="general", got=answer_of(events)[:60])
    assert classifier.record.outcome in ("cancelled", "closed"), t("day6_router.timeout_left_running", outcome=classifier.record.outcome)


@pytest.mark.task(1)
def test_a_quick_classifier_keeps_its_route(exercise, virtual):
    """A classifier within the budget keeps its route without waiting for the budget; a slower one gets the budget and no more

    pt: Um classificador dentro do prazo mantém a rota sem esperar o prazo; um mais lento ganha o prazo e nada mais
    id: Classifier dalam batas waktu mempertahankan rutenya tanpa menunggu batas waktu; yang lebih lambat mendapat batas waktu itu saja
    """
    budget = exercise.CLASSIFY_TIMEOUT
    classifier = classifier_model("code", time_to_first_token=budget / 4, token_delay=0.01)
    model = answer_model(time_to_first_token=1.0, token_delay=0.5)
    events = virtual(lambda: timed(exercise, classifier, model, QUESTIONS["code"]))
    _, data, sent_at = events[0]
    assert data == {"route": "code", "fallback": False}, t("day6_router.fallback_on_success", got=data, expected={"route": "code", "fallback": False})
    assert sent_at < budget, t("day6_router.timeout_waited", sent=sent_at, budget=budget)
    slow = classifier_model("code", **SLOW["thinks_long"])
    events = virtual(lambda: timed(exercise, slow, answer_model(time_to_first_token=1.0, token_delay=0.5), QUESTIONS["code"]))
    _, data, sent_at = events[0]
    assert data == {"route": "general", "fallback": True}, t("day6_router.timeout_no_fallback", got=data)


@pytest.mark.task(2)
def test_the_budget_does_not_cut_the_answer(exercise, virtual):
    """The budget cuts the classifier, not the answer: after a fallback the answer streams to its end, however much longer it takes

    pt: O prazo corta o classificador, não a resposta: depois do fallback a resposta vai até o fim, por mais que demore
    id: Batas waktu memotong classifier, bukan jawabannya: setelah fallback jawabannya mengalir sampai selesai, berapa pun lamanya
    """
    budget = exercise.CLASSIFY_TIMEOUT
    classifier = classifier_model("math", **SLOW["thinks_long"])
    model = answer_model(time_to_first_token=budget, token_delay=budget / 2)
    events = virtual(lambda: timed(exercise, classifier, model, QUESTIONS["math"]))
    assert events[:1] and events[0][1] == {"route": "general", "fallback": True}, t("day6_router.timeout_no_fallback", got=events[0][1] if events else None)
    names = [name for name, _, _ in events]
    assert names[-1:] == ["done"] and answer_of(events) == ANSWERS["general"], t("day6_router.timeout_cut_answer", budget=budget)
    assert model.record.outcome == "completed", t("day6_router.timeout_cut_answer", budget=budget)
