"""OpenIdConnect: the Authorization header, FastAPI's 401 and security scheme."""

from typing import Annotated, Any

import fastapi
import fastapi.security
import pytest
from fastapi.testclient import TestClient as FastAPIClient

import FasterAPI
import FasterAPI.security
from FasterAPI.testclient import TestClient

URL = "https://accounts.example.org/.well-known/openid-configuration"


def build(fw: Any, security: Any, app_cls: Any) -> Any:
    app = app_cls()
    required = security.OpenIdConnect(openIdConnectUrl=URL, description="Our provider")
    optional = security.OpenIdConnect(
        openIdConnectUrl=URL, scheme_name="Optional", auto_error=False
    )

    @app.get("/me")
    def me(authorization: Annotated[str, fw.Depends(required)]) -> dict[str, str]:
        return {"authorization": authorization}

    @app.get("/maybe")
    def maybe(authorization: Annotated[str | None, fw.Depends(optional)]) -> dict[str, Any]:
        return {"authorization": authorization}

    return app


OURS = TestClient(build(FasterAPI, FasterAPI.security, FasterAPI.Faster))
THEIRS = FastAPIClient(build(fastapi, fastapi.security, fastapi.FastAPI))


@pytest.mark.parametrize("path", ["/me", "/maybe"])
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer abc"}, {"Authorization": ""}])
def test_answers_match_fastapi(path: str, headers: dict[str, str]) -> None:
    ours, theirs = OURS.get(path, headers=headers), THEIRS.get(path, headers=headers)
    assert (ours.status_code, ours.json(), ours.headers.get("www-authenticate")) == (
        theirs.status_code,
        theirs.json(),
        theirs.headers.get("www-authenticate"),
    )


def test_missing_header_is_a_401_with_a_bearer_challenge() -> None:
    response = OURS.get("/me")
    assert (response.status_code, response.json()) == (401, {"detail": "Not authenticated"})
    assert response.headers["www-authenticate"] == "Bearer"
    assert OURS.get("/me", headers={"Authorization": "Bearer t"}).json() == {
        "authorization": "Bearer t"
    }


def test_documented_as_in_fastapi() -> None:
    ours = OURS.get("/openapi.json").json()
    theirs = THEIRS.get("/openapi.json").json()
    assert ours["components"]["securitySchemes"] == theirs["components"]["securitySchemes"]
    assert ours["components"]["securitySchemes"]["OpenIdConnect"] == {
        "type": "openIdConnect",
        "openIdConnectUrl": URL,
        "description": "Our provider",
    }
    assert ours["paths"] == theirs["paths"]
