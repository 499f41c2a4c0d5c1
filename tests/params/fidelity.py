"""Fidelity helpers: build the same app with FasterAPI and with FastAPI, send the same requests.

Shared by tests/params, tests/dependencies, tests/background, tests/websockets, tests/tutorial
(their conftest.py puts this directory on sys.path).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import fastapi
import httpx
from fastapi.testclient import TestClient as FastAPITestClient

import FasterAPI

AppFactory = Callable[[ModuleType], Any]


def submodule(fw: ModuleType, name: str) -> ModuleType:
    """``fw.<name>`` of either framework (``responses``, ``exceptions``, ``params``...)."""
    return importlib.import_module(f"{fw.__name__}.{name}")


def body_of(response: httpx.Response) -> Any:
    if response.content and response.headers.get("content-type", "").startswith(
        "application/json"
    ):
        return response.json()
    return response.content


class Pair:
    """One app built twice; :meth:`request` sends to both and asserts identical answers."""

    def __init__(self, factory: AppFactory, headers: Sequence[str] = ()) -> None:
        self.ours_app = factory(FasterAPI)
        self.theirs_app = factory(fastapi)
        self.ours = FasterAPI.TestClient(self.ours_app)
        self.theirs = FastAPITestClient(self.theirs_app)
        self.headers = ("content-type", *headers)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        ours = self.ours.request(method, url, **kwargs)
        theirs = self.theirs.request(method, url, **kwargs)
        assert (ours.status_code, body_of(ours)) == (theirs.status_code, body_of(theirs)), (
            method,
            url,
        )
        for name in self.headers:
            assert ours.headers.get(name) == theirs.headers.get(name), name
        return ours

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)



__all__ = ["AppFactory", "Pair", "body_of", "submodule"]
