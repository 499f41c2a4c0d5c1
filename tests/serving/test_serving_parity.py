"""The same requests over real HTTP (keep-alive) give the same answers on every server:
uvicorn, granian's ASGI interface and FasterAPI's own RSGI adapter on granian."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from serving_support import NOTES_APP, Served, installed_servers, serve

# Headers each server sets on its own (framework output is compared, not server identity).
SERVER_HEADERS = {"date", "server"}

BIG = bytes(range(256)) * 8192  # 2 MiB: read in chunks by the RSGI adapter

SERVING_REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/health", {}),
    ("HEAD", "/health", {}),
    ("GET", "/state", {}),
    ("GET", "/echo/plain?q=1", {}),
    ("GET", "/echo/sp%20ace?q=a%20b&q=c", {}),
    ("GET", "/echo/%C3%A9t%C3%A9?q=%C3%A9", {}),
    ("GET", "/headers", {"headers": [("x-token", "a"), ("x-token", "b")]}),
    ("POST", "/items", {"json": {"name": "pen", "price": 1.5}}),
    ("POST", "/items", {"json": {"name": "", "price": -1}}),
    ("POST", "/items", {"content": b"{not json", "headers": {"content-type": "application/json"}}),
    ("POST", "/items", {"json": {"name": "pen", "price": 1, "extra": True}}),
    ("PUT", "/items/7", {"json": {"name": "cup", "price": 2}}),
    ("PUT", "/items/seven", {"json": {"name": "cup", "price": 2}}),
    ("DELETE", "/items", {}),
    ("GET", "/nowhere", {}),
    ("GET", "/health/", {}),
    ("POST", "/upload", {"content": b"small body"}),
    ("POST", "/upload", {"content": BIG}),
    ("POST", "/upload", {"content": iter([b"chunked-", b"upload"])}),
    ("GET", "/redirect", {}),
    ("GET", "/cookies/set", {}),
    ("GET", "/cookies/read", {"headers": {"cookie": "session=xyz; theme=light"}}),
    ("GET", "/text", {}),
    ("HEAD", "/text", {}),
    ("GET", "/empty", {}),
    ("GET", "/boom", {}),
    ("GET", "/stream", {}),
    ("GET", "/sse", {}),
    ("OPTIONS", "/health", {}),
    ("GET", "/openapi.json", {}),
    ("GET", "/docs", {}),
]


def answers(base: str, requests: list[tuple[str, str, dict[str, Any]]]) -> list[Any]:
    """``(status, headers without date/server, body)`` for each request, on one connection
    (``/boom`` on its own: after an application error uvicorn closes the connection, as it does
    under Starlette, whose ``ServerErrorMiddleware`` re-raises after the 500)."""
    results = []
    with httpx.Client(base_url=base, timeout=10, follow_redirects=False) as client:
        for method, path, options in requests:
            if "content" in options and not isinstance(options["content"], bytes):
                options = {**options, "content": iter([b"chunked-", b"upload"])}
            if path == "/boom":
                with httpx.Client(base_url=base, timeout=10) as own:
                    response = own.request(method, path, **options)
            else:
                response = client.request(method, path, **options)
            headers = sorted(
                (name, value.replace(f":{client.base_url.port}/", ":PORT/"))
                for name, value in response.headers.multi_items()
                if name not in SERVER_HEADERS
            )
            results.append((method, path, response.status_code, headers, response.content))
    return results


def test_serving_app_answers_identically_on_every_server(
    serving_servers: dict[str, Served],
) -> None:
    assert "uvicorn" in serving_servers
    reference = answers(serving_servers["uvicorn"].base, SERVING_REQUESTS)
    differences = []
    for name, server in serving_servers.items():
        got = answers(server.base, SERVING_REQUESTS)
        for expected, actual in zip(reference, got, strict=True):
            if actual != expected:
                differences.append((name, expected, actual))
        assert server.process.poll() is None, server.log()
    assert differences == []


def test_key_answers_are_exact(served: Served) -> None:
    with httpx.Client(base_url=served.base, timeout=10) as client:
        health = client.get("/health")
        assert (health.status_code, health.content) == (200, b'{"status":"ok"}')
        assert health.headers["content-type"] == "application/json"
        assert health.headers["content-length"] == "15"
        head = client.head("/health")
        assert (head.status_code, head.content, head.headers["content-length"]) == (200, b"", "15")
        assert client.get("/state").json() == {"greeting": "hello from lifespan"}
        echo = client.get("/echo/%C3%A9t%C3%A9?q=%C3%A9").json()
        assert (echo["name"], echo["q"]) == ("été", "é")
        assert echo["path"] == "/echo/été"
        assert echo["query"] == "q=%C3%A9"
        assert echo["client_host"] == "127.0.0.1"
        # granian's ASGI interface gives the client port as a str (the ASGI spec says int);
        # uvicorn and FasterAPI's RSGI adapter give an int.
        port_type = "str" if served.name == "granian-asgi" else "int"
        assert client.get("/client").json() == {"host": "127.0.0.1", "port_type": port_type}
        assert echo["http_version"] == "1.1"
        created = client.post("/items", json={"name": "pen", "price": 1.5})
        assert (created.status_code, created.json()) == (201, {"name": "pen", "price": 1.5})
        invalid = client.post("/items", json={"name": "", "price": 1})
        assert invalid.status_code == 422
        assert invalid.json()["detail"][0]["loc"] == ["body", "name"]
        not_allowed = client.delete("/items")
        assert (not_allowed.status_code, not_allowed.headers["allow"]) == (405, "POST")
        with httpx.Client(base_url=served.base, timeout=10) as own:  # see answers()
            boom = own.get("/boom")
        assert (boom.status_code, boom.content) == (500, b"Internal Server Error")
        redirect = client.get("/redirect", follow_redirects=False)
        assert (redirect.status_code, redirect.headers["location"]) == (307, "/health")
        cookies = client.get("/cookies/set").headers.get_list("set-cookie")
        assert cookies == [
            "session=abc; HttpOnly; Path=/; SameSite=lax",
            "theme=dark; Max-Age=60; Path=/; SameSite=lax",
        ]
        upload = client.post("/upload", content=BIG).json()
        assert upload["size"] == len(BIG)
        stream = client.get("/stream")
        assert stream.content == b"".join(f"chunk{i}\n".encode() for i in range(5))
        assert stream.headers["transfer-encoding"] == "chunked"
        sse = client.get("/sse")
        assert sse.headers["content-type"].startswith("text/event-stream")
        assert sse.text == "".join(f"event: tick\ndata: n={i}\nid: {i}\n\n" for i in range(3))


# -- the notes example ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def notes_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Served]]:
    base = tmp_path_factory.mktemp("notes")
    started: dict[str, Served] = {}
    try:
        for name, flag in installed_servers():
            started[name] = serve(NOTES_APP, flag, base / f"{name}.log")
        yield started
    finally:
        for server in started.values():
            server.stop()


NOTES_REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/health", {}),
    ("GET", "/notes/", {}),
    ("POST", "/notes/", {"json": {"title": "first", "body": "b", "tags": ["x"]}}),
    ("POST", "/notes/", {"json": {"title": "second", "tags": ["y"]}}),
    ("POST", "/notes/", {"json": {"title": ""}}),
    ("POST", "/notes/", {"json": {"title": "t", "unknown": 1}}),
    ("GET", "/notes/?q=FIRST", {}),
    ("GET", "/notes/?tag=y&limit=1", {}),
    ("GET", "/notes/?limit=0", {}),
    ("GET", "/notes/1", {}),
    ("GET", "/notes/0", {}),
    ("GET", "/notes/99", {}),
    ("PUT", "/notes/2", {"json": {"title": "second!"}}),
    ("DELETE", "/notes/1", {}),
    ("DELETE", "/notes/1", {}),
    ("PATCH", "/notes/2", {}),
    ("GET", "/openapi.json", {}),
]


def _without_timestamps(body: bytes) -> Any:
    try:
        data = json.loads(body)
    except ValueError:
        return body

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "created_at"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(data)


def test_notes_example_answers_identically_on_every_server(
    notes_servers: dict[str, Served],
) -> None:
    def normalised(base: str) -> list[Any]:
        return [
            (method, path, status, headers, _without_timestamps(body))
            for method, path, status, headers, body in answers(base, NOTES_REQUESTS)
        ]

    reference = normalised(notes_servers["uvicorn"].base)
    assert [row[2] for row in reference] == [
        200,
        200,
        201,
        201,
        422,
        422,
        200,
        200,
        422,
        200,
        422,
        404,
        200,
        204,
        404,
        405,
        200,
    ]
    for name, server in notes_servers.items():
        if name == "uvicorn":
            continue
        for expected, actual in zip(reference, normalised(server.base), strict=True):
            assert actual == expected, f"{name} differs from uvicorn"


def test_the_example_serves_the_notes_app_file_path(tmp_path: Path) -> None:
    served = serve("examples/notes/app.py", "auto", tmp_path / "auto.log")
    try:
        assert httpx.get(f"{served.base}/health").json() == {"status": "ok"}
    finally:
        served.stop()
