
"""Ten typical FastAPI documentation examples, written as a FastAPI user writes them.

Each example is a function of the framework module: called with ``FasterAPI`` it is the app
"rewritten only by the import change"; called with ``fastapi`` it is the original. Both get the
same requests and must answer with the same status, body and relevant headers.
"""

from types import ModuleType
from typing import Annotated, Any, Optional

import pytest
from fastapi.security import SecurityScopes as FastAPISecurityScopes
from fastapi.testclient import TestClient as FastAPITestClient
from fidelity import submodule
from pydantic import BaseModel

import FasterAPI
from FasterAPI.params import SecurityScopes as OurSecurityScopes


class Item(BaseModel):
    name: str
    description: Optional[str] = None
    price: float
    tax: Optional[float] = None


class Image(BaseModel):
    url: str
    name: str


class Offer(BaseModel):
    name: str
    items: list[Item]
    images: Optional[list[Image]] = None


class UserIn(BaseModel):
    username: str
    password: str
    email: str
    full_name: Optional[str] = None


class UserOut(BaseModel):
    username: str
    email: str
    full_name: Optional[str] = None


# 1. Query parameters and string validations
def query_params(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    @app.get("/items/")
    async def read_items(
        q: Annotated[Optional[str], fw.Query(min_length=3, max_length=50, pattern="^fixedquery$")] = None,
        skip: int = 0,
        limit: Annotated[int, fw.Query(ge=1, le=100)] = 10,
        tags: Annotated[Optional[list[str]], fw.Query(alias="item-tag")] = None,
    ) -> Any:
        results: dict[str, Any] = {"items": [{"item_id": "Foo"}, {"item_id": "Bar"}][skip:][:limit]}
        if q:
            results["q"] = q
        if tags:
            results["tags"] = tags
        return results

    return app


# 2. Request body + path + query parameters
def body_path_query(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    @app.put("/items/{item_id}")
    async def update_item(item_id: int, item: Item, q: Optional[str] = None) -> Any:
        result = {"item_id": item_id, **item.model_dump()}
        if q:
            result.update({"q": q})
        return result

    return app


# 3. Nested models
def nested_models(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    @app.post("/offers/")
    async def create_offer(offer: Offer) -> Offer:
        return offer

    @app.post("/images/multiple/")
    async def create_multiple_images(images: list[Image]) -> list[Image]:
        return images

    return app


# 4. Dependencies with yield
def deps_with_yield(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    data = {"plumbus": {"description": "Freshly pickled plumbus", "owner": "Morty"}}

    class OwnerError(Exception):
        pass

    def get_username() -> Any:
        try:
            yield "Rick"
        except OwnerError as e:
            raise fw.HTTPException(status_code=400, detail=f"Owner error: {e}") from e

    @app.get("/items/{item_id}")
    def get_item(item_id: str, username: Annotated[str, fw.Depends(get_username)]) -> Any:
        if item_id not in data:
            raise fw.HTTPException(status_code=404, detail="Item not found")
        item = data[item_id]
        if item["owner"] != username:
            raise OwnerError(username)
        return item

    return app


# 5. Security scopes (a minimal header-based scheme instead of OAuth2)
def security_scopes(fw: ModuleType) -> Any:
    SecurityScopes = OurSecurityScopes if fw is FasterAPI else FastAPISecurityScopes
    app = fw.FastAPI()
    grants = {"johndoe": ["me", "items"], "alice": ["me"]}

    async def get_current_user(
        security_scopes: SecurityScopes, authorization: Annotated[Optional[str], fw.Header()] = None
    ) -> str:
        authenticate_value = f'Bearer scope="{security_scopes.scope_str}"'
        user = (authorization or "").removeprefix("Bearer ")
        if user not in grants:
            raise fw.HTTPException(
                status_code=401, detail="Could not validate credentials",
                headers={"WWW-Authenticate": authenticate_value},
            )
        for scope in security_scopes.scopes:
            if scope not in grants[user]:
                raise fw.HTTPException(
                    status_code=401, detail="Not enough permissions",
                    headers={"WWW-Authenticate": authenticate_value},
                )
        return user

    async def get_current_active_user(
        current_user: Annotated[str, fw.Security(get_current_user, scopes=["me"])],
    ) -> str:
        return current_user

    @app.get("/users/me/")
    async def read_users_me(current_user: Annotated[str, fw.Depends(get_current_active_user)]) -> Any:
        return {"username": current_user}

    @app.get("/users/me/items/")
    async def read_own_items(
        current_user: Annotated[str, fw.Security(get_current_active_user, scopes=["items"])],
    ) -> Any:
        return [{"item_id": "Foo", "owner": current_user}]

    return app


# 6. Forms and files
def forms_and_files(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    @app.post("/files/")
    async def create_file(
        file: Annotated[bytes, fw.File()],
        fileb: Annotated[fw.UploadFile, fw.File()],
        token: Annotated[str, fw.Form()],
    ) -> Any:
        return {"file_size": len(file), "token": token, "fileb_content_type": fileb.content_type}

    @app.post("/login/")
    async def login(username: Annotated[str, fw.Form()], password: Annotated[str, fw.Form()]) -> Any:
        return {"username": username}

    return app


# 7. WebSockets
def websockets(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    async def get_cookie_or_token(
        websocket: fw.WebSocket,
        session: Annotated[Optional[str], fw.Cookie()] = None,
        token: Annotated[Optional[str], fw.Query()] = None,
    ) -> str:
        if session is None and token is None:
            raise fw.WebSocketException(code=fw.status.WS_1008_POLICY_VIOLATION)
        return session or token or ""

    @app.websocket("/items/{item_id}/ws")
    async def websocket_endpoint(
        websocket: fw.WebSocket,
        item_id: str,
        q: Optional[int] = None,
        cookie_or_token: Annotated[str, fw.Depends(get_cookie_or_token)] = "",
    ) -> None:
        await websocket.accept()
        while True:
            try:
                data = await websocket.receive_text()
            except fw.WebSocketDisconnect:
                break
            await websocket.send_text(f"Session cookie or query token value is: {cookie_or_token}")
            if q is not None:
                await websocket.send_text(f"Query parameter q is: {q}")
            await websocket.send_text(f"Message text was: {data}, for item ID: {item_id}")

    return app


# 8. Background tasks
def background_tasks(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    log: list[str] = []

    def write_log(message: str) -> None:
        log.append(message)

    def get_query(background_tasks: fw.BackgroundTasks, q: Optional[str] = None) -> Optional[str]:
        if q:
            background_tasks.add_task(write_log, f"found query: {q}")
        return q

    @app.post("/send-notification/{email}")
    async def send_notification(
        email: str, background_tasks: fw.BackgroundTasks, q: Annotated[Optional[str], fw.Depends(get_query)]
    ) -> Any:
        background_tasks.add_task(write_log, f"message to {email}")
        return {"message": "Message sent"}

    @app.get("/log")
    def read_log() -> Any:
        return log

    return app


# 9. Response model filtering
def response_models(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    items = {
        "foo": {"name": "Foo", "price": 50.2},
        "bar": {"name": "Bar", "description": "The bartenders", "price": 62, "tax": 20.2},
        "baz": {"name": "Baz", "description": None, "price": 50.2, "tax": 10.5},
    }

    @app.post("/user/", response_model=UserOut, status_code=fw.status.HTTP_201_CREATED)
    async def create_user(user: UserIn) -> Any:
        return user

    @app.get("/items/{item_id}", response_model=Item, response_model_exclude_unset=True)
    async def read_item(item_id: str) -> Any:
        return items[item_id]

    @app.get("/items/{item_id}/name", response_model=Item,
             response_model_include={"name", "description"})
    async def read_item_name(item_id: str) -> Any:
        return items[item_id]

    @app.get("/items/{item_id}/public", response_model=Item, response_model_exclude={"tax"})
    async def read_item_public_data(item_id: str) -> Any:
        return items[item_id]

    return app


# 10. Exception handlers
def exception_handlers(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    responses = submodule(fw, "responses")
    exceptions = submodule(fw, "exceptions")

    class UnicornException(Exception):
        def __init__(self, name: str) -> None:
            self.name = name

    @app.exception_handler(UnicornException)
    async def unicorn_exception_handler(request: fw.Request, exc: UnicornException) -> Any:
        return responses.JSONResponse(
            status_code=418,
            content={"message": f"Oops! {exc.name} did something. There goes a rainbow..."},
        )

    @app.exception_handler(exceptions.RequestValidationError)
    async def validation_exception_handler(request: fw.Request, exc: Any) -> Any:
        return responses.PlainTextResponse(
            f"{len(exc.errors())} errors: " + ", ".join(e["msg"] for e in exc.errors()),
            status_code=400,
        )

    @app.exception_handler(fw.HTTPException)
    async def http_exception_handler(request: fw.Request, exc: Any) -> Any:
        return responses.PlainTextResponse(str(exc.detail), status_code=exc.status_code)

    @app.get("/unicorns/{name}")
    async def read_unicorn(name: str) -> Any:
        if name == "yolo":
            raise UnicornException(name=name)
        return {"unicorn_name": name}

    @app.get("/items/{item_id}")
    async def read_item(item_id: int) -> Any:
        if item_id == 3:
            raise fw.HTTPException(status_code=418, detail="Nope! I don't like 3.")
        return {"item_id": item_id}

    return app


ITEM = {"name": "Foo", "price": 42.0, "tax": 3.2}


@pytest.mark.parametrize(
    "url",
    ["/items/", "/items/?q=fixedquery&skip=1&limit=1", "/items/?q=no", "/items/?limit=0&skip=x",
     "/items/?item-tag=a&item-tag=b", "/items/?q=" + "x" * 51],
)
def test_query_params(pair: Any, url: str) -> None:
    pair(query_params).get(url)


@pytest.mark.parametrize(
    ("url", "payload"),
    [("/items/5", ITEM), ("/items/5?q=s", ITEM), ("/items/x", {"name": 1}), ("/items/5", {})],
)
def test_body_path_query(pair: Any, url: str, payload: Any) -> None:
    pair(body_path_query).request("PUT", url, json=payload)


def test_nested_models(pair: Any) -> None:
    both = pair(nested_models)
    offer = {"name": "o", "items": [ITEM], "images": [{"url": "http://x", "name": "x"}]}
    both.post("/offers/", json=offer)
    both.post("/offers/", json={"name": "o", "items": [ITEM, {"name": "b", "price": "p"}],
                                "images": [{"url": 1}]})
    both.post("/images/multiple/", json=[{"url": "u", "name": "n"}])
    both.post("/images/multiple/", json={"url": "u"})


@pytest.mark.parametrize("url", ["/items/plumbus", "/items/portal-gun"])
def test_deps_with_yield(pair: Any, url: str) -> None:
    pair(deps_with_yield).get(url)


@pytest.mark.parametrize("user", [None, "johndoe", "alice", "mallory"])
@pytest.mark.parametrize("url", ["/users/me/", "/users/me/items/"])
def test_security_scopes(pair: Any, user: Optional[str], url: str) -> None:
    headers = {"Authorization": f"Bearer {user}"} if user else {}
    pair(security_scopes, headers=("www-authenticate",)).get(url, headers=headers)


def test_forms_and_files(pair: Any) -> None:
    both = pair(forms_and_files)
    both.post("/files/", data={"token": "t"},
              files={"file": ("a", b"abc"), "fileb": ("b.txt", b"x", "text/plain")})
    both.post("/files/", data={"token": "t"})
    both.post("/login/", data={"username": "u", "password": "p"})
    both.post("/login/", data={"username": "u"})


def test_websockets() -> None:
    import fastapi

    for client in (FasterAPI.TestClient(websockets(FasterAPI)),
                   FastAPITestClient(websockets(fastapi))):
        with client.websocket_connect("/items/foo/ws?token=some-token&q=3") as ws:
            ws.send_text("Hello")
            assert ws.receive_text() == "Session cookie or query token value is: some-token"
            assert ws.receive_text() == "Query parameter q is: 3"
            assert ws.receive_text() == "Message text was: Hello, for item ID: foo"
        with pytest.raises(Exception) as info, client.websocket_connect("/items/foo/ws"):
            pass
        assert type(info.value).__name__ == "WebSocketDisconnect"
        assert info.value.code == 1008  # type: ignore[attr-defined]


def test_background_tasks(pair: Any) -> None:
    both = pair(background_tasks)
    both.post("/send-notification/a@b.c?q=hello")
    both.post("/send-notification/x@y.z")
    assert both.get("/log").json() == ["found query: hello", "message to a@b.c", "message to x@y.z"]


def test_response_models(pair: Any) -> None:
    both = pair(response_models)
    assert both.post("/user/", json={"username": "u", "password": "p", "email": "e"}).json() == {
        "username": "u", "email": "e", "full_name": None,
    }
    for item_id in ("foo", "bar", "baz"):
        both.get(f"/items/{item_id}")
        both.get(f"/items/{item_id}/name")
        both.get(f"/items/{item_id}/public")


@pytest.mark.parametrize("url", ["/unicorns/yolo", "/unicorns/ok", "/items/3", "/items/4",
                                 "/items/x"])
def test_exception_handlers(pair: Any, url: str) -> None:
    pair(exception_handlers).get(url)

