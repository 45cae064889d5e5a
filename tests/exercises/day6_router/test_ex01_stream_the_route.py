"""Exercise 1: the seed's router streams the chosen route's answer piece by piece.

One scripted model plays both parts, as in the seed: the classifier's prompt gets a label, each
route's prompt an answer of its own, so the text shows which route ran. The async check runs on
the virtual clock (see conftest) with a second between tokens, and compares the order of events:
each piece must reach the reader before the model writes the next one.
"""

from __future__ import annotations

import pytest
from day6_kit import ANSWERS, QUESTIONS, router_model

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, Received, assert_incremental


def text_pieces(pieces: list) -> list[str]:
    """The non-empty pieces, as strings; anything else is reported as the student's mistake."""
    if not all(isinstance(piece, str) for piece in pieces):
        kinds = sorted({type(piece).__name__ for piece in pieces if not isinstance(piece, str)})
        raise AssertionError(t("day6_router.route_not_text", kinds=", ".join(kinds)))
    return [piece for piece in pieces if piece]


@pytest.mark.task(1)
@pytest.mark.parametrize("route", list(QUESTIONS))
def test_each_question_gets_its_routes_answer(exercise, route):
    """Each question gets the answer of the route its label names, in more than one piece

    pt: Cada pergunta recebe a resposta da rota que o rótulo indica, em mais de um pedaço
    id: Setiap pertanyaan mendapat jawaban dari rute yang ditunjuk labelnya, dalam lebih dari satu potongan
    """
    model = router_model(route, token_delay=0)
    pieces = text_pieces(list(exercise.build_router(model).stream({"input": QUESTIONS[route]})))
    assert "".join(pieces) == ANSWERS[route], t("day6_router.route_wrong_answer", route=route, got="".join(pieces)[:60])
    assert len(pieces) > 1, t("day6_router.route_one_piece")


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_the_answer_streams_as_it_is_written(exercise, virtual, layout):
    """astream hands over each piece of the answer before the model writes the next one

    pt: astream entrega cada pedaço da resposta antes de o modelo escrever o seguinte
    id: astream menyerahkan setiap potongan jawaban sebelum model menulis potongan berikutnya
    """
    model = router_model("math", chunk_layout=layout, time_to_first_token=1.0, token_delay=1.0)
    received = Received()

    async def read() -> list:
        return [piece async for piece in received.track_async(exercise.build_router(model).astream({"input": QUESTIONS["math"]}))]

    pieces = text_pieces(virtual(read))
    assert "".join(pieces) == ANSWERS["math"], t("day6_router.route_wrong_answer", route="math", got="".join(pieces)[:60])
    assert len(pieces) > 1, t("day6_router.route_one_piece")
    try:
        assert_incremental(received, model, every_chunk=True)
    except AssertionError:
        raise AssertionError(t("day6_router.route_late")) from None


@pytest.mark.task(2)
def test_the_question_is_classified_once(exercise):
    """The streamed answer costs two model calls per question: one to classify, one to answer

    pt: A resposta em stream custa duas chamadas ao modelo por pergunta: uma para classificar, outra para responder
    id: Jawaban yang di-stream memakai dua panggilan model per pertanyaan: satu untuk mengklasifikasi, satu untuk menjawab
    """
    model = router_model("code", token_delay=0)
    pieces = text_pieces(list(exercise.build_router(model).stream({"input": QUESTIONS["code"]})))
    assert "".join(pieces) == ANSWERS["code"], t("day6_router.route_wrong_answer", route="code", got="".join(pieces)[:60])
    assert len(pieces) > 1, t("day6_router.route_one_piece")
    assert len(model.records) == 2, t("day6_router.route_calls", calls=len(model.records))
