"""A secured API: an OAuth2 password-flow token endpoint, JWT-protected routes with scopes,
and an HTTP Basic admin route checked in constant time.

Run it with ``fasterapi dev examples.secure_app:app``, then::

    curl -d "username=alice&password=wonderland&scope=me items" localhost:8000/token
    curl -H "Authorization: Bearer <access_token>" localhost:8000/users/me

Set ``SECURE_APP_SECRET`` in production; the fallback is for local development only.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Collection
from typing import Annotated, Any

from FasterAPI import Depends, Faster, HTTPException, Security
from FasterAPI.jwt_auth import JWTBearer, oauth2_password_token_response
from FasterAPI.security import (
    HTTPBasic,
    HTTPBasicCredentials,
    OAuth2PasswordRequestForm,
    compare_secrets,
)

SECRET = os.environ.get("SECURE_APP_SECRET") or secrets.token_urlsafe(64)
_SALT = b"example-salt"  # per-user random salts in a real user store


def hash_password(password: str) -> bytes:
    """A slow, salted password hash (scrypt from the standard library)."""
    return hashlib.scrypt(password.encode(), salt=_SALT, n=2**12, r=8, p=1)


# username -> (password hash, scopes the user may be granted)
USERS: dict[str, tuple[bytes, frozenset[str]]] = {
    "alice": (hash_password("wonderland"), frozenset({"me", "items"})),
    "bob": (hash_password("builder"), frozenset({"me"})),
}
_DUMMY_HASH = hash_password("not-a-real-password")
ADMIN_USER, ADMIN_PASSWORD = "admin", "correct horse battery staple"


def verify_user(username: str, password: str) -> str | None:
    """The subject for valid credentials, else None. Sync: it runs in the threadpool."""
    stored, _ = USERS.get(username, (_DUMMY_HASH, frozenset()))
    ok = compare_secrets(hash_password(password), stored)  # same work for unknown users
    return username if ok and username in USERS else None


def scopes_of(subject: Any) -> Collection[str]:
    """The scopes ``subject`` may be granted (requested scopes outside them are dropped)."""
    return USERS[subject][1]


app = Faster(title="Secure example")
jwt_scheme = JWTBearer(secret=SECRET)
basic = HTTPBasic(realm="admin")


@app.post("/token")
async def token(form: OAuth2PasswordRequestForm = Depends(OAuth2PasswordRequestForm)) -> Any:
    return await oauth2_password_token_response(
        form,
        secret=SECRET,
        authenticate=verify_user,
        expires_minutes=30,
        allowed_scopes=scopes_of,
    )


@app.get("/users/me")
async def read_me(claims: Annotated[dict[str, Any], Security(jwt_scheme, scopes=["me"])]) -> Any:
    return {"username": claims["sub"], "scope": claims.get("scope", "")}


@app.get("/items")
async def read_items(claims: dict[str, Any] = Security(jwt_scheme, scopes=["items"])) -> Any:
    return {"owner": claims["sub"], "items": ["apple", "pear"]}


@app.get("/admin/stats")
async def admin_stats(credentials: HTTPBasicCredentials = Depends(basic)) -> Any:
    user_ok = compare_secrets(credentials.username, ADMIN_USER)
    password_ok = compare_secrets(credentials.password, ADMIN_PASSWORD)
    if not (user_ok and password_ok):
        raise HTTPException(
            401,
            "Incorrect username or password",
            headers={"WWW-Authenticate": 'Basic realm="admin"'},
        )
    return {"users": len(USERS)}
