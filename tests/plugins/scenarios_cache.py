"""fastapi-cache2 scenarios, as its documentation shows it used (run by ``test_cache.py`` on
FastAPI and on FasterAPI): ``@cache`` on endpoints with the in-memory backend, hits and misses,
``Cache-Control`` from the client (``no-cache``, ``no-store``), ``ETag`` and ``If-None-Match``,
namespaces, key builders and clearing, Pydantic models cached."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient
from fastapi_cache import FastAPICache
from fastapi_cache.backends.inmemory import InMemoryBackend
from fastapi_cache.decorator import cache
from plugin_answers import answer
from pydantic import BaseModel

HEADERS = ("cache-control", "etag", "x-fastapi-cache")
_MAX_AGE = re.compile(r"^max-age=(\d+)$")


class Item(BaseModel):
    id: int
    name: str


def _answer(response: Any) -> Any:
    record = answer(response, HEADERS)
    # A hit's max-age is the entry's remaining seconds, 59 or 60 depending on the moment.
    age = _MAX_AGE.match(record["headers"]["cache-control"] or "")
    if age and record["headers"]["x-fastapi-cache"] == "HIT" and 55 <= int(age.group(1)) <= 60:
        record["headers"]["cache-control"] = "max-age=<remaining>"
    return record


def _app(calls: list[str]) -> FastAPI:
    FastAPICache.reset()
    FastAPICache.init(InMemoryBackend(), prefix="scenario")
    app = FastAPI()

    @app.get("/items/{item_id}")
    @cache(expire=60)
    async def item(item_id: int) -> Item:
        calls.append(f"item {item_id}")
        return Item(id=item_id, name=f"item {item_id}")

    @app.get("/sync")
    @cache(expire=60, namespace="sync")
    def sync(q: str = "") -> dict[str, Any]:
        calls.append(f"sync {q}")
        return {"q": q, "calls": len(calls)}

    @app.get("/own")
    @cache(expire=60)
    async def own(request: Request, response: Response) -> dict[str, str]:
        calls.append("own")
        response.headers["x-own"] = "yes"
        return {"path": request.url.path}

    return app


def scenario_hits_and_misses() -> Any:
    calls: list[str] = []
    client = TestClient(_app(calls))
    answers = [
        _answer(client.get(path))
        for path in ("/items/1", "/items/1", "/items/2", "/sync?q=a", "/sync?q=a", "/sync?q=b")
    ]
    return {"answers": answers, "calls": calls}


def scenario_client_cache_control_and_etag() -> Any:
    calls: list[str] = []
    client = TestClient(_app(calls))
    first = client.get("/items/5")
    answers = [
        _answer(first),
        _answer(client.get("/items/5", headers={"cache-control": "no-cache"})),
        _answer(client.get("/items/5", headers={"cache-control": "no-store"})),
        _answer(client.get("/items/5", headers={"if-none-match": first.headers["etag"]})),
        _answer(client.post("/items/5")),
    ]
    return {"answers": answers, "calls": calls}


def scenario_request_and_response_parameters() -> Any:
    calls: list[str] = []
    client = TestClient(_app(calls))
    answers = [answer(client.get("/own"), (*HEADERS, "x-own")) for _ in range(2)]
    for record in answers:  # the hit's max-age: as above
        if record["headers"]["x-fastapi-cache"] == "HIT":
            record["headers"]["cache-control"] = "max-age=<remaining>"
    return {"answers": answers, "calls": calls}


async def _clear(namespace: str) -> int:
    return await FastAPICache.clear(namespace=namespace)


def scenario_clear_a_namespace() -> Any:
    calls: list[str] = []
    app = _app(calls)

    @app.post("/clear")
    async def clear() -> dict[str, int]:
        return {"cleared": await _clear("sync")}

    client = TestClient(app)
    answers = [_answer(client.get("/sync?q=x")), _answer(client.post("/clear"))]
    answers.append(_answer(client.get("/sync?q=x")))
    return {"answers": answers, "calls": calls}
