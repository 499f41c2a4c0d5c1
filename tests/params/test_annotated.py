
"""``Annotated`` declarations: both marker forms, reusable aliases, and extra metadata."""

from types import ModuleType
from typing import Annotated, Any, Optional

import msgspec
import pytest
from fidelity import Pair

import FasterAPI


def make_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    Query, Header, Cookie, Body, Path, Depends = (
        fw.Query, fw.Header, fw.Cookie, fw.Body, fw.Path, fw.Depends,
    )
    Limit = Annotated[int, Query(ge=1, le=100)]

    def pagination(skip: int = 0, limit: Limit = 10) -> dict[str, int]:
        return {"skip": skip, "limit": limit}

    Page = Annotated[dict[str, int], Depends(pagination)]

    @app.get("/both-forms/{item_id}")
    def both_forms(
        item_id: Annotated[int, Path(gt=0)],
        a: int = Query(1, ge=0),
        b: Annotated[int, Query(ge=0)] = 1,
        c: Annotated[Optional[str], Query(max_length=2)] = None,
        x_h: Annotated[Optional[str], Header()] = None,
        ck: Annotated[Optional[int], Cookie()] = None,
    ) -> Any:
        return {"item_id": item_id, "a": a, "b": b, "c": c, "x_h": x_h, "ck": ck}

    @app.get("/alias-reuse")
    def alias_reuse(first: Limit = 5, second: Limit = 7) -> Any:
        return {"first": first, "second": second}

    @app.get("/dep-alias")
    def dep_alias(page: Page, again: Page) -> Any:
        return {"page": page, "same": page is again}

    @app.post("/body-annotated")
    def body_annotated(
        count: Annotated[int, Body(embed=True, lt=10)],
        label: Annotated[str, Body(embed=True)] = "none",
    ) -> Any:
        return {"count": count, "label": label}

    @app.get("/required-annotated")
    def required_annotated(q: Annotated[str, Query(min_length=1)]) -> Any:
        return {"q": q}

    return app


@pytest.fixture
def app_pair(pair: Any) -> Pair:
    return pair(make_app)


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/both-forms/3", {}),
        ("/both-forms/3?a=4&b=5&c=xy", {"x-h": "h", "cookie": "ck=9"}),
        ("/both-forms/0?a=-1&b=-1&c=xyz", {"cookie": "ck=nine"}),
    ],
)
def test_both_marker_forms(app_pair: Pair, url: str, headers: dict[str, str]) -> None:
    app_pair.get(url, headers=headers)


@pytest.mark.parametrize("query", ["", "first=1&second=100", "first=0&second=101"])
def test_reused_annotated_alias(app_pair: Pair, query: str) -> None:
    app_pair.get(f"/alias-reuse?{query}")


@pytest.mark.parametrize("query", ["", "skip=2&limit=3", "limit=0"])
def test_annotated_dependency_alias(app_pair: Pair, query: str) -> None:
    response = app_pair.get(f"/dep-alias?{query}")
    if response.status_code == 200:
        assert response.json()["same"] is True


@pytest.mark.parametrize("payload", [{"count": 3}, {"count": 10, "label": "x"}, {}])
def test_annotated_body(app_pair: Pair, payload: Any) -> None:
    app_pair.post("/body-annotated", json=payload)


@pytest.mark.parametrize("query", ["", "q=", "q=a"])
def test_required_annotated(app_pair: Pair, query: str) -> None:
    app_pair.get(f"/required-annotated?{query}")


def test_msgspec_meta_constraints_in_annotated() -> None:
    app = FasterAPI.Faster()

    @app.get("/meta")
    def meta(n: Annotated[int, msgspec.Meta(ge=5), FasterAPI.Query()] = 5) -> Any:
        return {"n": n}

    client = FasterAPI.TestClient(app)
    assert client.get("/meta?n=6").json() == {"n": 6}
    response = client.get("/meta?n=4")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "n"]


def test_string_annotations_resolve_module_names() -> None:
    namespace: dict[str, Any] = {}
    exec(
        "from __future__ import annotations\n"
        "from typing import Annotated\n"
        "import FasterAPI\n"
        "app = FasterAPI.Faster()\n"
        "@app.get('/s')\n"
        "def s(n: Annotated[int, FasterAPI.Query(ge=1)] = 1, m: int = 0) -> dict:\n"
        "    return {'n': n, 'm': m}\n",
        namespace,
    )
    client = FasterAPI.TestClient(namespace["app"])
    assert client.get("/s?n=2&m=3").json() == {"n": 2, "m": 3}
    assert client.get("/s?n=0").status_code == 422


def test_unresolvable_string_annotation_is_a_clear_error() -> None:
    namespace: dict[str, Any] = {}
    source = (
        "from __future__ import annotations\n"
        "import FasterAPI\n"
        "app = FasterAPI.Faster()\n"
        "def build():\n"
        "    class Local:\n"
        "        pass\n"
        "    @app.get('/s')\n"
        "    def s(ok: int = 0, bad: Local | None = None) -> dict:\n"
        "        return {}\n"
    )
    exec(source, namespace)
    with pytest.raises(TypeError, match="'bad'"):
        namespace["build"]()
