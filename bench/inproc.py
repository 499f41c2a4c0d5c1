"""In-process benchmark: call each app's ASGI callable directly, no server, no sockets.

    python bench/inproc.py [--rounds 5] [--seconds 0.4] [--frameworks raw,fasterapi,...]
                           [--no-write]

Every app first gets an ASGI lifespan startup, then a check asserts that every framework answers
each request with the same status and JSON body as the raw ASGI app (and echoes websocket text).
For every endpoint, each framework is then timed in several interleaved rounds; the median
µs/request is reported with the ratios to the raw ASGI app and to FastAPI, printed and written to
the "inproc" section of bench/RESULTS.md. The websocket row is one echo round trip on an open
connection, driven through the ASGI websocket protocol with two queues.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# bench/http.py would shadow the standard library's http package: keep bench/ last on sys.path
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

from apps import FRAMEWORKS, LABELS  # noqa: E402
from report import load_average, preamble, ratio_table, table, write_section  # noqa: E402

USER_BODY = b'{"name":"Ada","email":"ada@example.com","age":36,"active":true}'
WS = "WS /ws echo round trip"

Endpoint = tuple[str, str, str, bytes, bytes]
ENDPOINTS: list[Endpoint] = [
    # (label, method, path, query, body)
    ("GET /health", "GET", "/health", b"", b""),
    ("GET /users/{id}", "GET", "/users/42", b"", b""),
    ("GET /search?q=&limit=", "GET", "/search", b"q=fast&limit=20", b""),
    ("POST /users (4-field body)", "POST", "/users", b"", USER_BODY),
    ("GET /items (100 objects)", "GET", "/items", b"", b""),
    ("GET /dep (1 dependency)", "GET", "/dep", b"", b""),
    ("GET /last/{id} (200th route)", "GET", "/last/7", b"", b""),
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


def ws_scope() -> dict[str, Any]:
    scope = make_scope("GET", "/ws", b"", b"")
    del scope["method"]
    scope.update(type="websocket", scheme="ws", subprotocols=[])
    return scope


class Lifespan:
    """Runs an app's ASGI lifespan: startup on ``start()``, shutdown on ``stop()``."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.state: dict[str, Any] = {}
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[Any] | None = None

    async def start(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": self.state}
        self.task = asyncio.create_task(self.app(scope, self.inbox.get, self.outbox.put))
        await self.inbox.put({"type": "lifespan.startup"})
        reply = await self.outbox.get()
        if reply["type"] != "lifespan.startup.complete":
            raise SystemExit(f"lifespan startup failed: {reply}")

    async def stop(self) -> None:
        await self.inbox.put({"type": "lifespan.shutdown"})
        await self.outbox.get()
        if self.task is not None:
            await self.task


async def call(app: Any, state: dict[str, Any], endpoint: Endpoint) -> tuple[int, bytes, bytes]:
    """One request: (status, content-type, body)."""
    _, method, path, query, body = endpoint
    scope = make_scope(method, path, query, body)
    scope["state"] = dict(state)
    status, content_type = 0, b""
    chunks: list[bytes] = []
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, content_type
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = dict(message.get("headers", []))
            content_type = headers.get(b"content-type", b"")
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, content_type, b"".join(chunks)


class WebSocketSession:
    """An open ASGI websocket connection to ``/ws``, driven through two queues."""

    def __init__(self, app: Any, state: dict[str, Any]) -> None:
        self.app = app
        self.state = state
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[Any] | None = None

    async def open(self) -> None:
        scope = ws_scope()
        scope["state"] = dict(self.state)
        self.inbox.put_nowait({"type": "websocket.connect"})
        self.task = asyncio.create_task(self.app(scope, self.inbox.get, self.outbox.put))
        reply = await self.outbox.get()
        if reply["type"] != "websocket.accept":
            raise SystemExit(f"websocket not accepted: {reply}")

    async def round_trip(self, text: str) -> str:
        self.inbox.put_nowait({"type": "websocket.receive", "text": text})
        reply = await self.outbox.get()
        return str(reply.get("text"))

    async def close(self) -> None:
        self.inbox.put_nowait({"type": "websocket.disconnect", "code": 1000})
        if self.task is not None:
            await self.task


async def check_same_answers(apps: dict[str, Any], states: dict[str, dict[str, Any]]) -> None:
    import msgspec

    for endpoint in ENDPOINTS:
        answers = {}
        for name, app in apps.items():
            status, content_type, body = await call(app, states[name], endpoint)
            if not content_type.startswith(b"application/json"):
                raise SystemExit(f"{endpoint[0]}: {name} answered content-type {content_type!r}")
            answers[name] = (status, msgspec.json.decode(body))
        reference = answers["raw"]
        for name, answer in answers.items():
            if answer != reference:
                raise SystemExit(
                    f"{endpoint[0]}: {name} answered {answer}, raw answered {reference}"
                )
    for name, app in apps.items():
        session = WebSocketSession(app, states[name])
        await session.open()
        for text in ("hello", "ünïcode ✓"):
            echoed = await session.round_trip(text)
            if echoed != text:
                raise SystemExit(f"{WS}: {name} echoed {echoed!r} for {text!r}")
        await session.close()


async def time_endpoint(
    app: Any, state: dict[str, Any], endpoint: Endpoint, seconds: float
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
            scope["state"] = dict(state)
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


async def time_websocket(app: Any, state: dict[str, Any], seconds: float) -> float:
    session = WebSocketSession(app, state)
    await session.open()
    iterations = 0
    batch = 200
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(batch):
            await session.round_trip("ping")
        iterations += batch
        now = time.perf_counter()
        if now >= deadline:
            await session.close()
            return (now - start) / iterations * 1e6


async def run(names: list[str], rounds: int, seconds: float) -> list[tuple[str, dict[str, float]]]:
    apps = {name: FRAMEWORKS[name]() for name in names}
    lifespans = {name: Lifespan(app) for name, app in apps.items()}
    for lifespan in lifespans.values():
        await lifespan.start()
    states = {name: lifespan.state for name, lifespan in lifespans.items()}
    await check_same_answers(apps, states)
    timers: list[tuple[str, Callable[[str, float], Any]]] = [
        (ep[0], lambda name, s, ep=ep: time_endpoint(apps[name], states[name], ep, s))
        for ep in ENDPOINTS
    ]
    timers.append((WS, lambda name, s: time_websocket(apps[name], states[name], s)))
    results: list[tuple[str, dict[str, float]]] = []
    for label, timer in timers:
        samples: dict[str, list[float]] = {name: [] for name in apps}
        for name in apps:  # warm-up
            await timer(name, seconds / 4)
        for _ in range(rounds):
            for name in apps:
                samples[name].append(await timer(name, seconds))
        results.append((label, {n: statistics.median(s) for n, s in samples.items()}))
        print(f"  {label}: " + ", ".join(f"{n} {v:.2f}" for n, v in results[-1][1].items()))
    for lifespan in lifespans.values():
        await lifespan.stop()
    return results


def render(results: list[tuple[str, dict[str, float]]], names: list[str]) -> str:
    columns = [(name, LABELS[name]) for name in names]
    parts = [
        "**µs per request** (median; lower is better)\n\n",
        table(results, columns, "{:.2f}".format),
    ]
    per_second = [(label, {k: 1e6 / v for k, v in row.items()}) for label, row in results]
    parts += ["\n\n**requests per second on one core** (1e6 / µs)\n\n"]
    parts += [table(per_second, columns, lambda v: f"{v / 1000:.0f}k")]
    if "raw" in names:
        parts += ["\n\n**× raw ASGI** (framework µs / raw µs; the framework's own cost)\n\n"]
        parts += [ratio_table(results, columns, "raw")]
    if "fastapi" in names:
        parts += ["\n\n**speed-up over FastAPI** (FastAPI µs / framework µs; higher is better)\n\n"]
        parts += [ratio_table(results, columns, "fastapi", inverse=True)]
    return "".join(parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=0.4)
    parser.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    parser.add_argument("--no-write", action="store_true", help="print only, keep RESULTS.md")
    args = parser.parse_args(argv)
    names = args.frameworks.split(",")
    if "raw" not in names:
        names.insert(0, "raw")
    runner: Callable[..., Any] = asyncio.run
    loop_name = "asyncio"
    try:
        import uvloop

        runner, loop_name = uvloop.run, "uvloop"
    except ImportError:
        pass
    load_before = load_average()
    results = runner(run(names, args.rounds, args.seconds))
    body = (
        "## In-process (ASGI callable called directly, no server)\n\n"
        + preamble("python " + " ".join(["bench/inproc.py", *sys.argv[1:]]), load_before)
        + f"- method: {loop_name} loop, one process; per endpoint, {args.rounds} interleaved rounds"
        f" of {args.seconds}s per framework after a warm-up, median kept\n\n"
        + render(results, names)
        + "\n"
    )
    print(body)
    if not args.no_write:
        write_section("inproc", body)


if __name__ == "__main__":
    main()
