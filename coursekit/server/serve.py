"""``run()``: what ``coursekit serve`` and ``python -m coursekit.server`` call."""

from __future__ import annotations

import sys

import uvicorn

from coursekit.i18n import t
from coursekit.providers import describe_provider, load_env
from coursekit.server.app import create_app
from coursekit.server.settings import ServerSettings

#: Open streams get this long to finish when the server is stopped, then they are cancelled.
GRACEFUL_SHUTDOWN_SECONDS = 5


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
    app = create_app(settings=settings)
    shown_host = f"[{host}]" if ":" in host else host
    print(describe_provider(app.state.model), file=sys.stderr)
    if settings.uses_demo_password:
        print(t("server.demo_hint", None, username=settings.username, password=settings.password), file=sys.stderr)
    print(t("server.serve_open", None, url=f"http://{shown_host}:{port}/"), file=sys.stderr)
    uvicorn.run(app, host=host, port=port, timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS)
