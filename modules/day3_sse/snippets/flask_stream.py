"""Flask streams from a plain generator: each yield is sent at once, one thread per client."""

import json
import logging
import threading
import time
from collections.abc import Iterator

import httpx
from flask import Flask, Response, request
from httpx_sse import connect_sse
from werkzeug.serving import make_server

from coursekit import FakeStreamingChatModel

model = FakeStreamingChatModel.realistic(responses=["Flask has no event loop:\na sync generator and a thread per stream."])
app = Flask(__name__)


def frame(event: str, data: dict[str, object]) -> str:
    """One SSE frame; JSON keeps a line break inside a token from ending the data field."""
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


@app.get("/stream")
def stream() -> Response:
    prompt = request.args["prompt"]  # read the request now: the generator runs after this returns

    def events() -> Iterator[str]:
        tokens = 0
        for chunk in model.stream(prompt):
            if chunk.text:
                tokens += 1
                yield frame("token", {"text": chunk.text})
        yield frame("done", {"tokens": tokens})

    return Response(events(), mimetype="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


# In development `flask --app flask_stream run` serves it; here a server thread on a free port.
logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log in the output below
server = make_server("127.0.0.1", 0, app, threaded=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_port}"

start = time.perf_counter()
with httpx.Client() as client, connect_sse(client, "GET", f"{url}/stream", params={"prompt": "hi"}) as source:
    print("Content-Type:", source.response.headers["content-type"])
    for sse in source.iter_sse():
        print(f"{time.perf_counter() - start:5.2f} s  {sse.event:5}  {json.loads(sse.data)!r}")
server.shutdown()
