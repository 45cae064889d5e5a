"""Run the server on a free loopback port in a background thread, for tests and notebooks.

A notebook cannot block on ``uvicorn.run()``, and a test needs the real thing (a socket,
HTTP/1.1 framing, disconnects) rather than an in-process transport that buffers the whole
response. ``with BackgroundServer(app) as url:`` gives both, and stops the server on exit.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn
from starlette.types import ASGIApp

#: How long to wait for the server to start, and for open streams to end when it stops.
START_TIMEOUT_SECONDS = 10.0
SHUTDOWN_GRACE_SECONDS = 1


class BackgroundServer:
    """A uvicorn server on ``127.0.0.1`` and a port chosen by the OS; ``url`` is its address."""

    def __init__(self, app: ASGIApp, *, port: int = 0, **uvicorn_options: Any) -> None:
        """``port=0`` lets the OS pick a free port; ``uvicorn_options`` go to ``uvicorn.Config``."""
        options = {
            "log_level": "warning",
            "timeout_graceful_shutdown": SHUTDOWN_GRACE_SECONDS,
            "lifespan": "off",
        } | uvicorn_options
        self._server = uvicorn.Server(uvicorn.Config(app, **options))
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name=f"uvicorn-{self.port}", daemon=True
        )

    @property
    def open_connections(self) -> int:
        """Connections the server holds right now (idle, reading or streaming)."""
        return len(self._server.server_state.connections)

    def start(self) -> str:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server on {self.url} did not start")
            time.sleep(0.01)
        return self.url

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=SHUTDOWN_GRACE_SECONDS + 5)
        self._socket.close()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
