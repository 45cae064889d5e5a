"""Exercise 2: the route event leaves before the answer's first token, then the tokens, then done.

The classifier and the answer model are separate probes. On the virtual clock (see conftest)
the classifier takes one second and the answer model three more to its first token, as a small
classifier and a big answer model do; the checks compare the order of events on the probes'
shared counter, never a time. One HTTP check runs the app on a real uvicorn.
"""

from __future__ import annotations

import pytest
from day6_kit import ANSWERS, QUESTIONS, answer_model, classifier_model, unpacked

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, Received, assert_incremental
from coursekit.testing.probe import moment


async def collect(exercise, classifier, model, question, tokens: Received | None = None) -> list:
    """Every (name, data, moment) the generator yields; token texts also go to ``tokens``."""
    events = []
    async for item in exercise.route_events(classifier, model, question):
        name, data = unpacked(item)
        if name == "token" and tokens is not None:
            tokens(data.get("text", "") if isinstance(data, dict) else str(data))
        events.append((name, data, moment()))
    return events


def assert_route_tokens_done(events: list, route: str) -> None:
    names = [name for name, _, _ in events]
    if "route" not in names:
        raise AssertionError(t("day6_router.route_event_missing", got=names[:4]))
    count = names.count("token")
    assert names == ["route", *["token"] * count, "done"], t("day6_router.route_sequence", got=names[:3] + names[-2:])
    assert events[0][1] == {"route": route}, t("day6_router.route_payload", got=events[0][1])
    texts = [data.get("text") if isinstance(data, dict) else data for name, data, _ in events if name == "token"]
    assert all(isinstance(text, str) and text for text in texts), t("day6_router.empty_token")
    assert "".join(texts) == ANSWERS[route], t("day6_router.route_wrong_answer", route=route, got="".join(map(str, texts))[:60])
    assert events[-1][1] == {"tokens": count}, t("day6_router.done_payload", got=events[-1][1])


@pytest.mark.task(1)
@pytest.mark.parametrize("route", list(QUESTIONS))
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_route_then_tokens_then_done(exercise, virtual, route, layout):
    """One route event with the label, then a token event per piece of that route's answer, then done

    pt: Um evento route com o rótulo, depois um evento token por pedaço da resposta dessa rota, depois done
    id: Satu event route berisi label, lalu satu event token per potongan jawaban rute itu, lalu done
    """
    classifier = classifier_model(route, chunk_layout=layout, time_to_first_token=1.0)
    model = answer_model(chunk_layout=layout, time_to_first_token=3.0, token_delay=0.5)
    events = virtual(lambda: collect(exercise, classifier, model, QUESTIONS[route]))
    assert_route_tokens_done(events, route)
    assert len(classifier.records) == 1, t("day6_router.classified_twice", calls=len(classifier.records))


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_the_route_leaves_before_the_first_token(exercise, virtual, layout):
    """The route event is sent before the answer model writes its first token, and each token as it is written

    pt: O evento route sai antes de o modelo de resposta escrever o primeiro token, e cada token assim que é escrito
    id: Event route terkirim sebelum model penjawab menulis token pertamanya, dan setiap token begitu ditulis
    """
    classifier = classifier_model("code", chunk_layout=layout, time_to_first_token=1.0)
    model = answer_model(chunk_layout=layout, time_to_first_token=3.0, token_delay=0.5)
    tokens = Received()
    events = virtual(lambda: collect(exercise, classifier, model, QUESTIONS["code"], tokens))
    assert_route_tokens_done(events, "code")
    first_text = next(chunk for chunk in model.record.chunks if chunk.text)
    route_sent = next(when for name, _, when in events if name == "route")
    assert route_sent.seq < first_text.seq, t("day6_router.route_after_token")
    try:
        assert_incremental(tokens, model, every_chunk=True)
    except AssertionError:
        raise AssertionError(t("day6_router.tokens_late")) from None


@pytest.mark.task(2)
async def test_the_app_streams_the_route_first(exercise, serve, paced):
    """GET /ask answers with Server-Sent Events: route first, then the tokens, then done

    pt: GET /ask responde com Server-Sent Events: route primeiro, depois os tokens, depois done
    id: GET /ask menjawab dengan Server-Sent Events: route lebih dulu, lalu token, lalu done
    """
    classifier = paced(rules={r"^Classify": {"category": "math"}})
    model = paced(rules={r"^You are a mathematician": ANSWERS["math"]})
    reply = await serve(exercise.create_app(classifier, model)).sse("GET", "/ask", params={"question": QUESTIONS["math"]}, lockstep=model)
    assert reply.content_type.startswith("text/event-stream"), t("day6_router.not_event_stream", content_type=reply.content_type)
    events = [(event.event, reply._json_data(event), None) for event in reply.events]
    assert_route_tokens_done(events, "math")
