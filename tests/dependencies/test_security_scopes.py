"""Security(dep, scopes=[...]) and SecurityScopes injection, compared with FastAPI.

A minimal scheme-free dependency stands in for OAuth2 (the security package is separate).
"""

from types import ModuleType
from typing import Annotated, Any

import pytest
from fastapi.security import SecurityScopes as FastAPISecurityScopes
from fidelity import Pair

import FasterAPI
from FasterAPI.params import SecurityScopes as OurSecurityScopes

USERS = {"alice": ["items:read", "items:write", "me"], "bob": ["me"]}


def make_app(fw: ModuleType) -> Any:
    SecurityScopes = OurSecurityScopes if fw is FasterAPI else FastAPISecurityScopes
    Security, Depends, Header, HTTPException = fw.Security, fw.Depends, fw.Header, fw.HTTPException
    calls: list[str] = []

    def current_user(security_scopes: SecurityScopes, x_user: str = Header()) -> str:
        calls.append(security_scopes.scope_str)
        granted = USERS.get(x_user)
        if granted is None:
            raise HTTPException(status_code=401, detail="unknown user",
                                headers={"WWW-Authenticate": f'Bearer scope="{security_scopes.scope_str}"'})
        for scope in security_scopes.scopes:
            if scope not in granted:
                raise HTTPException(status_code=403, detail=f"missing scope {scope}")
        return x_user

    def active_user(user: Annotated[str, Security(current_user, scopes=["me"])]) -> str:
        return user

    app = fw.FastAPI()

    @app.get("/me")
    def me(user: str = Depends(active_user)) -> Any:
        return {"user": user}

    @app.get("/items")
    def items(user: str = Security(active_user, scopes=["items:read"])) -> Any:
        return {"user": user}

    @app.post("/items", dependencies=[Security(current_user, scopes=["items:write"])])
    def write() -> Any:
        return {"written": True}

    @app.get("/scopes")
    def scopes(security_scopes: SecurityScopes) -> Any:
        return {"scopes": security_scopes.scopes, "str": security_scopes.scope_str}

    @app.get("/calls")
    def read_calls() -> Any:
        out = list(calls)
        calls.clear()
        return out

    return app


@pytest.fixture
def app_pair(pair: Any) -> Pair:
    return pair(make_app, headers=("www-authenticate",))


@pytest.mark.parametrize("user", ["alice", "bob", "eve", None])
@pytest.mark.parametrize(("method", "url"), [("GET", "/me"), ("GET", "/items"), ("POST", "/items")])
def test_scopes_accumulate_down_the_graph(
    app_pair: Pair, user: str | None, method: str, url: str
) -> None:
    app_pair.request(method, url, headers={"x-user": user} if user else {})
    app_pair.get("/calls")


def test_scope_order(app_pair: Pair) -> None:
    app_pair.get("/items", headers={"x-user": "alice"})
    assert app_pair.get("/calls").json() == ["items:read me"]


def test_handler_security_scopes_is_empty(app_pair: Pair) -> None:
    assert app_pair.get("/scopes").json() == {"scopes": [], "str": ""}


def test_same_dependency_with_different_scopes_is_not_shared() -> None:
    app = FasterAPI.Faster()
    seen: list[list[str]] = []

    def dep(security_scopes: OurSecurityScopes) -> int:
        seen.append(security_scopes.scopes)
        return len(seen)

    @app.get("/x")
    def x(
        a: int = FasterAPI.Security(dep, scopes=["a"]),
        b: int = FasterAPI.Security(dep, scopes=["b"]),
        c: int = FasterAPI.Security(dep, scopes=["a"]),
    ) -> Any:
        return [a, b, c]

    assert FasterAPI.TestClient(app).get("/x").json() == [1, 2, 1]
    assert seen == [["a"], ["b"]]
