"""Exercise 3: stream_both runs two streams concurrently, without blocking, and stops on cancel.

Concurrency and cancellation are checked by the order of events (ProbeModel records), the loop by
the heartbeat, which catches one long block as well as a blocking read of every token.
"""

from __future__ import annotations

import pytest

from coursekit.i18n import t
from coursekit.testing import (
    CHUNK_LAYOUTS,
    ProbeModel,
    assert_cancel_stops_model,
    assert_streams_overlap,
    heartbeat,
)

# The first answer is the longer one, so it finishes last: the result order must still follow
# the prompts, not the order in which the streams end.
ANSWERS = {
    "volcano": "A volcano erupts when pressure from gas and magma below the crust becomes too great to hold.",
    "owl": "Owls hunt at night, guided by very sharp hearing.\n",
}
PROMPTS = ("How does a volcano erupt?", "Tell me about owls.")


def probe(token_delay: float = 0.005, layout: str = "openai") -> ProbeModel:
    return ProbeModel(rules=ANSWERS, token_delay=token_delay, time_to_first_token=0.01, chunk_layout=layout)


@pytest.mark.task(1)
@pytest.mark.parametrize("layout", CHUNK_LAYOUTS)
async def test_returns_both_answers_in_prompt_order(exercise, layout):
    """Returns both answers, in the order of the prompts

    pt: Devolve as duas respostas, na ordem dos prompts
    id: Mengembalikan kedua jawaban, sesuai urutan prompt
    """
    result = await exercise.stream_both(probe(layout=layout), *PROMPTS)
    assert tuple(result) == (ANSWERS["volcano"], ANSWERS["owl"]), t("day1_stream.both_answers")


@pytest.mark.task(2)
async def test_streams_run_at_the_same_time(exercise):
    """Both streams run at the same time

    pt: Os dois streams rodam ao mesmo tempo
    id: Kedua stream berjalan bersamaan
    """
    model = probe()
    await exercise.stream_both(model, *PROMPTS)
    assert_streams_overlap(model)


@pytest.mark.task(3)
async def test_does_not_block_the_event_loop(exercise):
    """The event loop keeps running while the answers stream

    pt: O event loop continua rodando enquanto as respostas chegam
    id: Event loop tetap berjalan selama jawaban di-stream
    """
    async with heartbeat():
        await exercise.stream_both(probe(token_delay=0.02), *PROMPTS)


@pytest.mark.task(4)
async def test_cancelling_stops_both_streams(exercise):
    """Cancelling stream_both stops both streams, and stream_both ends cancelled

    pt: Cancelar stream_both interrompe os dois streams, e stream_both termina cancelada
    id: Membatalkan stream_both menghentikan kedua stream, dan stream_both berakhir dalam keadaan dibatalkan
    """
    model = probe(token_delay=0.02)
    await assert_cancel_stops_model(exercise.stream_both(model, *PROMPTS), model)
