"""Serving-path benchmark: the same apps (bench/apps.py) on uvicorn, granian (ASGI and RSGI)
and fasterapi-server.

Each server runs one worker pinned to core 0 (taskset); wrk (1 thread, 64 connections) runs on
core 1. Each case is run ``--rounds`` times for ``--seconds`` seconds after a 1 s warm-up; the
median requests/s and p99 are reported, and every response must be 2xx (errors are counted).

    python scripts/serving_bench.py [--seconds 5] [--rounds 3] [--only fasterapi] [--no-write]

Endpoints: ``GET /health`` and ``POST /users`` (validated 4-field JSON body, 201). The table is
printed and written to the "serving" section of bench/RESULTS.md (unless ``--no-write`` or
``--only``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.append(str(BENCH))  # appended: bench/http.py must not shadow the standard library

from report import load_average, preamble, write_section  # noqa: E402

POST_BODY = json.dumps({"name": "alice", "email": "alice@example.com", "age": 30, "active": True})
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}

# (label, factory in bench/apps.py, server): uvicorn, granian-asgi, granian-rsgi or fasterapi.
CASES = [
    ("raw ASGI / uvicorn", "raw_app", "uvicorn"),
    ("raw ASGI / granian-asgi", "raw_app", "granian-asgi"),
    ("Starlette / uvicorn", "starlette_app", "uvicorn"),
    ("FastAPI / uvicorn", "fastapi_app", "uvicorn"),
    ("FasterAPI / uvicorn", "fasterapi_app", "uvicorn"),
    ("FasterAPI / granian-asgi", "fasterapi_app", "granian-asgi"),
    ("FasterAPI / granian-rsgi", "fasterapi_app", "granian-rsgi"),
    ("raw ASGI / fasterapi-server", "raw_app", "fasterapi"),
    ("Starlette / fasterapi-server", "starlette_app", "fasterapi"),
    ("FasterAPI / fasterapi-server", "fasterapi_app", "fasterapi"),
]
ENDPOINTS = [("GET /health", "/health", None), ("POST /users", "/users", POST_BODY)]


@dataclass
class Result:
    rps: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_command(factory: str, server: str, port: int) -> list[str]:
    pin = ["taskset", "-c", "0", sys.executable, "-m"]
    if server == "uvicorn":
        return [
            *pin,
            "uvicorn",
            "--factory",
            f"serving_bench_apps:{factory}",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--log-level",
            "warning",
            "--no-access-log",
        ]
    if server == "fasterapi":
        return [
            *pin,
            "fasterapi_server",
            "--factory",
            f"serving_bench_apps:{factory}",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
    interface = "rsgi" if server == "granian-rsgi" else "asgi"
    return [
        *pin,
        "granian",
        "--interface",
        interface,
        "--factory",
        f"serving_bench_apps:{factory}",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
    ]


def wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def check_post(port: int) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/users",
        data=POST_BODY.encode(),
        method="POST",
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 201, response.status
        assert json.loads(response.read()) == json.loads(POST_BODY)


def wrk(url: str, seconds: int, script: Path | None) -> Result:
    command = ["taskset", "-c", "1", "wrk", "-t1", "-c64", f"-d{seconds}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    errors = sum(
        int(n)
        for n in re.findall(
            r"(?:Non-2xx or 3xx responses|connect|read|write|"
            r"timeout):?\s+(\d+)",
            out,
        )
    )
    return Result(rps, float(p99.group(1)) * UNITS[p99.group(2)] if p99 else float("nan"), errors)


# bench/http.py would shadow the standard library's http package if bench/ came first on
# sys.path: a shim module appends bench/ instead, and the servers run from its directory.
SHIM = f"""import sys
sys.path.append({str(BENCH)!r})
from apps import *  # noqa: F403
"""


def start(factory: str, server: str, tmp: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        server_command(factory, server, port),
        cwd=tmp,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    wait_ready(port, process)
    check_post(port)
    return process, port


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_all(
    cases: list[tuple[str, str, str]], args: argparse.Namespace, tmp: Path
) -> dict[str, list[Result]]:
    """Every server is started first (idle ones cost nothing); rounds are interleaved across
    the cases so that background load, if any, spreads over all of them alike."""
    post = tmp / "post.lua"
    servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    try:
        for label, factory, server in cases:
            servers[label] = start(factory, server, tmp)
        runs: dict[tuple[str, int], list[Result]] = {}
        for round_index in range(args.rounds):
            for label, _, _ in cases:
                port = servers[label][1]
                for index, (_, path, body) in enumerate(ENDPOINTS):
                    script = post if body is not None else None
                    url = f"http://127.0.0.1:{port}{path}"
                    if round_index == 0:
                        wrk(url, 1, script)  # warm-up
                    result = wrk(url, args.seconds, script)
                    runs.setdefault((label, index), []).append(result)
                    print(
                        f"round {round_index + 1} {label} {path}: {result.rps:.0f} req/s, "
                        f"p99 {result.p99_ms:.2f} ms",
                        file=sys.stderr,
                        flush=True,
                    )
    finally:
        for process, _ in servers.values():
            stop(process)
    return {
        label: [
            Result(
                statistics.median(r.rps for r in runs[label, index]),
                statistics.median(r.p99_ms for r in runs[label, index]),
                sum(r.errors for r in runs[label, index]),
            )
            for index in range(len(ENDPOINTS))
        ]
        for label, _, _ in cases
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="", help="run the cases whose label contains this")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--no-write", action="store_true", help="print only, keep RESULTS.md")
    args = parser.parse_args()
    load_before = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "serving_bench_apps.py").write_text(SHIM)
        post = Path(tmp) / "post.lua"
        post.write_text(
            'wrk.method = "POST"\n'
            f"wrk.body = {json.dumps(POST_BODY)}\n"
            'wrk.headers["Content-Type"] = "application/json"\n'
        )
        cases = [case for case in CASES if args.only.lower() in case[0].lower()]
        table = run_all(cases, args, Path(tmp))
    frameworks = [
        k for k in table if k.endswith("/ uvicorn") and not k.startswith(("raw", "FasterAPI"))
    ]
    lines = [
        "| app / server | "
        + " | ".join(
            f"{name} req/s | p99 ms | ×best ASGI fw on uvicorn" for name, _, _ in ENDPOINTS
        )
        + " |",
        "|---" * (1 + 3 * len(ENDPOINTS)) + "|",
    ]
    for label, results in table.items():
        cells = []
        for index, result in enumerate(results):
            best = max((table[k][index].rps for k in frameworks), default=float("nan"))
            bad = f" ({result.errors} errors)" if result.errors else ""
            cells += [f"{result.rps:,.0f}{bad}", f"{result.p99_ms:.2f}", f"{result.rps / best:.2f}"]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    body = (
        "## Serving paths (uvicorn, granian ASGI and RSGI, fasterapi-server)\n\n"
        + preamble("python " + " ".join(["scripts/serving_bench.py", *sys.argv[1:]]), load_before)
        + f"- method: one worker pinned to core 0, wrk (1 thread, 64 connections) on core 1, 1 s "
        f"warm-up, {args.rounds} interleaved rounds of {args.seconds} s, medians; the ratio "
        "columns compare with the best ASGI framework other than FasterAPI on uvicorn; "
        "`fasterapi run --server auto` serves with fasterapi-server\n\n"
        + "\n".join(lines)
        + "\n"
    )
    print(body)
    if not args.no_write and not args.only:
        write_section("serving", body)
    if args.json:
        args.json.write_text(json.dumps({k: [r.__dict__ for r in v] for k, v in table.items()}))


if __name__ == "__main__":
    main()
