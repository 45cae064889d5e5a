"""Log in with a password, then prove it on every request with a short-lived JWT.

Passwords are compared with :func:`hmac.compare_digest`, so the time taken does not reveal how
many leading characters were right. Tokens carry an ``exp`` claim and are signed with a
secret that is random per start unless ``COURSE_SERVER_JWT_SECRET`` sets one, so a restart
logs everybody out of a demo server and nobody can forge a token from a published default.
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from coursekit.server.errors import ApiError
from coursekit.server.settings import ServerSettings

ALGORITHM = "HS256"
_BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}


class TokenService:
    """Checks credentials, issues tokens, and verifies them."""

    def __init__(self, settings: ServerSettings) -> None:
        self._settings = settings
        self._secret = settings.jwt_secret or secrets.token_urlsafe(48)

    @property
    def ttl_seconds(self) -> int:
        return self._settings.token_ttl_seconds

    def credentials_match(self, username: str, password: str) -> bool:
        """Both fields are always compared, so a wrong username takes as long as a wrong password.

        ``surrogatepass``: JSON may carry a lone surrogate ("\\ud800"), which plain UTF-8 cannot
        encode; such a field simply does not match, and the client gets a 401, not a 500.
        """
        username_ok = hmac.compare_digest(username.encode(errors="surrogatepass"), self._settings.username.encode())
        password_ok = hmac.compare_digest(password.encode(errors="surrogatepass"), self._settings.password.encode())
        return username_ok & password_ok

    def issue(self, username: str) -> str:
        now = int(time.time())
        claims = {"sub": username, "iat": now, "exp": now + self.ttl_seconds}
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def verify(self, token: str) -> str:
        """The username inside a valid token; :class:`ApiError` 401 for an expired or bad one."""
        try:
            claims = jwt.decode(token, self._secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
        except jwt.ExpiredSignatureError as error:
            raise ApiError(401, "expired_token", headers=_BEARER_CHALLENGE) from error
        except jwt.InvalidTokenError as error:
            raise ApiError(401, "invalid_token", headers=_BEARER_CHALLENGE) from error
        return str(claims["sub"])


_bearer = HTTPBearer(auto_error=False, description="The access_token from POST /login.")


async def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """FastAPI dependency: the logged-in username, or a 401 JSON error.

    ``async`` although it never awaits: FastAPI runs plain ``def`` dependencies in a thread
    pool, and a thread hop per request costs more than checking an HMAC signature.
    """
    if credentials is None:
        raise ApiError(401, "missing_token", headers=_BEARER_CHALLENGE)
    tokens: TokenService = request.app.state.tokens
    return tokens.verify(credentials.credentials)
