"""Day 6's tests run the student's router on a virtual clock, so every timing is exact and free.

A router's behaviour is about time: the route must be known before the first token, a classifier
that takes too long must lose to a time budget, a client that leaves must stop calls that are
still waiting. Real seconds would make those checks slow and, on a loaded machine, flaky. So the
async checks run on :class:`VirtualClockLoop`, an ordinary selector event loop whose ``time()``
is virtual: whenever nothing is ready to run, the clock jumps straight to the next timer. The
fake model's ``asyncio.sleep`` before its first token, an ``asyncio.timeout`` in the student's
code and the test's own pauses all land on that one clock, in the order their times say,
however busy the machine is, and a "five-second" classification costs no real time at all.

Also here: the router's scripted models (:func:`router_model`, :func:`classifier_model`,
:func:`answer_model`): rules that answer the classifier's prompt with a label and each route's
prompt with an answer of its own, so a test knows which route ran from the text alone. The tests
import this module by its own name (a module called ``conftest`` is not unique in the suite).
"""

from __future__ import annotations

import asyncio
import json
import selectors
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

from langchain_core.language_models.chat_models import generate_from_stream
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult

from coursekit.fake_model import whole_reply
from coursekit.i18n import t
from coursekit.testing import ProbeModel

T = TypeVar("T")

#: The answer each route's prompt gets: several tokens each, and each names its route.
ANSWERS = {
    "math": "Step 1: 25 * 17 = 25 * 10 + 25 * 7. Step 2: 250 + 175 = 425. The answer is 425.",
    "code": "Here is one way:\n\n```python\ndef reverse(text):\n    return text[::-1]\n```\n",
    "general": "The capital of France is Paris, on the Seine, home to about two million people.",
}
#: Regexes that tell the route prompts apart (the exercises' prompts start this way).
ROUTE_PROMPTS = {"math": r"^You are a mathematician", "code": r"^You are a senior programmer", "general": r"^You are a helpful assistant"}
CLASSIFY_PROMPT = r"^Classify"
QUESTIONS = {
    "math": "What is 25 * 17?",
    "code": "Write a Python function to reverse a string",
    "general": "What is the capital of France?",
}


class Probe(ProbeModel):
    """A :class:`ProbeModel` for the virtual clock: async streams wait on the loop's clock, sync ones not at all.

    The async waits (``asyncio.sleep``) are virtual on :class:`VirtualClockLoop`. A sync stream
    sleeps with ``time.sleep``, in real time, usually in a worker thread where LangChain runs a
    sync step of an async run (a ``RunnableLambda`` that calls ``invoke``); here it does not
    wait, so a student's blocking call costs no real seconds and is seen for what it does.
    """

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any):  # type: ignore[override]
        return self._recorded(self._unpaced(messages, stop, run_manager, **kwargs), "stream")

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        return generate_from_stream(self._recorded(self._unpaced(messages, stop, None, **whole_reply(kwargs)), "invoke"))

    def _unpaced(self, messages: list[BaseMessage], stop: list[str] | None, run_manager: Any, **kwargs: Any) -> Iterator[Any]:
        for _, chunk in self._paced_chunks(messages, stop, **kwargs):
            if run_manager:
                run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk


def router_rules(label: Any | None = None) -> dict[str, Any]:
    """Rules for one model that plays both parts: the classifier says ``label`` (when given), each route answers."""
    rules: dict[str, Any] = {}
    if label is not None:
        rules[CLASSIFY_PROMPT] = {"category": label}
    for route, pattern in ROUTE_PROMPTS.items():
        rules[pattern] = ANSWERS[route]
    return rules


def router_model(label: Any | None = None, **options: Any) -> Probe:
    """One model that plays both parts, as in the seed: see :func:`router_rules`."""
    return Probe(rules=router_rules(label), **options)


def classifier_model(label: Any, **options: Any) -> Probe:
    """A model that only classifies: it answers the classifier's prompt with ``label``."""
    return Probe(rules={CLASSIFY_PROMPT: {"category": label}}, **options)


def answer_model(**options: Any) -> Probe:
    """A model that only answers: each route's prompt gets :data:`ANSWERS` of its route."""
    return Probe(rules={pattern: ANSWERS[route] for route, pattern in ROUTE_PROMPTS.items()}, **options)


#: Longest real wait for a worker thread before the loop looks again (the clock does not move meanwhile).
REAL_WAIT = 0.05


class _JumpingSelector(selectors.DefaultSelector):  # type: ignore[misc,valid-type]
    """Waits for I/O only as long as really needed; the rest of a wait is a jump of the virtual clock."""

    def __init__(self) -> None:
        super().__init__()
        self.loop: VirtualClockLoop | None = None

    def select(self, timeout: float | None = None):  # type: ignore[override]
        ready = super().select(0)
        if ready or timeout == 0 or self.loop is None:
            return ready
        if timeout is None or self.loop.in_executor:
            # Only I/O can wake the loop now: a worker thread's result, which takes real time. The
            # clock stands still meanwhile, so a thread's work never races a virtual timer.
            return super().select(REAL_WAIT)
        self.loop._now += timeout
        return []


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock jumps to the next timer whenever nothing is ready to run."""

    def __init__(self) -> None:
        selector = _JumpingSelector()
        super().__init__(selector)
        self._now = 0.0
        self.in_executor = 0
        """Calls running in a worker thread (``run_in_executor``, ``asyncio.to_thread``)."""
        selector.loop = self

    def time(self) -> float:
        return self._now

    def run_in_executor(self, executor: Any, func: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        future = super().run_in_executor(executor, func, *args)
        self.in_executor += 1
        future.add_done_callback(self._executor_done)
        return future

    def _executor_done(self, _: asyncio.Future[Any]) -> None:
        self.in_executor -= 1


def run_virtual(make: Callable[[], Awaitable[T]]) -> T:
    """Run ``make()`` on a fresh :class:`VirtualClockLoop` and return its result."""
    loop = VirtualClockLoop()
    try:
        asyncio.set_event_loop(loop)
        return loop.run_until_complete(_bounded(make))
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            asyncio.set_event_loop(None)
            loop.close()


#: Longest a test may run on the virtual clock: a student's endless wait ends here, at no real cost.
MAX_VIRTUAL_SECONDS = 600.0


async def _bounded(make: Callable[[], Awaitable[T]]) -> T:
    """``make()``, stopped with a message for the student when it waits past :data:`MAX_VIRTUAL_SECONDS`."""
    scope = asyncio.timeout(MAX_VIRTUAL_SECONDS)
    try:
        async with scope:
            return await make()
    except TimeoutError:
        if scope.expired():
            raise AssertionError(t("day6_router.never_ended", seconds=MAX_VIRTUAL_SECONDS)) from None
        raise


def now() -> float:
    """The virtual clock's time, inside a test run by :func:`run_virtual`."""
    return asyncio.get_running_loop().time()


def unpacked(item: Any) -> tuple[Any, Any]:
    """``(event name, data)`` of what the generator yielded: a ServerSentEvent or a dict, data as JSON."""
    if isinstance(item, dict):
        name, data = item.get("event"), item.get("data")
    else:
        name, data = getattr(item, "event", None), getattr(item, "data", None)
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError:
            pass
    return name, data
