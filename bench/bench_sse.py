"""The day-3 server (``/api/generate``) against a hand-written ``StreamingResponse`` baseline.

The reference endpoint does more per event than the baseline: a bearer token, JSON events
with ids, sse-starlette's disconnect watcher and pings, a stream counter, error events. This
script measures what that costs, on loopback, with the server in its own process and both
endpoints in the same app, streaming the same zero-latency fake model, in the same run, so
the machine's speed and load cancel out of the ratios:

- events per second of one long stream (target: reference >= 0.5x the baseline), and the
  server CPU per event, also for FastAPI's own ``fastapi.sse`` (the guide warns against
  confusing it with sse-starlette: this row is where its figures come from);
- time to first event, p50 and p99, with 200 streams opened at once;
- concurrent streams held open with no error, trying up to 1000 (target: all 1000), and the
  server's memory per held stream (RSS delta / streams);
- scale: up to 10,000 concurrent streams on the reference server, one worker, opened over bare
  sockets in batches within a time budget; it reports the streams held, the errors and the
  memory per stream whatever the count reached (the figure, not a pass/fail: the exit status
  does not depend on it). The open-file limit is raised for this script and its server only.

Timed runs alternate between the two endpoints and keep each one's best (least disturbed)
result. Exit status 1 when a target is missed. Run: ``python bench/bench_sse.py``.

For scale, measured on 2 cores: sse-starlette's own per-event work (a cancel scope and a timer
around every send, for the 30 s send timeout that stops a client that no longer reads from
pinning a model call) and building a ``JSONServerSentEvent`` per token took the reference to
0.49-0.57x. Encoding the token events directly (``coursekit.server.streaming.token_frame``, the
same bytes) brought it to about 0.6x; FastAPI's ``fastapi.sse`` stays near 0.3x.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx
import psutil
import uvicorn
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.sse import EventSourceResponse as FastAPIEventSourceResponse
from fastapi.sse import ServerSentEvent as FastAPIServerSentEvent
from httpx_sse import aconnect_sse
from langchain_core.messages import HumanMessage

from coursekit.fake_model import FakeStreamingChatModel
from coursekit.server import ServerSettings, create_app, uvicorn_options
from coursekit.server.schemas import GenerateRequest

TARGET_THROUGHPUT_RATIO = 0.5
TARGET_HELD_STREAMS = 1000
SCALE_STREAMS = 10_000
SCALE_BATCH = 500
#: Opening stops when this budget is spent, and the figures say how far it got.
SCALE_SECONDS = 240
CONCURRENT_FIRST_EVENT = 200
THROUGHPUT_REPETITIONS = 7
FIRST_EVENT_REPETITIONS = 3
HOLD_BATCH = 100
SECRET = "bench-secret-that-is-long-enough-for-hs256!"
LONG_REPLY = "Streaming sends each token as soon as the model writes it, so readers start at once. " * 1500
SHORT_REPLY = "A short answer of a few tokens, to time the first event."
HOLD_REPLY = "Held open: one token every few seconds, " * 10
ENDPOINTS = {"reference": "/api/generate", "baseline": "/baseline"}
#: Measured for events/s and CPU per event only: the comparison the day-3 guide quotes.
FASTAPI_SSE = {"fastapi.sse": "/fastapi-sse"}


# --- the server process --------------------------------------------------------------------


def bench_model(mode: str) -> FakeStreamingChatModel:
    """Zero latency for throughput; for holding, one token every few seconds so streams stay open."""
    if mode == "hold":  # a short reply (the fake builds all its chunks up front), paced over minutes
        return FakeStreamingChatModel(responses=[HOLD_REPLY], token_delay=5.0)
    if mode == "scale":  # the first token at once, the next a minute later: what is measured is holding
        return FakeStreamingChatModel(responses=[HOLD_REPLY], token_delay=60.0)
    return FakeStreamingChatModel(rules={"long": LONG_REPLY}, responses=[SHORT_REPLY])


#: The reference server's own limits, with room for the scale run's streams (the default bound is 1000).
SETTINGS = ServerSettings(jwt_secret=SECRET, max_connections=SCALE_STREAMS + 100)


def bench_app(mode: str) -> FastAPI:
    """The reference app plus the baseline: the same model, framed by hand, nothing else."""
    model = bench_model(mode)
    app = create_app(model=model, settings=SETTINGS)

    @app.post("/baseline")
    async def baseline(body: GenerateRequest) -> StreamingResponse:
        async def frames() -> AsyncIterator[str]:
            async for chunk in model.astream([HumanMessage(body.prompt)]):
                if chunk.text:
                    yield f"data: {json.dumps({'text': chunk.text})}\n\n"
            yield "event: done\ndata: {}\n\n"

        return StreamingResponse(frames(), media_type="text/event-stream")

    @app.post("/fastapi-sse", response_class=FastAPIEventSourceResponse)
    async def fastapi_sse(body: GenerateRequest) -> AsyncIterator[FastAPIServerSentEvent]:
        async for chunk in model.astream([HumanMessage(body.prompt)]):
            if chunk.text:
                yield FastAPIServerSentEvent(data={"text": chunk.text})
        yield FastAPIServerSentEvent(event="done", data={})

    return app


def serve(mode: str) -> None:
    """Child process: bind a free loopback port, tell the parent, serve until terminated."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8192)  # connections queue from now on, so the parent may connect at once
    print(listener.getsockname()[1], flush=True)
    options = uvicorn_options(SETTINGS)  # the protocol `coursekit serve` runs, with its header deadline
    config = uvicorn.Config(bench_app(mode), log_level="error", lifespan="off", backlog=4096, **options)
    uvicorn.Server(config).run(sockets=[listener])


class ServerProcess:
    """``with ServerProcess("throughput") as server:`` a server in a child process."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def __enter__(self) -> ServerProcess:
        self.child = subprocess.Popen(
            [sys.executable, __file__, "--serve", self.mode], stdout=subprocess.PIPE, text=True
        )
        try:
            port = int(self.child.stdout.readline())  # type: ignore[union-attr]
            self.url = f"http://127.0.0.1:{port}"
            self.process = psutil.Process(self.child.pid)
            login = {"username": "admin", "password": "admin123"}
            token = httpx.post(f"{self.url}/login", json=login, timeout=30).json()["access_token"]
        except BaseException:
            self.__exit__()
            raise
        self.headers = {"Authorization": f"Bearer {token}"}
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.child.terminate()
        try:
            self.child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.child.kill()

    def rss(self) -> int:
        return self.process.memory_info().rss

    def cpu(self) -> float:
        times = self.process.cpu_times()
        return times.user + times.system


# --- measurements --------------------------------------------------------------------------


def client(connections: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(60.0, pool=120.0))


@dataclass
class Throughput:
    events_per_second: float
    cpu_us_per_event: float


async def one_long_stream(server: ServerProcess, path: str) -> Throughput:
    """One stream of LONG_REPLY, read over a bare socket.

    The server must be the bottleneck, not the client: an HTTP client library spends about as
    much CPU per event as the server does, and would flatten the ratio towards 1. This client
    sends one HTTP/1.1 request with ``Connection: close`` and only reads bytes until EOF.
    """
    body = json.dumps({"prompt": "long"}).encode()
    host, port = server.url.removeprefix("http://").split(":")
    request = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: {server.headers['Authorization']}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    cpu_before, started = server.cpu(), time.perf_counter()
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(request)
    received = bytearray()
    while data := await reader.read(1 << 20):
        received += data
    elapsed, cpu = time.perf_counter() - started, server.cpu() - cpu_before
    writer.close()
    events = received.count(b"data: ")
    if not received.startswith(b"HTTP/1.1 200") or b"event: done" not in received:
        raise RuntimeError(f"{path} did not stream to the end: {bytes(received[:200])!r}")
    return Throughput(events / elapsed, cpu / events * 1e6)


async def time_to_first_event(http: httpx.AsyncClient, server: ServerProcess, path: str, *, finish: bool) -> float:
    """Seconds from request to first event; then read the stream to its end, or hang up."""
    started = time.perf_counter()
    async with aconnect_sse(http, "POST", server.url + path, json={"prompt": "hi"}, headers=server.headers) as source:
        events = source.aiter_sse()
        await anext(events)
        first = time.perf_counter() - started
        if finish:
            async for _ in events:
                pass
    return first


async def first_event_times(server: ServerProcess, path: str, streams: int) -> list[float]:
    """:func:`time_to_first_event` for ``streams`` complete streams opened at the same moment."""
    async with client(streams) as http:
        gate = asyncio.Event()

        async def one() -> float:
            await gate.wait()
            return await time_to_first_event(http, server, path, finish=True)

        tasks = [asyncio.create_task(one()) for _ in range(streams)]
        await asyncio.sleep(0.2)  # let every task reach the gate
        gate.set()
        return await asyncio.gather(*tasks)


def percentile(values: list[float], share: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


@dataclass
class Hold:
    held: int
    errors: int
    bytes_per_stream: float
    active_reported: int | None
    seconds_to_release: float | None


async def hold_streams(server: ServerProcess, path: str, target: int) -> Hold:
    """Open up to ``target`` streams (in batches), keep them all open, then let them all go."""
    release = asyncio.Event()
    errors = 0

    async with client(target + 10) as http:

        async def hold_one(ready: asyncio.Event) -> None:
            nonlocal errors
            try:
                async with aconnect_sse(http, "POST", server.url + path, json={"prompt": "hi"}, headers=server.headers) as source:
                    events = source.aiter_sse()
                    await anext(events)
                    ready.set()
                    await release.wait()
            except Exception:
                errors += 1
            finally:
                ready.set()

        for _ in range(3):  # warm up imports and caches before the memory baseline
            await time_to_first_event(http, server, path, finish=False)
        gc.collect()
        rss_before = server.rss()
        tasks, held = [], 0
        for start in range(0, target, HOLD_BATCH):
            readiness = [asyncio.Event() for _ in range(min(HOLD_BATCH, target - start))]
            tasks += [asyncio.create_task(hold_one(ready)) for ready in readiness]
            await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in readiness)), timeout=60)
            if errors:
                break
        held = len(tasks) - errors
        await asyncio.sleep(0.5)
        rss_held = server.rss()
        health = (await http.get(server.url + "/health")).json()
        active = health["active_streams"] if path == ENDPOINTS["reference"] else None

        release.set()
        await asyncio.gather(*tasks)
        seconds_to_release = None
        if active is not None:
            released_at = time.perf_counter()
            while (await http.get(server.url + "/health")).json()["active_streams"]:
                await asyncio.sleep(0.05)
            seconds_to_release = time.perf_counter() - released_at
    return Hold(held, errors, (rss_held - rss_before) / max(held, 1), active, seconds_to_release)


@dataclass
class Scale:
    tried: int
    held: int
    errors: int
    bytes_per_stream: float
    seconds_to_open: float
    active_reported: int
    seconds_to_release: float | None


async def open_bare_stream(server: ServerProcess, release: asyncio.Event) -> asyncio.StreamWriter:
    """One stream over a bare socket, returned once its first event has arrived; it drains until ``release``."""
    host, port = server.url.removeprefix("http://").split(":")
    body = json.dumps({"prompt": "hi"}).encode()
    request = (
        f"POST {ENDPOINTS['reference']} HTTP/1.1\r\nHost: {host}\r\nAuthorization: {server.headers['Authorization']}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(request)
        received = b""
        while b"event: token" not in received:
            chunk = await reader.read(4096)
            if not chunk:
                raise ConnectionError("closed before the first event")
            received += chunk
        if not received.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(received[:100])
    except BaseException:  # an error, or the budget's timeout: the stream is not held, so let it go
        writer.close()
        raise

    async def drain() -> None:  # pings and the odd token: read them, as a browser would
        while not release.is_set() and await reader.read(4096):
            pass

    _draining.add(task := asyncio.ensure_future(drain()))
    task.add_done_callback(_draining.discard)
    return writer


#: The drain tasks of the held streams (the event loop keeps only weak references to tasks).
_draining: set[asyncio.Future[None]] = set()


async def scale_streams(server: ServerProcess, target: int, budget: float) -> Scale:
    """Open up to ``target`` streams in batches until the budget is spent, measure, then close them all."""
    release = asyncio.Event()
    writers: list[asyncio.StreamWriter] = []
    errors = tried = 0
    for _ in range(3):  # warm-up before the memory baseline
        (await open_bare_stream(server, release)).close()
    await asyncio.sleep(0.5)
    gc.collect()
    rss_before = server.rss()
    started = time.perf_counter()
    while tried < target and time.perf_counter() - started < budget:
        batch = min(SCALE_BATCH, target - tried)
        tried += batch
        remaining = max(1.0, budget - (time.perf_counter() - started))
        results = await asyncio.gather(
            *(asyncio.wait_for(open_bare_stream(server, release), remaining) for _ in range(batch)), return_exceptions=True
        )
        writers += [result for result in results if isinstance(result, asyncio.StreamWriter)]
        failed = sum(not isinstance(result, asyncio.StreamWriter) for result in results)
        errors += failed
        if failed == batch:
            break  # nothing gets through any more: report what is held
    seconds_to_open = time.perf_counter() - started
    await asyncio.sleep(1.0)
    rss_held = server.rss()
    async with client(4) as http:
        active = (await http.get(server.url + "/health", timeout=60)).json()["active_streams"]
        release.set()
        for writer in writers:
            writer.close()
        released_at = time.perf_counter()
        seconds_to_release: float | None = None
        while time.perf_counter() - released_at < 60:
            if (await http.get(server.url + "/health", timeout=60)).json()["active_streams"] == 0:
                seconds_to_release = time.perf_counter() - released_at
                break
            await asyncio.sleep(0.1)
    held = len(writers)
    return Scale(tried, held, errors, (rss_held - rss_before) / max(held, 1), seconds_to_open, active, seconds_to_release)


# --- the report ----------------------------------------------------------------------------


def alternate(
    measure: Callable[[str], object], repetitions: int, endpoints: dict[str, str] = ENDPOINTS
) -> dict[str, list]:
    """Run ``measure`` on each endpoint ``repetitions`` times, alternating, after one warm-up each."""
    results: dict[str, list] = {name: [] for name in endpoints}
    for repetition in range(repetitions + 1):
        for name, path in endpoints.items():
            gc.collect()
            result = asyncio.run(measure(path))  # type: ignore[arg-type]
            if repetition:
                results[name].append(result)
    return results


def row(label: str, reference: float, baseline: float, unit: str) -> float:
    ratio = reference / baseline if baseline else float("inf")
    print(f"  {label:<34} {reference:>12,.1f} {baseline:>12,.1f}  {ratio:>6.2f}x  {unit}")
    return ratio


def raise_open_file_limit(needed: int) -> int:
    """Sockets are files: lift the soft limit towards the hard one (children inherit it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def main() -> int:
    started = time.perf_counter()
    open_files = raise_open_file_limit(SCALE_STREAMS + 1024)  # each side of a loopback stream is one process's file
    print(
        f"Loopback, server in a child process; timed figures are the best of {THROUGHPUT_REPETITIONS} (events/s)"
        f" or {FIRST_EVENT_REPETITIONS} (first event) runs, alternating between the endpoints."
    )
    print(f"  {'figure':<34} {'reference':>12} {'baseline':>12}  {'ratio':>7}")

    with ServerProcess("throughput") as server:
        throughput = alternate(
            lambda path: one_long_stream(server, path), THROUGHPUT_REPETITIONS, {**ENDPOINTS, **FASTAPI_SSE}
        )
        best = {name: max(results, key=lambda r: r.events_per_second) for name, results in throughput.items()}
        events_ratio = row(
            "events/s, one stream", best["reference"].events_per_second, best["baseline"].events_per_second, "higher is better"
        )
        row("server CPU per event", best["reference"].cpu_us_per_event, best["baseline"].cpu_us_per_event, "µs, lower is better")
        fastapi_sse = best["fastapi.sse"]
        print("  fastapi.sse (FastAPI's own SSE) in place of the reference:")
        row("  events/s, one stream", fastapi_sse.events_per_second, best["baseline"].events_per_second, "higher is better")
        row("  server CPU per event", fastapi_sse.cpu_us_per_event, best["baseline"].cpu_us_per_event, "µs, lower is better")
        print(f"    CPU per event: {fastapi_sse.cpu_us_per_event / best['reference'].cpu_us_per_event:.1f}x the reference's")

        waits = alternate(lambda path: first_event_times(server, path, CONCURRENT_FIRST_EVENT), FIRST_EVENT_REPETITIONS)
        for share in (50, 99):
            fastest = {name: min(percentile(run, share) for run in runs) for name, runs in waits.items()}
            row(
                f"first event p{share}, {CONCURRENT_FIRST_EVENT} at once",
                fastest["reference"] * 1000, fastest["baseline"] * 1000, "ms, lower is better",
            )

    holds = {}
    for name, path in ENDPOINTS.items():
        with ServerProcess("hold") as server:
            holds[name] = asyncio.run(hold_streams(server, path, TARGET_HELD_STREAMS))
    row("streams held with no error", holds["reference"].held, holds["baseline"].held, f"of {TARGET_HELD_STREAMS} tried")
    row(
        "server memory per held stream",
        holds["reference"].bytes_per_stream / 1024, holds["baseline"].bytes_per_stream / 1024, "KiB, lower is better",
    )
    reference_hold = holds["reference"]
    print(
        f"  /health reported {reference_hold.active_reported} active streams while held; "
        f"0 again {reference_hold.seconds_to_release:.2f} s after the clients left"
    )

    with ServerProcess("scale") as server:
        scale = asyncio.run(scale_streams(server, SCALE_STREAMS, SCALE_SECONDS))
    released = "did not drop to 0 within 60 s" if scale.seconds_to_release is None else f"0 again {scale.seconds_to_release:.1f} s later"
    print(
        f"  scale, one worker: {scale.held:,} of {scale.tried:,} streams held ({scale.errors:,} errors) "
        f"after {scale.seconds_to_open:.0f} s of a {SCALE_SECONDS} s budget; "
        f"{scale.bytes_per_stream / 1024:.1f} KiB of server memory per stream; /health said {scale.active_reported:,}, {released}"
    )

    throughput_ok = events_ratio >= TARGET_THROUGHPUT_RATIO
    hold_ok = reference_hold.held == TARGET_HELD_STREAMS and reference_hold.errors == 0
    print(f"{'PASS' if throughput_ok else 'FAIL'}: events/s ratio {events_ratio:.2f}x, target >= {TARGET_THROUGHPUT_RATIO}x")
    print(
        f"{'PASS' if hold_ok else 'FAIL'}: {reference_hold.held} streams held, {reference_hold.errors} errors, "
        f"target {TARGET_HELD_STREAMS} with none (open-file limit {open_files})"
    )
    reached = "REACHED" if scale.held == SCALE_STREAMS and not scale.errors else "SHORT"
    print(
        f"{reached}: {scale.held:,} of {SCALE_STREAMS:,} concurrent streams on one worker, {scale.errors:,} errors, "
        f"{scale.bytes_per_stream / 1024:.1f} KiB per stream (reported, not a target)"
    )
    print(f"Took {time.perf_counter() - started:.0f} s.")
    return 0 if throughput_ok and hold_ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", choices=["throughput", "hold", "scale"], help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve:
        serve(arguments.serve)
    else:
        sys.exit(main())
