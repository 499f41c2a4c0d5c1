"""FastAPI's ``form_limits`` (application, router, ``include_router``, route, mounts) and the
form limit answers, compared with FastAPI 0.165 (the cases of its tests/test_form_limits.py):
the same application on both frameworks, identical status, content type and body."""

from collections.abc import Callable
from types import ModuleType
from typing import Annotated, Any

import pytest
from twins import Twins, sub

import FasterAPI
from FasterAPI import FormLimits, Limits


def field_endpoint(fw: ModuleType) -> Callable[..., Any]:
    async def field(text: Annotated[str, fw.Form()]) -> str:
        return text

    return field


def test_nested_and_reused_router_limits() -> None:
    # Each level contributes a different setting; reusing the router must not change the
    # configuration of its other inclusions.
    def app(fw: ModuleType) -> Any:
        child = fw.APIRouter(form_limits={"max_fields": 1})
        child.post("/", form_limits={"max_part_size": 3})(field_endpoint(fw))
        parent = fw.APIRouter()
        parent.include_router(child, form_limits={"max_fields": 4})
        app = fw.FastAPI(form_limits={"max_part_size": 1})
        app.include_router(parent, prefix="/one", form_limits={"max_files": 0})
        app.include_router(parent, prefix="/two", form_limits={"max_files": 1})
        return app

    twins = Twins(app)
    payload = [("text", (None, "abc")), ("file", ("f", b"12345"))]
    assert twins.post("/one/", files=payload).status_code == 400
    assert twins.post("/two/", files=payload).json() == "abc"
    assert twins.post("/two/", files=[*payload, ("text", (None, "z"))]).status_code == 400
    assert twins.post("/two/", files={"text": (None, "abcd")}).status_code == 400
    assert twins.post("/one/", files=payload).status_code == 400


def test_each_level_overrides_the_one_above() -> None:
    def app(fw: ModuleType) -> Any:
        inner = fw.APIRouter(form_limits={"max_part_size": 4})
        inner.post("/router")(field_endpoint(fw))
        inner.post("/route", form_limits={"max_part_size": 6})(field_endpoint(fw))
        outer = fw.APIRouter(form_limits={"max_part_size": 2})
        outer.include_router(inner, prefix="/inner", form_limits={"max_part_size": 3})
        outer.post("/outer")(field_endpoint(fw))
        app = fw.FastAPI(form_limits={"max_part_size": 1})
        app.include_router(outer, prefix="/outer", form_limits={"max_part_size": 5})
        app.post("/app")(field_endpoint(fw))
        return app

    twins = Twins(app)
    # "text" (4 bytes) and its value count together in a urlencoded form, as in FastAPI.
    for path, fits in (
        ("/app", 0),
        ("/outer/outer", 0),
        ("/outer/inner/router", 0),
        ("/outer/inner/route", 2),
    ):
        if fits:
            assert twins.post(path, data={"text": "x" * fits}).json() == "x" * fits
        twins.post(path, data={"text": "x" * (fits + 1)})
        for size in (1, 3, 4, 5, 6):
            twins.post(path, files={"text": (None, "x" * size)})


def test_mounted_app_and_direct_route() -> None:
    def app(fw: ModuleType) -> Any:
        route = sub(fw, "routing").APIRoute(
            "/", field_endpoint(fw), methods=["POST"], form_limits={"max_fields": 1}
        )
        child = fw.FastAPI(routes=[route])
        app = fw.FastAPI(form_limits={"max_part_size": 2, "max_fields": 0})
        app.mount("/child", child)
        return app

    twins = Twins(app)
    assert twins.post("/child/", files={"text": (None, "ab")}).json() == "ab"
    assert twins.post("/child/", files={"text": (None, "abc")}).status_code == 400


def test_a_mounted_app_with_its_own_limits_keeps_them() -> None:
    def app(fw: ModuleType) -> Any:
        child = fw.FastAPI(form_limits={"max_part_size": 5})
        child.post("/")(field_endpoint(fw))
        app = fw.FastAPI(form_limits={"max_part_size": 2})
        app.mount("/child", child)
        return app

    twins = Twins(app)
    assert twins.post("/child/", files={"text": (None, "abcde")}).json() == "abcde"
    assert twins.post("/child/", files={"text": (None, "abcdef")}).status_code == 400


def test_dependency_parses_once_and_preserves_body_limit() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(form_limits={"max_fields": 1}, max_body_size=25)

        @app.post("/")
        async def endpoint(
            request: fw.Request,  # type: ignore[name-defined]
            text: Annotated[str, fw.Depends(field_endpoint(fw))],
        ) -> bool:
            cached = await request.form(max_fields=0)
            return bool(cached["text"] == text)

        return app

    twins = Twins(app)
    assert twins.post("/", data={"text": "ok"}).json() is True
    assert twins.post("/", data={"text": "ok", "extra": "v"}).status_code == 400
    assert twins.post("/", data={"text": "x" * 30}).status_code == 413


@pytest.mark.parametrize(
    "limits",
    [{"max_parts": 1}, {"max_files": -1}, {"max_fields": False}, {"max_part_size": 1.5}],
)
def test_invalid_configuration(limits: dict[str, Any]) -> None:
    for fw in (FasterAPI, pytest.importorskip("fastapi")):
        with pytest.raises(ValueError):
            fw.FastAPI(form_limits=limits)


@pytest.mark.parametrize("where", ["include", "route", "router", "operation"])
def test_invalid_route_and_inclusion_limits(where: str) -> None:
    for fw in (FasterAPI, pytest.importorskip("fastapi")):
        field = field_endpoint(fw)
        with pytest.raises(ValueError, match="max_fields"):
            if where == "include":
                fw.FastAPI().include_router(fw.APIRouter(), form_limits={"max_fields": -1})
            elif where == "route":
                sub(fw, "routing").APIRoute("/", field, form_limits={"max_fields": -1})
            elif where == "router":
                fw.APIRouter(form_limits={"max_fields": -1})
            else:
                fw.FastAPI().post("/", form_limits={"max_fields": -1})(field)


def test_caller_settings_are_copied() -> None:
    def app(fw: ModuleType) -> Any:
        limits = {"max_fields": 1}
        app = fw.FastAPI(form_limits=limits)
        limits["max_fields"] = 0
        app.post("/")(field_endpoint(fw))
        return app

    assert Twins(app).post("/", data={"text": "ok"}).json() == "ok"


def test_manual_form_parsing_uses_explicit_limits() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(form_limits={"max_fields": 0})

        @app.post("/")
        async def manual(request: fw.Request) -> Any:  # type: ignore[name-defined]
            async with request.form(max_fields=1) as form:
                return form["text"]

        return app

    twins = Twins(app)
    assert twins.post("/", data={"text": "ok"}).json() == "ok"
    assert twins.post("/", data={"text": "ok", "extra": "v"}).status_code == 400


@pytest.mark.parametrize(
    ("limits", "data", "files"),
    [
        ({"max_fields": 1}, {"text": "a", "b": "c"}, None),
        ({"max_fields": 1}, None, {"text": (None, "a"), "b": (None, "c")}),
        ({"max_files": 0}, None, {"text": (None, "a"), "f": ("f.txt", b"data")}),
        ({"max_part_size": 2048}, {"text": "x" * 2045}, None),
        ({"max_part_size": 2048}, None, {"text": (None, "x" * 2049)}),
        ({"max_part_size": 0}, {"text": ""}, None),
        ({}, {"text": "x" * (1024 * 1024)}, None),
        ({}, None, {"text": (None, "x" * (1024 * 1024 + 1))}),
    ],
)
def test_limit_answers_match_fastapi(
    limits: dict[str, int], data: dict[str, str] | None, files: dict[str, Any] | None
) -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(form_limits=limits)
        app.post("/")(field_endpoint(fw))
        return app

    assert Twins(app).post("/", data=data, files=files).status_code == 400


def test_route_form_limits_is_what_the_route_was_given() -> None:
    for fw in (FasterAPI, pytest.importorskip("fastapi")):
        router = fw.APIRouter()
        router.post("/", form_limits={"max_files": 2})(field_endpoint(fw))
        router.post("/none")(field_endpoint(fw))
        assert router.routes[0].form_limits == {"max_files": 2}
        assert router.routes[1].form_limits == {}


# -- FasterAPI's own form limits ---------------------------------------------------------------


def test_a_form_limits_instance_replaces_the_forms_limits() -> None:
    app = FasterAPI.Faster(limits=Limits(form=FormLimits(max_fields=2)), form_limits=FormLimits())
    assert app.limits.form == FormLimits()
    assert app.form_limits == FormLimits()


def test_a_dict_changes_only_its_limits() -> None:
    app = FasterAPI.Faster(limits=Limits(form=FormLimits(max_fields=2)), form_limits={"max_files": 3})
    assert app.form_limits == FormLimits(max_fields=2, max_files=3)
    app.form_limits = {"max_fields": 5}
    assert app.limits.form == FormLimits(max_fields=5, max_files=3)


def test_fasterapis_form_limits_on_a_route() -> None:
    app = FasterAPI.Faster()
    app.post("/", form_limits={"max_part_header_size": 64})(field_endpoint(FasterAPI))
    client = FasterAPI.TestClient(app)
    assert client.post("/", files={"text": (None, "ok")}).json() == "ok"
    response = client.post("/", files={"text": ("a" * 100 + ".txt", b"ok", "text/plain")})
    assert response.status_code == 413
    assert response.json() == {"detail": "Part headers exceeded maximum size of 64 bytes."}


def test_route_limits_apply_to_request_form_in_the_route() -> None:
    # FasterAPI: the route's limits are those of Request.form() there too (FastAPI applies
    # them to Form parameters only).
    app = FasterAPI.Faster()

    @app.post("/", form_limits={"max_fields": 1})
    async def manual(request: FasterAPI.Request) -> int:
        return len(await request.form())

    client = FasterAPI.TestClient(app)
    assert client.post("/", data={"a": "1"}).json() == 1
    assert client.post("/", data={"a": "1", "b": "2"}).status_code == 400


def test_request_form_as_a_context_manager_closes_the_files() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        @app.post("/")
        async def manual(request: fw.Request) -> Any:  # type: ignore[name-defined]
            async with request.form() as form:
                upload = form["file"]
                content = await upload.read()
            return [content.decode(), upload.file.closed, (await request.form())["text"]]

        return app

    files = {"file": ("a.txt", b"data"), "text": (None, "t")}
    assert Twins(app).post("/", files=files).json() == ["data", True, "t"]
