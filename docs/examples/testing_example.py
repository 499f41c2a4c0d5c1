"""Testing with TestClient: plain pytest functions, no server needed.

Run these tests with ``pytest docs/examples/testing_example.py``.
"""

from typing import Annotated

import msgspec

from FasterAPI import Depends, Faster, Header, HTTPException, TestClient, WebSocket

app = Faster()


class Item(msgspec.Struct):
    name: str
    price: float


def get_token(x_token: Annotated[str, Header()]) -> str:
    if x_token != "coneofsilence":
        raise HTTPException(status_code=400, detail="Invalid X-Token header")
    return x_token


@app.post("/items", dependencies=[Depends(get_token)])
async def create_item(item: Item) -> Item:
    return item


@app.websocket("/ws")
async def ws(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_json({"msg": "Hello WebSocket"})
    await websocket.close()


client = TestClient(app)


def test_create_item() -> None:
    response = client.post(
        "/items", headers={"X-Token": "coneofsilence"}, json={"name": "Foo", "price": 3.5}
    )
    assert response.status_code == 200
    assert response.json() == {"name": "Foo", "price": 3.5}


def test_bad_token() -> None:
    response = client.post("/items", headers={"X-Token": "nope"}, json={"name": "Foo", "price": 1})
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid X-Token header"}


def test_override_dependency() -> None:
    app.dependency_overrides[get_token] = lambda: "test-token"
    try:
        response = client.post("/items", json={"name": "Foo", "price": 1})
        assert response.status_code == 200
    finally:
        app.dependency_overrides.clear()


def test_websocket() -> None:
    with client.websocket_connect("/ws") as websocket:
        assert websocket.receive_json() == {"msg": "Hello WebSocket"}


def test_lifespan_runs_inside_with() -> None:
    # ``with TestClient(app)`` runs startup/lifespan on enter and shutdown on exit
    with TestClient(app) as scoped:
        assert scoped.get("/docs").status_code == 200
