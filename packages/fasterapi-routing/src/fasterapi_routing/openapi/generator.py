"""The OpenAPI 3.1 document, built from the compiled route plans."""

from __future__ import annotations

import http
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from fasterapi_core.dependencies import ParamField
from fasterapi_core.encoding import jsonable_encoder
from fasterapi_core.params import Body, File, Form, Required
from fasterapi_core.responses import JSONResponse
from fasterapi_routing.openapi.documented_inputs import (
    documented_body_fields,
    documented_params,
    security_requirements,
)
from fasterapi_routing.openapi.form_bodies import form_body, is_form_model
from fasterapi_routing.openapi.key_order import ordered_document
from fasterapi_routing.openapi.pydantic_batch import PydanticSchemaBatch
from fasterapi_routing.openapi.schemas import SchemaCollector, field_title
from fasterapi_routing.operation_ids import generate_operation_id, generate_unique_id
from fasterapi_routing.operation_ids import openapi_path as _openapi_path
from fasterapi_routing.routes import APIRoute, BaseRoute

__all__ = ["generate_operation_id", "get_openapi"]

_METHOD_ORDER = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
_STATUS_RANGES = {
    "1XX": "Information",
    "2XX": "Success",
    "3XX": "Redirection",
    "4XX": "Client Error",
    "5XX": "Server Error",
    "DEFAULT": "Default Response",
}


def _body_allowed(status_code: int | str) -> bool:
    if not isinstance(status_code, int):
        return True
    return status_code >= 200 and status_code not in (204, 205, 304)


def _status_text(code: str) -> str | None:
    """The description of a status code or range; ``ValueError`` for neither (FastAPI)."""
    upper = code.upper()
    if upper in _STATUS_RANGES:
        return _STATUS_RANGES[upper]
    try:
        status = int(code)
    except ValueError:
        raise ValueError(
            f"Invalid key {code!r} in a route's responses: expected an HTTP status code, "
            "a range ('1XX' to '5XX') or 'default'"
        ) from None
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return None


def _deep_update(target: dict[str, Any], update: Mapping[str, Any]) -> None:
    for key, value in update.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            _deep_update(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            target[key] = current + value
        else:
            target[key] = value


class _OperationBuilder:
    """Builds the Operation Objects of one document, sharing its schema collector."""

    def __init__(self, batch: PydanticSchemaBatch) -> None:
        self.schemas = SchemaCollector(batch)
        self.security_schemes: dict[str, Any] = {}
        self.operation_ids: set[str] = set()

    def operation(self, route: APIRoute, method: str) -> dict[str, Any]:
        operation: dict[str, Any] = {}
        if route.tags:
            operation["tags"] = list(route.tags)
        operation["summary"] = route.summary or route.name.replace("_", " ").title()
        if route.description:
            operation["description"] = route.description
        operation_id = route.operation_id or (
            generate_operation_id(route, method)  # each method its own id
            if route.generate_unique_id_function is generate_unique_id
            else route.unique_id
        )
        if operation_id in self.operation_ids:
            where = getattr(route.endpoint, "__globals__", {}).get("__file__")
            message = f"Duplicate Operation ID {operation_id} for function {route.name}"
            warnings.warn(message + (f" at {where}" if where else ""), stacklevel=3)
        self.operation_ids.add(operation_id)
        operation["operationId"] = operation_id
        if route.deprecated:
            operation["deprecated"] = True
        # FastAPI's insertion order (a path item holding parameters keeps it: see key_order)
        security = security_requirements(route, self.security_schemes)
        if security:
            operation["security"] = security
        all_params = documented_params(route)
        parameters = [
            self.schemas.parameter(field) for field in all_params if field.marker.include_in_schema
        ]
        if parameters:
            operation["parameters"] = parameters
        request_body = self.request_body(route, operation_id)
        if request_body is not None:
            operation["requestBody"] = request_body
        if route.callbacks:  # OpenAPI callbacks: {name: {expression: {method: operation}}}
            operation["callbacks"] = {
                callback.name: {callback.path: self.path_item(callback)}
                for callback in route.callbacks
                if isinstance(callback, APIRoute)
            }
        operation["responses"] = self.responses(
            route, operation_id, bool(all_params) or route.plan.body is not None
        )
        if route.openapi_extra:
            _deep_update(operation, route.openapi_extra)
        return operation

    def path_item(self, route: APIRoute) -> dict[str, Any]:
        """The operations of ``route``, by lower-case method."""
        return {method.lower(): self.operation(route, method) for method in _methods(route)}

    def request_body(self, route: APIRoute, operation_id: str) -> dict[str, Any] | None:
        body = route.plan.body
        if body is None:
            return None
        shown = [field for field in body.fields if field.marker.include_in_schema]
        fields = documented_body_fields(route, shown)
        if not fields:
            return None
        first = fields[0]
        media_type = _body_media_type(body.fields)
        schema: dict[str, Any]
        form = form_body(self.schemas, fields, body.embed, "Body_" + operation_id)
        if form is not None:  # a form with form models: FastAPI 0.165's schema
            schema, is_required = form
        elif body.embed or (body.is_form and not is_form_model(first)):
            name = "Body_" + operation_id
            properties = {f.key: self.schemas.field_schema(f) for f in fields}
            definition: dict[str, Any] = {"properties": properties, "type": "object"}
            required = list(dict.fromkeys(f.key for f in fields if f.required))
            if required:
                definition["required"] = required
            definition["title"] = name
            self.schemas.definitions[name] = definition
            schema = {"$ref": "#/components/schemas/" + name}
            is_required = bool(required)
        else:
            schema = self.schemas.field_schema(first)
            is_required = first.required
        content: dict[str, Any] = {"schema": schema}
        examples = first.marker.openapi_examples
        example = getattr(first.marker, "example", Required)
        if examples and not body.embed:
            content["examples"] = jsonable_encoder(examples)
        elif example is not Required and example is not None and not body.embed:
            content["example"] = jsonable_encoder(example)
        request_body: dict[str, Any] = {"required": True} if is_required else {}
        request_body["content"] = {media_type: content}
        return request_body

    def responses(
        self, route: APIRoute, operation_id: str, can_fail_validation: bool
    ) -> dict[str, Any]:
        responses: dict[str, Any] = {}
        response_class = route.response_class
        media_type: str | None = getattr(response_class, "media_type", None)
        status_code = route.response_plan.status_code  # the route's, else its class's default
        main = responses.setdefault(str(status_code), {})
        main["description"] = route.response_description
        if route.stream is not None and not route.stream.raw:  # raw chunks: as any response
            main["content"] = self.stream_content(route, operation_id)
        elif media_type and _body_allowed(status_code):
            schema: dict[str, Any] = {"type": "string"}
            if isinstance(response_class, type) and issubclass(response_class, JSONResponse):
                schema = self.model_schema(route.response_model, "Response_" + operation_id)
            main["content"] = {media_type: {"schema": schema}}
        for code, extra in route.responses.items():
            key = str(code).upper()
            if key == "DEFAULT":
                key = "default"
            target = responses.setdefault(key, {})
            extra = dict(extra) if isinstance(extra, Mapping) else {}
            model = extra.pop("model", None)
            if model is not None:
                content = extra.setdefault("content", {})
                content = {k: dict(v) for k, v in content.items()}
                extra["content"] = content
                entry = content.setdefault(media_type or "application/json", {})
                entry["schema"] = {
                    **entry.get("schema", {}),
                    **self.model_schema(model, f"Response_{key}_{operation_id}"),
                }
            status_text = _status_text(key)  # a bad key fails even with a description
            description = (
                extra.get("description")
                or target.get("description")
                or status_text
                or "Additional Response"
            )
            _deep_update(target, jsonable_encoder(extra))
            target["description"] = description
        if can_fail_validation and not {"422", "4XX", "default"} & responses.keys():
            responses["422"] = {
                "description": "Validation Error",
                "content": {"application/json": {"schema": self.schemas.add_validation_errors()}},
            }
        return responses

    def stream_content(self, route: APIRoute, operation_id: str) -> dict[str, Any]:
        """A generator endpoint's content: the schema of each item (OpenAPI 3.2's
        ``itemSchema``, as FastAPI writes it), JSON Lines or Server-Sent Events."""
        stream = route.stream
        assert stream is not None
        typed = stream.typed
        item = self.model_schema(stream.item_type, "StreamItem_" + operation_id) if typed else {}
        if typed and not item:  # AsyncIterable alone: any item, titled as pydantic does
            item = {"title": field_title("StreamItem_" + operation_id)}
        if not stream.events:
            return {"application/jsonl": {"itemSchema": item}}
        data: dict[str, Any] = {"type": "string"}
        if typed:
            data.update(contentMediaType="application/json", contentSchema=item)
        event: dict[str, Any] = {
            "type": "object",
            "properties": {
                "data": data,
                "event": {"type": "string"},
                "id": {"type": "string"},
                "retry": {"type": "integer", "minimum": 0},
            },
        }
        if typed:
            event["required"] = ["data"]
        return {"text/event-stream": {"itemSchema": event}}

    def model_schema(self, model: Any, name: str) -> dict[str, Any]:
        if model is None:
            return {}
        schema = self.schemas.schema_of(model, mode="serialization")
        if "$ref" not in schema and "title" not in schema:  # Any's {} too (FastAPI's)
            schema["title"] = field_title(name)
        return schema


def _body_media_type(fields: list[ParamField]) -> str:
    """FastAPI's body media type: multipart with a ``File()``; else the ``Form()`` (or
    ``Body()``) fields' one media type, multipart if one of the forms asks for it, else the
    default."""
    markers = [field.marker for field in fields]
    if any(isinstance(marker, File) for marker in markers):
        return "multipart/form-data"
    forms: list[Body] = [marker for marker in markers if isinstance(marker, Form)]
    kinds = forms or [marker for marker in markers if isinstance(marker, Body)]
    media_types = {str(marker.media_type) for marker in kinds}
    if forms and "multipart/form-data" in media_types:
        return "multipart/form-data"
    if len(media_types) == 1:
        return media_types.pop()
    return "application/x-www-form-urlencoded" if forms else "application/json"


def _methods(route: APIRoute) -> list[str]:
    methods = set(route.methods)
    if "GET" in methods:
        methods.discard("HEAD")
    known = [m for m in _METHOD_ORDER if m in methods]
    return known + sorted(methods.difference(_METHOD_ORDER))


def get_openapi(
    *,
    title: str,
    version: str,
    openapi_version: str = "3.1.0",
    summary: str | None = None,
    description: str | None = None,
    routes: Sequence[BaseRoute],
    webhooks: Sequence[BaseRoute] | None = None,
    tags: list[dict[str, Any]] | None = None,
    servers: list[dict[str, Any]] | None = None,
    terms_of_service: str | None = None,
    contact: dict[str, Any] | None = None,
    license_info: dict[str, Any] | None = None,
    separate_input_output_schemas: bool = True,
    external_docs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The OpenAPI document (a plain dict) of ``routes``; FastAPI's signature.

    Only :class:`APIRoute` routes with ``include_in_schema`` appear: WebSocket routes, mounted
    applications and the documentation routes are left out. The routes are walked twice: first
    to record the pydantic-typed fields, whose schemas pydantic then generates in one run (see
    ``pydantic_batch``), then to write the document.
    """
    info: dict[str, Any] = {"title": title}
    if summary:
        info["summary"] = summary
    if description:
        info["description"] = description
    if terms_of_service:
        info["termsOfService"] = terms_of_service
    if contact:
        info["contact"] = _with_url(contact)
    if license_info:
        info["license"] = _with_url(license_info)
    info["version"] = version
    output: dict[str, Any] = {"openapi": openapi_version, "info": info}
    if servers:
        output["servers"] = list(servers)
    batch = PydanticSchemaBatch(separate_input_output_schemas)
    with warnings.catch_warnings():  # the first pass only records the pydantic-typed fields
        warnings.simplefilter("ignore")
        recorder = _OperationBuilder(batch)
        _paths(recorder, routes)
        _paths(recorder, webhooks or ())
    batch.generate()
    builder = _OperationBuilder(batch)
    output["paths"] = _paths(builder, routes)
    if webhooks:
        output["webhooks"] = _paths(builder, webhooks)
    components: dict[str, Any] = {}
    builder.schemas.add_batch_definitions()
    definitions = builder.schemas.definitions
    if definitions:
        components["schemas"] = {name: definitions[name] for name in sorted(definitions)}
    if builder.security_schemes:
        components["securitySchemes"] = builder.security_schemes
    if components:
        output["components"] = components
    if tags:
        output["tags"] = [
            {**tag, "externalDocs": _with_url(tag["externalDocs"])}
            if "externalDocs" in tag
            else tag
            for tag in tags
        ]
    if external_docs:
        output["externalDocs"] = _with_url(external_docs)
    return ordered_document(jsonable_encoder(output))  # FastAPI's text: its models' key order


def _with_url(obj: dict[str, Any]) -> dict[str, Any]:
    """``obj`` with its ``url`` written as FastAPI's document has it, normalised by pydantic's
    ``AnyUrl`` (``https://example.com`` → ``https://example.com/``) when pydantic is there."""
    url = obj.get("url")
    if not isinstance(url, str):
        return obj
    try:
        from pydantic_core import Url
    except ImportError:
        return obj
    try:
        return {**obj, "url": str(Url(url))}
    except Exception:  # not a URL pydantic reads: as given
        return obj


def _paths(builder: _OperationBuilder, routes: Sequence[BaseRoute]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        paths.setdefault(_openapi_path(route.path), {}).update(builder.path_item(route))
    return paths
