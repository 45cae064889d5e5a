"""Exercise 5: POST /chat answers in one JSON body, or streams Server-Sent Events when "stream" is true."""

from __future__ import annotations

import asyncio

import pytest

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, assert_incremental

ANSWERS = {
    "bread": "Bread rises because yeast eats sugar and breathes out carbon dioxide, which the dough traps.\n",
    "stars": "Stars twinkle because their light bends many times on its way through moving air.\n",
}


def json_body(response):
    """The JSON body of a plain (not streamed) reply."""
    assert response.status_code == 200, t("day3_sse.bad_status", status=response.status_code, body=response.text[:200])
    content_type = response.headers.get("content-type", "")
    assert content_type.startswith("application/json"), t("day3_sse.json_expected", content_type=content_type)
    return response.json()


@pytest.mark.task(1)
@pytest.mark.parametrize("body", [{"message": "Why does bread rise?"}, {"message": "Why does bread rise?", "stream": False}], ids=["no-flag", "stream-false"])
async def test_without_streaming_the_reply_is_one_json_body(exercise, serve, paced, body):
    """Without "stream": true, the whole answer comes in one JSON body

    pt: Sem "stream": true, a resposta inteira vem num único corpo JSON
    id: Tanpa "stream": true, seluruh jawaban datang dalam satu body JSON
    """
    response = await serve(exercise.create_app(paced(rules=ANSWERS))).post_json("/chat", body)
    assert json_body(response) == {"reply": ANSWERS["bread"]}, t("day3_sse.json_reply", body=response.text[:200])


@pytest.mark.task(2)
async def test_json_replies_do_not_block_the_server(exercise, serve, paced):
    """Two JSON chats are answered at the same time: ainvoke does not block the event loop

    pt: Dois chats em JSON são respondidos ao mesmo tempo: ainvoke não trava o event loop
    id: Dua chat JSON dijawab bersamaan: ainvoke tidak memblokir event loop
    """
    model = paced(rules=ANSWERS)
    paced.meet(model, streams=2)
    server = serve(exercise.create_app(model))
    first, second = await asyncio.gather(
        server.post_json("/chat", {"message": "bread?"}), server.post_json("/chat", {"message": "stars?"})
    )
    assert [json_body(first), json_body(second)] == [{"reply": ANSWERS["bread"]}, {"reply": ANSWERS["stars"]}], t(
        "day3_sse.json_reply", body=first.text[:200]
    )
    assert len(model.records) == 2, t("day3_sse.one_call_per_request", calls=len(model.records))
    one, other = model.records
    overlapped = one.chunks[0].seq < other.done.seq and other.chunks[0].seq < one.done.seq
    assert overlapped, t("day3_sse.served_in_turn")


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_with_streaming_the_tokens_arrive_as_events(exercise, serve, paced, layout):
    """With "stream": true, each token event arrives before the model writes the next, then done

    pt: Com "stream": true, cada evento token chega antes de o modelo escrever o seguinte, e depois vem o done
    id: Dengan "stream": true, setiap event token tiba sebelum model menulis token berikutnya, lalu done
    """
    model = paced(rules=ANSWERS, chunk_layout=layout)
    server = serve(exercise.create_app(model))
    reply = await server.sse("POST", "/chat", json={"message": "Why do stars twinkle?", "stream": True}, lockstep=model)
    assert reply.content_type.startswith("text/event-stream"), t("day3_sse.not_event_stream", content_type=reply.content_type)
    assert len(model.records) == 1, t("day3_sse.called_more_than_once", calls=len(model.records))
    assert "".join(reply.token_texts) == ANSWERS["stars"], t("day3_sse.tokens_mismatch")
    texts = sum(1 for chunk in model.record.chunks if chunk.text)
    assert reply.names[-1:] == ["done"], t("day3_sse.done_missing")
    assert reply.payloads("done") == [{"tokens": texts}], t("day3_sse.done_payload")
    assert_incremental(reply.received, model, every_chunk=True)
