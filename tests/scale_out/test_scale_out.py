"""Scaling out behind nginx (guide/scaling-out.md): two ``fasterapi run`` processes standing for
two hosts, one redis-server, nginx balancing round-robin. Every request goes through nginx; the
``X-Backend`` header (the ``backend`` field on WebSockets) says which process answered."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
from redis import Redis
from scale_out_cluster import RATE_LIMIT, Cluster
from websockets.exceptions import ConnectionClosedError
from websockets.sync.client import ClientConnection, connect


def receive(websocket: ClientConnection) -> Any:
    return json.loads(websocket.recv(timeout=10))


def client_headers(address: str) -> dict[str, str]:
    """The test stands for the client ``address`` (nginx appends its own peer, 127.0.0.1, a
    trusted proxy of the backends: the rate limit keys on ``address``)."""
    return {"x-forwarded-for": address}


def test_a_broadcast_reaches_websockets_on_both_backends(cluster: Cluster) -> None:
    url = cluster.base.replace("http://", "ws://") + "/rooms/lobby/ws"
    headers = client_headers("198.51.100.1")
    backends = cluster.backend_ids()
    with ExitStack() as stack:
        sockets = [
            stack.enter_context(connect(url, additional_headers=headers, open_timeout=10))
            for _ in range(6)
        ]
        served_by: Counter[str] = Counter()
        for websocket in sockets:
            ready = receive(websocket)
            assert ready.keys() == {"event", "backend"} and ready["event"] == "ready"
            served_by[backends[ready["backend"]]] += 1
        assert served_by.keys() == {"a", "b"}  # round-robin: both have some
        posted = httpx.post(
            f"{cluster.base}/rooms/lobby/messages",
            json={"name": "eve", "text": "to everyone"},
            headers=headers,
        )
        assert posted.status_code == 200
        assert posted.json() == {"sent_by": posted.headers["x-backend"]}
        said = {"event": "message", "name": "eve", "text": "to everyone"}
        assert [receive(websocket) for websocket in sockets] == [said] * 6
        sockets[0].send("from a websocket")
        said = {"event": "message", "text": "from a websocket"}
        assert [receive(websocket) for websocket in sockets] == [said] * 6


def test_the_rate_limit_is_shared_by_the_backends(cluster: Cluster) -> None:
    backends = cluster.backend_ids()
    allowed: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    with httpx.Client(base_url=cluster.base, headers=client_headers("198.51.100.2")) as client:
        for number in range(RATE_LIMIT):
            response = client.get("/me")
            assert (response.status_code, response.json()) == (200, {"user": None})
            assert response.headers["ratelimit-remaining"] == str(RATE_LIMIT - 1 - number)
            allowed[backends[response.headers["x-backend"]]] += 1
        while refused.keys() != {"a", "b"}:  # refused, whichever backend gets them
            assert refused.total() < 8, refused
            response = client.get("/me")
            assert (response.status_code, response.json()) == (429, {"detail": "Too Many Requests"})
            assert 1 <= int(response.headers["retry-after"]) <= 60
            refused[backends[response.headers["x-backend"]]] += 1
        other = client.get("/me", headers=client_headers("198.51.100.22"))
        assert (other.status_code, other.headers["ratelimit-remaining"]) == (
            200,
            str(RATE_LIMIT - 1),
        )
    assert allowed.keys() == {"a", "b"}, allowed  # the allowed requests were spread too


def test_a_session_made_on_one_backend_is_valid_on_the_other(cluster: Cluster) -> None:
    backends = cluster.backend_ids()
    with httpx.Client(base_url=cluster.base, headers=client_headers("198.51.100.3")) as client:
        login = client.post("/login", json={"username": "ada", "password": "secret"})
        assert (login.status_code, login.json()) == (200, {"user": "ada"})
        assert "session" in client.cookies
        made_on = backends[login.headers["x-backend"]]
        read_on: list[str] = []
        while {made_on, *read_on} != {"a", "b"}:  # until the other backend has read it
            assert len(read_on) < 8, read_on
            me = client.get("/me")
            assert (me.status_code, me.json()) == (200, {"user": "ada"})
            read_on.append(backends[me.headers["x-backend"]])
        stranger = httpx.get(f"{cluster.base}/me", headers=client_headers("198.51.100.33"))
        assert stranger.json() == {"user": None}


class RequestStream:
    """Worker threads sending requests with a session through nginx until stopped (at most
    ``limit`` each): ``GET /me``, every answer exactly ``200 {"user": "ada"}``, or ``POST`` of a
    chat message, every answer ``200 {"sent_by": <its X-Backend>}``."""

    def __init__(
        self, base: str, cookie: str, method: str = "GET", workers: int = 4, limit: int = 1000
    ) -> None:
        self.base = base
        self.cookie = cookie
        self.method = method
        self.limit = limit
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.served_by: Counter[str] = Counter()
        self.errors: list[str] = []
        self.sent = 0
        self.threads = [
            threading.Thread(target=self._work, args=(number,)) for number in range(workers)
        ]

    def __enter__(self) -> RequestStream:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _send(self, client: httpx.Client, headers: dict[str, str]) -> tuple[str, str | None]:
        """One request: the backend that answered, and what was wrong with the answer."""
        if self.method == "GET":
            response = client.get("/me", headers=headers)
            expected = '{"user":"ada"}'
        else:
            message = {"name": "ada", "text": "still there?"}
            response = client.post("/rooms/stream/messages", json=message, headers=headers)
            expected = json.dumps(
                {"sent_by": response.headers.get("x-backend")}, separators=(",", ":")
            )
        backend = response.headers.get("x-backend", "?")
        if (response.status_code, response.text) == (200, expected):
            return backend, None
        return backend, f"{response.status_code} {response.text!r} from {backend}"

    def _work(self, worker: int) -> None:
        with httpx.Client(
            base_url=self.base, cookies={"session": self.cookie}, timeout=10
        ) as client:
            for number in range(self.limit):
                if self.stopping.is_set():
                    return
                # each request stands for another client: the rate limit does not interfere
                headers = client_headers(f"10.{worker}.{number // 200}.{number % 200}")
                try:
                    backend, error = self._send(client, headers)
                except httpx.HTTPError as exc:
                    backend, error = "?", f"{type(exc).__name__}: {exc}"
                with self.lock:
                    self.sent += 1
                    self.served_by[backend] += 1
                    if error is not None:
                        self.errors.append(error)
                time.sleep(0.03)

    def wait_for(self, backend: str, timeout: float = 20) -> None:
        """Wait until ``backend`` has answered a request of the stream."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.served_by[backend]:
                    return
            time.sleep(0.02)
        raise AssertionError(f"{backend} served no request in {timeout} s: {self.served_by}")


def rolling_restart(cluster: Cluster, stream: RequestStream) -> list[str]:
    """Restart backend a (SIGTERM, wait for its exit, start it again), wait until nginx sends
    it requests again, then the same for b; the ids of the new processes."""
    new_ids = []
    for name in ("a", "b"):
        backend = cluster.backends[name]
        stream.wait_for(backend.id)
        time.sleep(0.3)  # requests in flight, keep-alive connections to the backend open
        began = time.monotonic()
        assert backend.stop() == 0  # SIGTERM: a graceful shutdown
        stopped = time.monotonic()
        backend.start()  # on the same port, ready once /health answers
        started = time.monotonic()
        new_ids.append(backend.id)
        stream.wait_for(backend.id)  # nginx sends traffic to it again
        print(
            f"{name}: stop {stopped - began:.2f} s, start {started - stopped:.2f} s, "
            f"back in nginx {time.monotonic() - started:.2f} s, {stream.sent} requests"
        )
    return new_ids


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_rolling_restart_loses_no_request(cluster: Cluster, method: str) -> None:
    """nginx passes on a request whose connection is refused (nothing was sent): any method.
    A POST already sent is never passed on: the backend that got it must answer it, which its
    graceful shutdown does for requests in flight and for those that reach an idle keep-alive
    connection during its grace (guide/scaling-out.md, "Rolling restarts")."""
    with httpx.Client(base_url=cluster.base, headers=client_headers("198.51.100.4")) as client:
        login = client.post("/login", json={"username": "ada", "password": "secret"})
        assert login.status_code == 200
        cookie = client.cookies["session"]
    old_ids = [cluster.backends[name].id for name in ("a", "b")]
    with RequestStream(cluster.base, cookie, method) as stream:
        new_ids = rolling_restart(cluster, stream)
        time.sleep(0.3)
    assert stream.errors == []
    assert all(stream.served_by[backend] > 0 for backend in old_ids + new_ids), stream.served_by
    assert sum(stream.served_by.values()) == stream.sent
    assert stream.sent > 100
    print(f"rolling restart, {method}: {stream.sent} requests, {dict(stream.served_by)}")


def test_sigterm_finishes_requests_in_flight_and_closes_websockets_with_1012(
    cluster: Cluster,
) -> None:
    """A long poll and a WebSocket on each backend; backend a gets SIGTERM: it stops accepting,
    closes its WebSocket with 1012 (service restart; the client reconnects, to b), keeps
    serving its long poll, which gets a message posted through b, then exits."""
    backend = cluster.backends["a"]
    backends = cluster.backend_ids()
    headers = client_headers("198.51.100.5")
    redis = Redis.from_url(cluster.redis.url)  # type: ignore[union-attr]
    url = cluster.base.replace("http://", "ws://") + "/rooms/flight/ws"
    with (
        ThreadPoolExecutor(2) as pool,
        httpx.Client(base_url=cluster.base, timeout=30) as client,
        ExitStack() as stack,
    ):
        polls = [
            pool.submit(client.get, "/rooms/flight/next", params={"wait": 25}, headers=headers)
            for _ in range(2)
        ]
        deadline = time.monotonic() + 10  # until both backends subscribe (one poll each)
        while dict(redis.pubsub_numsub("chat:flight"))[b"chat:flight"] < 2:
            assert time.monotonic() < deadline, [poll.done() for poll in polls]
            time.sleep(0.02)
        sockets: dict[str, ClientConnection] = {}
        opened = 0
        while sockets.keys() != {"a", "b"}:
            assert opened < 8  # round-robin: soon one on each
            websocket = stack.enter_context(connect(url, additional_headers=headers))
            opened += 1
            sockets.setdefault(backends[receive(websocket)["backend"]], websocket)
        old_id = backend.id
        assert backend.process is not None
        backend.process.send_signal(signal.SIGTERM)
        with pytest.raises(ConnectionClosedError) as closed:
            while True:
                sockets["a"].recv(timeout=10)
        assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1012, "")  # type: ignore[union-attr]
        time.sleep(0.3)
        assert backend.process.poll() is None  # still serving the long poll in flight
        with connect(url, additional_headers=headers) as again:
            assert receive(again) == {"event": "ready", "backend": cluster.backends["b"].id}
        posted = client.post(
            "/rooms/flight/messages", json={"name": "eve", "text": "last call"}, headers=headers
        )
        assert (posted.status_code, backends[posted.headers["x-backend"]]) == (200, "b")
        answers = [poll.result(timeout=30) for poll in polls]
        said = {"event": "message", "name": "eve", "text": "last call"}
        assert receive(sockets["b"]) == said
    assert [(answer.status_code, answer.json()) for answer in answers] == [(200, said)] * 2
    assert {answer.headers["x-backend"] for answer in answers} == {old_id, cluster.backends["b"].id}
    assert backend.process.wait(timeout=15) == 0
    backend.start()
    deadline = time.monotonic() + 20
    while httpx.get(f"{cluster.base}/health").json()["backend"] != backend.id:  # back in nginx
        assert time.monotonic() < deadline
        time.sleep(0.05)
