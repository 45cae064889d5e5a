"""Exercise 5: status events while classifying, and a client that leaves stops the classifier and the answer.

On the virtual clock (see conftest) the classifier takes 1.6 s, less than CLASSIFY_TIMEOUT, so a
classification left running after the client has gone completes, where the test sees it. The
test leaves the two ways a server does: it cancels a read while the generator waits (what
sse-starlette does when the client disconnects), or it closes the generator at a yield.
"""

from __future__ import annotations

import asyncio

import pytest
from day6_kit import ANSWERS, QUESTIONS, answer_model, classifier_model, now, unpacked

from coursekit.i18n import t

TICK = 1e-6
CLASSIFYING = 1.6
#: The two ways a server leaves a generator: cancel the read it waits in, or close it at a yield.
LEAVING = ["cancel_while_waiting", "close_at_a_yield"]


async def timed(exercise, classifier, model, question) -> list:
    start = now()
    return [(*unpacked(item), now() - start) async for item in exercise.route_events(classifier, model, question)]


async def leave(exercise, classifier, model, question, how: str, after) -> bool | None:
    """Read events until ``after(name, data)`` holds, then leave ``how``; whether the read ended cancelled."""
    events = exercise.route_events(classifier, model, question)
    while True:
        try:
            name, data = unpacked(await anext(events))
        except StopAsyncIteration:
            raise AssertionError(t("day6_router.ended_before_leaving")) from None
        if after(name, data):
            break
    cancelled = None
    if how == "cancel_while_waiting":
        reading = asyncio.ensure_future(anext(events))
        await asyncio.sleep(0.1)  # the generator now waits (for the classifier or the answer's next token)
        if reading.done():
            reading.result()
        reading.cancel()
        await asyncio.wait({reading})
        cancelled = reading.cancelled()
    else:
        await events.aclose()
    await asyncio.sleep(20)  # on the virtual clock: anything left running finishes meanwhile
    return cancelled


def assert_stopped(model, which: str) -> None:
    left = [record.outcome for record in model.records if record.outcome in ("running", "completed")]
    assert not left, t(f"day6_router.{which}_left_running", outcome=left[0] if left else "")


@pytest.mark.task(1)
def test_status_events_while_classifying(exercise, virtual):
    """A status event every STATUS_SECONDS while the classifier works, then route, tokens and done

    pt: Um evento status a cada STATUS_SECONDS enquanto o classificador trabalha, depois route, tokens e done
    id: Satu event status setiap STATUS_SECONDS selagi classifier bekerja, lalu route, token, dan done
    """
    every = exercise.STATUS_SECONDS
    classifier = classifier_model("math", time_to_first_token=CLASSIFYING, token_delay=0.01)
    model = answer_model(time_to_first_token=1.0, token_delay=0.2)
    events = virtual(lambda: timed(exercise, classifier, model, QUESTIONS["math"]))
    names = [name for name, _, _ in events]
    statuses = [(data, at) for name, data, at in events if name == "status"]
    count = names.count("status")
    tokens = names.count("token")
    assert names == ["status"] * count + ["route"] + ["token"] * tokens + ["done"], t("day6_router.status_sequence", got=names[:5])
    expected = [every * (number + 1) for number in range(int(CLASSIFYING / every))]
    assert all(data == {"stage": "classifying"} for data, _ in statuses), t("day6_router.status_payload", got=statuses[0][0] if statuses else None)
    assert len(statuses) == len(expected) and all(abs(at - due) < TICK for (_, at), due in zip(statuses, expected)), t(
        "day6_router.status_timing", every=every, got=[round(at, 2) for _, at in statuses]
    )
    route = next(data for name, data, _ in events if name == "route")
    assert route == {"route": "math", "fallback": False}, t("day6_router.fallback_on_success", got=route, expected={"route": "math", "fallback": False})
    text = "".join(data.get("text", "") for name, data, _ in events if name == "token")
    assert text == ANSWERS["math"], t("day6_router.route_wrong_answer", route="math", got=text[:60])


@pytest.mark.task(1)
def test_a_quick_classifier_sends_no_status(exercise, virtual):
    """A classifier quicker than STATUS_SECONDS: no status event, the route at once

    pt: Um classificador mais rápido que STATUS_SECONDS: nenhum evento status, a rota na hora
    id: Classifier yang lebih cepat dari STATUS_SECONDS: tidak ada event status, rute langsung dikirim
    """
    classifier = classifier_model("code", time_to_first_token=exercise.STATUS_SECONDS / 4, token_delay=0.001)
    events = virtual(lambda: timed(exercise, classifier, answer_model(), QUESTIONS["code"]))
    names = [name for name, _, _ in events]
    assert names[:1] == ["route"] and events[0][2] < exercise.STATUS_SECONDS, t("day6_router.status_sequence", got=names[:5])


@pytest.mark.task(2)
@pytest.mark.parametrize("how", LEAVING)
def test_leaving_while_classifying_stops_the_classifier(exercise, virtual, how):
    """A client that leaves while the question is being classified stops the classifier, and no answer starts

    pt: Um cliente que sai enquanto a pergunta é classificada para o classificador, e nenhuma resposta começa
    id: Klien yang pergi selagi pertanyaan diklasifikasi menghentikan classifier, dan tidak ada jawaban yang dimulai
    """
    classifier = classifier_model("math", time_to_first_token=CLASSIFYING, token_delay=0.01)
    model = answer_model(time_to_first_token=1.0, token_delay=0.2)
    cancelled = virtual(lambda: leave(exercise, classifier, model, QUESTIONS["math"], how, lambda name, _: name == "status"))
    assert cancelled in (None, True), t("day6_router.cancel_swallowed")
    assert classifier.records, t("day6_router.status_sequence", got=[])
    assert_stopped(classifier, "classifier")
    assert_stopped(model, "answer")


@pytest.mark.task(2)
@pytest.mark.parametrize("how", LEAVING)
def test_leaving_during_the_answer_stops_the_answer(exercise, virtual, how):
    """A client that leaves after three tokens stops the answer model

    pt: Um cliente que sai depois de três tokens para o modelo de resposta
    id: Klien yang pergi setelah tiga token menghentikan model penjawab
    """
    classifier = classifier_model("general", time_to_first_token=0.1, token_delay=0.01)
    model = answer_model(time_to_first_token=1.0, token_delay=0.5)
    seen = []

    def after(name, _):
        seen.append(name)
        return seen.count("token") == 3

    cancelled = virtual(lambda: leave(exercise, classifier, model, QUESTIONS["general"], how, after))
    assert cancelled in (None, True), t("day6_router.cancel_swallowed")
    assert model.records, t("day6_router.ended_before_leaving")
    assert_stopped(model, "answer")
