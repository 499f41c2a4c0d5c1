
"""Header and cookie parameters, compared with FastAPI."""

from types import ModuleType
from typing import Annotated, Any, Optional

import pytest
from fidelity import Pair


def make_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    Header, Cookie = fw.Header, fw.Cookie

    @app.get("/ua")
    def ua(user_agent: Optional[str] = Header(None)) -> Any:
        return {"user_agent": user_agent}

    @app.get("/custom")
    def custom(
        x_token: Annotated[str, Header()],
        x_count: Annotated[int, Header(ge=0)] = 0,
    ) -> Any:
        return {"x_token": x_token, "x_count": x_count}

    @app.get("/raw")
    def raw(strange_header: Optional[str] = Header(None, convert_underscores=False)) -> Any:
        return {"strange_header": strange_header}

    @app.get("/aliased")
    def aliased(value: Optional[str] = Header(None, alias="X-Special-Value")) -> Any:
        return {"value": value}

    @app.get("/repeated")
    def repeated(x_token: Optional[list[str]] = Header(None)) -> Any:
        return {"x_token": x_token}

    @app.get("/repeated-int")
    def repeated_int(x_n: Annotated[list[int], Header()] = []) -> Any:  # noqa: B006
        return {"x_n": x_n}

    @app.get("/cookies")
    def cookies(
        session: Optional[str] = Cookie(None),
        visits: Annotated[int, Cookie(ge=0)] = 0,
    ) -> Any:
        return {"session": session, "visits": visits}

    @app.get("/required-cookie")
    def required_cookie(ads_id: str = Cookie(), flag: bool = Cookie(False)) -> Any:
        return {"ads_id": ads_id, "flag": flag}

    @app.get("/mixed/{item_id}")
    def mixed(
        item_id: int,
        q: int,
        x_token: Annotated[int, Header()],
        session: Annotated[int, Cookie()],
    ) -> Any:
        return [item_id, q, x_token, session]

    return app


@pytest.fixture
def app_pair(pair: Any) -> Pair:
    return pair(make_app)


def test_underscores_become_hyphens(app_pair: Pair) -> None:
    assert app_pair.get("/ua", headers={"User-Agent": "bot/1"}).json() == {"user_agent": "bot/1"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Token": "abc"},
        {"x-token": "abc", "x-count": "3"},
        {"X-Token": "abc", "X-Count": "-1"},
        {"X-Token": "abc", "X-Count": "many"},
        {"x_token": "abc"},
    ],
)
def test_custom_headers(app_pair: Pair, headers: dict[str, str]) -> None:
    app_pair.get("/custom", headers=headers)


@pytest.mark.parametrize(
    "headers", [{}, {"strange_header": "1"}, {"strange-header": "1"}]
)
def test_convert_underscores_false(app_pair: Pair, headers: dict[str, str]) -> None:
    app_pair.get("/raw", headers=headers)


@pytest.mark.parametrize("headers", [{}, {"x-special-value": "v"}, {"value": "v"}])
def test_header_alias(app_pair: Pair, headers: dict[str, str]) -> None:
    app_pair.get("/aliased", headers=headers)


@pytest.mark.parametrize(
    "headers",
    [[], [("X-Token", "a")], [("X-Token", "a"), ("X-Token", "b")]],
)
def test_repeated_header_values(app_pair: Pair, headers: list[tuple[str, str]]) -> None:
    app_pair.get("/repeated", headers=headers)


@pytest.mark.parametrize(
    "headers",
    [[], [("x-n", "1"), ("x-n", "2")], [("x-n", "1"), ("x-n", "z")]],
)
def test_repeated_int_header(app_pair: Pair, headers: list[tuple[str, str]]) -> None:
    app_pair.get("/repeated-int", headers=headers)


@pytest.mark.parametrize(
    "cookie",
    ["", "session=abc", "session=abc; visits=4", "visits=-2", "visits=x", "other=1"],
)
def test_cookies(app_pair: Pair, cookie: str) -> None:
    app_pair.get("/cookies", headers={"cookie": cookie} if cookie else {})


@pytest.mark.parametrize("cookie", ["", "ads_id=1", "ads_id=1; flag=yes", "flag=bad"])
def test_required_cookie(app_pair: Pair, cookie: str) -> None:
    app_pair.get("/required-cookie", headers={"cookie": cookie} if cookie else {})


def test_errors_from_every_source_at_once(app_pair: Pair) -> None:
    response = app_pair.get("/mixed/x?q=y", headers={"x-token": "z", "cookie": "session=w"})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [
        ["path", "item_id"],
        ["query", "q"],
        ["header", "x-token"],
        ["cookie", "session"],
    ]


def test_all_missing(app_pair: Pair) -> None:
    response = app_pair.get("/mixed/1")
    assert [e["type"] for e in response.json()["detail"]] == ["missing"] * 3
