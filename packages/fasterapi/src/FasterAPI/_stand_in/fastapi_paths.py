"""The ``fastapi.*`` module paths of the stand-in: which FasterAPI object each name is.

Paths and names follow FastAPI 0.165.0's public modules and the internals that widely used
plugins import. A name missing here raises an error saying it is not supported, with the
reason from :data:`REASONS` when there is one.
"""

from __future__ import annotations

from FasterAPI._stand_in.finder import PathTable
from fasterapi_core import status

__all__ = ["FASTAPI", "REASONS", "same_names"]

_F = "FasterAPI"
_HELPERS = "FasterAPI._stand_in.helpers"
_ANNOTATIONS = "FasterAPI._stand_in.annotations"
_DEPENDENCY_UTILS = "FasterAPI._stand_in.dependency_utils"
_CONNECTIONS = "FasterAPI._stand_in.connections"  # Starlette's classes where it is kept
_RESPONSE = "FasterAPI._stand_in.responses"  # Starlette's types where it is kept


def same_names(module: str, names: str) -> dict[str, str]:
    """``{name: "module:name"}`` for each of the space-separated ``names``."""
    return {name: f"{module}:{name}" for name in names.split()}


_PARAMS = "Body Cookie Depends File Form Header Path Query Security"
_SECURITY = (
    "APIKeyCookie APIKeyHeader APIKeyQuery HTTPAuthorizationCredentials HTTPBasic "
    "HTTPBasicCredentials HTTPBearer HTTPDigest OAuth2 OAuth2AuthorizationCodeBearer "
    "OAuth2PasswordBearer OAuth2PasswordRequestForm OAuth2PasswordRequestFormStrict "
    "OpenIdConnect SecurityScopes"
)
_RESPONSES = (
    "EventSourceResponse FileResponse HTMLResponse JSONResponse ORJSONResponse PlainTextResponse "
    "RedirectResponse Response StreamingResponse UJSONResponse"
)

_MODULES: dict[str, dict[str, str]] = {
    "fastapi": {
        **same_names(
            _F,
            f"{_PARAMS} BackgroundTasks HTTPException UploadFile WebSocket "
            "WebSocketDisconnect WebSocketException",
        ),
        "Request": f"{_CONNECTIONS}:Request",
        "Response": f"{_RESPONSE}:Response",
        "FastAPI": f"{_HELPERS}:FastAPI",
        "APIRouter": f"{_F}:FasterRouter",
        "__version__": f"{_HELPERS}:FASTAPI_VERSION",
        "status": "fastapi.status",
    },
    "fastapi.applications": {"FastAPI": f"{_HELPERS}:FastAPI"},
    "fastapi.background": same_names("FasterAPI.background", "BackgroundTasks"),
    "fastapi.concurrency": {
        **same_names(
            "FasterAPI.concurrency",
            "contextmanager_in_threadpool iterate_in_threadpool run_in_threadpool",
        ),
        "asynccontextmanager": "contextlib:asynccontextmanager",
    },
    "fastapi.datastructures": {
        **same_names(
            "FasterAPI.datastructures",
            "Address FormData Headers QueryParams State URL UploadFile",
        ),
        **same_names("FasterAPI.datastructures", "Default DefaultPlaceholder"),
        **same_names(_HELPERS, "DefaultType"),
    },
    "fastapi.dependencies": {},
    "fastapi.dependencies.models": {"Dependant": "fasterapi_core.dependencies:Dependant"},
    "fastapi.dependencies.utils": {
        **same_names(
            _DEPENDENCY_UTILS,
            "SolvedDependency _get_body_field _get_flat_body_params get_dependant "
            "get_parameterless_sub_dependant get_typed_annotation get_typed_return_annotation "
            "get_typed_signature solve_dependencies",
        ),
        "lenient_issubclass": f"{_ANNOTATIONS}:lenient_issubclass",
    },
    "fastapi.encoders": same_names("FasterAPI.encoders", "jsonable_encoder"),
    "fastapi.exception_handlers": same_names(
        "FasterAPI.exception_handlers",
        "http_exception_handler request_validation_exception_handler "
        "websocket_request_validation_exception_handler",
    ),
    "fastapi.exceptions": {
        **same_names(
            "FasterAPI.exceptions",
            "DependencyScopeError FastAPIDeprecationWarning FastAPIError HTTPException "
            "RequestValidationError ResponseValidationError WebSocketException "
            "WebSocketRequestValidationError",
        ),
        "ValidationException": "fasterapi_core.exceptions:ValidationException",
        "PydanticV1NotSupportedError": "fasterapi_core.exceptions:PydanticV1NotSupportedError",
    },
    "fastapi.logger": same_names(_HELPERS, "logger"),
    "fastapi.telemetry": {
        **same_names("FasterAPI.telemetry", "TelemetryConfig TelemetryData get_telemetry_data"),
        # FasterAPI's module itself, whose globals tests and plugins patch: `from
        # fastapi.telemetry import _runtime` (FastAPI's spelling; not an import path here)
        "_runtime": "fasterapi_routing.telemetry.runtime",
    },
    "fastapi.telemetry._asgi": same_names("fasterapi_routing.telemetry.server", "NativeTelemetry"),
    "fastapi.middleware": same_names("FasterAPI.middleware", "Middleware"),
    "fastapi.middleware.cors": same_names("FasterAPI.middleware", "CORSMiddleware"),
    "fastapi.middleware.gzip": same_names("FasterAPI.middleware", "GZipMiddleware"),
    "fastapi.middleware.httpsredirect": same_names(
        "FasterAPI.middleware", "HTTPSRedirectMiddleware"
    ),
    "fastapi.middleware.trustedhost": same_names("FasterAPI.middleware", "TrustedHostMiddleware"),
    "fastapi.openapi": {},
    "fastapi.openapi.constants": {
        "REF_PREFIX": "fasterapi_routing.openapi.schemas:REF_PREFIX",
        "REF_TEMPLATE": f"{_HELPERS}:REF_TEMPLATE",
    },
    "fastapi.openapi.docs": same_names(
        "FasterAPI.openapi",
        "get_redoc_html get_swagger_ui_html get_swagger_ui_oauth2_redirect_html",
    ),
    "fastapi.openapi.utils": same_names("FasterAPI.openapi", "generate_operation_id get_openapi"),
    "fastapi.openapi.models": same_names(
        "fasterapi_routing.openapi.models",  # pydantic models, imported only when asked for
        "APIKey APIKeyIn BaseModelWithConfig Components Contact Discriminator EmailStr Encoding "
        "Example ExternalDocumentation HTTPBase HTTPBearer Header Info License Link MediaType "
        "OAuth2 OAuthFlow OAuthFlowAuthorizationCode OAuthFlowClientCredentials "
        "OAuthFlowImplicit OAuthFlowPassword OAuthFlows OpenAPI OpenIdConnect Operation "
        "Parameter ParameterBase ParameterInType PathItem Reference RequestBody Response Schema "
        "SchemaOrBool SchemaType SecurityBase SecurityScheme SecuritySchemeType Server "
        "ServerVariable Tag XML",
    ),
    "fastapi.param_functions": same_names("FasterAPI.params", _PARAMS),
    "fastapi.params": {
        **same_names("fasterapi_core.params", f"{_PARAMS} Param"),
        "ParamTypes": "fasterapi_core.params:ParamSource",
    },
    "fastapi.requests": same_names(_CONNECTIONS, "HTTPConnection Request"),
    "fastapi.responses": same_names(_RESPONSE, _RESPONSES),
    "fastapi.routing": {
        **same_names(
            "FasterAPI.routing",
            "APIRoute APIWebSocketRoute BaseRoute Match Mount NoMatchFound RouteContext "
            "generate_unique_id iter_route_contexts",
        ),
        "URLPath": "fasterapi_core.datastructures:URLPath",
        "APIRouter": "FasterAPI.routing:FasterRouter",
        "request_response": "fasterapi_routing.route_handler_hook:request_response",
        "_IncludedRouter": "FasterAPI._stand_in.included_routers:IncludedRouter",
        # patchable (sentry-sdk, logfire): see the modules
        **same_names(
            "FasterAPI._stand_in.request_handlers", "get_request_handler get_websocket_app"
        ),
        "solve_dependencies": f"{_DEPENDENCY_UTILS}:solve_dependencies",
        "run_endpoint_function": "FasterAPI._stand_in.routing_hooks:run_endpoint_function",
    },
    "fastapi.security": same_names("FasterAPI.security", _SECURITY),
    "fastapi.security.api_key": same_names(
        "fasterapi_security.api_key", "APIKeyBase APIKeyCookie APIKeyHeader APIKeyQuery"
    ),
    "fastapi.security.base": same_names("fasterapi_security", "SecurityBase"),
    "fastapi.security.http": same_names(
        "fasterapi_security.http",
        "HTTPAuthorizationCredentials HTTPBase HTTPBasic HTTPBasicCredentials HTTPBearer "
        "HTTPDigest",
    ),
    "fastapi.security.oauth2": same_names(
        "fasterapi_security.oauth2",
        "OAuth2 OAuth2AuthorizationCodeBearer OAuth2PasswordBearer OAuth2PasswordRequestForm "
        "OAuth2PasswordRequestFormStrict SecurityScopes",
    ),
    "fastapi.security.open_id_connect_url": same_names(
        "fasterapi_security.open_id_connect", "OpenIdConnect"
    ),
    "fastapi.security.utils": same_names(
        "fasterapi_security.utils", "get_authorization_scheme_param"
    ),
    "fastapi.sse": same_names(
        "FasterAPI.sse", "EventSourceResponse KEEPALIVE_COMMENT ServerSentEvent format_sse_event"
    ),
    "fastapi._form_limits": {"_FormLimits": "fasterapi_core.limits:FormLimitOptions"},
    "fastapi.staticfiles": same_names("FasterAPI.staticfiles", "StaticFiles"),
    "fastapi.templating": same_names("FasterAPI.templating", "Jinja2Templates"),
    "fastapi.testclient": same_names("FasterAPI.testclient", "TestClient"),
    "fastapi.types": same_names(
        _HELPERS, "DecoratedCallable DependencyCacheKey IncEx ModelNameMap UnionType"
    ),
    "fastapi.utils": {
        **same_names(_HELPERS, "deep_dict_update is_body_allowed_for_status_code"),
        "generate_unique_id": "FasterAPI.utils:generate_unique_id",
        "get_path_param_names": "fasterapi_routing.paths:path_param_names",
    },
    "fastapi.websockets": same_names(
        "FasterAPI.websockets", "WebSocket WebSocketDisconnect WebSocketState"
    ),
    "fastapi._compat": {
        **same_names(
            _ANNOTATIONS,
            "field_annotation_is_sequence is_bytes_or_nonable_bytes_annotation "
            "is_bytes_sequence_annotation is_uploadfile_or_nonable_uploadfile_annotation "
            "is_uploadfile_sequence_annotation lenient_issubclass sequence_types "
            "value_is_sequence",
        ),
        "PYDANTIC_VERSION_MINOR_TUPLE": (
            "FasterAPI._stand_in.pydantic_version:PYDANTIC_VERSION_MINOR_TUPLE"
        ),
        "Undefined": "fasterapi_core.params:Required",
        "RequiredParam": "fasterapi_core.params:Required",
    },
}
_MODULES["fastapi.status"] = same_names("FasterAPI.status", " ".join(status.__all__))
_MODULES["fastapi._compat.shared"] = {
    name: target for name, target in _MODULES["fastapi._compat"].items() if name != "Undefined"
}

REASONS: dict[str, str] = {
    "fastapi.cli": "run the app with the `fasterapi` command (fasterapi dev/run)",
    "fastapi.__main__": "run the app with the `fasterapi` command (fasterapi dev/run)",
    "fastapi.middleware.wsgi": "FasterAPI serves ASGI applications only",
    "fastapi.middleware.asyncexitstack": (
        "FasterAPI opens the exit stack of `yield` dependencies in each route"
    ),
    "fastapi.openapi.constants.METHODS_WITH_BODY": (
        "FasterAPI documents a request body for any method whose route reads one"
    ),
    "fastapi.concurrency.run_until_first_complete": "Starlette deprecated it; use anyio",
    "fastapi.dependencies.utils.get_body_field": (
        "FasterAPI reads the body with a per-route plan, not a merged pydantic model"
    ),
    "fastapi.dependencies.utils.request_params_to_args": (
        "FasterAPI validates parameters with compiled per-route validators"
    ),
    "fastapi.dependencies.utils.request_body_to_args": (
        "FasterAPI validates the body with compiled per-route validators"
    ),
    "fastapi._compat.ModelField": "FasterAPI's parameters are not pydantic fields",
    "fastapi._compat.v2": "FasterAPI does not wrap pydantic's internals",
    "fastapi.routing.serialize_response": "FasterAPI compiles response serialization per route",
}

FASTAPI = PathTable("fastapi", _MODULES, REASONS)
"""The table the finder serves for ``fastapi``."""
