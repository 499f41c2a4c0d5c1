"""FastAPI's errors, compared with FastAPI 0.165: ``FastAPIError`` and the assertions raised
where a route is declared, ``RequestValidationError.errors()`` and ``str()``, the default
exception handlers of ``FasterAPI.exception_handlers``, ``FastAPIDeprecationWarning`` and the
deprecation warnings, ``Default``/``DefaultPlaceholder``."""

import importlib
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Annotated, Any, cast

import fastapi
import pytest
from pydantic import BaseModel
from twins import Twins, sub

import FasterAPI

FRAMEWORKS = [pytest.param(FasterAPI, id="FasterAPI"), pytest.param(fastapi, id="fastapi")]


class NonPydanticModel:
    pass


class Item(BaseModel):
    name: str


def errors_of(fw: ModuleType) -> Any:
    return sub(fw, "exceptions")


# -- FastAPIError and assertions where a route is declared -------------------------------------


def declare_model(fw: ModuleType, model: Any) -> None:
    fw.FastAPI().get("/", response_model=model)(lambda: None)


def declare_responses(fw: ModuleType, model: Any) -> None:
    fw.FastAPI().get("/", responses={"500": {"model": model}})(lambda: None)


def declare_annotation(fw: ModuleType, annotation: Any) -> None:
    def endpoint() -> None: ...

    endpoint.__annotations__["return"] = annotation
    fw.FastAPI().get("/")(endpoint)


INVALID: list[tuple[str, Callable[[ModuleType], None]]] = [
    ("plain class", lambda fw: declare_model(fw, NonPydanticModel)),
    ("list of a plain class", lambda fw: declare_model(fw, list[NonPydanticModel])),
    ("dict of a plain class", lambda fw: declare_model(fw, dict[str, NonPydanticModel])),
    ("optional plain class", lambda fw: declare_model(fw, NonPydanticModel | None)),
    ("in responses", lambda fw: declare_responses(fw, NonPydanticModel)),
    ("list in responses", lambda fw: declare_responses(fw, list[NonPydanticModel])),
    ("Response | None", lambda fw: declare_annotation(fw, fw.Response | None)),
    ("Response | dict", lambda fw: declare_annotation(fw, fw.Response | dict)),
    ("a response class", lambda fw: declare_model(fw, sub(fw, "responses").JSONResponse)),
]


@pytest.mark.parametrize("fw", FRAMEWORKS)
@pytest.mark.parametrize("declare", [case[1] for case in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_response_models_raise_fastapierror(
    fw: ModuleType, declare: Callable[[ModuleType], None]
) -> None:
    with pytest.raises(errors_of(fw).FastAPIError) as info:
        declare(fw)
    assert "valid Pydantic field type" in info.value.args[0]
    assert "parameter response_model=None" in info.value.args[0]


@pytest.mark.parametrize("fw", FRAMEWORKS)
@pytest.mark.parametrize(
    "model",
    [Item, list[Item], dict[str, int], int | None, Any, bytes, set[int], object, type(None)],
)
def test_valid_response_models_are_accepted(fw: ModuleType, model: Any) -> None:
    declare_model(fw, model)
    declare_responses(fw, model)


def test_a_response_class_return_annotation_is_not_a_model() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        @app.get("/")
        def plain() -> fw.Response:  # type: ignore[name-defined]
            return fw.Response("text")

        assert app.routes[-1].response_model is None
        return app

    assert Twins(app).get("/").text == "text"


@pytest.mark.parametrize("fw", FRAMEWORKS)
def test_response_model_none_allows_any_annotation(fw: ModuleType) -> None:
    app = fw.FastAPI()

    @app.get("/", response_model=None)
    def endpoint() -> fw.Response | dict[str, Any]:  # type: ignore[name-defined]
        return {"a": 1}

    response = sub(fw, "testclient").TestClient(app).get("/")
    assert response.json() == {"a": 1}


@pytest.mark.parametrize("fw", FRAMEWORKS)
@pytest.mark.parametrize("status", [204, 205, 304, 101])
def test_a_model_on_a_status_without_body_is_an_assertion(fw: ModuleType, status: int) -> None:
    with pytest.raises(AssertionError, match=f"Status code {status} must not have a response"):
        fw.FastAPI().get("/", status_code=status, response_model=dict)(lambda: None)
    with pytest.raises(AssertionError, match=f"Status code {status} must not have a response"):
        fw.FastAPI().get("/", responses={status: {"model": dict}})(lambda: None)
    fw.FastAPI().get("/", status_code=status)(lambda: None)  # no model: fine


@pytest.mark.parametrize("fw", FRAMEWORKS)
def test_an_additional_response_must_be_a_dict(fw: ModuleType) -> None:
    with pytest.raises(AssertionError, match="An additional response must be a dict"):
        fw.FastAPI().get("/", responses={400: "bad"})(lambda: None)


@pytest.mark.parametrize("fw", FRAMEWORKS)
def test_empty_prefix_and_path_raise_fastapierror(fw: ModuleType) -> None:
    router = fw.APIRouter()

    @router.get("")
    def read_items() -> list[int]:
        return []

    app = fw.FastAPI()
    with pytest.raises(errors_of(fw).FastAPIError, match=r"cannot be both empty.*read_items"):
        app.include_router(router)


def test_an_empty_path_is_served_under_the_prefix() -> None:
    # FastAPI's tests/test_empty_router.py
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()
        router = fw.APIRouter()

        @router.get("")
        def get_empty() -> list[str]:
            return ["OK"]

        app.include_router(router, prefix="/prefix")
        return app

    twins = Twins(app)
    assert twins.get("/prefix").json() == ["OK"]
    assert twins.get("/prefix/").json() == ["OK"]
    assert twins.get("/").status_code == 404


@pytest.mark.parametrize("fw", FRAMEWORKS)
def test_router_inclusion_cycles_are_assertions(fw: ModuleType) -> None:
    # FastAPI's tests/test_router_include_context.py
    router = fw.APIRouter()
    with pytest.raises(AssertionError, match="into itself"):
        router.include_router(router)
    parent, child, grandchild = fw.APIRouter(), fw.APIRouter(), fw.APIRouter()
    parent.include_router(child, prefix="/child")
    with pytest.raises(AssertionError, match="already includes this router"):
        child.include_router(parent, prefix="/parent")
    child.include_router(grandchild, prefix="/grandchild")
    with pytest.raises(AssertionError, match="already includes this router"):
        grandchild.include_router(parent, prefix="/parent")
    grandchild.include_router(fw.APIRouter(), prefix="/other")  # no cycle: fine
    fw.FastAPI().include_router(parent)


def test_fastapierror_is_fasterapierror() -> None:
    exceptions = importlib.import_module("FasterAPI.exceptions")
    assert exceptions.FastAPIError is exceptions.FasterAPIError
    assert issubclass(exceptions.FastAPIError, RuntimeError)
    assert issubclass(exceptions.DependencyScopeError, exceptions.FastAPIError)


# -- RequestValidationError ---------------------------------------------------------------------


def validation_app(fw: ModuleType, seen: list[Any]) -> Any:
    exceptions = errors_of(fw)
    handlers = sub(fw, "exception_handlers")
    app = fw.FastAPI()

    @app.exception_handler(exceptions.RequestValidationError)
    async def record(request: Any, exc: Any) -> Any:
        seen.append(exc)
        return await handlers.request_validation_exception_handler(request, exc)

    @app.get("/query")
    def query(a: int, b: Annotated[list[int], fw.Query()] = []) -> int:  # noqa: B006
        return a

    @app.post("/body")
    def body(x: dict[str, int], y: Annotated[int, fw.Body()]) -> int:
        return y

    @app.post("/model")
    def model(item: Item) -> str:
        return item.name

    return app


@pytest.mark.parametrize(
    ("method", "url", "kwargs"),
    [
        ("GET", "/query?a=x&b=1&b=z", {}),
        ("POST", "/body", {"content": b"{bad", "headers": {"content-type": "application/json"}}),
        ("POST", "/body", {"json": {"x": 1}}),
        ("POST", "/model", {"json": {"name": 3}}),
        ("POST", "/model", {"json": []}),
    ],
)
def test_validation_errors_have_tuple_locs_and_fastapis_str(
    method: str, url: str, kwargs: dict[str, Any]
) -> None:
    ours: list[Any] = []
    theirs: list[Any] = []
    twins = Twins(lambda fw: validation_app(fw, ours if fw is FasterAPI else theirs))
    response = twins.check(method, url, **kwargs)
    assert response.status_code == 422
    assert all(isinstance(error["loc"], list) for error in response.json()["detail"])
    errors = ours[-1].errors()
    assert errors == theirs[-1].errors()
    assert all(type(error["loc"]) is tuple for error in errors)
    assert ours[-1].body == theirs[-1].body
    # FastAPI's str() ends with where the endpoint is (file, line, function, METHOD /path); it
    # caches that by id(endpoint), which an endpoint of an earlier test may have had: compared
    # part by part.
    ours_text, theirs_text = str(ours[-1]), str(theirs[-1])
    assert ours_text.split("\n\n")[0] == theirs_text.split("\n\n")[0]
    path = url.split("?")[0]
    assert f'\n\n  File "{__file__}", line ' in ours_text
    assert ours_text.endswith(f", in {path[1:]}\n    {method} {path}")


def test_validation_error_str_with_an_endpoint_context() -> None:
    for fw in (FasterAPI, fastapi):
        error = errors_of(fw).RequestValidationError(
            [{"type": "missing", "loc": ("query", "q"), "msg": "Field required", "input": None}],
            endpoint_ctx={"function": "read", "path": "GET /items", "file": "app.py", "line": 3},
        )
        assert error.errors()[0]["loc"] == ("query", "q")
        assert error.endpoint_function == "read"
        assert error.endpoint_path == "GET /items"
    # FasterAPI's own errors carry list locs inside; errors() gives tuples, as pydantic's.
    listed = [{"type": "missing", "loc": ["query", "q"], "msg": "Field required", "input": None}]
    error = FasterAPI.exceptions.RequestValidationError(listed)
    assert error.errors()[0]["loc"] == ("query", "q")
    expected = str(
        fastapi.exceptions.RequestValidationError(
            [{"type": "missing", "loc": ("query", "q"), "msg": "Field required", "input": None}],
            endpoint_ctx={"function": "read", "path": "GET /items", "file": "app.py", "line": 3},
        )
    )
    ours = FasterAPI.exceptions.RequestValidationError(
        [{"type": "missing", "loc": ("query", "q"), "msg": "Field required", "input": None}],
        endpoint_ctx={"function": "read", "path": "GET /items", "file": "app.py", "line": 3},
    )
    assert str(ours) == expected
    only_path = {"path": "GET /items"}
    assert str(FasterAPI.exceptions.ResponseValidationError([], endpoint_ctx=only_path)) == str(
        fastapi.exceptions.ResponseValidationError([], endpoint_ctx=only_path)  # type: ignore[arg-type]
    )


# -- FasterAPI.exception_handlers ---------------------------------------------------------------


def handlers_app(fw: ModuleType) -> Any:
    """FastAPI's documented recipe: log, then fall back on the default handlers."""
    exceptions = errors_of(fw)
    handlers = sub(fw, "exception_handlers")
    app = fw.FastAPI()
    logged: list[str] = []
    app.state.logged = logged

    @app.exception_handler(exceptions.HTTPException)
    async def http_error(request: Any, exc: Any) -> Any:
        logged.append(f"http {exc.status_code}")
        return await handlers.http_exception_handler(request, exc)

    @app.exception_handler(exceptions.RequestValidationError)
    async def validation_error(request: Any, exc: Any) -> Any:
        logged.append("validation")
        return await handlers.request_validation_exception_handler(request, exc)

    @app.get("/status/{code}")
    def status(code: int) -> None:
        raise exceptions.HTTPException(code, headers={"x-error": "yes"})

    @app.get("/detail")
    def detail() -> None:
        raise exceptions.HTTPException(418, detail={"nested": ["detail"]})

    return app


@pytest.mark.parametrize("code", [400, 404, 418, 204, 205, 304, 500])
def test_http_exception_handler_is_fastapis(code: int) -> None:
    twins = Twins(handlers_app, headers=("content-type", "x-error", "content-length"))
    response = twins.get(f"/status/{code}")
    assert response.status_code == code
    assert twins.ours_app.state.logged == [f"http {code}"]


def test_request_validation_exception_handler_is_fastapis() -> None:
    twins = Twins(handlers_app)
    assert twins.get("/status/x").status_code == 422
    assert twins.get("/detail").json() == {"detail": {"nested": ["detail"]}}
    assert twins.ours_app.state.logged == ["validation", "http 418"]


def test_exception_handlers_override_with_fastapis_module() -> None:
    # FastAPI's tests/test_exception_handlers.py
    def app(fw: ModuleType) -> Any:
        exceptions = errors_of(fw)
        responses = sub(fw, "responses")

        def http_handler(request: Any, exception: Any) -> Any:
            return responses.JSONResponse({"exception": "http-exception"})

        def validation_handler(request: Any, exception: Any) -> Any:
            return responses.JSONResponse({"exception": "request-validation"})

        def server_error_handler(request: Any, exception: Any) -> Any:
            return responses.JSONResponse(status_code=500, content={"exception": "server-error"})

        app = fw.FastAPI(
            exception_handlers={
                exceptions.HTTPException: http_handler,
                exceptions.RequestValidationError: validation_handler,
                Exception: server_error_handler,
            }
        )

        @app.get("/http-exception")
        def route_with_http_exception() -> None:
            raise exceptions.HTTPException(status_code=400)

        @app.get("/request-validation/{param}/")
        def route_with_request_validation_exception(param: int) -> None: ...

        @app.get("/server-error")
        def route_with_server_error() -> None:
            raise RuntimeError("Oops!")

        return app

    twins = Twins(app)
    assert twins.get("/http-exception").json() == {"exception": "http-exception"}
    assert twins.get("/request-validation/invalid/").json() == {"exception": "request-validation"}
    assert twins.get("/server-error").json() == {"exception": "server-error"}


def test_exception_handlers_module_names() -> None:
    ours = importlib.import_module("FasterAPI.exception_handlers")
    theirs = importlib.import_module("fastapi.exception_handlers")
    public = {name for name in vars(theirs) if name.endswith("_handler")}
    assert public <= set(ours.__all__)


# -- deprecation warnings ------------------------------------------------------------------------


def test_fastapi_deprecation_warning_is_a_user_warning() -> None:
    ours = FasterAPI.exceptions.FastAPIDeprecationWarning
    assert ours is FasterAPI.exceptions.FasterAPIDeprecationWarning
    assert issubclass(ours, UserWarning)
    assert not issubclass(ours, DeprecationWarning)
    assert fastapi.exceptions.FastAPIDeprecationWarning.__mro__[1:] == ours.__mro__[1:]


@pytest.mark.parametrize("fw", FRAMEWORKS)
@pytest.mark.parametrize("owner", ["app", "router"])
def test_on_event_is_deprecated(fw: ModuleType, owner: str) -> None:
    target = fw.FastAPI() if owner == "app" else fw.APIRouter()
    with pytest.warns(DeprecationWarning, match="on_event is deprecated, use lifespan") as caught:
        target.on_event("startup")(lambda: None)
    assert caught[0].filename == __file__


def test_on_event_handlers_still_run() -> None:
    events: list[str] = []
    app = FasterAPI.FastAPI()
    router = FasterAPI.APIRouter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        app.on_event("startup")(lambda: events.append("app startup"))
        app.on_event("shutdown")(lambda: events.append("app shutdown"))
        router.on_event("startup")(lambda: events.append("router startup"))
        router.on_event("shutdown")(lambda: events.append("router shutdown"))
    app.include_router(router)
    with FasterAPI.TestClient(app):
        assert events == ["app startup", "router startup"]
    # (FastAPI 0.165 runs the router's handlers twice: once is enough.)
    assert sorted(events[2:]) == ["app shutdown", "router shutdown"]


@pytest.mark.parametrize("fw", FRAMEWORKS)
@pytest.mark.parametrize("name", ["ORJSONResponse", "UJSONResponse"])
def test_orjson_and_ujson_responses_are_deprecated(fw: ModuleType, name: str) -> None:
    response_class = getattr(sub(fw, "responses"), name)
    category = errors_of(fw).FastAPIDeprecationWarning
    with pytest.warns(category, match=f"{name} is deprecated") as caught:
        try:
            response_class(content={"hello": "world"})
        except AssertionError:  # FastAPI without orjson / ujson installed: warned, then this
            assert fw is fastapi
    if fw is FasterAPI:  # the caller's line (FastAPI's points into pytest)
        assert caught[0].filename == __file__
    with pytest.warns(category, match=f"{name} is deprecated"):

        class Custom(response_class):  # type: ignore[valid-type,misc]
            pass


def test_orjson_response_still_answers_as_json() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FasterAPI.exceptions.FastAPIDeprecationWarning)
        app = FasterAPI.FastAPI(default_response_class=FasterAPI.responses.ORJSONResponse)

        @app.get("/items")
        def get_items() -> Item:
            return Item(name="widget")

        response = FasterAPI.TestClient(app).get("/items")
    assert response.json() == {"name": "widget"}


@pytest.mark.parametrize("fw", FRAMEWORKS)
def test_root_path_is_deprecated(fw: ModuleType) -> None:
    category = errors_of(fw).FastAPIDeprecationWarning
    with pytest.warns(category, match="fastapi run --root-path") as caught:
        fw.FastAPI(root_path="/api/v1")
    assert caught[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fw.FastAPI()


# -- Default and DefaultPlaceholder ---------------------------------------------------------------


@pytest.mark.parametrize("fw", FRAMEWORKS)
def test_default_placeholder(fw: ModuleType) -> None:
    datastructures = sub(fw, "datastructures")
    placeholder_1 = cast(Any, datastructures.Default("a"))
    placeholder_2 = cast(Any, datastructures.Default("a"))
    assert isinstance(placeholder_1, datastructures.DefaultPlaceholder)
    assert placeholder_1 == placeholder_2
    assert placeholder_1 != datastructures.Default("b")
    assert placeholder_1 != "a"
    assert placeholder_1.value == "a"
    assert datastructures.Default("a")
    assert not datastructures.Default("")


def test_routes_tell_a_default_from_a_given_value() -> None:
    app = FasterAPI.FastAPI(default_response_class=FasterAPI.responses.HTMLResponse)
    given = FasterAPI.datastructures.Default(FasterAPI.responses.PlainTextResponse)
    app.get("/default")(lambda: "<b>x</b>")
    app.get("/given", response_class=given)(lambda: "<b>x</b>")
    app.get("/explicit", response_class=FasterAPI.responses.JSONResponse)(lambda: "<b>x</b>")
    client = FasterAPI.TestClient(app)
    assert client.get("/default").headers["content-type"].startswith("text/html")
    assert client.get("/given").headers["content-type"].startswith("text/html")
    assert client.get("/explicit").json() == "<b>x</b>"
