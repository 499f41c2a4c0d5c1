"""Bytes read from the request (uploaded files, ``bytes`` file, form, body, query and header
parameters, and a ``bytes`` parameter's default handed to the application) returned in a
response of no declared type are written as their UTF-8 text, as
FastAPI writes them (the same app run on FastAPI and on FasterAPI); bytes that are not valid
UTF-8 are written in base64 where FastAPI answers 500, and bytes the application makes itself
stay base64 (both documented in fasterapi_core.received_bytes)."""

import base64
from collections.abc import Callable
from types import ModuleType
from typing import Annotated, Any

import fastapi
import fastapi.testclient
import pytest

import FasterAPI
import FasterAPI.testclient


def _app(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    @app.post("/files")
    async def files(
        upload: fw.UploadFile,  # type: ignore[name-defined]
        content: Annotated[bytes, fw.File()],
        many: Annotated[list[bytes], fw.File()],
        city: Annotated[str, fw.Form()],
    ) -> Any:
        return {"upload": await upload.read(), "content": content, "many": many, "city": city}

    @app.post("/form")
    def form(text: Annotated[bytes, fw.Form()]) -> Any:
        return {"text": text}

    @app.post("/body")
    def body(data: Annotated[bytes, fw.Body(media_type="application/octet-stream")]) -> Any:
        return data

    @app.get("/query")
    def query(q: bytes, h: Annotated[bytes, fw.Header()]) -> Any:
        return [q, h]

    @app.post("/default")
    def default(value: Annotated[bytes, fw.File(min_length=2)] = b"x") -> Any:
        return value

    return app


def _client(fw: ModuleType) -> Any:
    module = FasterAPI.testclient if fw is FasterAPI else fastapi.testclient
    return module.TestClient(_app(fw), raise_server_exceptions=False)


REQUESTS: list[Callable[[Any], Any]] = [
    lambda c: c.post(
        "/files",
        files=[
            ("upload", ("a.txt", b"hello")),
            ("content", ("b.txt", b"caf\xc3\xa9")),
            ("many", ("c.txt", b"one")),
            ("many", ("d.txt", b"two")),
        ],
        data={"city": "Thimphu"},
    ),
    lambda c: c.post("/form", data={"text": "aGVsbG8="}),
    lambda c: c.post("/body", content=b"ok", headers={"content-type": "application/octet-stream"}),
    lambda c: c.get("/query", params={"q": "abc"}, headers={"h": "hdr"}),
    lambda c: c.post("/default"),
]


@pytest.mark.parametrize("send", REQUESTS)
def test_received_bytes_are_written_as_fastapi_writes_them(send: Callable[[Any], Any]) -> None:
    ours, theirs = send(_client(FasterAPI)), send(_client(fastapi))
    assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json())
    assert ours.status_code == 200


def test_the_text_of_uploads() -> None:
    response = REQUESTS[0](_client(FasterAPI))
    assert response.json() == {
        "upload": "hello",
        "content": "café",
        "many": ["one", "two"],
        "city": "Thimphu",
    }


def test_bytes_not_utf8_are_base64_where_fastapi_fails() -> None:
    def send(client: Any) -> Any:
        return client.post(
            "/files",
            files=[("upload", ("a", b"\xff\xfe")), ("content", ("b", b"x")), ("many", ("c", b"y"))],
            data={"city": "x"},
        )

    assert send(_client(fastapi)).status_code == 500
    response = send(_client(FasterAPI))
    assert response.status_code == 200
    assert response.json()["upload"] == base64.b64encode(b"\xff\xfe").decode()


def test_bytes_made_by_the_application_stay_base64() -> None:
    app = FasterAPI.FastAPI()

    @app.get("/")
    def made() -> Any:
        return {"made": b"hello"}

    response = FasterAPI.testclient.TestClient(app).get("/")
    assert response.json() == {"made": "aGVsbG8="}


def test_received_bytes_are_bytes() -> None:
    seen: list[Any] = []
    app = FasterAPI.FastAPI()

    @app.post("/")
    async def read(upload: FasterAPI.UploadFile) -> None:
        seen.append(await upload.read())

    FasterAPI.testclient.TestClient(app).post("/", files={"upload": ("a", b"hi")})
    assert seen == [b"hi"] and isinstance(seen[0], bytes)
