"""Exercise 1: EventLog records the start, every token and the end, once each, in order."""

from __future__ import annotations

import pytest

from coursekit.i18n import t
from coursekit.testing import ProbeModel

REPLY = "Callbacks see every token, in order."
PROMPT = "Tell me about callbacks."


def streamed_tokens(probe: ProbeModel) -> list[str]:
    """The non-empty chunks the model produced: what the log should hold as tokens."""
    return [chunk.text for chunk in probe.record.chunks if chunk.text]


def logged(exercise, *, via: str = "stream"):
    """Run the probe with the student's EventLog attached, by stream() or by a streaming invoke()."""
    log = exercise.EventLog()
    if via == "invoke":
        probe = ProbeModel(responses=[REPLY], streaming=True)
        probe.invoke(PROMPT, config={"callbacks": [log]})
    else:
        probe = ProbeModel(responses=[REPLY])
        for _ in probe.stream(PROMPT, config={"callbacks": [log]}):
            pass
    return probe, log


@pytest.mark.task(1)
def test_logs_the_start_first(exercise):
    """Logs ("start", "") first

    pt: Registra ("start", "") primeiro
    id: Mencatat ("start", "") lebih dulu
    """
    _, log = logged(exercise)
    kinds = [kind for kind, _ in log.events]
    assert log.events[:1] == [("start", "")], t("day2_callbacks.events_out_of_order", kinds=kinds)


@pytest.mark.task(2)
@pytest.mark.parametrize("via", ["stream", "invoke"])
def test_logs_every_token_in_order(exercise, via):
    """Logs every non-empty token, in order

    pt: Registra cada token não vazio, na ordem
    id: Mencatat setiap token yang tidak kosong, sesuai urutan
    """
    probe, log = logged(exercise, via=via)
    tokens = [detail for kind, detail in log.events if kind == "token"]
    assert tokens == streamed_tokens(probe), t("day2_callbacks.tokens_mismatch")


@pytest.mark.task(3)
def test_ends_once_with_the_whole_answer(exercise):
    """Logs ("end", answer) once, after the tokens

    pt: Registra ("end", answer) uma única vez, depois dos tokens
    id: Mencatat ("end", answer) satu kali, setelah token-tokennya
    """
    _, log = logged(exercise)
    ends = [event for event in log.events if event[0] == "end"]
    assert ends == [("end", REPLY)] and log.events[-1:] == ends, t("day2_callbacks.end_text")


@pytest.mark.task(3)
@pytest.mark.parametrize("via", ["stream", "invoke"])
def test_start_then_tokens_then_end(exercise, via):
    """The whole log reads: start, one token per chunk, end

    pt: O log completo fica: start, um token por chunk, end
    id: Isi log lengkapnya: start, satu token per chunk, end
    """
    probe, log = logged(exercise, via=via)
    kinds = [kind for kind, _ in log.events]
    expected = ["start", *["token"] * len(streamed_tokens(probe)), "end"]
    assert kinds == expected, t("day2_callbacks.events_out_of_order", kinds=kinds)


@pytest.mark.task(4)
def test_text_joins_the_tokens(exercise):
    """text is the answer put together from the tokens

    pt: text é a resposta montada a partir dos tokens
    id: text adalah jawaban yang disusun dari token-token
    """
    probe, log = logged(exercise)
    assert log.text == probe.record.text == REPLY, t("day2_callbacks.text_property")
