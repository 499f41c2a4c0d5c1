"""In-process benchmark: call each app's ASGI callable directly, no server, no sockets.

    python bench/inproc.py [--rounds 5] [--seconds 0.4]

For every endpoint, each framework is timed in several interleaved rounds; the median
µs/request is printed with the ratios to the raw ASGI app and to FastAPI. A check first asserts
that every framework answers each request with the same status and body.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from apps import FRAMEWORKS

USER_BODY = b'{"name":"Ada","email":"ada@example.com","age":36,"active":true}'

ENDPOINTS: list[tuple[str, str, str, bytes, bytes]] = [
    # (label, method, path, query, body)
    ("GET /health", "GET", "/health", b"", b""),
    ("GET /users/{id}", "GET", "/users/42", b"", b""),
    ("POST /users (4-field body)", "POST", "/users", b"", USER_BODY),
    ("GET /search?q=&limit=", "GET", "/search", b"q=fast&limit=20", b""),
    ("GET /dep (1 dependency)", "GET", "/dep", b"", b""),
    ("GET /items (100 objects)", "GET", "/items", b"", b""),
]


def make_scope(method: str, path: str, query: bytes, body: bytes) -> dict[str, Any]:
    headers = [(b"host", b"bench"), (b"user-agent", b"bench")]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def call(app: Any, method: str, path: str, query: bytes, body: bytes) -> tuple[int, bytes]:
    scope = make_scope(method, path, query, body)
    status = 0
    chunks: list[bytes] = []
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def time_endpoint(
    app: Any, endpoint: tuple[str, str, str, bytes, bytes], seconds: float
) -> float:
    _, method, path, query, body = endpoint
    scope_template = make_scope(method, path, query, body)

    async def send(message: dict[str, Any]) -> None:
        return None

    iterations = 0
    batch = 200
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(batch):
            scope = dict(scope_template)
            scope["state"] = {}
            sent = False

            async def receive() -> dict[str, Any]:
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return {"type": "http.disconnect"}

            await app(scope, receive, send)
        iterations += batch
        now = time.perf_counter()
        if now >= deadline:
            return (now - start) / iterations * 1e6


async def check_same_answers(apps: dict[str, Any]) -> None:
    import msgspec

    for endpoint in ENDPOINTS:
        answers = {}
        for name, app in apps.items():
            status, body = await call(app, *endpoint[1:])
            answers[name] = (status, msgspec.json.decode(body))
        reference = answers["raw"]
        for name, answer in answers.items():
            if answer != reference:
                raise SystemExit(
                    f"{endpoint[0]}: {name} answered {answer}, raw answered {reference}"
                )


def versions() -> str:
    import fastapi
    import msgspec
    import pydantic

    import FasterAPI

    return (
        f"Python {platform.python_version()}, FasterAPI {FasterAPI.__version__}, "
        f"FastAPI {fastapi.__version__} (pydantic {pydantic.__version__}), "
        f"msgspec {msgspec.__version__}"
    )


async def run(rounds: int, seconds: float) -> list[tuple[str, dict[str, float]]]:
    apps = {name: factory() for name, factory in FRAMEWORKS.items()}
    await check_same_answers(apps)
    results: list[tuple[str, dict[str, float]]] = []
    for endpoint in ENDPOINTS:
        samples: dict[str, list[float]] = {name: [] for name in apps}
        for app in apps.values():  # warm-up
            await time_endpoint(app, endpoint, seconds / 4)
        for _ in range(rounds):
            for name, app in apps.items():
                samples[name].append(await time_endpoint(app, endpoint, seconds))
        results.append((endpoint[0], {n: statistics.median(s) for n, s in samples.items()}))
    return results


def render(results: list[tuple[str, dict[str, float]]]) -> str:
    header = "| endpoint | raw ASGI µs | FasterAPI µs | FastAPI µs | ours / raw | FastAPI / ours |"
    lines = [header, "|---|---|---|---|---|---|"]
    for label, medians in results:
        raw, ours, theirs = medians["raw"], medians["fasterapi"], medians["fastapi"]
        cells = [label, f"{raw:.2f}", f"{ours:.2f}", f"{theirs:.2f}"]
        cells += [f"{ours / raw:.2f}×", f"{theirs / ours:.1f}×"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=0.4)
    args = parser.parse_args(argv)
    runner: Callable[..., Any] = asyncio.run
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:
        pass
    results = runner(run(args.rounds, args.seconds))
    print(versions())
    print(f"median of {args.rounds} interleaved rounds of {args.seconds}s each\n")
    print(render(results))


if __name__ == "__main__":
    main()
