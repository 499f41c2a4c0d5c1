"""Parameters msgspec cannot express are validated by pydantic, as FastAPI validates them:
pydantic metadata (validators, ``Field`` constraints, ``allow_inf_nan``), a compiled
``pattern``, unions of string-like types, types only pydantic knows. Compared with FastAPI."""

import re
import uuid
from typing import Annotated

import pytest
from fidelity import Pair
from openapi_fidelity import same_openapi
from pydantic import UUID4, AfterValidator, BeforeValidator, Field, HttpUrl

from fasterapi_core.validation import BodyValidator, ScalarValidator
from fasterapi_core.validation.fallback import PydanticFieldValidator

U4 = "6b1f7a4e-5f3c-4c9a-9d3a-2b8e6f0c1d2e"
U1 = "a8098c1a-f86e-11da-bd1a-00112444be1e"


def _not_one(value: int) -> int:
    if value == 1:
        raise ValueError("one is refused")
    return value * 2


def _app(fw):
    app = fw.FastAPI()

    @app.get("/pattern")
    def pattern(q: str = fw.Query(pattern=re.compile(r"^fix"))):
        return q

    @app.get("/pattern-flags")
    def pattern_flags(q: Annotated[str, fw.Query(pattern=re.compile(r"^fix", re.IGNORECASE))]):
        return q

    @app.get("/after")
    def after(x: Annotated[int, AfterValidator(_not_one)] = 1):
        return x

    @app.get("/after-marker")
    def after_marker(x: Annotated[int, AfterValidator(_not_one), fw.Query()] = 1):
        return x

    @app.get("/before-header")
    def before_header(
        x_n: Annotated[int, BeforeValidator(lambda v: v.strip("#")), fw.Header()] = 0,
    ):
        return x_n

    @app.get("/field-ge")
    def field_ge(n: Annotated[int, Field(ge=3), fw.Query()]):
        return n

    @app.get("/finite")
    def finite(
        x: Annotated[float, Field(allow_inf_nan=False)] = 0.0,
        y: float = fw.Query(0.0, allow_inf_nan=False),
        z: float = fw.Query(1.0, ge=0),
        w: float = 1.0,
    ):
        return {"x": repr(x), "y": repr(y), "z": repr(z), "w": repr(w)}

    @app.post("/finite-form")
    def finite_form(v: Annotated[float, fw.Form(gt=0)], u: Annotated[float, fw.Form()] = 1.0):
        return {"v": repr(v), "u": repr(u)}

    @app.get("/uuid/{x}")
    def uuid_path(x: UUID4 | str):
        return {"x": str(x), "type": type(x).__name__}

    @app.get("/uuid")
    def uuid_query(x: UUID4 | str, y: uuid.UUID | str = "d", z: UUID4 | None = None):
        return {"x": type(x).__name__, "y": type(y).__name__, "z": str(z)}

    @app.post("/url")
    def url(link: Annotated[HttpUrl, fw.Body(embed=True)]):
        return str(link)

    return app


@pytest.mark.parametrize(
    "url",
    [
        "/pattern?q=fixed",
        "/pattern?q=nope",
        "/pattern-flags?q=FIXED",
        "/pattern-flags?q=nope",
        "/after?x=1",  # the default's value, sent: validated
        "/after?x=2",
        "/after",  # not sent: the default, not validated (FastAPI's rule)
        "/after-marker?x=1",
        "/after-marker?x=5",
        "/after-marker",
        "/after?x=z",
        "/field-ge?n=3",
        "/field-ge?n=2",
        "/field-ge",
        "/finite?x=inf",
        "/finite?x=nan",
        "/finite?x=-inf",
        "/finite?x=1.5",
        "/finite?y=inf",
        "/finite?y=-Infinity",
        "/finite?z=nan",
        "/finite?z=-inf",
        "/finite?z=inf",
        "/finite?w=-inf",
        f"/uuid/{U4}",
        f"/uuid/{U1}",
        "/uuid/abc",
        f"/uuid?x={U4}&y={U1}",
        "/uuid?x=a&y=b",
        f"/uuid?x=a&z={U1}",
        f"/uuid?x=a&z={U4}",
        "/uuid?x=a&z=nope",
        "/uuid",
    ],
)
def test_query_and_path(pair, url: str) -> None:
    pair(_app).get(url)


@pytest.mark.parametrize("headers", [{"x-n": "#4#"}, {"x-n": "##"}, {}])
def test_header_validator(pair, headers: dict[str, str]) -> None:
    pair(_app).get("/before-header", headers=headers)


@pytest.mark.parametrize(
    "data", [{"v": "nan"}, {"v": "inf"}, {"v": "-inf"}, {"v": "2", "u": "nan"}, {"v": "x"}]
)
def test_form_non_finite(pair, data: dict[str, str]) -> None:
    pair(_app).post("/finite-form", data=data)


@pytest.mark.parametrize(
    "body", [{"link": "https://example.com/a"}, {"link": "nope"}, {"link": 3}, {}]
)
def test_pydantic_only_type_in_embedded_body(pair, body: object) -> None:
    # validation/body.py: msgspec re-converted pydantic's value and refused every one
    pair(_app).post("/url", json=body)


def test_openapi() -> None:
    same_openapi(Pair(_app))


def test_email_in_embedded_body() -> None:
    from pydantic import EmailStr

    def make(fw):
        app = fw.FastAPI()

        @app.post("/e")
        def e(email: Annotated[EmailStr, fw.Body(embed=True)]):
            return email

        return app

    both = Pair(make)
    both.post("/e", json={"email": "ada@example.com"})
    both.post("/e", json={"email": "nope"})
    same_openapi(both)


def test_ordinary_parameters_keep_msgspec() -> None:
    # decided per parameter at registration: only what msgspec cannot express goes to pydantic
    assert type(ScalarValidator(int, loc=("query", "n"))) is ScalarValidator
    assert type(ScalarValidator(list[str] | None, loc=("query", "n"))) is ScalarValidator
    assert type(BodyValidator(dict[str, int])) is BodyValidator
    fallback = ScalarValidator(UUID4 | str, loc=("query", "n"))
    assert isinstance(fallback, PydanticFieldValidator)
    annotated = ScalarValidator(Annotated[int, AfterValidator(_not_one)], loc=("query", "n"))
    assert isinstance(annotated, PydanticFieldValidator)


def _inferred(fw):
    app = fw.FastAPI()

    @app.post("/list")
    def listed(x: list[str]):  # no marker: a body, as in FastAPI (Query() reads the query)
        return x

    @app.post("/factory")
    def factory(x: Annotated[list[str], Field(default_factory=list)]):
        return x

    @app.get("/field-constraints")
    def field_constraints(
        n: Annotated[int, Field(gt=2)] = 5,
        s: Annotated[str, Field(min_length=2, title="T", description="D")] = "zz",
    ):
        return {"n": n, "s": s}

    return app


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/list?x=1", None),
        ("POST", "/list", ["a", "b"]),
        ("POST", "/factory", None),
        ("POST", "/factory", ["a"]),
        ("GET", "/field-constraints?n=1&s=a", None),
        ("GET", "/field-constraints?n=3&s=ab", None),
        ("GET", "/field-constraints", None),
    ],
)
def test_inference_and_field_in_annotated(pair, method: str, url: str, body: object) -> None:
    both = pair(_inferred)
    if body is None:
        both.request(method, url)
    else:
        both.request(method, url, json=body)


def test_inferred_openapi() -> None:
    same_openapi(Pair(_inferred))
