"""JSON Web Tokens: a bearer scheme that verifies them, and helpers that issue them."""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

import jwt as pyjwt

from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.exceptions import HTTPException
from fasterapi_core.params import SecurityScopes
from fasterapi_core.requests import HTTPConnection
from fasterapi_core.security_base import SecurityBase
from fasterapi_security._keys import prepare_verification_key, signing_key
from fasterapi_security.oauth2 import OAuth2PasswordRequestForm
from fasterapi_security.utils import get_authorization_scheme_param

__all__ = [
    "JWTBearer",
    "create_access_token",
    "oauth2_access_token_json",
    "oauth2_password_token_response",
]

_MISSING = {"WWW-Authenticate": "Bearer"}
_INVALID = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


class JWTBearer(SecurityBase):
    """Verify a ``Bearer`` JWT and inject its claims: ``claims: dict = Depends(jwt_scheme)``.

    The accepted ``algorithms`` are pinned here, never read from the token; keys are never
    fetched from token headers (``kid``, ``jku``, ``x5u`` are ignored). ``secret`` is the HMAC
    secret for HS*, or the public key (PEM, SSH or a ``cryptography`` key) for RS*/PS*/ES*/EdDSA.

    * no or non-Bearer ``Authorization`` → 401 ``Not authenticated``, ``WWW-Authenticate: Bearer``;
    * a bad, tampered, expired, not-yet-valid, oversized token or wrong ``aud``/``iss`` → 401
      ``Invalid token`` (``Token expired`` when only the expiry failed) with
      ``WWW-Authenticate: Bearer error="invalid_token"``;
    * used through ``Security(jwt_scheme, scopes=[...])``, a token lacking one of the scopes
      (``scope`` string or ``scopes``/``scp`` list claim) → 403 ``Not enough permissions``.

    With ``auto_error=False`` each of these gives ``None`` instead.
    """

    def __init__(
        self,
        secret: Any = None,
        *,
        algorithms: Sequence[str] = ("HS256",),
        audience: str | Iterable[str] | None = None,
        issuer: str | Sequence[str] | None = None,
        leeway: float | timedelta = 0,
        auto_error: bool = True,
        scheme_name: str | None = None,
        description: str | None = None,
        max_token_bytes: int = 8192,
        required_claims: Iterable[str] = ("exp",),
    ) -> None:
        self.algorithms = list(algorithms) if not isinstance(algorithms, str) else algorithms
        self._key = prepare_verification_key(secret, self.algorithms)
        self.audience = audience
        self.issuer = issuer
        self.leeway = leeway.total_seconds() if isinstance(leeway, timedelta) else float(leeway)
        self.auto_error = auto_error
        self.max_token_bytes = max_token_bytes
        self.required_claims = tuple(required_claims)
        self.scheme_name = scheme_name or type(self).__name__
        self.model: dict[str, Any] = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        if description is not None:
            self.model["description"] = description
        self._decoder = pyjwt.PyJWT(options={"require": list(self.required_claims)})

    def decode(self, token: str) -> dict[str, Any]:
        """Verify ``token`` and return its claims; raises :class:`jwt.InvalidTokenError`."""
        if len(token) > self.max_token_bytes:
            raise pyjwt.DecodeError("token too large")
        try:
            claims = self._decoder.decode(
                token,
                self._key,
                algorithms=self.algorithms,
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
            )
        except pyjwt.InvalidTokenError:
            raise
        except Exception as exc:  # any parsing surprise is a bad token, never a 500
            raise pyjwt.DecodeError(str(exc)) from exc
        if not isinstance(claims, dict):
            raise pyjwt.DecodeError("claims must be a JSON object")
        return claims

    async def __call__(
        self, request: HTTPConnection, security_scopes: SecurityScopes
    ) -> dict[str, Any] | None:
        scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
        if not token or scheme.lower() != "bearer":
            if self.auto_error:
                raise HTTPException(401, "Not authenticated", headers=_MISSING)
            return None
        try:
            claims = self.decode(token)
        except pyjwt.ExpiredSignatureError:
            if self.auto_error:
                raise HTTPException(401, "Token expired", headers=_INVALID) from None
            return None
        except pyjwt.InvalidTokenError:
            if self.auto_error:
                raise HTTPException(401, "Invalid token", headers=_INVALID) from None
            return None
        required = security_scopes.scopes
        if required and not _has_scopes(claims, required):
            if self.auto_error:
                challenge = (
                    f'Bearer error="insufficient_scope", scope="{security_scopes.scope_str}"'
                )
                raise HTTPException(
                    403, "Not enough permissions", headers={"WWW-Authenticate": challenge}
                )
            return None
        return claims


def _token_scopes(claims: Mapping[str, Any]) -> set[str]:
    scope = claims.get("scope")
    if isinstance(scope, str):
        return set(scope.split())
    for name in ("scopes", "scp"):
        value = claims.get(name)
        if isinstance(value, str):
            return set(value.split())
        if isinstance(value, list):
            return {item for item in value if isinstance(item, str)}
    return set()


def _has_scopes(claims: Mapping[str, Any], required: Iterable[str]) -> bool:
    granted = _token_scopes(claims)
    return all(scope in granted for scope in required)


def create_access_token(
    subject: Any,
    secret: Any,
    *,
    algorithm: str = "HS256",
    expires_delta: timedelta | None = None,
    expires_minutes: float | None = 60,
    audience: str | Sequence[str] | None = None,
    issuer: str | None = None,
    extra_claims: Mapping[str, Any] | None = None,
    headers: Mapping[str, Any] | None = None,
) -> str:
    """A signed JWT: ``sub`` from ``subject`` (or the claims of a ``subject`` mapping), with
    ``iat`` and ``exp`` (``expires_delta``, else ``expires_minutes``; ``None`` for no expiry).

    ``secret`` is the HMAC secret for HS*, or the private key (PEM) for asymmetric algorithms.
    ``extra_claims`` are merged in; the computed ``iat``/``exp``/``aud``/``iss`` win.
    """
    key = signing_key(secret, algorithm)
    claims: dict[str, Any]
    if isinstance(subject, Mapping):
        claims = dict(subject)
    else:
        claims = {"sub": subject if isinstance(subject, str) else str(subject)}
    if extra_claims:
        claims.update(extra_claims)
    now = int(time.time())
    claims["iat"] = now
    if expires_delta is not None:
        claims["exp"] = now + int(expires_delta.total_seconds())
    elif expires_minutes is not None:
        claims["exp"] = now + int(expires_minutes * 60)
    if audience is not None:
        claims["aud"] = audience if isinstance(audience, str) else list(audience)
    if issuer is not None:
        claims["iss"] = issuer
    extra_headers = dict(headers) if headers else None
    return pyjwt.encode(claims, key, algorithm=algorithm, headers=extra_headers)


def oauth2_access_token_json(
    access_token: str,
    *,
    token_type: str = "bearer",
    expires_in: int | None = None,
    scope: str | None = None,
    refresh_token: str | None = None,
) -> dict[str, Any]:
    """The body of a successful token response (RFC 6749 §5.1); ``None`` fields are omitted."""
    body: dict[str, Any] = {"access_token": access_token, "token_type": token_type}
    if expires_in is not None:
        body["expires_in"] = expires_in
    if refresh_token is not None:
        body["refresh_token"] = refresh_token
    if scope:
        body["scope"] = scope
    return body


Authenticator = Callable[[str, str], "str | Mapping[str, Any] | Awaitable[Any] | None"]


async def _authenticate(authenticate: Authenticator, username: str, password: str) -> Any:
    dunder = type(authenticate).__dict__.get("__call__")
    if inspect.iscoroutinefunction(authenticate) or inspect.iscoroutinefunction(dunder):
        return await authenticate(username, password)  # type: ignore[misc]
    result = await run_in_threadpool(authenticate, username, password)
    if inspect.isawaitable(result):
        result = await result
    return result


async def oauth2_password_token_response(
    form: OAuth2PasswordRequestForm,
    *,
    secret: Any,
    authenticate: Authenticator,
    expires_minutes: float = 60,
    algorithm: str = "HS256",
    audience: str | Sequence[str] | None = None,
    issuer: str | None = None,
    allowed_scopes: Collection[str] | Callable[[Any], Collection[str]] | None = None,
) -> dict[str, Any]:
    """Check ``form``'s credentials with ``authenticate(username, password)`` (sync functions run
    in the threadpool) and return the token response dict.

    ``authenticate`` returns the subject (a string, or a mapping of claims) or ``None``, which
    answers 401 ``Incorrect username or password`` with ``WWW-Authenticate: Bearer``. The
    requested scopes go into the token's ``scope`` claim and the response's ``scope``, restricted
    to ``allowed_scopes`` when given: a collection, or a function of the authenticated subject
    (per-user scopes). Compare passwords with :func:`compare_secrets`.
    """
    subject = await _authenticate(authenticate, form.username, form.password)
    if subject is None or subject == "":
        raise HTTPException(401, "Incorrect username or password", headers=_MISSING)
    scopes = list(dict.fromkeys(form.scopes))
    if allowed_scopes is not None:
        allowed = allowed_scopes(subject) if callable(allowed_scopes) else allowed_scopes
        scopes = [scope for scope in scopes if scope in allowed]
    scope = " ".join(scopes)
    token = create_access_token(
        subject,
        secret,
        algorithm=algorithm,
        expires_minutes=expires_minutes,
        audience=audience,
        issuer=issuer,
        extra_claims={"scope": scope} if scope else None,
    )
    return oauth2_access_token_json(
        token, expires_in=int(expires_minutes * 60), scope=scope or None
    )
