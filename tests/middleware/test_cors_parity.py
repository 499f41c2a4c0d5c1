"""CORS answers as FastAPI's (Starlette's) CORSMiddleware gives them, for the same options
and requests: preflights (allowed, refused, private network) and simple requests. One
deliberate difference: an answer to a refused origin or preflight carries no
``Access-Control-*`` header (Starlette sends what it would have allowed: credentials, exposed
headers, methods), only the same status, body and ``Vary``."""

from typing import Any

import fastapi
import pytest
from fastapi.middleware.cors import CORSMiddleware as StarletteCORS
from fastapi.testclient import TestClient as FastAPIClient

import FasterAPI
from FasterAPI.testclient import TestClient

OPTIONS = {
    "allow_origins": ["https://a.org"],
    "allow_methods": ["*"],
    "allow_headers": ["*"],
    "allow_credentials": True,
    "expose_headers": ["X-T"],
    "allow_private_network": True,
}


def build(app_cls: Any, middleware: Any, **options: Any) -> Any:
    app = app_cls()
    app.add_middleware(middleware, **options)

    @app.get("/data")
    def data() -> dict[str, int]:
        return {"n": 1}

    return app


def clients(**options: Any) -> tuple[Any, Any]:
    ours = TestClient(build(FasterAPI.Faster, FasterAPI.CORSMiddleware, **options))
    theirs = FastAPIClient(build(fastapi.FastAPI, StarletteCORS, **options))
    return ours, theirs


REQUESTS = [
    ("OPTIONS", {"origin": "https://a.org", "access-control-request-method": "GET"}),
    (
        "OPTIONS",
        {
            "origin": "https://a.org",
            "access-control-request-method": "PUT",
            "access-control-request-headers": "X-Y, Content-Type",
            "access-control-request-private-network": "true",
        },
    ),
    ("OPTIONS", {"origin": "https://evil.org", "access-control-request-method": "GET"}),
    ("GET", {"origin": "https://a.org"}),
    ("GET", {"origin": "https://evil.org"}),
    ("GET", {}),
]


@pytest.mark.parametrize("private", [True, False])
@pytest.mark.parametrize(("method", "headers"), REQUESTS)
def test_answers_match_starlette(method: str, headers: dict[str, str], private: bool) -> None:
    ours, theirs = clients(**{**OPTIONS, "allow_private_network": private})
    mine, reference = (
        ours.request(method, "/data", headers=headers),
        theirs.request(method, "/data", headers=headers),
    )

    def shown(response: Any) -> tuple[int, str, dict[str, str]]:
        kept = {
            k: v
            for k, v in response.headers.items()
            if k.startswith("access-control-") or k == "vary"
        }
        return response.status_code, response.text, kept

    if "access-control-allow-origin" not in reference.headers or reference.status_code == 400:
        status, text, _ = shown(reference)
        vary = {"vary": reference.headers["vary"]} if "vary" in reference.headers else {}
        assert shown(mine) == (status, text, vary)
    else:
        assert shown(mine) == shown(reference)
