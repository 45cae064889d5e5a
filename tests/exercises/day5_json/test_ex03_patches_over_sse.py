"""Exercise 3: GET /fill sends a JSON answer as JSON Patch operations over SSE, then done, or error.

The tests are the client a page would be: over a real uvicorn (:mod:`coursekit.testing.http`)
they read every ``patch`` event as it arrives and apply it with ``jsonpatch``, starting from
``{}`` as a page does, and compare the object they hold with what the model wrote. Every check
holds however the fake cuts the JSON and on every provider's layout. "As the model writes" is
checked by order of events against a model that writes its next chunk only once the client's
object equals what the parser makes of the text so far (:class:`DueProbe`), never by timings.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

import jsonpatch
import pytest

from coursekit.errors import FakeModelError
from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS

ANSWER: dict[str, Any] = {
    "name": "Ana Souza",
    "city": "Belo Horizonte",
    "age": 34,
    "languages": ["Portuguese", "English", "Spanish"],
    "address": {"street": "Rua da Bahia, 1000", "zip": "30160-011"},
    "bio": "Loves \"pão de queijo\" and {curly} [square] brackets.",
}
QUESTION = "Fill in the form for Ana, as JSON."
CHUNKINGS = ["words", "chars", 7]


def applied(patches: Iterable[Any], document: Any = None) -> Any:
    """The object a client holds after applying ``patches`` in order, from ``{}`` or ``document``."""
    document = {} if document is None else document
    for number, operations in enumerate(patches, start=1):
        if not isinstance(operations, list):
            raise AssertionError(t("day5_json.patches_not_operations", number=number, data=str(operations)[:80]))
        try:
            document = jsonpatch.apply_patch(document, operations)
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, TypeError, KeyError) as error:
            raise AssertionError(t("day5_json.patches_not_operations", number=number, data=str(operations)[:80])) from error
    return document


def held(texts: Iterable[str], document: Any = None) -> Any:
    """The object a client holds after the events whose data are ``texts`` (only patch lists change it)."""
    patches = []
    for text in texts:
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, TypeError):
            continue
        if isinstance(data, list):
            patches.append(data)
    return applied(patches, document)


class Client:
    """The object a client holds after the first events it received, applied once each as they come."""

    def __init__(self) -> None:
        self.read = 0
        self.document: Any = {}
        self.broken = False

    def after(self, updates: list[Any]) -> Any:
        for update in updates[self.read :]:
            self.read += 1
            try:
                self.document = held([update.text], self.document)
            except AssertionError:
                self.broken = True
        return None if self.broken else self.document


def catching_up(model, parsed_text):
    """Whether the client holds what the parser makes of the model's text so far."""
    client = Client()

    def ready(text: str) -> bool:
        due = parsed_text(text)
        return due is None or not model.readers or client.after(model.readers[-1].updates) == due

    return ready


async def fill(serve, exercise, model, **options):
    """GET /fill from the student's app, mounted on the module's server, as a page would."""
    reply = await serve(exercise.create_app(model)).sse("GET", "/fill", params={"question": QUESTION}, tolerate=FakeModelError, **options)
    assert not reply.broken, t("day5_json.patches_error_broke_stream")
    return reply


@pytest.mark.task(1)
@pytest.mark.parametrize("chunking", CHUNKINGS)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_the_patches_rebuild_the_exact_answer(exercise, serve, paced, layout, chunking):
    """GET /fill sends patch events that a client applying them turns into the exact answer, then one done event

    pt: GET /fill envia eventos patch que um cliente, aplicando-os, transforma na resposta exata, e depois um evento done
    id: GET /fill mengirim event patch yang, bila diterapkan klien, menjadi jawaban yang persis, lalu satu event done
    """
    model = paced(rules={".*": ANSWER}, chunk_layout=layout, chunking=chunking)
    reply = await fill(serve, exercise, model)
    assert reply.content_type.startswith("text/event-stream"), t("day5_json.not_event_stream", content_type=reply.content_type)
    names = reply.names
    assert names and set(names[:-1]) == {"patch"} and names[-1] == "done", t("day5_json.patches_sequence", got=names[-4:])
    assert applied(reply.payloads("patch")) == ANSWER, t("day5_json.patches_final")
    assert reply.payloads("done") == [{"patches": names.count("patch")}], t("day5_json.patches_done_payload")


@pytest.mark.task(1)
async def test_an_indented_answer_rebuilds_the_same_object(exercise, serve, paced):
    """JSON written over many lines with indentation, as models often write it, rebuilds the same object

    pt: Um JSON escrito em várias linhas, com indentação, como os modelos costumam escrever, reconstrói o mesmo objeto
    id: JSON yang ditulis dalam banyak baris dengan indentasi, seperti yang sering ditulis model, membangun ulang objek yang sama
    """
    model = paced(responses=[json.dumps(ANSWER, indent=2, ensure_ascii=False)], chunk_layout="maritaca")
    reply = await fill(serve, exercise, model)
    assert applied(reply.payloads("patch")) == ANSWER, t("day5_json.patches_final")
    assert reply.names[-1:] == ["done"], t("day5_json.patches_sequence", got=reply.names[-4:])


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_a_failure_mid_answer_ends_with_an_error_event(exercise, serve, paced, parsed_text, layout):
    """A model failure mid-answer ends the stream with one error event and no done; the client keeps the object so far

    pt: Uma falha do modelo no meio da resposta termina o stream com um evento error e sem done; o cliente fica com o objeto até ali
    id: Kegagalan model di tengah jawaban mengakhiri stream dengan satu event error tanpa done; klien tetap memegang objek sejauh itu
    """
    model = paced(rules={".*": ANSWER}, chunk_layout=layout, error_after=12)
    reply = await fill(serve, exercise, model)
    names = reply.names
    assert names and names[-1] == "error" and set(names[:-1]) <= {"patch"}, t("day5_json.patches_error_sequence", got=names[-4:])
    patches = names.count("patch")
    assert reply.payloads("error") == [{"message": exercise.ERROR_MESSAGE, "patches": patches}], t("day5_json.patches_error_payload")
    assert applied(reply.payloads("patch")) == parsed_text(model.record.text), t("day5_json.patches_error_kept")


@pytest.mark.task(2)
async def test_a_failure_before_the_first_token(exercise, serve, paced):
    """A model that refuses at once: one error event with patches 0, and nothing else

    pt: Um modelo que recusa de imediato: um evento error com patches 0, e nada mais
    id: Model yang langsung menolak: satu event error dengan patches 0, dan tidak ada yang lain
    """
    reply = await fill(serve, exercise, paced(rules={".*": ANSWER}, rate_limited=True))
    assert reply.names == ["error"], t("day5_json.patches_error_sequence", got=reply.names[-4:])
    assert reply.payloads("error") == [{"message": exercise.ERROR_MESSAGE, "patches": 0}], t("day5_json.patches_error_payload")


@pytest.mark.task(2)
async def test_the_failure_is_logged_not_sent(exercise, serve, paced, caplog):
    """The server logs the failure with its traceback; the client only gets ERROR_MESSAGE

    pt: O servidor registra a falha no log com o traceback; o cliente só recebe ERROR_MESSAGE
    id: Server mencatat kegagalan ke log beserta traceback-nya; klien hanya menerima ERROR_MESSAGE
    """
    model = paced(rules={".*": ANSWER}, error_after=6)
    with caplog.at_level(logging.ERROR):
        reply = await fill(serve, exercise, model)
    logged = [
        record
        for record in caplog.records
        if record.exc_info and record.exc_info[1] is model.record.error and not record.name.startswith("uvicorn")
    ]
    assert logged, t("day5_json.patches_error_not_logged")
    assert reply.events and str(model.record.error) not in reply.events[-1].data, t("day5_json.patches_error_leaked")


@pytest.mark.task(3)
@pytest.mark.parametrize("chunking", ["words", 3])
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_patches_leave_as_the_model_writes(exercise, serve, due, first_late, parsed_text, layout, chunking):
    """After each chunk, the client holds what the parser makes of the text so far before the model writes the next

    pt: Depois de cada chunk, o cliente tem o que o parser extrai do texto até ali antes de o modelo escrever o próximo
    id: Setelah setiap chunk, klien sudah memegang hasil parser atas teks sejauh itu sebelum model menulis chunk berikutnya
    """
    model = due(rules={".*": ANSWER}, chunk_layout=layout, chunking=chunking, time_to_first_token=0.05)
    model.until(catching_up(model, parsed_text))
    reply = await fill(serve, exercise, model, lockstep=model)
    assert applied(reply.payloads("patch")) == ANSWER, t("day5_json.patches_final")
    updates = reply.received.updates

    def met(text: str, count: int) -> bool:
        due_now = parsed_text(text)
        return due_now is None or held(update.text for update in updates[:count]) == due_now

    late = first_late(model.record, updates, met)
    assert late is None, t("day5_json.patches_late", chunk=late)
