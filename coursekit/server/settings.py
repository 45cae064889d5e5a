"""What the server needs to know before it starts, and the check that keeps a demo off the network.

The demo credentials (``admin`` / ``admin123``) and a JWT secret made up at start-up are fine
on 127.0.0.1, where only the student can reach the server. On any other address they would
let anyone in, so :meth:`ServerSettings.ensure_safe_for` refuses to start there until the
operator sets a real password and a stable secret.
"""

from __future__ import annotations

import ipaddress
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from coursekit.i18n import t

DEFAULT_USERNAME = "admin"
DEFAULT_PASSWORD = "admin123"
DEFAULT_TOKEN_TTL_SECONDS = 3600
#: Wrong passwords allowed per client address and username within the window, then 429.
DEFAULT_LOGIN_ATTEMPTS = 5
DEFAULT_LOGIN_WINDOW_SECONDS = 60
#: A client must send its request headers, then its body, within these many seconds.
DEFAULT_HEADER_TIMEOUT_SECONDS = 10
DEFAULT_BODY_TIMEOUT_SECONDS = 10
#: Open connections one worker accepts; more are answered 503 at once and closed.
DEFAULT_MAX_CONNECTIONS = 1000
#: The routed chat's classifier must answer within these many seconds, else the general route answers.
DEFAULT_ROUTE_TIMEOUT_SECONDS = 5.0
#: HS256 secrets shorter than this can be brute-forced from one captured token.
MIN_SECRET_LENGTH = 32

USERNAME_ENV = "COURSE_SERVER_USERNAME"
PASSWORD_ENV = "COURSE_SERVER_PASSWORD"
SECRET_ENV = "COURSE_SERVER_JWT_SECRET"
TOKEN_TTL_ENV = "COURSE_SERVER_TOKEN_TTL"
LOGIN_ATTEMPTS_ENV = "COURSE_SERVER_LOGIN_ATTEMPTS"
LOGIN_WINDOW_ENV = "COURSE_SERVER_LOGIN_WINDOW"
HEADER_TIMEOUT_ENV = "COURSE_SERVER_HEADER_TIMEOUT"
BODY_TIMEOUT_ENV = "COURSE_SERVER_BODY_TIMEOUT"
MAX_CONNECTIONS_ENV = "COURSE_SERVER_MAX_CONNECTIONS"
ROUTE_TIMEOUT_ENV = "COURSE_SERVER_ROUTE_TIMEOUT"


class ServerConfigError(ValueError):
    """A ``COURSE_SERVER_*`` setting is unusable; the message says which and how to fix it."""


class UnsafeServerError(ServerConfigError):
    """The server was asked to listen on a reachable address with demo credentials or secret."""


@dataclass(frozen=True)
class ServerSettings:
    """Login credentials, token policy, login throttle, connection limits and the routed chat's classifier budget.

    ``jwt_secret=None`` means a random one per start (per worker: see :func:`coursekit.server.serve.run`).
    """

    username: str = DEFAULT_USERNAME
    password: str = field(default=DEFAULT_PASSWORD, repr=False)
    jwt_secret: str | None = field(default=None, repr=False)
    token_ttl_seconds: int = DEFAULT_TOKEN_TTL_SECONDS
    login_attempts: int = DEFAULT_LOGIN_ATTEMPTS
    login_window_seconds: int = DEFAULT_LOGIN_WINDOW_SECONDS
    header_timeout_seconds: float = DEFAULT_HEADER_TIMEOUT_SECONDS
    body_timeout_seconds: float = DEFAULT_BODY_TIMEOUT_SECONDS
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    route_timeout_seconds: float = DEFAULT_ROUTE_TIMEOUT_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServerSettings:
        """Read ``COURSE_SERVER_*`` variables; unset or empty ones keep the defaults."""
        env = os.environ if environ is None else environ
        ttl = _positive(env, TOKEN_TTL_ENV, DEFAULT_TOKEN_TTL_SECONDS, "server.bad_token_ttl", int)
        return cls(
            username=env.get(USERNAME_ENV) or DEFAULT_USERNAME,
            password=env.get(PASSWORD_ENV) or DEFAULT_PASSWORD,
            jwt_secret=env.get(SECRET_ENV) or None,
            token_ttl_seconds=ttl,
            login_attempts=_positive(env, LOGIN_ATTEMPTS_ENV, DEFAULT_LOGIN_ATTEMPTS, "server.bad_count", int),
            login_window_seconds=_positive(env, LOGIN_WINDOW_ENV, DEFAULT_LOGIN_WINDOW_SECONDS, "server.bad_token_ttl", int),
            header_timeout_seconds=_positive(env, HEADER_TIMEOUT_ENV, DEFAULT_HEADER_TIMEOUT_SECONDS, "server.bad_seconds", float),
            body_timeout_seconds=_positive(env, BODY_TIMEOUT_ENV, DEFAULT_BODY_TIMEOUT_SECONDS, "server.bad_seconds", float),
            max_connections=_positive(env, MAX_CONNECTIONS_ENV, DEFAULT_MAX_CONNECTIONS, "server.bad_count", int),
            route_timeout_seconds=_positive(env, ROUTE_TIMEOUT_ENV, DEFAULT_ROUTE_TIMEOUT_SECONDS, "server.bad_seconds", float),
        )

    @property
    def uses_demo_password(self) -> bool:
        return self.password == DEFAULT_PASSWORD

    def problems_for(self, host: str) -> list[str]:
        """Why listening on ``host`` would be unsafe; empty when it is fine."""
        if is_loopback(host):
            return []
        problems = []
        if self.uses_demo_password:
            problems.append(t("server.problem_demo_password", None, variable=PASSWORD_ENV))
        if self.jwt_secret is None:
            problems.append(t("server.problem_secret_unset", None, variable=SECRET_ENV, length=MIN_SECRET_LENGTH))
        elif len(self.jwt_secret) < MIN_SECRET_LENGTH:
            problems.append(t("server.problem_secret_short", None, variable=SECRET_ENV, length=MIN_SECRET_LENGTH))
        return problems

    def ensure_safe_for(self, host: str) -> None:
        """Raise :class:`UnsafeServerError` (before anything binds) when ``host`` is unsafe."""
        problems = self.problems_for(host)
        if problems:
            raise UnsafeServerError(t("server.refuse_to_start", None, host=host, problems="; ".join(problems)))


def _positive(env: Mapping[str, str], variable: str, default: Any, message: str, kind: Callable[[str], Any]) -> Any:
    """The finite number > 0 in ``variable`` (``default`` when unset), or a :class:`ServerConfigError` naming it."""
    text = env.get(variable) or str(default)
    try:
        value = kind(text)
    except ValueError:
        value = 0
    if not 0 < value < math.inf:  # also refuses "nan"
        raise ServerConfigError(t(message, None, variable=variable, value=text))
    return value


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses; names are not resolved, so others count as public."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
