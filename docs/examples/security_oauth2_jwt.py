"""OAuth2 password flow with JWT: a token endpoint, protected routes, and scopes.

Try it with ``fasterapi dev docs/examples/security_oauth2_jwt.py``::

    curl -d "username=alice&password=wonderland&scope=me" localhost:8000/token
    curl -H "Authorization: Bearer <access_token>" localhost:8000/users/me
"""

import hashlib
import os
import secrets
from typing import Annotated, Any

from FasterAPI import Depends, Faster, Security
from FasterAPI.security import (
    JWTBearer,
    OAuth2PasswordRequestForm,
    compare_secrets,
    oauth2_password_token_response,
)

SECRET = os.environ.get("JWT_SECRET") or secrets.token_urlsafe(64)


def hash_password(password: str) -> bytes:
    return hashlib.scrypt(password.encode(), salt=b"per-user-salt", n=2**12, r=8, p=1)


USERS = {"alice": {"hash": hash_password("wonderland"), "scopes": {"me", "items:write"}}}
DUMMY = hash_password("dummy")


def authenticate(username: str, password: str) -> str | None:
    """The subject (username) for valid credentials, else None."""
    user = USERS.get(username)
    ok = compare_secrets(hash_password(password), user["hash"] if user else DUMMY)
    return username if ok and user else None


app = Faster(title="OAuth2 + JWT")
# JWTBearer reads "Authorization: Bearer <token>", verifies the signature and expiry, checks the
# scopes that Security(...) asks for against the token's "scope" claim, and returns the claims.
jwt_scheme = JWTBearer(secret=SECRET)


@app.post("/token")
async def token(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> dict[str, Any]:
    return await oauth2_password_token_response(
        form,
        secret=SECRET,
        authenticate=authenticate,
        expires_minutes=30,
        # requested scopes outside this set are dropped from the token
        allowed_scopes=lambda subject: USERS[subject]["scopes"],
    )


Claims = dict[str, Any]


@app.get("/users/me")
async def read_me(claims: Annotated[Claims, Security(jwt_scheme, scopes=["me"])]) -> Claims:
    return {"username": claims["sub"], "scope": claims["scope"]}


@app.post("/items", status_code=201)
async def create_item(
    claims: Annotated[Claims, Security(jwt_scheme, scopes=["items:write"])],
) -> dict[str, str]:
    return {"created_by": claims["sub"]}
