"""HTTP benchmark: each app under a real server on loopback, loaded by wrk.

    python bench/http.py [--rounds 3] [--seconds 2] [--connections 64]
                         [--frameworks raw,fasterapi,...] [--no-granian] [--no-fasterapi-server]
                         [--no-write]

Every framework runs under one uvicorn worker (httptools + uvloop) on 127.0.0.1, pinned with
taskset to the server core (``--server-cpus``, default 1); wrk (and this script) run on the client
core (``--client-cpus``, default 0). FasterAPI and the raw ASGI app also run under granian (ASGI,
one worker, one runtime thread) and under fasterapi-server (FasterAPI's own server, the default
of ``fasterapi run``) to show those servers' floors. All servers start together and are
checked (same answers as the raw app), warmed up with 10k requests, then their worker RSS is read.
Each endpoint is measured for ``--seconds`` per server in ``--rounds`` interleaved rounds; the
medians of req/s and p99 are kept. The websocket row is echo round trips on one connection (a
raw-socket client). Then FasterAPI ``/health`` is measured with 1 and 2 fasterapi-server workers,
and the import time of each framework (median of 10 fresh interpreters, bytecode caches on).
Results go to the "http" section of bench/RESULTS.md.
"""

import os
import sys
from pathlib import Path

# This file is named http.py: keep bench/ last on sys.path so that it never shadows the stdlib.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

import argparse  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import msgspec  # noqa: E402
from apps import FRAMEWORKS, LABELS  # noqa: E402
from inproc import ENDPOINTS, WS  # noqa: E402
from loadgen import HttpClient, Measure, run_wrk, websocket_round_trips, write_lua  # noqa: E402
from report import load_average, preamble, table, write_section  # noqa: E402

HOST = "127.0.0.1"
WARMUP_REQUESTS = 10_000
IMPORTS = {
    "fasterapi": "FasterAPI",
    "fastapi": "fastapi",
    "starlette": "starlette.applications",
    "litestar": "litestar",
    "blacksheep": "blacksheep",
}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


class Server:
    """One server process (its own session), serving ``benchapps:<framework>_app``."""

    def __init__(self, kind: str, framework: str, cpus: str, workers: int, shim: Path) -> None:
        self.kind, self.framework, self.workers = kind, framework, workers
        self.port = free_port()
        target = f"benchapps:{framework}_app"
        if kind == "fasterapi-server":
            command = [sys.executable, "-m", "fasterapi_server", target, "--factory"]
            command += ["--host", HOST, "--port", str(self.port), "--workers", str(workers)]
            command += ["--no-access-log", "--log-level", "warning"]
        elif kind == "uvicorn":
            command = [sys.executable, "-m", "uvicorn", target, "--factory", "--app-dir", str(shim)]
            command += ["--host", HOST, "--port", str(self.port), "--workers", str(workers)]
            command += ["--loop", "uvloop", "--http", "httptools", "--ws", "websockets"]
            command += ["--no-access-log", "--log-level", "warning", "--lifespan", "on"]
        else:
            granian = str(Path(sys.executable).parent / "granian")
            command = [granian, "--interface", "asgi", "--host", HOST, "--port", str(self.port)]
            command += ["--workers", str(workers), "--runtime-threads", "1", "--loop", "uvloop"]
            command += ["--no-access-log", "--log-level", "warning", "--factory"]
            command += ["--working-dir", str(shim), target]
        self.log = shim / f"{kind}-{framework}-{workers}.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                ["taskset", "-c", cpus, *command],
                cwd=shim,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.framework}"

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                client = HttpClient(self.port)
            except OSError:
                time.sleep(0.1)
                continue
            status, _ = client.request("GET", "/health")
            client.close()
            if status == 200:
                return
        raise SystemExit(f"{self.key} did not start:\n{self.log.read_text()[-2000:]}")

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: uvicorn with one worker serves in-process."""
        if self.kind in ("uvicorn", "fasterapi-server") and self.workers == 1:
            return [self.proc.pid]
        return children(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def target(endpoint: tuple[str, str, str, bytes, bytes]) -> str:
    _, _, path, query, _ = endpoint
    return path + ("?" + query.decode() if query else "")


def check_and_warm(servers: list[Server]) -> dict[str, int]:
    """Assert identical answers to the raw app, send 10k requests each, return worker RSS (KiB)."""
    reference: dict[str, tuple[int, object]] = {}
    rss: dict[str, int] = {}
    for server in sorted(servers, key=lambda s: s.framework != "raw"):
        client = HttpClient(server.port)
        for endpoint in ENDPOINTS:
            status, body = client.request(endpoint[1], target(endpoint), endpoint[4])
            answer = (status, msgspec.json.decode(body))
            expected = reference.setdefault(endpoint[0], answer)
            if answer != expected:
                raise SystemExit(f"{server.key} {endpoint[0]}: {answer} != raw {expected}")
        for i in range(WARMUP_REQUESTS - len(ENDPOINTS)):
            endpoint = ENDPOINTS[i % len(ENDPOINTS)]
            client.request(endpoint[1], target(endpoint), endpoint[4])
        client.close()
        echo = websocket_round_trips(server.port, 0.2)
        if echo.errors:
            raise SystemExit(f"{server.key}: websocket echo answered wrongly")
        rss[server.key] = max(rss_kib(pid) for pid in server.worker_pids())
    return rss


def measure(
    server: Server, endpoint: object, scripts: dict[str, Path | None], args: argparse.Namespace
) -> Measure:
    if endpoint == WS:
        return websocket_round_trips(server.port, args.seconds)
    assert isinstance(endpoint, tuple)
    url = f"http://{HOST}:{server.port}{target(endpoint)}"
    return run_wrk(url, args.seconds, args.connections, args.client_cpus, 1, scripts[endpoint[0]])


def median_measure(samples: list[Measure]) -> Measure:
    return Measure(
        statistics.median(m.rps for m in samples),
        statistics.median(m.p99_ms for m in samples),
        sum(m.errors for m in samples),
    )


# Import timings with bytecode caches written and used, as on a deployed machine (some
# environments set PYTHONDONTWRITEBYTECODE, which makes every import compile its modules).
CACHED_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def import_times(shim: Path, runs: int = 10) -> dict[str, float]:
    """Median wall time (ms) of ``python -c 'import X'`` minus that of ``python -c pass``."""
    samples: dict[str, list[float]] = {name: [] for name in ["", *IMPORTS]}
    for module in IMPORTS.values():  # write the bytecode caches first
        subprocess.run([sys.executable, "-c", f"import {module}"], cwd=shim, env=CACHED_ENV)
    for _ in range(runs):
        for name in samples:
            code = f"import {IMPORTS[name]}" if name else "pass"
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], cwd=shim, check=True, env=CACHED_ENV)
            samples[name].append((time.perf_counter() - start) * 1e3)
    base = statistics.median(samples.pop(""))
    out = {name: statistics.median(s) - base for name, s in samples.items()}
    out["(interpreter start)"] = base
    return out


def importtime_cumulative(shim: Path, module: str = "FasterAPI") -> float:
    """``-X importtime``'s cumulative µs for ``module`` (median of 5), in ms."""
    values = []
    for _ in range(5):
        err = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            cwd=shim,
            env=CACHED_ENV,
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        for line in err.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == module:
                values.append(int(parts[1]) / 1e3)
    return statistics.median(values)


def workers_comparison(shim: Path, args: argparse.Namespace) -> list[tuple[str, Measure, int]]:
    both = f"{args.client_cpus},{args.server_cpus}"
    configs = [
        (
            "1 worker, server pinned to its core, wrk on the other",
            args.server_cpus,
            1,
            args.client_cpus,
            1,
        ),
        ("1 worker, server and wrk share both cores", both, 1, both, 2),
        ("2 workers, server and wrk share both cores", both, 2, both, 2),
    ]
    servers = [Server("fasterapi-server", "fasterapi", c[1], c[2], shim) for c in configs]
    try:
        for server in servers:
            server.wait_ready()
        samples: list[list[Measure]] = [[] for _ in configs]
        for _ in range(args.rounds):
            for i, (server, config) in enumerate(zip(servers, configs, strict=True)):
                url = f"http://{HOST}:{server.port}/health"
                samples[i].append(
                    run_wrk(url, args.seconds, args.connections, config[3], config[4])
                )
        rss = [sum(rss_kib(pid) for pid in s.worker_pids()) for s in servers]
    finally:
        for server in servers:
            server.stop()
    return [(c[0], median_measure(s), r) for c, s, r in zip(configs, samples, rss, strict=True)]


def render(rows: list[tuple[str, dict[str, Measure]]], keys: list[str], rss: dict[str, int]) -> str:
    def title(key: str) -> str:
        kind, framework = key.split("/")
        return LABELS[framework] + ("" if kind == "uvicorn" else " · " + kind)

    columns = [(key, title(key)) for key in keys]
    rps = [(label, {k: m.rps for k, m in row.items()}) for label, row in rows]
    us = [(label, {k: m.us_per_request for k, m in row.items()}) for label, row in rows]
    p99 = [(label, {k: m.p99_ms for k, m in row.items()}) for label, row in rows]
    to_raw = [
        (
            label,
            {
                k: m.us_per_request / row[k.split("/")[0] + "/raw"].us_per_request
                for k, m in row.items()
                if k.split("/")[0] + "/raw" in row
            },
        )
        for label, row in rows
    ]
    over_fastapi = [
        (
            label,
            {k: row["uvicorn/fastapi"].us_per_request / m.us_per_request for k, m in row.items()},
        )
        for label, row in rows
        if "uvicorn/fastapi" in row
    ]
    parts = [
        "**requests per second** (median; websocket: echo round trips per second, one connection)",
        table(rps, columns, lambda v: f"{v:,.0f}"),
        "**µs per request** (1e6 / req/s: the server core's time per request, lower is better)",
        table(us, columns, "{:.1f}".format),
        "**p99 latency, ms** (wrk --latency; websocket: per round trip)",
        table(p99, columns, "{:.2f}".format),
        "**× raw ASGI on the same server** (µs / raw's µs; the framework's own cost)",
        table(to_raw, columns, lambda v: f"{v:.2f}×"),
    ]
    if over_fastapi:
        parts += [
            "**speed-up over FastAPI on uvicorn** (FastAPI µs / µs; higher is better)",
            table(over_fastapi, columns, lambda v: f"{v:.2f}×"),
        ]
    errors = {k: sum(row[k].errors for _, row in rows if k in row) for k in keys}
    parts += [
        "**worker RSS after start-up and 10k requests** (VmRSS of the process serving requests)",
        table([("RSS, MiB", {k: v / 1024 for k, v in rss.items()})], columns, "{:.1f}".format, ""),
        "Bad answers during the timed runs (wrk non-2xx and socket errors, wrong websocket "
        "echoes): " + (", ".join(f"{k} {v}" for k, v in errors.items() if v) or "none") + ".",
    ]
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    parser.add_argument("--no-granian", action="store_true")
    parser.add_argument("--no-fasterapi-server", action="store_true")
    parser.add_argument("--server-cpus", default="1")
    parser.add_argument("--client-cpus", default="0")
    parser.add_argument("--no-write", action="store_true", help="print only, keep RESULTS.md")
    args = parser.parse_args(argv)
    os.sched_setaffinity(0, {int(c) for c in args.client_cpus.split(",")})
    names = args.frameworks.split(",")
    if "raw" not in names:
        names.insert(0, "raw")
    combos = [("uvicorn", name) for name in names]
    if not args.no_granian:
        combos += [("granian", name) for name in ("raw", "fasterapi") if name in names]
    if not args.no_fasterapi_server:
        combos += [("fasterapi-server", name) for name in ("raw", "fasterapi") if name in names]
    endpoints: list[object] = [*ENDPOINTS, WS]
    started = time.monotonic()
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="fasterapi-bench-") as tmp:
        shim = Path(tmp)
        exports = ", ".join(f"{n}_app" for n in FRAMEWORKS)
        (shim / "benchapps.py").write_text(
            f"import sys\nsys.path.append({str(HERE)!r})\nfrom apps import {exports}  # noqa\n"
        )
        scripts = {ep[0]: write_lua(shim, ep[1], ep[4]) for ep in ENDPOINTS}
        print("import times …", flush=True)
        imports = import_times(shim)
        cumulative = importtime_cumulative(shim)
        servers = [Server(kind, name, args.server_cpus, 1, shim) for kind, name in combos]
        try:
            for server in servers:
                server.wait_ready()
            print("checking answers and warming up …", flush=True)
            rss = check_and_warm(servers)
            samples: dict[tuple[int, str], list[Measure]] = {}
            for round_index in range(args.rounds):
                for e, endpoint in enumerate(endpoints):
                    shift = round_index % len(servers)
                    for server in servers[shift:] + servers[:shift]:
                        result = measure(server, endpoint, scripts, args)
                        samples.setdefault((e, server.key), []).append(result)
                    label = WS if endpoint == WS else endpoint[0]  # type: ignore[index]
                    print(f"round {round_index + 1}/{args.rounds} {label} done", flush=True)
        finally:
            for server in servers:
                server.stop()
        print("1 vs 2 workers …", flush=True)
        workers = workers_comparison(shim, args)
    keys = [f"{kind}/{name}" for kind, name in combos]
    rows = []
    for e, endpoint in enumerate(endpoints):
        label = WS if endpoint == WS else endpoint[0]  # type: ignore[index]
        rows.append((label, {k: median_measure(samples[(e, k)]) for k in keys}))
    elapsed = time.monotonic() - started
    body = (
        "## HTTP (wrk on loopback)\n\n"
        + preamble("python " + " ".join(["bench/http.py", *sys.argv[1:]]), load_before)
        + f"- method: servers on 127.0.0.1 pinned to CPU {args.server_cpus}, wrk (1 thread, "
        f"{args.connections} keep-alive connections, {args.seconds}s per run) pinned to CPU "
        f"{args.client_cpus}; {args.rounds} interleaved rounds, medians; uvicorn with one worker, "
        "`--loop uvloop --http httptools --ws websockets`; granian `--interface asgi --workers 1 "
        f"--runtime-threads 1 --loop uvloop`; whole run {elapsed / 60:.1f} min\n\n"
        + render(rows, keys, rss)
        + "\n### FasterAPI `/health`: 1 vs 2 fasterapi-server workers\n\n"
        + "The machine has only 2 cores: with 2 workers, the workers and wrk share them, so this"
        " shows contention more than scaling.\n\n"
        + table(
            [(label, {"rps": m.rps, "p99": m.p99_ms, "rss": r / 1024}) for label, m, r in workers],
            [("rps", "req/s"), ("p99", "p99 ms"), ("rss", "RSS of all workers, MiB")],
            lambda v: f"{v:,.1f}",
            "configuration",
        )
        + "\n\n### Import time (Python 3.13, median of 10 fresh interpreters, bytecode caches)"
        "\n\n"
        + table(
            [(IMPORTS.get(k, k), {"ms": v}) for k, v in imports.items()],
            [("ms", "ms (wall time minus a bare interpreter's)")],
            "{:.0f}".format,
            "import",
        )
        + f"\n\n`python -X importtime -c 'import FasterAPI'`: cumulative {cumulative:.0f} ms "
        "(median of 5).\n"
    )
    print(body)
    if not args.no_write:
        write_section("http", body)


if __name__ == "__main__":
    main()
