"""Flask streams from a plain generator: each yield is sent at once, one thread per client."""

import logging
import threading
import time
from collections.abc import Iterator

import httpx
from flask import Flask, Response, request
from werkzeug.serving import make_server

from coursekit import FakeStreamingChatModel

model = FakeStreamingChatModel.realistic(responses=["Flask has no event loop: a sync generator and a thread per stream."])
app = Flask(__name__)


@app.get("/stream")
def stream() -> Response:
    prompt = request.args["prompt"]  # read the request now: the generator runs after this returns

    def events() -> Iterator[str]:
        for chunk in model.stream(prompt):
            if chunk.text:
                yield f"event: token\ndata: {chunk.text}\n\n"
        yield "event: done\ndata: [DONE]\n\n"

    return Response(events(), mimetype="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


# In development `flask --app flask_stream run` serves it; here a server thread on a free port.
logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log in the output below
server = make_server("127.0.0.1", 0, app, threaded=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_port}"

start = time.perf_counter()
with httpx.stream("GET", f"{url}/stream", params={"prompt": "hi"}) as response:
    print("Content-Type:", response.headers["content-type"])
    for line in response.iter_lines():
        if line.startswith("data: "):
            print(f"{time.perf_counter() - start:5.2f} s  {line}")
server.shutdown()
