"""What logfire relies on, without logfire: a plugin replacing ``fastapi.routing``'s
``solve_dependencies`` and ``run_endpoint_function`` sees every request's solved values, errors
and endpoint call, for routes registered before and after the replacement (HTTP and websocket),
on FastAPI and on FasterAPI alike (the same script run on each, in a process of its own). Before
any replacement, FasterAPI's routes keep their compiled handlers. (Known gap: the values solved
next to validation errors, which FastAPI returns and FasterAPI does not, are not compared.)"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

SCRIPT = """
import json, sys
if sys.argv[1] == "fasterapi":
    from FasterAPI.as_fastapi import install
    install(replace_installed=True)
from fastapi import Depends, FastAPI, WebSocket
from fastapi.testclient import TestClient
import fastapi.routing as routing

app = FastAPI()

def token(t: str = "x") -> str:
    return t.upper()

@app.get("/before/{n}")
def before(n: int, tok: str = Depends(token)):
    return {"n": n, "tok": tok}

client = TestClient(app)
plain = [client.get("/before/1").json()]
handle = getattr(app.router.routes[-1], "handle", None)
seen = []
original_solve, original_run = routing.solve_dependencies, routing.run_endpoint_function

async def solve(*, request, **kwargs):
    result = await original_solve(request=request, **kwargs)
    kept = sorted(k for k, v in result.values.items() if isinstance(v, (int, str, dict)))
    if result.errors:  # FasterAPI gives no partially solved values then (docs/plugins.md)
        kept = None
    seen.append(["solve", request.url.path, kept, [e["loc"] for e in result.errors]])
    return result

async def run(*, dependant, values, is_coroutine):
    seen.append(["run", dependant.call.__name__, is_coroutine])
    return await original_run(dependant=dependant, values=values, is_coroutine=is_coroutine)

routing.solve_dependencies, routing.run_endpoint_function = solve, run
unchanged_until_replaced = getattr(app.router.routes[-1], "handle", None) is not handle

@app.post("/after")
async def after(body: dict):
    return {"got": body}

@app.websocket("/ws/{room}")
async def room(websocket: WebSocket, room: int):
    await websocket.accept()
    await websocket.send_json({"room": room})
    await websocket.close()

answers = []
for method, path, body in [
    ("GET", "/before/3?t=ab", None),
    ("GET", "/before/x", None),
    ("POST", "/after", {"a": 1}),
    ("POST", "/after", None),
]:
    response = client.request(method, path, json=body)
    answers.append([response.status_code, response.json()])
with client.websocket_connect("/ws/7") as websocket:
    answers.append(websocket.receive_json())
routing.solve_dependencies, routing.run_endpoint_function = original_solve, original_run
print(json.dumps({
    "plain": plain, "answers": answers, "seen": seen,
    "rebuilt": unchanged_until_replaced if sys.argv[1] == "fasterapi" else True,
}))
"""


def _run(side: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, side], capture_output=True, text=True, timeout=100
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_replaced_solve_dependencies_and_run_endpoint_function_as_on_fastapi() -> None:
    theirs, ours = _run("fastapi"), _run("fasterapi")
    assert theirs["answers"][0] == [200, {"n": 3, "tok": "AB"}]
    assert theirs["seen"][:2] == [
        ["solve", "/before/3", ["n", "tok"], []],
        ["run", "before", False],
    ]
    assert ours == theirs
