"""Exercise 5: POST /chat refuses a request without a valid JWT before the model is called, then answers in JSON or streams."""

from __future__ import annotations

import asyncio
import time

import httpx
import jwt
import pytest

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, assert_incremental

ANSWERS = {
    "bread": "Bread rises because yeast eats sugar and breathes out carbon dioxide, which the dough traps.\n",
    "stars": "Stars twinkle because their light bends many times on its way through moving air.\n",
}
SECRET = "a-test-secret-long-enough-for-hs256-signatures"


def token(*, secret: str = SECRET, expires_in: int = 600, user: str = "ada") -> str:
    """A token as the course's /login issues them: HS256, with ``sub`` and ``exp``."""
    return jwt.encode({"sub": user, "exp": int(time.time()) + expires_in}, secret, algorithm="HS256")


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


#: Requests a student's dependency must refuse, by how they are wrong (the message names each).
NO_TOKEN = {"missing": {}, "basic": {"Authorization": "Basic YWRhOmxvdmVsYWNl"}, "empty_bearer": {"Authorization": "Bearer"}}
BAD_TOKEN = {"garbage": "not-a-jwt", "wrong_secret": token(secret="another-secret-that-signed-this-one-here"), "expired": token(expires_in=-120)}


def json_body(response):
    """The JSON body of a plain (not streamed) reply."""
    assert response.status_code != 401, t("day3_sse.valid_token_refused", body=response.text[:200])
    assert response.status_code == 200, t("day3_sse.bad_status", status=response.status_code, body=response.text[:200])
    content_type = response.headers.get("content-type", "")
    assert content_type.startswith("application/json"), t("day3_sse.json_expected", content_type=content_type)
    return response.json()


async def refused(exercise, serve, paced, headers: dict[str, str], case: str, stream: bool):
    """Send a chat that must be refused; check the 401, its challenge, and that the model was never called."""
    model = paced(rules=ANSWERS)
    server = serve(exercise.create_app(model, SECRET))
    body = {"message": "Why does bread rise?", "stream": stream}
    why = t(f"day3_sse.case_{case}")
    try:
        response = await server.post_json("/chat", body, headers=headers)
    except (NotImplementedError, httpx.HTTPError):
        raise  # the template's TODO, or the test's own client: not the student's check
    except Exception as error:
        raise AssertionError(t("day3_sse.auth_error_escaped", error=type(error).__name__, case=why)) from error
    assert not model.records, t("day3_sse.auth_model_called", calls=len(model.records), case=why)
    assert response.status_code == 401, t("day3_sse.auth_status", status=response.status_code, case=why)
    challenge = response.headers.get("www-authenticate", "")
    assert challenge.lower().startswith("bearer"), t("day3_sse.auth_challenge", got=challenge)
    return response


@pytest.mark.task(1)
@pytest.mark.parametrize("body", [{"message": "Why does bread rise?"}, {"message": "Why does bread rise?", "stream": False}], ids=["no-flag", "stream-false"])
async def test_without_streaming_the_reply_is_one_json_body(exercise, serve, paced, body):
    """With a valid token and without "stream": true, the whole answer comes in one JSON body

    pt: Com um token válido e sem "stream": true, a resposta inteira vem num único corpo JSON
    id: Dengan token yang valid dan tanpa "stream": true, seluruh jawaban datang dalam satu body JSON
    """
    server = serve(exercise.create_app(paced(rules=ANSWERS), SECRET))
    response = await server.post_json("/chat", body, headers=bearer(token()))
    assert json_body(response) == {"reply": ANSWERS["bread"]}, t("day3_sse.json_reply", body=response.text[:200])


@pytest.mark.task(2)
async def test_json_replies_do_not_block_the_server(exercise, serve, paced):
    """Two JSON chats are answered at the same time: ainvoke does not block the event loop

    pt: Dois chats em JSON são respondidos ao mesmo tempo: ainvoke não trava o event loop
    id: Dua chat JSON dijawab bersamaan: ainvoke tidak memblokir event loop
    """
    model = paced(rules=ANSWERS)
    paced.meet(model, streams=2)
    server = serve(exercise.create_app(model, SECRET))
    headers = bearer(token())
    first, second = await asyncio.gather(
        server.post_json("/chat", {"message": "bread?"}, headers=headers),
        server.post_json("/chat", {"message": "stars?"}, headers=headers),
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
    """With a valid token and "stream": true, each token event arrives before the model writes the next, then done

    pt: Com um token válido e "stream": true, cada evento token chega antes de o modelo escrever o seguinte, e depois vem o done
    id: Dengan token yang valid dan "stream": true, setiap event token tiba sebelum model menulis token berikutnya, lalu done
    """
    model = paced(rules=ANSWERS, chunk_layout=layout)
    server = serve(exercise.create_app(model, SECRET))
    body = {"message": "Why do stars twinkle?", "stream": True}
    reply = await server.sse("POST", "/chat", json=body, headers=bearer(token()), lockstep=model)
    assert reply.content_type.startswith("text/event-stream"), t("day3_sse.not_event_stream", content_type=reply.content_type)
    assert len(model.records) == 1, t("day3_sse.called_more_than_once", calls=len(model.records))
    assert "".join(reply.token_texts) == ANSWERS["stars"], t("day3_sse.tokens_mismatch")
    texts = sum(1 for chunk in model.record.chunks if chunk.text)
    assert reply.names[-1:] == ["done"], t("day3_sse.done_missing")
    assert reply.payloads("done") == [{"tokens": texts}], t("day3_sse.done_payload")
    assert_incremental(reply.received, model, every_chunk=True)


@pytest.mark.task(4)
@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("case", NO_TOKEN)
async def test_a_request_without_a_bearer_token_gets_401_before_the_model(exercise, serve, paced, case, stream):
    """Without an Authorization: Bearer header, /chat answers 401 and never calls the model

    pt: Sem o cabeçalho Authorization: Bearer, /chat responde 401 e nunca chama o modelo
    id: Tanpa header Authorization: Bearer, /chat menjawab 401 dan tidak pernah memanggil model
    """
    await refused(exercise, serve, paced, NO_TOKEN[case], case, stream)


@pytest.mark.task(5)
@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("case", BAD_TOKEN)
async def test_a_bad_or_expired_token_gets_401_before_the_model(exercise, serve, paced, case, stream):
    """A malformed, foreign or expired token gets 401, without PyJWT's reason, and the model is never called

    pt: Um token malformado, assinado por outra chave ou expirado recebe 401, sem o motivo do PyJWT, e o modelo nunca é chamado
    id: Token yang rusak, ditandatangani kunci lain, atau kedaluwarsa mendapat 401 tanpa alasan dari PyJWT, dan model tidak pernah dipanggil
    """
    value = BAD_TOKEN[case]
    response = await refused(exercise, serve, paced, bearer(value), case, stream)
    with pytest.raises(jwt.InvalidTokenError) as reason:
        jwt.decode(value, SECRET, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    assert str(reason.value) not in response.text, t("day3_sse.auth_leaks_reason", reason=str(reason.value))
