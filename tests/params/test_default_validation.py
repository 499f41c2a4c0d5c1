"""When a parameter's default is validated, compared with FastAPI 0.165 (cases ported from
its test_request_params/test_default_validation.py and test_allow_inf_nan_in_enforcing.py):
a value sent is always validated, even one equal to the default; a missing one takes the
default unvalidated, unless ``validate_default=True``."""

from typing import Annotated

import pytest
from fidelity import Pair
from pydantic import BaseModel, BeforeValidator, Field

CALLS: list[str] = []


def double(value: object) -> int:
    return 0 if value is None else int(value) * 2  # type: ignore[call-overload]


ValidatedInt = Annotated[int | None, BeforeValidator(double)]
SOURCES = ["Query", "Header", "Cookie", "Form", "Body"]


def _factory() -> int:
    CALLS.append("factory")
    return 10


def _app(source: str, default: int | None, *, validate_default: bool = False):
    def make(fw):
        app = fw.FastAPI()
        marker = getattr(fw, source)
        options = {"validate_default": True} if validate_default else {}
        field = marker(embed=True, **options) if source == "Body" else marker(**options)

        @app.post("/parameter")
        def read_parameter(value: Annotated[ValidatedInt, field] = default):
            return value

        class Model(BaseModel):
            value: Annotated[ValidatedInt, Field(validate_default=validate_default)] = default

        @app.post("/model")
        def read_model(value: Annotated[Model, marker()]):
            return value.value

        @app.post("/factory")
        def read_factory(
            value: Annotated[
                ValidatedInt,
                marker(default_factory=_factory, validate_default=validate_default)
                if source != "Body"
                else marker(
                    embed=True, default_factory=_factory, validate_default=validate_default
                ),
            ],
        ):
            return value

        return app

    return make


def _send(both: Pair, source: str, path: str, value: object) -> None:
    if source == "Body":
        both.post(path, json={} if value is None else {"value": value})
    elif value is None:
        both.post(path)
    elif source == "Query":
        both.post(path, params={"value": str(value)})
    elif source == "Header":
        both.post(path, headers={"value": str(value)})
    elif source == "Cookie":
        both.post(path, headers={"cookie": f"value={value}"})
    else:
        both.post(path, data={"value": str(value)})


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("path", ["/parameter", "/model", "/factory"])
@pytest.mark.parametrize("default", [None, 10])
@pytest.mark.parametrize("validate_default", [False, True])
@pytest.mark.parametrize("value", [None, 10, 3, "x"])
def test_default_validation(
    source: str, path: str, default: int | None, validate_default: bool, value: object
) -> None:
    both = Pair(_app(source, default, validate_default=validate_default))
    _send(both, source, path, value)


@pytest.mark.parametrize("default", [None, 10])
def test_explicit_null_is_validated(default: int | None) -> None:
    both = Pair(_app("Body", default))
    both.post("/parameter", json={"value": None})
    both.post("/model", json={"value": None})


def test_factories_run_per_request_only() -> None:
    CALLS.clear()
    both = Pair(_app("Query", None, validate_default=True))
    assert CALLS == []
    both.post("/factory")
    assert CALLS == ["factory", "factory"]


def _finite(fw):
    app = fw.FastAPI()

    @app.post("/")
    async def get(
        x: Annotated[float, fw.Query(allow_inf_nan=True)] = 0,
        y: Annotated[float, fw.Query(allow_inf_nan=False)] = 0,
        z: Annotated[float, fw.Query()] = 0,
        b: Annotated[float, fw.Body(allow_inf_nan=False)] = 0,
    ) -> str:
        return "OK"

    return app


@pytest.mark.parametrize("name", ["x", "y", "z"])
@pytest.mark.parametrize("value", ["-1", "inf", "-inf", "nan", "0", "342", "1e999"])
def test_allow_inf_nan_query(pair, name: str, value: str) -> None:
    pair(_finite).post(f"/?{name}={value}")


@pytest.mark.parametrize("value", ["-1", "0", "342"])
def test_allow_inf_nan_body(pair, value: str) -> None:
    pair(_finite).post("/", content=value, headers={"content-type": "application/json"})


@pytest.mark.parametrize("value", ["1e999", "-1e999"])
def test_infinite_json_number_refused(value: str) -> None:
    # an out-of-range number is refused like NaN/Infinity literals (json_invalid, a documented
    # difference); FastAPI decodes it to infinity and then fails encoding its own 422
    import FasterAPI

    client = FasterAPI.TestClient(_finite(FasterAPI))
    response = client.post("/", content=value, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert [e["type"] for e in response.json()["detail"]] == ["json_invalid"]


@pytest.mark.parametrize("validate_default", [False, True])
def test_file_default_validation(pair, validate_default: bool) -> None:
    # dependencies/fields.py: a File's default is validated (by pydantic) when asked to
    def make(fw):
        app = fw.FastAPI()

        @app.post("/")
        def read_file(
            value: Annotated[
                bytes, fw.File(min_length=2, validate_default=validate_default)
            ] = b"x",
        ):
            return len(value)

        return app

    both = pair(make)
    both.post("/")
    both.post("/", files={"value": ("v", b"abc")})
