"""``run()``: what ``coursekit serve`` and ``python -m coursekit.server`` call."""

from __future__ import annotations

import errno
import socket
import sys

import uvicorn

from coursekit.i18n import t
from coursekit.providers import describe_provider, load_env
from coursekit.server.app import create_app
from coursekit.server.settings import ServerConfigError, ServerSettings

#: Open streams get this long to finish when the server is stopped, then they are cancelled.
GRACEFUL_SHUTDOWN_SECONDS = 5


def ensure_port_free(host: str, port: int) -> None:
    """Say in one line that the port is taken, before uvicorn prints "[Errno 98]" after "Open http://…"."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is no conflict
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ServerConfigError(t("server.port_busy", None, port=port, other=port + 1)) from None
            raise


def run(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until Ctrl+C.

    Raises:
        UnsafeServerError: ``host`` is reachable from other machines while the demo password
            or a per-start JWT secret is in use; raised before anything binds a socket.
        MissingAPIKeyError, UnknownProviderError: from :func:`coursekit.providers.get_chat_model`.
    """
    load_env()  # COURSE_SERVER_* may live in .env, like the API keys
    settings = ServerSettings.from_env()
    settings.ensure_safe_for(host)
    ensure_port_free(host, port)
    app = create_app(settings=settings)
    shown_host = f"[{host}]" if ":" in host else host
    print(describe_provider(app.state.model), file=sys.stderr)
    if settings.uses_demo_password:
        print(t("server.demo_hint", None, username=settings.username, password=settings.password), file=sys.stderr)
    print(t("server.serve_open", None, url=f"http://{shown_host}:{port}/"), file=sys.stderr)
    uvicorn.run(app, host=host, port=port, timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS)
