"""What the server needs to know before it starts, and the check that keeps a demo off the network.

The demo credentials (``admin`` / ``admin123``) and a JWT secret made up at start-up are fine
on 127.0.0.1, where only the student can reach the server. On any other address they would
let anyone in, so :meth:`ServerSettings.ensure_safe_for` refuses to start there until the
operator sets a real password and a stable secret.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from coursekit.i18n import t

DEFAULT_USERNAME = "admin"
DEFAULT_PASSWORD = "admin123"
DEFAULT_TOKEN_TTL_SECONDS = 3600
#: HS256 secrets shorter than this can be brute-forced from one captured token.
MIN_SECRET_LENGTH = 32

USERNAME_ENV = "COURSE_SERVER_USERNAME"
PASSWORD_ENV = "COURSE_SERVER_PASSWORD"
SECRET_ENV = "COURSE_SERVER_JWT_SECRET"
TOKEN_TTL_ENV = "COURSE_SERVER_TOKEN_TTL"


class ServerConfigError(ValueError):
    """A ``COURSE_SERVER_*`` setting is unusable; the message says which and how to fix it."""


class UnsafeServerError(ServerConfigError):
    """The server was asked to listen on a reachable address with demo credentials or secret."""


@dataclass(frozen=True)
class ServerSettings:
    """Login credentials and token policy; ``jwt_secret=None`` means a random one per start."""

    username: str = DEFAULT_USERNAME
    password: str = field(default=DEFAULT_PASSWORD, repr=False)
    jwt_secret: str | None = field(default=None, repr=False)
    token_ttl_seconds: int = DEFAULT_TOKEN_TTL_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServerSettings:
        """Read ``COURSE_SERVER_*`` variables; unset or empty ones keep the defaults."""
        env = os.environ if environ is None else environ
        ttl_text = env.get(TOKEN_TTL_ENV) or str(DEFAULT_TOKEN_TTL_SECONDS)
        try:
            ttl = int(ttl_text)
        except ValueError:
            ttl = 0
        if ttl <= 0:
            raise ServerConfigError(t("server.bad_token_ttl", None, variable=TOKEN_TTL_ENV, value=ttl_text))
        return cls(
            username=env.get(USERNAME_ENV) or DEFAULT_USERNAME,
            password=env.get(PASSWORD_ENV) or DEFAULT_PASSWORD,
            jwt_secret=env.get(SECRET_ENV) or None,
            token_ttl_seconds=ttl,
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


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses; names are not resolved, so others count as public."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
