"""``run()``: what ``coursekit serve`` and ``python -m coursekit.server`` call."""

from __future__ import annotations

import errno
import os
import secrets
import socket
import sys

import uvicorn

from coursekit.i18n import t
from coursekit.providers import describe_provider, load_env
from coursekit.server.app import create_app, default_model
from coursekit.server.connections import uvicorn_options
from coursekit.server.settings import SECRET_ENV, ServerConfigError, ServerSettings

#: What each of several workers runs: ``create_app()``, its settings and model from the environment.
APP_FACTORY = "coursekit.server.app:create_app"

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


def run(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve until Ctrl+C, in one process or in ``workers`` processes that share the port.

    Workers share nothing but the environment, so a token signed by one must verify on the
    others: without ``COURSE_SERVER_JWT_SECRET``, the secret is made up here, once, and handed
    to every worker through that variable. Tokens carry everything else (user, expiry).

    Raises:
        ServerConfigError: ``workers`` is below 1.
        UnsafeServerError: ``host`` is reachable from other machines while the demo password
            or a per-start JWT secret is in use; raised before anything binds a socket.
        MissingAPIKeyError, UnknownProviderError: from :func:`coursekit.providers.get_chat_model`.
    """
    if workers < 1:
        raise ServerConfigError(t("server.bad_workers", None, workers=workers))
    load_env()  # COURSE_SERVER_* may live in .env, like the API keys
    settings = ServerSettings.from_env()
    settings.ensure_safe_for(host)
    ensure_port_free(host, port)
    options = {"host": host, "port": port, "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS, **uvicorn_options(settings)}
    if workers == 1:
        app = create_app(settings=settings)
        model = app.state.model
    else:
        model = default_model()  # a missing key or an unknown provider stops here, before any worker starts
        if settings.jwt_secret is None:
            os.environ[SECRET_ENV] = secrets.token_urlsafe(48)
    shown_host = f"[{host}]" if ":" in host else host
    print(describe_provider(model), file=sys.stderr)
    if settings.uses_demo_password:
        print(t("server.demo_hint", None, username=settings.username, password=settings.password), file=sys.stderr)
    if workers > 1:
        print(t("server.serve_workers", None, workers=workers), file=sys.stderr)
    print(t("server.serve_open", None, url=f"http://{shown_host}:{port}/"), file=sys.stderr)
    if workers == 1:
        uvicorn.run(app, **options)
    else:
        uvicorn.run(APP_FACTORY, factory=True, workers=workers, **options)
