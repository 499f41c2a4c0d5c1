
"""Path and query parameters: the same app under FasterAPI and FastAPI answers identically."""

import datetime
import decimal
import enum
import uuid
from types import ModuleType
from typing import Annotated, Any, Literal, Optional

import pytest
from fidelity import Pair


class Color(str, enum.Enum):
    red = "red"
    green = "green"


def make_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    Query, Path = fw.Query, fw.Path

    @app.get("/items/{item_id}")
    def item(item_id: int) -> Any:
        return {"item_id": item_id}

    @app.get("/names/{name}")
    def name(name: str, q: Optional[str] = None) -> Any:
        return {"name": name, "q": q}

    @app.get("/bounded/{n}")
    def bounded(n: Annotated[int, Path(ge=1, le=10)], f: float = Query(0.5, gt=0, lt=1)) -> Any:
        return {"n": n, "f": f}

    @app.get("/scalars")
    def scalars(
        i: int = 0,
        f: float = 0.0,
        b: bool = False,
        d: decimal.Decimal = decimal.Decimal("0"),
        u: Optional[uuid.UUID] = None,
        dt: Optional[datetime.datetime] = None,
        day: Optional[datetime.date] = None,
        t: Optional[datetime.time] = None,
        c: Color = Color.red,
        lit: Literal["a", "b"] = "a",
    ) -> Any:
        return {
            "i": i,
            "f": f,
            "b": b,
            "d": str(d),
            "u": str(u) if u else None,
            "dt": dt.isoformat() if dt else None,
            "day": day.isoformat() if day else None,
            "t": t.isoformat() if t else None,
            "c": c.value,
            "lit": lit,
        }

    @app.get("/required")
    def required(q: str, n: int = Query()) -> Any:
        return {"q": q, "n": n}

    @app.get("/strings")
    def strings(
        s: Annotated[str, Query(min_length=2, max_length=4, pattern="^[a-z]+$")] = "ab",
    ) -> Any:
        return {"s": s}

    @app.get("/alias")
    def alias(
        q: Optional[str] = Query(default=None, alias="item-query", title="T", description="D"),
    ) -> Any:
        return {"q": q}

    @app.get("/lists")
    def lists(
        q: list[int] = Query([]),
        tags: Annotated[Optional[list[str]], Query()] = None,
        s: Annotated[set[str], Query()] = set(),  # noqa: B006
    ) -> Any:
        return {"q": q, "tags": tags, "s": sorted(s)}

    @app.get("/union")
    def union(v: Optional[int] = None, w: int | None = Query(None, deprecated=True)) -> Any:
        return {"v": v, "w": w}

    @app.get("/factory")
    def factory(
        q: Annotated[list[str], Query(default_factory=lambda: ["x", "y"])],
    ) -> Any:
        return {"q": q}

    @app.get("/hidden")
    def hidden(secret: Optional[str] = Query(None, include_in_schema=False)) -> Any:
        return {"secret": secret}

    @app.get("/annotated-default")
    def annotated_default(limit: Annotated[int, Query(ge=1)] = 5) -> Any:
        return {"limit": limit}

    @app.get("/convertor/{item_id:int}")
    def convertor(item_id: int) -> Any:
        return {"item_id": item_id}

    @app.get("/files/{file_path:path}")
    def files(file_path: str) -> Any:
        return {"file_path": file_path}

    @app.get("/enum-path/{color}")
    def enum_path(color: Color) -> Any:
        return {"color": color}

    return app


@pytest.fixture
def app_pair(pair: Any) -> Pair:
    return pair(make_app)


@pytest.mark.parametrize(
    "url",
    [
        "/items/3",
        "/items/abc",
        "/items/3.5",
        "/items/-7",
        "/names/joe",
        "/names/joe?q=hello%20world",
        "/names/%C3%A9t%C3%A9",
        "/bounded/5",
        "/bounded/0",
        "/bounded/11?f=1",
        "/bounded/x?f=y",
        "/bounded/3?f=0.25",
        "/convertor/12",
        "/files/a/b/c.txt",
        "/enum-path/green",
        "/enum-path/blue",
    ],
)
def test_path_params(app_pair: Pair, url: str) -> None:
    app_pair.get(url)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "i=5&f=2.5&d=1.10",
        "i=x&f=y&b=z&d=q&u=w&dt=v&day=k&t=m&c=blue&lit=c",
        "u=6f1b1cc2-2a4c-4f4b-9d9d-5d3f1f1f1f1f",
        "dt=2024-01-02T03:04:05&day=2024-02-29&t=12:30:00",
        "dt=2024-01-02T03:04:05%2B02:00",
        "c=green&lit=b",
        "i=1e3",
        "i=2.0",
        "f=inf",
        "f=nan",
        "i=99999999999999999999999",
        "i=",
    ],
)
def test_scalar_types(app_pair: Pair, query: str) -> None:
    app_pair.get(f"/scalars?{query}")


@pytest.mark.parametrize(
    "value",
    ["true", "True", "1", "yes", "on", "y", "t", "false", "0", "no", "off", "n", "f", "maybe", "2"],
)
def test_bool_spellings(app_pair: Pair, value: str) -> None:
    response = app_pair.get(f"/scalars?b={value}")
    if value in ("maybe", "2"):
        assert response.status_code == 422
    else:
        assert response.json()["b"] is (value.lower() in ("true", "1", "yes", "on", "y", "t"))


@pytest.mark.parametrize(
    "query", ["", "q=a", "n=1", "q=a&n=1", "q=a&n=x", "n=x", "q=&n=1"]
)
def test_required_query(app_pair: Pair, query: str) -> None:
    app_pair.get(f"/required?{query}")


def test_every_error_reported_at_once(app_pair: Pair) -> None:
    response = app_pair.get("/scalars?i=x&f=y&b=z&d=q&u=w&dt=v&day=k&t=m&c=blue&lit=c")
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [
        ["query", name] for name in ("i", "f", "b", "d", "u", "dt", "day", "t", "c", "lit")
    ]


def test_error_shape_exact(app_pair: Pair) -> None:
    response = app_pair.get("/items/abc")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "int_parsing",
                "loc": ["path", "item_id"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "abc",
            }
        ]
    }


@pytest.mark.parametrize("query", ["", "s=a", "s=abcde", "s=AB", "s=abc", "s=ab1"])
def test_string_constraints(app_pair: Pair, query: str) -> None:
    app_pair.get(f"/strings?{query}")


@pytest.mark.parametrize("query", ["", "item-query=x", "q=x", "item_query=x"])
def test_alias(app_pair: Pair, query: str) -> None:
    app_pair.get(f"/alias?{query}")


@pytest.mark.parametrize(
    "query",
    ["", "q=1&q=2&q=3", "q=1&q=x&q=y", "tags=a&tags=b", "s=b&s=a&s=b", "q=1&tags=z"],
)
def test_repeated_query_values(app_pair: Pair, query: str) -> None:
    app_pair.get(f"/lists?{query}")


@pytest.mark.parametrize("query", ["", "v=1&w=2", "v=x", "v=&w="])
def test_optional_union(app_pair: Pair, query: str) -> None:
    app_pair.get(f"/union?{query}")


@pytest.mark.parametrize("query", ["", "q=z", "q=z&q=w"])
def test_default_factory(app_pair: Pair, query: str) -> None:
    response = app_pair.get(f"/factory?{query}")
    if not query:
        assert response.json() == {"q": ["x", "y"]}


@pytest.mark.parametrize("query", ["", "limit=1", "limit=0", "limit=ten"])
def test_annotated_default(app_pair: Pair, query: str) -> None:
    app_pair.get(f"/annotated-default?{query}")


def test_include_in_schema_false_still_reads(app_pair: Pair) -> None:
    assert app_pair.get("/hidden?secret=s").json() == {"secret": "s"}


def test_convertor_mismatch_is_404(app_pair: Pair) -> None:
    assert app_pair.get("/convertor/abc").status_code == 404


def test_path_param_not_in_path_is_missing(pair: Any) -> None:
    # dependencies/analysis.py refused it at definition; FastAPI accepts it (a router's
    # prefix may supply it) and answers a request without it with "missing"
    def make(fw: Any) -> Any:
        app = fw.FastAPI()

        @app.get("/things")
        def things(thing_id: int = fw.Path()) -> int:
            return thing_id

        return app

    pair(make).get("/things")


def test_marker_twice_is_rejected() -> None:
    import FasterAPI

    app = FasterAPI.Faster()
    with pytest.raises(AssertionError, match="Cannot specify FastAPI annotations in `Annotated`"):

        @app.get("/twice")
        def twice(q: Annotated[int, FasterAPI.Query()] = FasterAPI.Query(1)) -> Any:
            return q
