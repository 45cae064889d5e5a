"""The course's reference server (days 3 to 6): JWT login and a model's answer streamed as Server-Sent Events.

``create_app()`` builds the FastAPI app (inject a model to test it), ``run()`` serves it with
uvicorn (``uvicorn_options(settings)`` are the connection limits it applies), and
:class:`BackgroundServer` runs it on a free loopback port inside a test or a notebook.
"""

from coursekit.server.app import create_app
from coursekit.server.background import BackgroundServer
from coursekit.server.connections import uvicorn_options
from coursekit.server.serve import run
from coursekit.server.settings import ServerConfigError, ServerSettings, UnsafeServerError

__all__ = ["BackgroundServer", "ServerConfigError", "ServerSettings", "UnsafeServerError", "create_app", "run", "uvicorn_options"]
