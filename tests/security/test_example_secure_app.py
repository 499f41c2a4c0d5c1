"""examples/secure_app.py: token endpoint → protected routes with scopes, Basic admin route."""

from __future__ import annotations

import base64
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import jwt
import pytest

from fasterapi_core.testclient import TestClient

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "secure_app.py"


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("secure_app_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def client(example: ModuleType) -> TestClient:
    return TestClient(example.app)


def _login(client: TestClient, user: str, password: str, scope: str) -> dict[str, str]:
    response = client.post("/token", data={"username": user, "password": password, "scope": scope})
    assert response.status_code == 200
    return response.json()


def test_token_then_protected_routes(client: TestClient, example: ModuleType) -> None:
    body = _login(client, "alice", "wonderland", "me items")
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 1800
    assert body["scope"] == "me items"
    claims = jwt.decode(body["access_token"], example.SECRET, algorithms=["HS256"])
    assert claims["sub"] == "alice"
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    me = client.get("/users/me", headers=headers)
    assert me.status_code == 200
    assert me.json() == {"username": "alice", "scope": "me items"}
    items = client.get("/items", headers=headers)
    assert items.status_code == 200
    assert items.json() == {"owner": "alice", "items": ["apple", "pear"]}


def test_scopes_are_limited_per_user_and_enforced(client: TestClient) -> None:
    body = _login(client, "bob", "builder", "me items")
    assert body["scope"] == "me"  # bob may not be granted "items"
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get("/users/me", headers=headers).json() == {"username": "bob", "scope": "me"}
    denied = client.get("/items", headers=headers)
    assert denied.status_code == 403
    assert denied.headers["www-authenticate"] == 'Bearer error="insufficient_scope", scope="items"'
    assert denied.json() == {"detail": "Not enough permissions"}


@pytest.mark.parametrize(("user", "password"), [("alice", "wrong"), ("nobody", "wonderland")])
def test_bad_credentials(client: TestClient, user: str, password: str) -> None:
    response = client.post("/token", data={"username": user, "password": password})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "Incorrect username or password"}


def test_protected_route_without_or_with_bad_token(client: TestClient) -> None:
    missing = client.get("/users/me")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert missing.json() == {"detail": "Not authenticated"}
    bad = client.get("/users/me", headers={"Authorization": "Bearer not.a.jwt"})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert bad.json() == {"detail": "Invalid token"}


def test_admin_basic_route(client: TestClient, example: ModuleType) -> None:
    def basic(user: str, password: str) -> dict[str, str]:
        return {
            "Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        }

    ok = client.get("/admin/stats", headers=basic("admin", example.ADMIN_PASSWORD))
    assert ok.status_code == 200
    assert ok.json() == {"users": 2}
    wrong = client.get("/admin/stats", headers=basic("admin", "guess"))
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == 'Basic realm="admin"'
    assert wrong.json() == {"detail": "Incorrect username or password"}
    missing = client.get("/admin/stats")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == 'Basic realm="admin"'
    assert missing.json() == {"detail": "Not authenticated"}
