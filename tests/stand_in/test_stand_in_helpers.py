"""The FastAPI helpers the stand-in implements on FasterAPI (``fastapi.dependencies.utils``,
``fastapi._compat``, ``fastapi.utils``, ``fastapi.datastructures.Default``), compared with
FastAPI's own where FastAPI is installed."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack
from typing import Annotated, Any, Optional, Union

import pytest
from asgi_support import http_scope

from FasterAPI import Faster
from FasterAPI._stand_in import annotations, helpers
from FasterAPI._stand_in.dependency_utils import (
    get_dependant,
    get_parameterless_sub_dependant,
    get_typed_return_annotation,
    get_typed_signature,
    solve_dependencies,
)
from fasterapi_core.datastructures import UploadFile
from fasterapi_core.params import Body, Depends, Header, Security
from fasterapi_core.requests import Request
from fasterapi_routing.responding import DefaultPlaceholder

fastapi_compat = pytest.importorskip("fastapi._compat")
fastapi_utils = pytest.importorskip("fastapi.utils")
starlette_datastructures = pytest.importorskip("starlette.datastructures")


def _annotations(upload: type[Any]) -> list[Any]:
    return [
        int,
        str,
        bytes,
        list[int],
        tuple[str, ...],
        set[bytes],
        Sequence[bytes],
        list[bytes],
        Optional[bytes],
        Union[list[bytes], None],
        Annotated[list[int], "meta"],
        list[str] | None,
        upload,
        upload | None,
        list[upload],
        list[upload] | None,
        dict[str, int],
        None,
    ]


HELPERS = [
    "field_annotation_is_sequence",
    "is_bytes_or_nonable_bytes_annotation",
    "is_bytes_sequence_annotation",
    "is_uploadfile_or_nonable_uploadfile_annotation",
    "is_uploadfile_sequence_annotation",
]


@pytest.mark.parametrize("helper", HELPERS)
def test_annotation_helpers_answer_as_fastapi(helper: str) -> None:
    ours = [getattr(annotations, helper)(a) for a in _annotations(UploadFile)]
    theirs = [
        getattr(fastapi_compat, helper)(a)
        for a in _annotations(starlette_datastructures.UploadFile)
    ]
    assert ours == theirs
    assert any(ours)  # the list has annotations each helper says yes to


@pytest.mark.parametrize("value", [[1], (1,), {1}, "ab", b"ab", 3, None, frozenset()])
def test_value_is_sequence_as_fastapi(value: Any) -> None:
    assert annotations.value_is_sequence(value) == fastapi_compat.value_is_sequence(value)


def test_lenient_issubclass() -> None:
    assert annotations.lenient_issubclass(bool, int)
    assert not annotations.lenient_issubclass(list[int], list)
    assert not annotations.lenient_issubclass("int", int)


@pytest.mark.parametrize("code", [None, 100, 200, 204, 205, 304, 404, "default", "2XX", "418"])
def test_is_body_allowed_for_status_code_as_fastapi(code: Any) -> None:
    assert helpers.is_body_allowed_for_status_code(
        code
    ) == fastapi_utils.is_body_allowed_for_status_code(code)


def test_deep_dict_update_as_fastapi() -> None:
    update = {"a": {"b": 2, "l": [2]}, "c": 3}
    ours: dict[str, Any] = {"a": {"b": 1, "x": 0, "l": [1]}, "c": {"d": 1}}
    theirs: dict[str, Any] = {"a": {"b": 1, "x": 0, "l": [1]}, "c": {"d": 1}}
    helpers.deep_dict_update(ours, update)
    fastapi_utils.deep_dict_update(theirs, update)
    assert ours == theirs == {"a": {"b": 2, "x": 0, "l": [1, 2]}, "c": 3}


def test_default_is_a_fasterapi_placeholder() -> None:
    from FasterAPI.datastructures import Default

    marked: Any = Default(5)
    assert isinstance(marked, DefaultPlaceholder)
    assert marked.value == 5


def test_typed_signature_resolves_string_annotations() -> None:
    def endpoint(a: int, b: Annotated[str, Header()] = "x", *rest: int) -> dict[str, int]:
        return {}

    signature = get_typed_signature(endpoint)  # annotations are strings in this module
    parameters = signature.parameters
    assert list(parameters) == ["a", "b", "rest"]
    assert parameters["a"].annotation is int
    assert parameters["b"].annotation.__origin__ is str
    assert isinstance(parameters["b"].annotation.__metadata__[0], Header)
    assert parameters["b"].default == "x"
    assert parameters["rest"].annotation is int
    assert signature.return_annotation is inspect.Signature.empty
    assert get_typed_return_annotation(endpoint) == dict[str, int]


def token(x_token: Annotated[str, Header()]) -> str:
    return x_token


TORN_DOWN: list[str] = []


async def session(t: Annotated[str, Depends(token)]) -> AsyncIterator[str]:
    yield f"session of {t}"
    TORN_DOWN.append(t)


def user(t: Annotated[str, Depends(token)], s: Annotated[str, Depends(session)], q: int = 1) -> Any:
    return {"token": t, "session": s, "q": q}


async def endpoint(item_id: int, u: Annotated[Any, Depends(user)], item: dict[str, int]) -> None:
    return None


def _request(headers: list[tuple[bytes, bytes]], query: bytes = b"") -> Request:
    scope = http_scope("/items/3", "POST", query)
    scope["headers"] = [*scope["headers"], *headers]
    scope["path_params"] = {"item_id": "3"}
    return Request(scope)


def test_get_dependant_analyses_the_graph() -> None:
    dependant = get_dependant(path="/items/{item_id}", call=endpoint)
    assert [f.name for f in dependant.path_params] == ["item_id"]
    assert [f.name for f in dependant.body_params] == ["item"]
    assert [d.name for d in dependant.dependencies] == ["u"]
    assert [d.call for d in dependant.dependencies[0].dependencies] == [token, session]
    secured = get_parameterless_sub_dependant(
        depends=Security(token, scopes=["read"]), path="/items/{item_id}"
    )
    assert secured.call is token
    assert secured.name is None
    assert secured.security_scopes == ["read"]


@pytest.mark.anyio
async def test_solve_dependencies_resolves_like_a_route() -> None:
    TORN_DOWN.clear()
    dependant = get_dependant(path="/items/{item_id}", call=endpoint)
    cache: dict[Any, Any] = {}
    async with AsyncExitStack() as stack:
        solved = await solve_dependencies(
            request=_request([(b"x-token", b"abc")], b"q=5"),
            dependant=dependant,
            body={"a": 1},
            async_exit_stack=stack,
            dependency_cache=cache,
        )
        assert TORN_DOWN == []
    assert TORN_DOWN == ["abc"]
    assert solved.errors == []
    assert solved.values == {
        "u": {"token": "abc", "session": "session of abc", "q": 5},
        "item_id": 3,
        "item": {"a": 1},
    }
    assert solved.dependency_cache is cache
    assert len(cache) == 3  # token (shared by user and session), session, user
    assert solved.response.status_code is None


@pytest.mark.anyio
async def test_solve_dependencies_reports_errors_and_applies_overrides() -> None:
    dependant = get_dependant(path="/items/{item_id}", call=endpoint)

    class Provider:
        dependency_overrides = {session: lambda: "overridden"}

    async with AsyncExitStack() as stack:
        solved = await solve_dependencies(
            request=_request([], b"q=x"),
            dependant=dependant,
            body={"a": "not an int"},
            async_exit_stack=stack,
            dependency_overrides_provider=Provider(),
        )
    locations = [tuple(error["loc"]) for error in solved.errors]
    assert locations == [("header", "x-token"), ("query", "q"), ("body", "a")]
    assert "u" not in solved.values

    async with AsyncExitStack() as stack:
        solved = await solve_dependencies(
            request=_request([(b"x-token", b"t")]),
            dependant=dependant,
            body={"a": 2},
            async_exit_stack=stack,
            dependency_overrides_provider=Provider(),
        )
    assert solved.values["u"] == {"token": "t", "session": "overridden", "q": 1}


@pytest.mark.anyio
async def test_solve_dependencies_embeds_several_body_fields() -> None:
    async def two(a: Annotated[int, Body()], b: Annotated[str, Body()] = "z") -> None:
        return None

    dependant = get_dependant(path="/", call=two)
    async with AsyncExitStack() as stack:
        solved = await solve_dependencies(
            request=_request([]), dependant=dependant, body={"a": "4"}, async_exit_stack=stack
        )
        missing = await solve_dependencies(
            request=_request([]), dependant=dependant, body={}, async_exit_stack=stack
        )
    assert solved.errors == []
    assert solved.values == {"a": 4, "b": "z"}
    assert [tuple(e["loc"]) for e in missing.errors] == [("body", "a")]


def test_the_stand_in_fastapi_class_documents_itself_as_fastapi() -> None:
    app = helpers.FastAPI()
    assert isinstance(app, Faster)
    assert app.openapi()["info"] == {"title": "FastAPI", "version": "0.1.0"}
    assert helpers.FastAPI(title="Shop").title == "Shop"
    assert Faster().title == "FasterAPI"
