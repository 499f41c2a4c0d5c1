"""docs/coming-from-fastapi.md: every name of the FastAPI → FasterAPI table imports, on both sides."""

from __future__ import annotations

import importlib
import re
import warnings
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "coming-from-fastapi.md"
ROW = re.compile(r"^\| (?P<left>[^|]+) \| (?P<right>[^|]+) \|(?P<notes>[^|]*)\|$")
DOTTED = re.compile(r"`([A-Za-z_][\w.]*)`")


def table_rows() -> list[tuple[str | None, str | None]]:
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("## Every FastAPI name and its FasterAPI equivalent", 1)[1]
    rows: list[tuple[str | None, str | None]] = []
    for line in section.splitlines():
        match = ROW.match(line)
        if match is None or line.startswith(("| FastAPI", "|---")):
            continue
        left = DOTTED.search(match["left"])
        right = DOTTED.search(match["right"])
        rows.append((left[1] if left else None, right[1] if right else None))
    return rows


ROWS = table_rows()


def resolve(dotted: str) -> object:
    """Import ``a.b.c`` as a module if it is one, else as attribute ``c`` of module ``a.b``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return importlib.import_module(dotted)
        except ImportError:
            module, _, name = dotted.rpartition(".")
            return getattr(importlib.import_module(module), name)


def test_table_is_complete() -> None:
    fastapi_names = {left for left, _ in ROWS if left}
    import fastapi
    import fastapi.security

    for module in (fastapi, fastapi.security):
        public = getattr(module, "__all__", None) or [
            n for n in dir(module) if n[0].isupper() and not n.startswith("_")
        ]
        for name in public:
            assert f"{module.__name__}.{name}" in fastapi_names, name
    assert len(ROWS) > 90


@pytest.mark.parametrize(("fastapi_name", "fasterapi_name"), ROWS)
def test_both_sides_import(fastapi_name: str | None, fasterapi_name: str | None) -> None:
    if fastapi_name is not None:
        assert resolve(fastapi_name) is not None
    if fasterapi_name is None:
        return
    assert fasterapi_name.split(".")[0] in {"FasterAPI", "fasterapi_core", "fasterapi_routing"}
    ours = resolve(fasterapi_name)
    assert ours is not None
    # a FasterAPI.sub.Name re-export is the same object as the top-level or package name
    top = importlib.import_module("FasterAPI")
    name = fasterapi_name.rpartition(".")[2]
    if name in top.__all__ and fasterapi_name.count(".") > 1:
        assert getattr(top, name) is ours


def test_aliases_are_the_same_classes() -> None:
    import FasterAPI

    assert FasterAPI.FastAPI is FasterAPI.Faster
    assert FasterAPI.APIRouter is FasterAPI.FasterRouter
    assert issubclass(FasterAPI.HTTPException, resolve("FasterAPI.exceptions.BaseHTTPException"))  # type: ignore[arg-type]


def test_deliberate_differences_hold() -> None:
    """The "Deliberate differences" table of the page, checked against FasterAPI."""
    from FasterAPI import Faster, TestClient

    app = Faster()

    @app.get("/x")
    async def read_x() -> dict[str, int]:
        return {"a": 1}

    @app.post("/echo")
    async def echo(value: dict) -> dict:  # type: ignore[type-arg]
        return value

    @app.delete("/gone", status_code=204)
    async def gone() -> None:
        return None

    client = TestClient(app)
    json_headers = {"content-type": "application/json"}
    response = client.post("/echo", content=b'{"a": NaN}', headers=json_headers)
    assert (response.status_code, response.json()["detail"][0]["type"]) == (422, "json_invalid")
    deep = b"[" * 100_000 + b"]" * 100_000
    response = client.post("/echo", content=deep, headers=json_headers)
    assert (response.status_code, response.json()["detail"][0]["type"]) == (422, "json_invalid")
    response = client.head("/x")
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["content-length"] == "7"
    response = client.post("/x")
    assert (response.status_code, response.headers["allow"]) == (405, "GET, HEAD")
    response = client.delete("/gone")
    assert response.status_code == 204
    assert "content-type" not in response.headers
