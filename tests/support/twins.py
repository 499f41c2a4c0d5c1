"""One application built on FasterAPI and on FastAPI, asked the same things, answers compared
exactly: status, the named headers and the raw body bytes (not a parsed form of them)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import fastapi
import httpx
from fastapi.testclient import TestClient as FastAPIClient

import FasterAPI
from FasterAPI.testclient import TestClient

__all__ = ["Twins", "sub"]


def sub(fw: ModuleType, name: str) -> ModuleType:
    """``fw.<name>`` of either framework (``responses``, ``sse``, ``security``...)."""
    return importlib.import_module(f"{fw.__name__}.{name}")


class Twins:
    """``factory(fw)`` built with both frameworks; a server error is an answer (500) too."""

    def __init__(
        self,
        factory: Callable[[ModuleType], Any],
        headers: Sequence[str] = ("content-type",),
    ) -> None:
        self.ours_app = factory(FasterAPI)
        self.theirs_app = factory(fastapi)
        self.ours = TestClient(self.ours_app, raise_server_exceptions=False)
        self.theirs = FastAPIClient(self.theirs_app, raise_server_exceptions=False)
        self.headers = tuple(headers)

    def answer(self, response: httpx.Response) -> Any:
        headers = {name: response.headers.get_list(name) for name in self.headers}
        return response.status_code, headers, response.content

    def check(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send the request to both; assert identical answers; FasterAPI's response."""
        ours: httpx.Response = self.ours.request(method, url, **kwargs)
        theirs: httpx.Response = self.theirs.request(method, url, **kwargs)
        assert self.answer(ours) == self.answer(theirs), (method, url)
        return ours

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.check("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.check("POST", url, **kwargs)

    def openapi(self) -> dict[str, Any]:
        """Both OpenAPI documents, asserted equal but for ``info`` (titles differ)."""
        ours = dict(self.ours_app.openapi())
        theirs = dict(self.theirs_app.openapi())
        ours.pop("info")
        theirs.pop("info")
        assert ours == theirs
        return ours

    def close(self) -> None:
        self.ours.close()
        self.theirs.close()
