"""Exercise 4: GET /city streams partial objects, then done with the validated city, or error for a bad answer.

The answers are scripted texts, so each kind of bad JSON is exactly what a real model writes
when it goes wrong: prose around the object, an object cut short, an object that does not fit
the schema. What the tests hold on to is what langchain-core really does with them: while
streaming, JsonOutputParser yields nothing for the prose, repairs the cut-off object (its last
partial even fits the schema) and happily streams the misfit; none of them raises. The HTTP
checks run on a real uvicorn; the timing check reads the student's generator directly and
compares the order of events on the probe's counter, never a time.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from coursekit.errors import FakeModelError
from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, ProbeModel
from coursekit.testing.probe import moment

RIO = {
    "name": "Rio de Janeiro",
    "country": "Brazil",
    "population": 6748000,
    "landmarks": ["Sugarloaf Mountain", "Christ the Redeemer", "Copacabana Beach"],
}
RIO_JSON = json.dumps(RIO)
#: The answers no model should get away with, and what each one teaches.
INVALID = {
    # Streaming yields no partial at all and raises nothing; ainvoke would raise.
    "prose": (f"Sure! Here is the city you asked for:\n{RIO_JSON}\nLet me know if you need anything else.", "day5_json.city_prose_accepted"),
    # Cut inside the last landmark: the parser closes the string and the brackets for you, so the
    # last partial is a City with a landmark called "Copacabana" (validating it is not enough).
    "truncated": (RIO_JSON[: RIO_JSON.index("Beach")], "day5_json.city_truncated_accepted"),
    # Well-formed JSON, wrong shape: everything streams, only the schema can say no.
    "wrong_schema": (
        json.dumps({"name": "Rio de Janeiro", "country": "Brazil", "population": "about six million", "landmarks": "Sugarloaf Mountain"}),
        "day5_json.city_misfit_accepted",
    ),
}


def validated(exercise, answer: dict[str, Any]) -> dict[str, Any]:
    """The city as the student's own model dumps it once validated (defaults filled in)."""
    return exercise.City.model_validate(answer).model_dump(mode="json")


async def ask(serve_app, **options):
    reply = await serve_app.sse("GET", "/city", params={"name": "Rio de Janeiro"}, tolerate=FakeModelError, **options)
    assert not reply.broken, t("day5_json.city_error_broke_stream")
    assert reply.content_type.startswith("text/event-stream"), t("day5_json.not_event_stream", content_type=reply.content_type)
    return reply


def unpacked(item: Any) -> tuple[Any, Any]:
    """``(event name, data)`` of what the generator yielded: a ServerSentEvent or a dict, data as JSON."""
    name, data = (item.get("event"), item.get("data")) if isinstance(item, dict) else (getattr(item, "event", None), getattr(item, "data", None))
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError:
            pass
    return name, data


def assert_partials_then_done(exercise, reply, model, answer: dict[str, Any]) -> None:
    names = reply.names
    assert len(model.records) == 1, t("day5_json.city_model_called_twice", calls=len(model.records))
    assert names and names[-1] == "done" and set(names[:-1]) == {"partial"}, t("day5_json.city_events_valid", got=names[-4:])
    partials = reply.payloads("partial")
    assert len(partials) >= 2 and all(isinstance(p, dict) for p in partials), t("day5_json.city_partials")
    assert all(before != after for before, after in zip(partials, partials[1:])), t("day5_json.city_partials_repeated")
    assert partials[-1] == answer, t("day5_json.city_partials")
    assert reply.payloads("done") == [validated(exercise, answer)], t("day5_json.city_done_payload")


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_streams_partials_then_the_validated_city(exercise, serve, paced, layout):
    """GET /city sends a partial event each time the object grows, then done with the validated city

    pt: GET /city envia um evento partial cada vez que o objeto cresce e depois done com a cidade validada
    id: GET /city mengirim event partial setiap kali objeknya bertambah, lalu done dengan kota yang sudah divalidasi
    """
    model = paced(responses=[RIO_JSON], chunk_layout=layout)
    reply = await ask(serve(exercise.create_app(model)))
    assert_partials_then_done(exercise, reply, model, RIO)


@pytest.mark.task(1)
async def test_a_fenced_answer_is_a_valid_city(exercise, serve, paced):
    """An answer inside a ```json fence, as models often write it, streams and ends with done

    pt: Uma resposta dentro de um bloco ```json, como os modelos costumam escrever, é transmitida e termina com done
    id: Jawaban di dalam blok ```json, seperti yang sering ditulis model, tetap dialirkan dan diakhiri dengan done
    """
    nicknamed = {**RIO, "nickname": "Cidade Maravilhosa"}
    model = paced(responses=["```json\n" + json.dumps(nicknamed, indent=2, ensure_ascii=False) + "\n```"])
    reply = await ask(serve(exercise.create_app(model)))
    if reply.names[-1:] == ["error"]:
        raise AssertionError(t("day5_json.city_fence_rejected"))
    assert_partials_then_done(exercise, reply, model, nicknamed)


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_partials_leave_while_the_model_writes(exercise, layout):
    """The first partial object is sent before the model has written its answer to the end

    pt: O primeiro objeto parcial é enviado antes de o modelo terminar de escrever a resposta
    id: Objek parsial pertama sudah dikirim sebelum model selesai menulis jawabannya
    """
    model = ProbeModel(responses=[RIO_JSON], chunk_layout=layout, time_to_first_token=0.05, token_delay=0.002)
    partials = []
    async for item in exercise.city_events(model, "Rio de Janeiro"):
        name, _ = unpacked(item)
        if name == "partial":
            partials.append(moment())
    assert partials, t("day5_json.city_partials")
    last_text = [chunk for chunk in model.record.chunks if chunk.text][-1]
    assert partials[0].seq < last_text.seq, t("day5_json.city_partials_late")


@pytest.mark.task(2)
@pytest.mark.parametrize("case", INVALID)
async def test_an_invalid_answer_ends_with_an_error(exercise, serve, paced, case):
    """An answer wrapped in prose, cut short or of the wrong shape ends with one error event and no done

    pt: Uma resposta cercada de texto, cortada ou com o formato errado termina com um evento error e nenhum done
    id: Jawaban yang dibungkus prosa, terpotong, atau berbentuk salah diakhiri dengan satu event error tanpa done
    """
    answer, message = INVALID[case]
    model = paced(responses=[answer])
    reply = await ask(serve(exercise.create_app(model)))
    names = reply.names
    assert len(model.records) == 1, t("day5_json.city_model_called_twice", calls=len(model.records))
    if "done" in names and "error" in names:
        raise AssertionError(t("day5_json.city_done_after_error"))
    assert "done" not in names and names[-1:] == ["error"], t(message)
    assert set(names[:-1]) <= {"partial"}, t("day5_json.city_events_invalid", got=names[-4:])
    assert reply.payloads("error") == [{"message": exercise.ERROR_MESSAGE}], t("day5_json.city_error_payload")


@pytest.mark.task(2)
async def test_a_model_failure_ends_with_an_error(exercise, serve, paced):
    """A model that fails in the middle of the object ends the stream with an error event, on a connection that stays whole

    pt: Um modelo que falha no meio do objeto termina o stream com um evento error, numa conexão que não cai
    id: Model yang gagal di tengah objek mengakhiri stream dengan event error, pada koneksi yang tetap utuh
    """
    model = paced(responses=[RIO_JSON], error_after=6)
    reply = await ask(serve(exercise.create_app(model)))
    names = reply.names
    assert "done" not in names and names[-1:] == ["error"], t("day5_json.city_events_failed", got=names[-4:])
    assert reply.payloads("error") == [{"message": exercise.ERROR_MESSAGE}], t("day5_json.city_error_payload")
