"""Every FastAPI keyword of the application, routers, routes and route decorators either works
or raises a clear ``TypeError``; an unknown keyword raises ``TypeError`` as FastAPI's explicit
signatures do; the signatures themselves differ from FastAPI's only where documented."""

from types import ModuleType
from typing import Any

import fastapi
import pytest
from twins import Twins, sub

import FasterAPI
from FasterAPI.routing import APIRoute
from scripts.fastapi_signatures import differences

FRAMEWORKS = [pytest.param(FasterAPI, id="FasterAPI"), pytest.param(fastapi, id="fastapi")]
DECORATORS = ["get", "put", "post", "delete", "options", "head", "patch", "trace", "api_route"]


def endpoint() -> int:
    return 1


# -- unknown keywords -------------------------------------------------------------------------


@pytest.mark.parametrize("fw", FRAMEWORKS)
@pytest.mark.parametrize("owner", ["app", "router"])
@pytest.mark.parametrize("method", DECORATORS)
def test_a_misspelt_decorator_keyword_is_a_type_error(
    fw: ModuleType, owner: str, method: str
) -> None:
    target = fw.FastAPI() if owner == "app" else fw.APIRouter()
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'respones'") as info:
        getattr(target, method)("/", respones={})  # raised before anything is decorated
    if fw is FasterAPI:
        assert str(info.value).endswith("Did you mean 'responses'?")
    assert target.routes == [] or all(r.path != "/" for r in target.routes)


@pytest.mark.parametrize("fw", FRAMEWORKS)
@pytest.mark.parametrize("owner", ["app", "router"])
def test_unknown_keywords_elsewhere_are_type_errors(fw: ModuleType, owner: str) -> None:
    target = fw.FastAPI() if owner == "app" else fw.APIRouter()
    with pytest.raises(TypeError, match="unexpected keyword argument 'summry'"):
        target.add_api_route("/", endpoint, summry="x")
    with pytest.raises(TypeError, match="unexpected keyword argument 'prefx'"):
        target.include_router(fw.APIRouter(), prefx="/x")
    with pytest.raises(TypeError, match="unexpected keyword argument 'nmae'"):
        target.websocket("/ws", nmae="x")


@pytest.mark.parametrize("fw", FRAMEWORKS)
def test_unknown_route_and_router_keywords_are_type_errors(fw: ModuleType) -> None:
    route_class = fw.routing.APIRoute
    with pytest.raises(TypeError, match="unexpected keyword argument 'status'"):
        route_class("/", endpoint, status=201)
    with pytest.raises(TypeError, match="unexpected keyword argument 'prefixes'"):
        fw.APIRouter(prefixes="/x")


def test_a_misspelt_application_keyword_is_a_type_error() -> None:
    for typo, meant in (("titel", "title"), ("doc_url", "docs_url"), ("middlewares", "middleware")):
        with pytest.raises(TypeError, match=f"'{typo}'. Did you mean '{meant}'"):
            FasterAPI.Faster(**{typo: None})
        with pytest.raises(TypeError, match=f"unexpected keyword argument '{typo}'"):
            fastapi.FastAPI(**{typo: None})


def test_other_application_keywords_are_kept_in_extra() -> None:
    # FasterAPI keeps FastAPI's former **extra (FastAPI 0.165 refuses any unknown keyword).
    app = FasterAPI.Faster(custom_setting=1, redoc_js_url="/redoc.js", docs_static_url=None)
    assert app.extra == {"custom_setting": 1, "redoc_js_url": "/redoc.js", "docs_static_url": None}


def test_telemetry_settings_are_checked() -> None:
    """``telemetry=`` is FastAPI's native telemetry (tests/observability); a misspelt setting
    is a TypeError naming the known ones."""
    assert FasterAPI.Faster(telemetry={"tracing": False})._telemetry["tracing"] is False
    with pytest.raises(TypeError) as info:
        FasterAPI.Faster(telemetry={"tracer": None})  # type: ignore[typeddict-unknown-key]
    message = str(info.value)
    assert message.startswith("unknown telemetry setting(s) 'tracer'; known: auto_configure, ")


# -- FastAPI's keywords work ------------------------------------------------------------------


def test_swagger_ui_init_oauth() -> None:
    oauth = {"clientId": "abc", "usePkceWithAuthorizationCodeGrant": True}
    app = FasterAPI.Faster(swagger_ui_init_oauth=oauth)
    assert app.swagger_ui_init_oauth == oauth
    page = FasterAPI.TestClient(app).get("/docs").text
    # written as FastAPI writes it (json.dumps): its tests look for '"clientId": "abc"'
    assert 'ui.initOAuth({"clientId": "abc", "usePkceWithAuthorizationCodeGrant": true})' in page
    assert "swagger_ui_init_oauth" not in app.extra
    assert "initOAuth" not in FasterAPI.TestClient(FasterAPI.Faster()).get("/docs").text


def test_openapi_external_docs() -> None:
    docs = {"description": "The manual", "url": "https://example.com/manual"}

    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(openapi_external_docs=docs)
        app.get("/items")(endpoint)
        return app

    document = Twins(app).openapi()
    assert document["externalDocs"] == docs
    assert "externalDocs" not in FasterAPI.Faster().openapi()


@pytest.mark.parametrize("separate", [True, False])
def test_separate_input_output_schemas(separate: bool) -> None:
    from pydantic import BaseModel

    class Item(BaseModel):
        name: str
        tags: list[str] = []

    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(separate_input_output_schemas=separate)

        @app.post("/items")
        def create(item: Item) -> Item:
            return item

        return app

    Twins(app).openapi()
    assert (
        FasterAPI.Faster(separate_input_output_schemas=separate).separate_input_output_schemas
        is separate
    )


def test_openapi_version() -> None:
    app = FasterAPI.Faster()
    assert app.openapi_version == "3.1.0"
    app.openapi_version = "3.0.2"
    assert app.openapi()["openapi"] == "3.0.2"


def test_router_default_answers_what_no_route_matches() -> None:
    def app(fw: ModuleType) -> Any:
        responses = sub(fw, "responses")

        async def fallback(scope: Any, receive: Any, send: Any) -> None:
            response = responses.PlainTextResponse("fallback " + scope["path"], status_code=418)
            await response(scope, receive, send)

        router = fw.APIRouter(default=fallback)
        router.get("/known")(endpoint)
        app = fw.FastAPI()
        app.mount("/sub", router)
        return app

    twins = Twins(app)
    assert twins.get("/sub/known").json() == 1
    assert twins.get("/sub/unknown").text == "fallback /sub/unknown"
    assert twins.post("/sub/known").status_code == 405


def test_dependency_overrides_provider_is_accepted() -> None:
    app = FasterAPI.Faster()
    router = FasterAPI.FasterRouter(dependency_overrides_provider=app)
    assert router.dependency_overrides_provider is app
    route = APIRoute("/", endpoint, dependency_overrides_provider=app)
    assert route.dependency_overrides_provider is app
    router.routes.append(route)
    app.include_router(router, prefix="/r")
    assert app.routes[-1].dependency_overrides_provider is app


@pytest.mark.parametrize("fw", FRAMEWORKS)
def test_websocket_name_may_be_positional(fw: ModuleType) -> None:
    app = fw.FastAPI()

    @app.websocket("/ws", "socket")
    async def socket(websocket: Any) -> None: ...

    assert app.url_path_for("socket") == "/ws"


# -- signatures ---------------------------------------------------------------------------------

DOCUMENTED = {
    # FasterAPI's defaults: the title, and a placeholder that lets an explicit True be told
    # from the default when routers are included.
    ("FastAPI.__init__", "title"),
    ("FastAPI.__init__", "strict_content_type"),
    # FasterAPI's own keywords.
    ("FastAPI.__init__", "stream_request_body"),
    ("FastAPI.__init__", "limits"),
    ("FastAPI.__init__", "extra"),
    # Accepted where FastAPI's router takes them (the application hands them to its router).
    ("FastAPI.add_api_route", "route_class_override"),
    ("FastAPI.add_api_route", "callbacks"),
    ("FastAPI.api_route", "callbacks"),
    # strict_content_type on every route decorator and include_router, not only on
    # add_api_route.
    *(
        (f"{owner}.{name}", "strict_content_type")
        for owner in ("FastAPI", "APIRouter")
        for name in (*DECORATORS, "include_router")
    ),
    ("FastAPI.add_api_route", "strict_content_type"),
}


def test_signatures_differ_from_fastapis_only_where_documented() -> None:
    found = {(label, name) for label, name, _ in differences()}
    assert found == DOCUMENTED


def test_decorator_signatures_show_every_keyword() -> None:
    import inspect

    for method in DECORATORS:
        ours = inspect.signature(getattr(FasterAPI.FasterRouter, method)).parameters
        theirs = inspect.signature(getattr(fastapi.APIRouter, method)).parameters
        assert set(theirs) <= set(ours)
        assert all(p.kind is not p.VAR_KEYWORD for p in ours.values())
