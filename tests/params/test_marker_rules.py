"""FastAPI 0.165's rules for parameter markers, checked against FastAPI itself: reprs, the
definition-time refusals (non-scalar path and query parameters, a default inside an
``Annotated`` marker, a marker given twice), several markers combined, ``Json[list[str]]``
read as one JSON text from the query string, a header or a form."""

import datetime
import decimal
import enum
import ipaddress
import json
import pathlib
import uuid
from collections.abc import Sequence
from types import ModuleType
from typing import Annotated, Any, Literal

import fastapi
import fastapi.params
import pytest
from fidelity import Pair
from pydantic import BaseModel, Json

import FasterAPI
from fasterapi_core import params as our_params

FRAMEWORKS = {"fasterapi": FasterAPI, "fastapi": fastapi}


class Item(BaseModel):
    title: str


@pytest.mark.parametrize("marker", ["Param", "Path", "Query", "Header", "Cookie", "Body"])
@pytest.mark.parametrize("default", ["teststr", None, ..., 1, []])
def test_repr_as_fastapi(marker: str, default: Any) -> None:
    if marker == "Path" and default is not ...:
        return  # a path parameter has no default (see below)
    ours = getattr(our_params, marker)(default)
    theirs = getattr(fastapi.params, marker)(default)
    assert repr(ours) == repr(theirs)
    assert repr(getattr(our_params, marker)()) == repr(getattr(fastapi.params, marker)())


def definition_error(fw: ModuleType, define: Any) -> tuple[type[BaseException], str] | None:
    app = fw.FastAPI()
    try:
        define(app, fw)
    except Exception as exc:
        return type(exc), str(exc)
    return None


def path_list(app: Any, fw: ModuleType) -> None:
    @app.get("/items/{id}")
    def read(id: list[int]) -> None: ...


def path_model(app: Any, fw: ModuleType) -> None:
    @app.get("/items/{id}")
    def read(id: Item) -> None: ...


def path_dict(app: Any, fw: ModuleType) -> None:
    @app.get("/items/{id}")
    def read(id: dict[str, int]) -> None: ...


def query_models(app: Any, fw: ModuleType) -> None:
    @app.get("/items/")
    def read(q: list[Item] = fw.Query(default=None)) -> None: ...


def query_tuple_of_models(app: Any, fw: ModuleType) -> None:
    @app.get("/items/")
    def read(q: tuple[Item, Item] = fw.Query(default=None)) -> None: ...


def query_dict(app: Any, fw: ModuleType) -> None:
    @app.get("/items/")
    def read(q: dict | None = fw.Query(default=None)) -> None: ...  # type: ignore[type-arg]


def path_default(app: Any, fw: ModuleType) -> None:
    @app.get("/items/{item_id}")
    def read(item_id: Annotated[int, fw.Path(default=1)]) -> None: ...


def annotated_query_default(app: Any, fw: ModuleType) -> None:
    @app.get("/")
    def read(item_id: Annotated[int, fw.Query(default=1)]) -> None: ...


def depends_twice(app: Any, fw: ModuleType) -> None:
    def dep() -> None: ...

    @app.get("/")
    def read(foo: Annotated[int, fw.Depends(dep)] = fw.Depends(dep)) -> None: ...


def query_and_depends(app: Any, fw: ModuleType) -> None:
    def dep() -> None: ...

    @app.get("/")
    def read(foo: Annotated[int, fw.Query(min_length=1)] = fw.Depends(dep)) -> None: ...


def query_twice(app: Any, fw: ModuleType) -> None:
    @app.get("/")
    def read(q: Annotated[int, fw.Query()] = fw.Query(1)) -> None: ...


@pytest.mark.parametrize(
    "define",
    [
        path_list,
        path_model,
        path_dict,
        query_models,
        query_tuple_of_models,
        query_dict,
        path_default,
        annotated_query_default,
        depends_twice,
        query_and_depends,
        query_twice,
    ],
)
def test_refused_at_definition_as_fastapi(define: Any) -> None:
    ours = definition_error(FasterAPI, define)
    theirs = definition_error(fastapi, define)
    assert ours is not None
    assert ours == theirs


def accepted(app: Any, fw: ModuleType) -> None:
    @app.get("/items/{id}")
    def read(
        id: int,
        tags: list[str] = fw.Query(default=[]),
        filters: Annotated[Item | None, fw.Query()] = None,
        raw: Annotated[Json[Item], fw.Query()] = "{}",  # type: ignore[assignment]
    ) -> None: ...


def test_scalar_sequences_models_and_json_accepted() -> None:
    assert definition_error(FasterAPI, accepted) is None
    assert definition_error(fastapi, accepted) is None


def json_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    @app.post("/form")
    def form(items: Annotated[Json[list[str]], fw.Form()]) -> list[str]:
        return items

    @app.get("/query")
    def query(items: Annotated[Json[list[str]], fw.Query()]) -> list[str]:
        return items

    @app.get("/header")
    def header(x_items: Annotated[Json[list[str]], fw.Header()]) -> list[str]:
        return x_items

    @app.get("/tuple")
    def tuple_query(v: tuple[int, int] = fw.Query()) -> tuple[int, int]:
        return v

    @app.post("/tuple-form")
    def tuple_form(v: tuple[int, int] = fw.Form()) -> tuple[int, int]:
        return v

    @app.get("/bounded")
    def bounded(foo: Annotated[int, fw.Query(gt=2), fw.Query(lt=10)]) -> int:
        return foo

    return app


@pytest.fixture(scope="module")
def pair() -> Pair:
    return Pair(json_app)


@pytest.mark.parametrize("text", [json.dumps(["abc", "def"]), "[1]", "not json", "{}"])
def test_json_list_is_one_value(pair: Pair, text: str) -> None:
    pair.post("/form", data={"items": text})
    pair.get("/query", params={"items": text})
    pair.get("/header", headers={"x-items": text})


@pytest.mark.parametrize("foo", ["5", "1", "2", "10", "123", "x"])
def test_markers_combined(pair: Pair, foo: str) -> None:
    pair.get("/bounded", params={"foo": foo})


class Color(enum.Enum):
    red = "red"


@pytest.mark.parametrize(
    "annotation",
    [
        bytes,
        pathlib.Path,
        Color,
        uuid.UUID,
        datetime.date,
        decimal.Decimal,
        Literal["x", "y"],
        int | None,
        Any,
        ipaddress.IPv4Address,
        frozenset[int],
        list[int],
        tuple[int, ...],
        tuple[int, str],
        list[Literal["a"]],
        list[bytes],
        Sequence[int],
        dict,
    ],
)
@pytest.mark.parametrize("where", ["path", "query"])
def test_supported_types_as_fastapi(annotation: Any, where: str) -> None:
    def define(app: Any, fw: ModuleType) -> None:
        if where == "path":

            @app.get("/{x}")
            def read_path(x: annotation) -> None: ...  # type: ignore[valid-type]

        else:

            @app.get("/")
            def read_query(x: annotation = fw.Query(None)) -> None: ...  # type: ignore[valid-type]

    assert definition_error(FasterAPI, define) == definition_error(fastapi, define)


@pytest.mark.parametrize("values", [["1", "2"], ["1"], ["1", "2", "3"], ["a", "2"], []])
def test_fixed_tuple_reads_every_value(pair: Pair, values: list[str]) -> None:
    pair.get("/tuple", params={"v": values})
    pair.post("/tuple-form", data={"v": values})
