"""fastapi-mcp scenarios, as its documentation shows it used (run by ``test_mcp.py`` on FastAPI
and on FasterAPI): the MCP tools generated from an app's OpenAPI (with operation and tag
filters) and the streamable HTTP endpoint (``mount_http``): initialize, list the tools, call
them (the call goes through the app)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from fastapi_mcp import FastApiMCP
from pydantic import BaseModel

HEADERS = {"accept": "application/json, text/event-stream", "content-type": "application/json"}


class Item(BaseModel):
    name: str
    price: float


def _app() -> FastAPI:
    app = FastAPI(title="Shop", description="A shop")
    items = {1: Item(name="pen", price=1.5)}

    @app.get("/items/{item_id}", operation_id="get_item", tags=["items"])
    def get_item(item_id: int) -> Item:
        """Get one item."""
        if item_id not in items:
            raise HTTPException(status_code=404, detail="no such item")
        return items[item_id]

    @app.post("/items", operation_id="create_item", tags=["items"], status_code=201)
    def create_item(item: Item) -> dict[str, int]:
        """Create an item."""
        items[len(items) + 1] = item
        return {"id": len(items)}

    @app.get("/admin/stats", operation_id="stats", tags=["admin"])
    def stats(verbose: bool = False) -> dict[str, Any]:
        return {"items": len(items), "verbose": verbose}

    return app


def _tools(mcp: FastApiMCP) -> list[Any]:
    return [tool.model_dump(mode="json", exclude_none=True) for tool in mcp.tools]


def scenario_tools_from_openapi() -> Any:
    return _tools(FastApiMCP(_app()))


def scenario_filtered_tools() -> Any:
    return {
        "operations": _tools(FastApiMCP(_app(), include_operations=["get_item", "stats"])),
        "tags": _tools(FastApiMCP(_app(), exclude_tags=["admin"])),
    }


def scenario_full_response_schemas() -> Any:
    mcp = FastApiMCP(_app(), describe_all_responses=True, describe_full_response_schema=True)
    return _tools(mcp)


def _rpc(client: TestClient, session: str | None, method: str, **fields: Any) -> Any:
    headers = HEADERS if session is None else {**HEADERS, "mcp-session-id": session}
    response = client.post(
        "/mcp", json={"jsonrpc": "2.0", "method": method, **fields}, headers=headers
    )
    content_type = response.headers.get("content-type", "")
    body: Any = response.text
    if content_type.startswith("application/json") and response.content:
        body = response.json()
    elif content_type.startswith("text/event-stream"):
        body = [line for line in response.text.splitlines() if line.startswith("data:")]
    return {"status": response.status_code, "content-type": content_type, "body": body}, response


def scenario_streamable_http() -> Any:
    app = _app()
    FastApiMCP(app).mount_http()
    found = []
    with TestClient(app) as client:
        init, response = _rpc(
            client,
            None,
            "initialize",
            id=1,
            params={
                "protocolVersion": "2025-03-26",
                "capabilities": {},
                "clientInfo": {"name": "scenario", "version": "1"},
            },
        )
        session = response.headers.get("mcp-session-id")
        found.append(init)
        found.append({"session id given": bool(session)})
        found.append(_rpc(client, session, "notifications/initialized")[0])
        found.append(_rpc(client, session, "tools/list", id=2)[0])
        call = {"name": "get_item", "arguments": {"item_id": 1}}
        found.append(_rpc(client, session, "tools/call", id=3, params=call)[0])
        call = {"name": "create_item", "arguments": {"name": "ink", "price": 3}}
        found.append(_rpc(client, session, "tools/call", id=4, params=call)[0])
        call = {"name": "get_item", "arguments": {"item_id": 9}}
        found.append(_rpc(client, session, "tools/call", id=5, params=call)[0])
    return found
