"""Dependency declarations as FastAPI 0.165 treats them, compared with FastAPI: a dependency
used directly and under ``Security(..., scopes=...)`` runs once per request unless it uses
the scopes, equal ``Depends`` hash alike, a ``TypeAliasType`` annotation is looked through."""

from types import ModuleType
from typing import Annotated, Any

import fastapi
import fastapi.security
import pytest
from fidelity import Pair
from typing_extensions import TypeAliasType

import FasterAPI
import FasterAPI.security

FRAMEWORKS = {"fasterapi": FasterAPI, "fastapi": fastapi}


def scopes_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    calls = {"db": 0, "scoped": 0}

    def get_db() -> str:
        calls["db"] += 1
        return "db"

    SecurityScopes = fw.security.SecurityScopes

    def scoped(scopes: SecurityScopes) -> str:
        calls["scoped"] += 1
        return ",".join(scopes.scopes)

    def get_user(db: Annotated[str, fw.Depends(get_db)]) -> str:
        return "user"

    def get_admin(s: Annotated[str, fw.Depends(scoped)]) -> str:
        return s

    @app.get("/")
    def endpoint(
        db: Annotated[str, fw.Depends(get_db)],
        user: Annotated[str, fw.Security(get_user, scopes=["read"])],
        direct: Annotated[str, fw.Depends(scoped)],
        admin: Annotated[str, fw.Security(get_admin, scopes=["admin"])],
    ) -> dict[str, Any]:
        return {"calls": dict(calls), "direct": direct, "admin": admin}

    return app


def test_scopes_split_the_cache_only_where_used() -> None:
    response = Pair(scopes_app).get("/")
    assert response.json() == {"calls": {"db": 1, "scoped": 2}, "direct": "", "admin": "admin"}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_equal_declarations_hash_alike(framework: str) -> None:
    fw = FRAMEWORKS[framework]

    def dep() -> None: ...

    assert fw.Depends(dep) == fw.Depends(dep)
    assert hash(fw.Depends(dep)) == hash(fw.Depends(dep))
    assert hash(fw.Security(dep)) == hash(fw.Security(dep))
    assert hash(fw.Depends(dep, scope="function")) != hash(fw.Depends(dep))
    assert fw.Depends(dep, max_concurrency=1) != fw.Depends(dep, max_concurrency=1)


async def some_value() -> int:
    return 123


def alias_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    value_alias = TypeAliasType(  # type: ignore[misc]
        "value_alias", Annotated[int, fw.Depends(some_value)], type_params=()
    )

    @app.get("/")
    async def get_with_dep(value: value_alias) -> str:  # type: ignore[valid-type]
        return f"value: {value}"

    return app


def test_type_alias_dependency() -> None:
    assert Pair(alias_app).get("/").json() == "value: 123"
