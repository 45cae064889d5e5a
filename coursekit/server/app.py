"""``create_app()``: the FastAPI application, with its model, settings and state injected.

Everything a request needs lives on ``app.state`` (the model, the routed chat's classifier, the
token service, the login throttle, the stream counter), so tests and notebooks can build as many
independent apps as they like, each with its own model, e.g.
``create_app(model=FakeStreamingChatModel(error_after=3))``.
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from langchain_core.language_models import BaseChatModel

from coursekit.fake_model import LATENCY_ENV
from coursekit.server import form, page, route, routes, steps
from coursekit.server.auth import TokenService
from coursekit.server.errors import install_error_handlers
from coursekit.server.limits import BodySizeLimit
from coursekit.server.settings import ServerSettings
from coursekit.server.streaming import StreamTracker
from coursekit.server.throttle import LoginThrottle

#: Larger bodies are refused with 413 before they are read: a maximal prompt is ~24 KiB of JSON.
MAX_BODY_BYTES = 64 * 1024


def default_model() -> BaseChatModel:
    """The model of the environment (see :mod:`coursekit.providers`).

    Offline, the fake is paced like a hosted model (unless ``COURSE_FAKE_LATENCY`` says
    otherwise), because a server that answers instantly shows nothing about streaming.
    """
    from coursekit.providers import get_chat_model, provider_name

    if provider_name() == "fake" and not os.environ.get(LATENCY_ENV):
        return get_chat_model(latency="realistic")
    return get_chat_model()


#: The OpenAPI description: what each day of the course added to the server.
DESCRIPTION = """\
The reference server of days 3 to 6. `POST /login` trades the username and password for a bearer
token; every other `POST` needs it in `Authorization: Bearer <token>`.

- Day 3: `POST /api/generate` streams the answer as `token` events, then `done`; `POST /chat`
  answers a conversation as one JSON object, or with `"stream": true` as the same events.
- Day 4: `POST /api/steps` adds a `step` event as each step of the chain starts and ends.
- Day 5: `POST /api/form` streams JSON Patch operations (`patch` events) that fill in a form field by field.
- Day 6: `POST /api/route` sends the question's `route` (math, code or general, and whether the
  classifier fell back) before the routed answer's first token.

`GET /health` says how many streams are open and which worker answered. Every error is JSON,
`{"error": {"code", "message"}}`, in the language of `?lang=` or `Accept-Language` (en, pt or id).
"""


def create_app(
    model: BaseChatModel | None = None, settings: ServerSettings | None = None, *, classifier: BaseChatModel | None = None
) -> FastAPI:
    """The server; ``model`` defaults to :func:`default_model`, ``settings`` to the environment.

    ``classifier`` is the model ``/api/route`` classifies with (its structured output): the same
    model by default, or a smaller, faster one, which cuts the routed answer's time to first token.
    """
    settings = settings or ServerSettings.from_env()
    app = FastAPI(
        title="LangChain Streaming Course: the course server (days 3 to 6)",
        summary="Log in, then stream a model's answer as Server-Sent Events: token by token, with the chain's steps, as a form, or routed.",
        description=DESCRIPTION,
        # Swagger UI and ReDoc load their code from a CDN, which offline students cannot reach;
        # the schema itself stays at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.model = model if model is not None else default_model()
    app.state.classifier = classifier if classifier is not None else app.state.model
    app.state.tokens = TokenService(settings)
    app.state.login_throttle = LoginThrottle(settings)
    app.state.streams = StreamTracker()
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES, timeout=settings.body_timeout_seconds)
    app.include_router(routes.router)
    app.include_router(steps.router)
    app.include_router(form.router)
    app.include_router(route.router)
    app.include_router(page.router)
    # Before /static, which would otherwise take its paths: the pinned build committed in vendor/.
    app.mount(page.VENDOR_URL, StaticFiles(directory=page.VENDOR_DIR), name="vendor")
    app.mount("/static", StaticFiles(directory=page.STATIC_DIR), name="static")
    return app
