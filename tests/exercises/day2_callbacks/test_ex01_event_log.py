"""Exercise 1: EventLog records the start, every token and the end, once each, in order."""

from __future__ import annotations

import pytest

from coursekit.i18n import t
from coursekit.testing import CHUNK_LAYOUTS, ProbeModel

#: Ends with a whitespace-only token ("\n\n"): real text, unlike the empty chunks around it.
REPLY = "Callbacks see every token, in order.\n\n"
PROMPT = "Tell me about callbacks."


def streamed_tokens(probe: ProbeModel) -> list[str]:
    """The non-empty chunks the model produced: what the log should hold as tokens."""
    return [chunk.text for chunk in probe.record.chunks if chunk.text]


def logged(exercise, *, via: str = "stream", layout: str = "openai"):
    """Run the probe with the student's EventLog attached, by stream() or by a streaming invoke()."""
    log = exercise.EventLog()
    if via == "invoke":
        probe = ProbeModel(responses=[REPLY], streaming=True, token_delay=0.0, chunk_layout=layout)
        probe.invoke(PROMPT, config={"callbacks": [log]})
    else:  # streaming left unset: stream() streams; streaming=False would make it one invoke()
        probe = ProbeModel(responses=[REPLY], token_delay=0.0, chunk_layout=layout)
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
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
@pytest.mark.parametrize("via", ["stream", "invoke"])
def test_logs_every_token_in_order(exercise, via, layout):
    """Logs every non-empty token, in order, whichever provider's chunk layout

    pt: Registra cada token não vazio, na ordem, seja qual for o formato de chunks do provedor
    id: Mencatat setiap token yang tidak kosong, sesuai urutan, apa pun susunan chunk dari provider-nya
    """
    probe, log = logged(exercise, via=via, layout=layout)
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
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
@pytest.mark.parametrize("via", ["stream", "invoke"])
def test_start_then_tokens_then_end(exercise, via, layout):
    """The whole log reads: start, one token per text chunk, end

    pt: O log completo fica: start, um token por chunk com texto, end
    id: Isi log lengkapnya: start, satu token per chunk yang berisi teks, end
    """
    probe, log = logged(exercise, via=via, layout=layout)
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


@pytest.mark.task(4)
def test_text_grows_while_the_answer_streams(exercise):
    """text holds the answer so far while it streams, not only at the end

    pt: text guarda a resposta até aqui enquanto ela chega, não só no fim
    id: text berisi jawaban sejauh ini selama streaming berlangsung, bukan hanya di akhir
    """
    probe = ProbeModel(responses=[REPLY], token_delay=0.0)
    log = exercise.EventLog()
    so_far = ""
    for chunk in probe.stream(PROMPT, config={"callbacks": [log]}):
        so_far += chunk.text
        assert log.text == so_far, t("day2_callbacks.text_so_far", expected=so_far, got=log.text)
