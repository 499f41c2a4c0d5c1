"""Parameters of types msgspec has no rules for (``HttpUrl``, ``IPv4Address``, ``Path``,
``SecretStr``...) are scalars, as in FastAPI: read from the query (not the body), validated by
pydantic with its errors, and documented with pydantic's schema."""

import ipaddress
import pathlib
from typing import Annotated, Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from pydantic import HttpUrl, SecretStr

import FasterAPI
from FasterAPI.testclient import TestClient


def build(fw: Any, app_cls: Any) -> Any:
    app = app_cls()

    @app.get("/inferred")
    def inferred(
        url: HttpUrl,
        ip: ipaddress.IPv4Address | None = None,
        path: pathlib.Path | None = None,
        secret: SecretStr | None = None,
    ) -> dict[str, Any]:
        return {"url": str(url), "ip": str(ip), "path": str(path), "secret": str(secret)}

    @app.get("/explicit/{net}")
    def explicit(
        net: ipaddress.IPv4Network,
        urls: Annotated[list[HttpUrl], fw.Query()] = [],  # noqa: B006
        x_forwarded_for: Annotated[ipaddress.IPv4Address | None, fw.Header()] = None,
    ) -> dict[str, Any]:
        return {"net": str(net), "urls": [str(u) for u in urls], "via": str(x_forwarded_for)}

    return app


OURS = TestClient(build(FasterAPI, FasterAPI.Faster))
THEIRS = FastAPIClient(build(fastapi, fastapi.FastAPI))

REQUESTS = [
    ("/inferred?url=http://example.org/a&ip=10.0.0.1&path=/tmp/x&secret=s3", {}),
    ("/inferred?url=https://example.org", {}),
    ("/inferred?url=nope&ip=999.1.1.1", {}),
    ("/inferred", {}),
    ("/explicit/10.0.0.0%2F8?urls=http://a.b&urls=https://c.d/e", {"X-Forwarded-For": "1.2.3.4"}),
    ("/explicit/10.0.0.1%2F8?urls=x", {"X-Forwarded-For": "nope"}),
]


@pytest.mark.parametrize(("url", "headers"), REQUESTS)
def test_answers_match_fastapi(url: str, headers: dict[str, str]) -> None:
    ours, theirs = OURS.get(url, headers=headers), THEIRS.get(url, headers=headers)
    assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json())


def test_values_and_errors() -> None:
    good = OURS.get("/inferred?url=http://example.org/a&ip=10.0.0.1&path=/tmp/x&secret=s3")
    assert good.json() == {
        "url": "http://example.org/a",
        "ip": "10.0.0.1",
        "path": "/tmp/x",
        "secret": "**********",
    }
    bad = OURS.get("/inferred?url=nope&ip=999.1.1.1")
    assert bad.status_code == 422
    assert [(e["type"], e["loc"]) for e in bad.json()["detail"]] == [
        ("url_parsing", ["query", "url"]),
        ("ip_v4_address", ["query", "ip"]),
    ]


def test_parameters_are_documented_as_in_fastapi() -> None:
    ours = OURS.get("/openapi.json").json()["paths"]
    theirs = THEIRS.get("/openapi.json").json()["paths"]
    assert ours == theirs
    schema = ours["/inferred"]["get"]["parameters"][0]["schema"]
    assert schema == {
        "type": "string",
        "format": "uri",
        "minLength": 1,
        "maxLength": 2083,
        "title": "Url",
    }
