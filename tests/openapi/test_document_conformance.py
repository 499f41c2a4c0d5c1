"""FastAPI 0.165's document and docs routes, side by side with FasterAPI's for the same app:
parameter, body and security order, ``example=``/``regex=`` (deprecated, warned), media types,
the docs routes outside the app's dependencies, the root path kept out of the cached document."""

import warnings
from typing import Annotated, Any

import fastapi
import fastapi.security
import pytest
from fastapi.exceptions import FastAPIDeprecationWarning
from fastapi.testclient import TestClient as FastAPIClient
from pydantic import BaseModel

import FasterAPI
import FasterAPI.security
from FasterAPI.exceptions import FasterAPIDeprecationWarning
from FasterAPI.testclient import TestClient


class Item(BaseModel):
    name: str


class Profile(BaseModel):
    nickname: str


FRAMEWORKS = [
    pytest.param((FasterAPI, FasterAPI.Faster, FasterAPI.security, TestClient), id="fasterapi"),
    pytest.param(
        (fastapi, fastapi.FastAPI, fastapi.security, FastAPIClient),
        id="fastapi",
    ),
]


def build(fw: Any, app_cls: Any, security: Any) -> Any:
    """The same application written against either framework's names."""

    def token_header(x_token: Annotated[str, fw.Header()]) -> str:
        return x_token

    app = app_cls(title="Conformance", dependencies=[fw.Depends(token_header)])
    oauth = security.OAuth2AuthorizationCodeBearer(
        authorizationUrl="authorize", tokenUrl="token", scopes={"read": "R", "write": "W"}
    )

    def paging(limit: int = 10, cursor: str | None = None) -> dict[str, Any]:
        return {"limit": limit}

    def reader(token: Annotated[str, fw.Security(oauth, scopes=["read"])]) -> str:
        return token

    def item_body(extra: Annotated[Item, fw.Body()]) -> Item:
        return extra

    @app.put("/items/{item_id}")
    def update(
        page: Annotated[dict[str, Any], fw.Depends(paging)],
        item_id: int,
        user: Annotated[str, fw.Security(reader, scopes=["write"])],
        item: Item,
        more: Annotated[Item, fw.Depends(item_body)],
        q: str | None = None,
    ) -> Item:
        return item

    @app.post("/forms")
    def forms(
        name: Annotated[str, fw.Form()],
        profile: Annotated[str, fw.Form(media_type="multipart/form-data")],
    ) -> str:
        return name

    @app.post("/form-file")
    def form_file(name: Annotated[str, fw.Form()], upload: Annotated[bytes, fw.File()]) -> str:
        return name

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")

        @app.get("/examples")
        def examples(
            q: Annotated[str | None, fw.Query(example="hello", regex="^h")] = None,
            h: Annotated[str | None, fw.Header(example="x", examples=["y"])] = None,
        ) -> str:
            return ""

        @app.post("/example-body")
        def example_body(item: Annotated[Item, fw.Body(example={"name": "n"})]) -> Item:
            return item

    return app


def test_documents_match_fastapi() -> None:
    ours = build(FasterAPI, FasterAPI.Faster, FasterAPI.security).openapi()
    theirs = build(fastapi, fastapi.FastAPI, fastapi.security).openapi()
    assert ours == theirs
    operation = ours["paths"]["/items/{item_id}"]["put"]
    # path first, then query, header, cookie; the endpoint's own before its dependencies'
    assert [(p["in"], p["name"]) for p in operation["parameters"]] == [
        ("path", "item_id"),
        ("query", "q"),
        ("query", "limit"),
        ("query", "cursor"),
        ("header", "x-token"),
    ]
    assert operation["security"] == [{"OAuth2AuthorizationCodeBearer": ["write", "read"]}]
    body = ours["components"]["schemas"]["Body_update_items__item_id__put"]
    assert body["required"] == ["item", "extra"]
    assert list(ours["paths"]["/forms"]["post"]["requestBody"]["content"]) == [
        "multipart/form-data"
    ]
    parameters = ours["paths"]["/examples"]["get"]["parameters"]
    assert parameters[0]["example"] == "hello" and "examples" not in parameters[0]["schema"]
    assert parameters[1]["example"] == "x" and parameters[1]["schema"]["examples"] == ["y"]
    content = ours["paths"]["/example-body"]["post"]["requestBody"]["content"]
    assert content["application/json"]["example"] == {"name": "n"}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_docs_routes_are_not_guarded_by_app_dependencies(framework: Any) -> None:
    fw, app_cls, security, client_cls = framework
    client = client_cls(build(fw, app_cls, security))
    for url in ("/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"):
        assert client.get(url).status_code == 200, url
    response = client.get("/examples")  # the app's routes are guarded
    assert response.status_code == 422
    assert {"loc": ["header", "x-token"]}.items() <= response.json()["detail"][0].items()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_root_path_stays_out_of_the_cached_document(framework: Any) -> None:
    _, app_cls, _, client_cls = framework
    app = app_cls(servers=[{"url": "https://api.example.com"}])
    for prefix in ("/evil", "/other"):
        servers = client_cls(app, root_path=prefix).get("/openapi.json").json()["servers"]
        assert servers == [{"url": prefix}, {"url": "https://api.example.com"}]
    assert client_cls(app).get("/openapi.json").json()["servers"] == [
        {"url": "https://api.example.com"}
    ]
    assert app.servers == [{"url": "https://api.example.com"}]
    assert app.openapi()["servers"] == [{"url": "https://api.example.com"}]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_bad_responses_key_is_a_value_error(framework: Any) -> None:
    _, app_cls, _, client_cls = framework
    app = app_cls()

    @app.get("/a", responses={"hello": {"description": "Not a status code"}})
    def a() -> None: ...

    with pytest.raises(ValueError):
        app.openapi()
    with pytest.raises(ValueError):
        client_cls(app).get("/openapi.json")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda fw: fw.Query(regex="^a"), "`regex` has been deprecated, please use `pattern`"),
        (lambda fw: fw.Form(regex="^a"), "`regex` has been deprecated, please use `pattern`"),
        (lambda fw: fw.Path(example=1), "`example` has been deprecated, please use `examples`"),
        (lambda fw: fw.Body(example={}), "`example` has been deprecated, please use `examples`"),
        (lambda fw: fw.File(example=b""), "`example` has been deprecated, please use `examples`"),
    ],
)
def test_deprecated_keywords_warn_when_the_marker_is_made(make: Any, message: str) -> None:
    with pytest.warns(FastAPIDeprecationWarning, match=message) as theirs:
        make(fastapi)
    with pytest.warns(FasterAPIDeprecationWarning, match=message) as ours:
        make(FasterAPI)
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    assert ours[0].filename == __file__  # the caller's line, not FasterAPI's


def test_no_warning_without_deprecated_keywords() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FasterAPI.Query(pattern="^a", examples=["a"])
        FasterAPI.File()
