"""``with TestClient(app)`` whose lifespan startup fails: the error propagates and the client's
lifespan message streams are closed (left to the garbage collector they warn, an error where
warnings are errors, as in FastAPI's suite)."""

import contextlib
import gc
import warnings
from collections.abc import AsyncIterator
from typing import Any

import pytest

from FasterAPI import Faster
from FasterAPI.testclient import TestClient


@pytest.mark.parametrize("stage", ["startup", "shutdown"])
def test_failing_lifespan_leaves_no_unclosed_stream(stage: str) -> None:
    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        if stage == "startup":
            raise RuntimeError("startup failed")
        yield
        raise RuntimeError("shutdown failed")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with (
            pytest.raises(RuntimeError, match=f"{stage} failed"),
            TestClient(Faster(lifespan=lifespan)) as client,
        ):
            assert client.get("/").status_code == 404
        gc.collect()
    unclosed = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert unclosed == []
