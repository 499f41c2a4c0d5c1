"""Handlers receive their arguments by position when their signature allows it, by keyword
otherwise: every signature shape gets the same values."""

import functools
from typing import Annotated, Any

from FasterAPI import Body, Depends, Faster, Path, TestClient


async def current_user() -> str:
    return "alice"


def make_app() -> Faster:
    app = Faster(openapi_url=None)

    @app.get("/keyword-only/{item_id}")
    async def keyword_only(*, item_id: int) -> dict[str, Any]:
        return {"item_id": item_id}

    @app.get("/reordered/{item_id}")
    async def reordered(q: str, item_id: int) -> dict[str, Any]:
        return {"q": q, "item_id": item_id}

    @app.get("/two/{a}/{b}")
    async def two(b: int, a: int) -> dict[str, Any]:
        return {"a": a, "b": b}

    @app.get("/query")
    async def query(limit: int, q: str = "x") -> dict[str, Any]:
        return {"limit": limit, "q": q}

    @app.get("/dep")
    async def dep(user: Annotated[str, Depends(current_user)]) -> dict[str, str]:
        return {"user": user}

    @app.get("/dep-keyword")
    async def dep_keyword(*, user: Annotated[str, Depends(current_user)]) -> dict[str, str]:
        return {"user": user}

    @app.post("/body")
    async def body(payload: Annotated[dict[str, int], Body()]) -> dict[str, int]:
        return payload

    @app.post("/body-keyword")
    async def body_keyword(*, payload: Annotated[dict[str, int], Body()]) -> dict[str, int]:
        return payload

    async def scaled(factor: int, value: int) -> dict[str, int]:
        return {"scaled": factor * value}

    app.get("/partial/{value}")(functools.partial(scaled, 3))

    class Counter:
        async def __call__(self, start: int) -> dict[str, int]:
            return {"next": start + 1}

    app.get("/callable/{start}")(Counter())

    @app.get("/name/{name}")
    async def name(name: str) -> dict[str, str]:
        return {"name": name}

    @app.get("/short/{code}")
    async def short(code: Annotated[str, Path(max_length=3)]) -> dict[str, str]:
        return {"code": code}

    @app.get("/ratio/{value}")
    async def ratio(value: float) -> dict[str, float]:
        return {"value": value}

    return app


def test_every_signature_shape_gets_its_values() -> None:
    client = TestClient(make_app())
    cases = [
        ("/keyword-only/5", {"item_id": 5}),
        ("/reordered/5?q=z", {"q": "z", "item_id": 5}),
        ("/two/1/2", {"a": 1, "b": 2}),
        ("/query?limit=3", {"limit": 3, "q": "x"}),
        ("/dep", {"user": "alice"}),
        ("/dep-keyword", {"user": "alice"}),
        ("/partial/4", {"scaled": 12}),
        ("/callable/4", {"next": 5}),
        ("/name/bob", {"name": "bob"}),
        ("/name/zo%C3%AB", {"name": "zoë"}),
        ("/short/abc", {"code": "abc"}),
        ("/ratio/2.5", {"value": 2.5}),
        ("/ratio/3", {"value": 3.0}),
    ]
    for url, expected in cases:
        response = client.get(url)
        assert (url, response.status_code, response.json()) == (url, 200, expected)
    for url in ("/body", "/body-keyword"):
        response = client.post(url, json={"a": 1})
        assert (url, response.status_code, response.json()) == (url, 200, {"a": 1})


def test_path_values_the_fast_conversion_refuses_go_to_the_validator() -> None:
    client = TestClient(make_app())
    assert client.get("/keyword-only/+7").json() == {"item_id": 7}
    response = client.get("/two/1/x")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "int_parsing",
                "loc": ["path", "b"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "x",
            }
        ]
    }
    response = client.get("/partial/%D9%A3")  # Arabic-Indic digit three: not ASCII
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "int_parsing"


def test_an_invalid_body_on_the_decoder_path_gets_the_full_422() -> None:
    client = TestClient(make_app())
    response = client.post("/body", json={"a": "one"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "int_parsing",
                "loc": ["body", "a"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "one",
            }
        ]
    }
    response = client.post(
        "/body", content=b'{"a": 1', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_single_path_values_keep_their_validators() -> None:
    client = TestClient(make_app())
    response = client.get("/short/abcd")
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "string_too_long"
    response = client.get("/ratio/x")
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "float_parsing"
