"""Exercise 5: buffered_display shows batches of chunks, by size or by age, whichever comes first.

The probe runs on virtual time: its delays advance ``probe.clock`` instead of sleeping, so every
refresh can be checked against the exact moment each chunk arrived. It waits before its first
token, as real providers do, so the first batch is due as soon as text arrives; and each test
runs on every chunk layout, whose empty opening and closing chunks are neither shown nor counted.
"""

from __future__ import annotations

import pytest

from coursekit.i18n import t
from coursekit.replies import tokenize
from coursekit.testing import CHUNK_LAYOUTS, Moment, ProbeModel, Received, StreamRecord, assert_incremental

ANSWER = (
    "A buffer trades a little delay for far fewer refreshes: the reader still sees the text grow "
    "steadily, while the screen is redrawn only a few times per second instead of once per token.\n"
)
PROMPT = "Why buffer a stream?"
#: Seconds before the first token: longer than the default interval, as a hosted model's often is.
FIRST_TOKEN = 0.35


def displayed(exercise, between: float, layout: str = "openai", chunking: str = "words", **limits):
    """Run the student's function on a virtual-time probe; record each show() call on its clock."""
    probe = ProbeModel(
        responses=[ANSWER],
        virtual_time=True,
        time_to_first_token=FIRST_TOKEN,
        token_delay=between,
        chunk_layout=layout,
        chunking=chunking,
    )
    shown = Received(clock=probe.clock)
    returned = exercise.buffered_display(probe, PROMPT, shown, clock=probe.clock, **limits)
    return probe, shown, returned


def batches(shown: Received, record: StreamRecord) -> list[tuple[Moment, list[Moment]]] | None:
    """Each show() call with the chunks it displayed, or None if the calls don't split the answer."""
    chunks = iter(chunk for chunk in record.chunks if chunk.text)
    result = []
    for update in shown.updates:
        batch, text = [], ""
        while len(text) < len(update.text) and (chunk := next(chunks, None)) is not None:
            batch.append(chunk)
            text += chunk.text
        if not batch or text != update.text:
            return None
        result.append((update, batch))
    return result if next(chunks, None) is None else None


def check_refreshes(probe: ProbeModel, shown: Received, interval: float, max_chunks: int) -> None:
    """Each batch is shown at the first chunk where it is full or old enough, and not before."""
    record = probe.record
    split = batches(shown, record)
    assert split is not None, t("day1_stream.batches_lost")
    last_shown = record.started.at
    for number, (update, batch) in enumerate(split):
        for size, chunk in enumerate(batch, start=1):
            due = size >= max_chunks or chunk.at - last_shown >= interval
            closes_batch = size == len(batch)
            assert due <= closes_batch, t("day1_stream.batch_late", max_chunks=max_chunks, interval=interval)
            final_leftover = number == len(split) - 1
            assert not closes_batch or due or final_leftover, t(
                "day1_stream.batch_early", max_chunks=max_chunks, interval=interval
            )
        last_shown = update.at


@pytest.mark.task(3)
@pytest.mark.parametrize("chunking", ["words", "chars"])
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_shows_every_chunk_once_in_order(exercise, layout, chunking):
    """Shows every chunk exactly once, in order, spaces and line breaks included, and returns the answer

    pt: Mostra cada chunk exatamente uma vez, na ordem, incluindo espaços e quebras de linha, e devolve a resposta
    id: Menampilkan setiap chunk tepat satu kali, berurutan, termasuk spasi dan baris baru, lalu mengembalikan jawabannya
    """
    probe, shown, returned = displayed(exercise, between=0.03, layout=layout, chunking=chunking)
    assert returned == probe.record.text == ANSWER, t("day1_stream.wrong_text")
    assert batches(shown, probe.record) is not None, t("day1_stream.batches_lost")


@pytest.mark.task(3)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_never_shows_an_empty_batch(exercise, layout):
    """Never shows an empty batch, even when the last chunk fills one

    pt: Nunca mostra um lote vazio, nem quando o último chunk completa um lote
    id: Tidak pernah menampilkan batch kosong, bahkan saat chunk terakhir memenuhi satu batch
    """
    whole = len(tokenize(ANSWER))  # one batch of every chunk: nothing is left when the stream ends
    probe, shown, _ = displayed(exercise, between=0.001, layout=layout, interval=10.0, max_chunks=whole)
    assert all(update.text for update in shown.updates), t("day1_stream.batches_lost")
    check_refreshes(probe, shown, interval=10.0, max_chunks=whole)


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_fast_model_refreshes_every_ten_chunks(exercise, layout):
    """A fast model is shown every 10 chunks

    pt: Um modelo rápido é mostrado a cada 10 chunks
    id: Model yang cepat ditampilkan setiap 10 chunk
    """
    probe, shown, _ = displayed(exercise, between=0.001, layout=layout)
    check_refreshes(probe, shown, interval=0.1, max_chunks=10)


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
def test_slow_model_refreshes_every_100_ms(exercise, layout):
    """A slow model is shown every 100 ms

    pt: Um modelo lento é mostrado a cada 100 ms
    id: Model yang lambat ditampilkan setiap 100 ms
    """
    probe, shown, _ = displayed(exercise, between=0.03, layout=layout)
    check_refreshes(probe, shown, interval=0.1, max_chunks=10)


@pytest.mark.task(2)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
@pytest.mark.parametrize("between, interval, max_chunks", [(0.07, 0.2, 5), (0.045, 0.5, 6)])
def test_follows_the_interval_and_max_chunks_it_is_given(exercise, between, interval, max_chunks, layout):
    """Uses the interval and max_chunks it is given

    pt: Usa o interval e o max_chunks que recebe
    id: Memakai interval dan max_chunks yang diberikan
    """
    probe, shown, _ = displayed(exercise, between=between, layout=layout, interval=interval, max_chunks=max_chunks)
    check_refreshes(probe, shown, interval=interval, max_chunks=max_chunks)


@pytest.mark.task(1)
def test_first_batch_is_shown_before_the_answer_ends(exercise):
    """The first batch is shown before the answer is complete

    pt: O primeiro lote aparece antes de a resposta terminar
    id: Batch pertama ditampilkan sebelum jawaban selesai
    """
    probe, shown, _ = displayed(exercise, between=0.03)
    assert_incremental(shown, probe)
