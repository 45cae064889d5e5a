"""``POST /api/form``: the answer of ``prompt | model | JsonOutputParser(diff=True)`` as JSON Patch operations, for the page's form view.

The model is asked for one JSON object (:class:`~coursekit.server.schemas.FormAnswer`), and
each change the parser sees while the model writes it goes out at once as RFC 6902 operations::

    id: 1
    event: patch
    data: [{"op":"replace","path":"","value":{}}]

    id: 2
    event: patch
    data: [{"op":"add","path":"/topic","value":""}]

    id: 3
    event: patch
    data: [{"op":"replace","path":"/topic","value":"JSON"}]

    event: done
    data: {"object":{"topic":"JSON streaming",...},"patches":38}

Applying every patch in order rebuilds ``object`` exactly. A string that grows is sent whole
each time (``replace``), because RFC 6902 has no append. ``error`` takes the place of ``done``
when the model fails mid-stream (``stream_interrupted``), or when its whole answer, once written,
is not JSON (``answer_not_json``: streaming showed nothing of it, or only the part the parser
could read) or does not fit the form (``answer_invalid``, one ``details`` entry per field). As on
``/api/generate``, a model that fails before the first patch gets a real 429 or 502.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

from fastapi import APIRouter, Request
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import JsonOutputParser
from langchain_core.outputs import LLMResult
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable
from langchain_core.utils.json import parse_json_markdown
from pydantic import ValidationError
from sse_starlette import EventSourceResponse, JSONServerSentEvent

from coursekit.i18n import t
from coursekit.server.errors import error_body
from coursekit.server.language import request_language
from coursekit.server.responses import FORM_OK, PROTECTED
from coursekit.server.routes import CurrentUser
from coursekit.server.schemas import FormAnswer, GenerateRequest
from coursekit.server.streaming import SEND_TIMEOUT_SECONDS, SSE_HEADERS, StreamTracker, upstream_error
from coursekit.sse import sse_frame

logger = logging.getLogger("coursekit.server")
router = APIRouter()

Patch = list[dict[str, Any]]

#: Braces would be template variables, so the keys are named in words (the fake model answers
#: any prompt that asks for JSON with these four keys, as a real model told them would).
INSTRUCTIONS = (
    'Answer with one JSON object and nothing else. Its keys: "topic" (a few words), "summary" '
    '(one or two sentences), "key_points" (a list of two to four short sentences) and "confidence" '
    "(a number from 0 to 1: how sure you are)."
)


def build_chain(model: BaseChatModel) -> Runnable:
    """The chain the form view reads: the parser yields the operations that turn its last partial object into the next."""
    prompt = ChatPromptTemplate.from_messages([("system", INSTRUCTIONS), ("human", "{prompt}")])
    return prompt | model | JsonOutputParser(diff=True)


class AnswerText(BaseCallbackHandler):
    """Keeps the model's whole answer, for the strict check once the stream ends.

    The parser reads partial JSON all along, so what it streamed cannot say whether the answer
    was JSON at all: a truncated object parses, and prose yields nothing and raises nothing.
    """

    run_inline = True  # called on the loop, not in a thread

    def __init__(self) -> None:
        super().__init__()
        self.text = ""

    @property
    def ignore_chain(self) -> bool:
        return True

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.text = response.generations[0][0].text if response.generations and response.generations[0] else ""


def patch_frame(operations: Patch, number: int) -> bytes:
    """The ``patch`` event, encoded by :func:`coursekit.sse.sse_frame` as ``token_frame`` is: one per parser output."""
    return sse_frame(json.dumps(operations, ensure_ascii=False, separators=(",", ":")), event="patch", id=number)


def check_answer(text: str, lang: str) -> tuple[Any, dict[str, Any] | None]:
    """The answer as JSON and ``None``, or ``None`` and the ``error`` event's data: what streaming could not tell."""
    try:
        value = parse_json_markdown(text, parser=json.loads)  # strict: no partial JSON now, fences allowed
    except ValueError:
        return None, {"code": "answer_not_json", "message": t("server.answer_not_json", lang)}
    try:
        FormAnswer.model_validate(value)
    except ValidationError as error:
        details = [{"field": ".".join(str(part) for part in problem["loc"]) or "answer", "message": problem["msg"]}
                   for problem in error.errors(include_url=False)]
        message = t("server.answer_invalid", lang, field=details[0]["field"], detail=details[0]["message"])
        return None, {"code": "answer_invalid", "message": message, "details": details}
    return value, None


async def _resume(first: Patch | None, rest: AsyncIterator[Patch]) -> AsyncIterator[Patch]:
    """The patch already read, then the rest; closing this closes ``rest``, which stops the model."""
    async with aclosing(rest):  # type: ignore[type-var]
        if first is not None:
            yield first
        async for operations in rest:
            yield operations


async def start_patches(chain: Runnable, prompt: str, answer: AnswerText) -> AsyncIterator[Patch]:
    """Run the chain up to its first patch, before any byte of the response.

    A failure on the way becomes a 429 or 502 :class:`~coursekit.server.errors.ApiError`. An
    answer with nothing the parser can read ends here with no patch: it becomes an ``error``.
    """
    patches = aiter(chain.astream({"prompt": prompt}, config={"callbacks": [answer]}))
    try:
        first = await anext(patches, None)
    except Exception as error:  # the generator is finished by its own exception: nothing to close
        raise upstream_error(error) from error
    return _resume(first, patches)


async def form_events(
    patches: AsyncIterator[Patch], answer: AnswerText, tracker: StreamTracker, lang: str
) -> AsyncIterator[JSONServerSentEvent | bytes]:
    """Patch events, then ``done`` with the checked object; or ``error``, mid-stream or at the end.

    A client that disconnects makes sse-starlette cancel this generator; ``aclosing`` then
    closes the chain's stream, which closes the model's.
    """
    with tracker.track():
        async with aclosing(patches):  # type: ignore[type-var]
            sent = 0
            try:
                async for operations in patches:
                    sent += 1
                    yield patch_frame(operations, sent)
            except Exception as error:  # the model failed; the connection itself is fine
                logger.warning("form stream failed after %d patches", sent, exc_info=error)
                yield JSONServerSentEvent(error_body("stream_interrupted", t("server.stream_interrupted", lang), patches=sent), event="error")
                return
            value, problem = check_answer(answer.text, lang)
            if problem is not None:
                logger.warning("the model's answer does not fit the form: %s", problem["message"])
                yield JSONServerSentEvent({"error": {**problem, "patches": sent}}, event="error")
                return
            yield JSONServerSentEvent({"object": value, "patches": sent}, event="done")


@router.post("/api/form", responses={**FORM_OK, **PROTECTED})
async def form(body: GenerateRequest, request: Request, user: CurrentUser) -> EventSourceResponse:
    """Stream the answer to ``prompt`` as a JSON object, one ``patch`` event (RFC 6902 operations) per change, then the whole object."""
    answer = AnswerText()
    patches = await start_patches(build_chain(request.app.state.model), body.prompt, answer)
    return EventSourceResponse(
        form_events(patches, answer, request.app.state.streams, request_language(request)),
        headers=SSE_HEADERS, send_timeout=SEND_TIMEOUT_SECONDS,
    )
