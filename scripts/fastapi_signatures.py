"""Compare the signatures of FastAPI's application and routing API with FasterAPI's.

    python scripts/fastapi_signatures.py    (in an environment with fastapi installed)

For each pair (``FastAPI.__init__`` / ``Faster.__init__``, ``APIRouter.get`` /
``FasterRouter.get``, ``APIRoute.__init__``...), prints the parameters FastAPI has and
FasterAPI lacks, those only FasterAPI has, and those whose kind or default differ (defaults
compared by meaning: ``Default(JSONResponse)`` equals ``Default(JSONResponse)`` whichever
framework's class it holds). Parameter order is not compared (they are keyword-only).
tests/app/test_fastapi_signatures.py keeps the differences to the documented ones.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["PAIRS", "Difference", "differences", "main"]

Difference = tuple[str, str, str]
"""``(function, parameter, what)``: what is ``"missing"``, ``"extra"``, ``"kind ..."`` or
``"default ..."``."""

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _pairs() -> Iterator[tuple[str, Callable[..., Any], Callable[..., Any]]]:
    import fastapi
    import fastapi.routing

    import FasterAPI
    import FasterAPI.routing

    yield "FastAPI.__init__", fastapi.FastAPI.__init__, FasterAPI.Faster.__init__
    yield "APIRouter.__init__", fastapi.APIRouter.__init__, FasterAPI.FasterRouter.__init__
    yield (
        "APIRoute.__init__",
        fastapi.routing.APIRoute.__init__,
        FasterAPI.routing.APIRoute.__init__,
    )
    for owner, theirs, ours in (
        ("FastAPI", fastapi.FastAPI, FasterAPI.Faster),
        ("APIRouter", fastapi.APIRouter, FasterAPI.FasterRouter),
    ):
        for name in (
            "add_api_route",
            "api_route",
            *_METHODS,
            "include_router",
            "websocket",
            "add_api_websocket_route",
        ):
            yield f"{owner}.{name}", getattr(theirs, name), getattr(ours, name)


PAIRS = _pairs
"""The compared functions: ``(label, FastAPI's, FasterAPI's)``."""


def _meaning(value: Any) -> Any:
    """A default as comparable across the frameworks."""
    if value is inspect.Parameter.empty:
        return "<none>"
    inner = getattr(value, "value", value) if type(value).__name__ == "DefaultPlaceholder" else None
    if inner is not None or type(value).__name__ == "DefaultPlaceholder":
        return ("Default", _meaning(inner))
    if isinstance(value, type) or callable(value):
        return getattr(value, "__name__", repr(value))
    return value


def differences() -> list[Difference]:
    """Every difference between the FastAPI and FasterAPI signatures of :data:`PAIRS`."""
    found: list[Difference] = []
    for label, theirs, ours in _pairs():
        their_params = dict(inspect.signature(theirs).parameters)
        our_params = dict(inspect.signature(ours).parameters)
        for name, param in their_params.items():
            mine = our_params.get(name)
            if mine is None:
                if not any(p.kind is p.VAR_KEYWORD for p in our_params.values()):
                    found.append((label, name, "missing"))
                else:
                    found.append((label, name, "missing (taken by **kwargs)"))
                continue
            if mine.kind != param.kind and param.kind is not param.POSITIONAL_OR_KEYWORD:
                found.append((label, name, f"kind {mine.kind.name} (FastAPI {param.kind.name})"))
            if _meaning(mine.default) != _meaning(param.default):
                found.append(
                    (label, name, f"default {mine.default!r} (FastAPI {param.default!r})")
                )
        for name, param in our_params.items():
            if name not in their_params:
                found.append((label, name, f"extra ({param.kind.name.lower()})"))
    return found


def main() -> None:
    """Print the differences, one per line, grouped by function."""
    current = None
    rows = differences()
    for label, name, what in rows:
        if label != current:
            print(f"\n{label}")
            current = label
        print(f"  {name}: {what}")
    print(f"\n{len(rows)} differences")


if __name__ == "__main__":
    main()
