"""The same app on FastAPI (``fastapi_app``) and FasterAPI (``fasterapi_app``): ``/charge``
queues a failing task then a receipt task; ``/slow-charge`` fails after 0.3 s; ``/slow-ok`` answers after 0.6 s; ``/log`` tells
which tasks ran (served by tests/background/test_background_failure_http.py)."""

import asyncio
from types import ModuleType
from typing import Any

import fastapi

import FasterAPI


class ChargeFailed(Exception):
    """The first task's failure."""


def make_app(fw: ModuleType) -> Any:
    BackgroundTasks = fw.BackgroundTasks
    log: list[str] = []

    def charge() -> None:
        log.append("charge")
        raise ChargeFailed("card declined")

    async def slow_charge() -> None:
        await asyncio.sleep(0.3)
        log.append("slow charge")
        raise ChargeFailed("card declined late")

    def receipt() -> None:
        log.append("receipt")

    app = fw.FastAPI(openapi_url=None)

    @app.get("/charge")
    def charge_route(tasks: BackgroundTasks) -> Any:
        tasks.add_task(charge)
        tasks.add_task(receipt)
        return {"queued": 2}

    @app.get("/slow-charge")
    async def slow_charge_route(tasks: BackgroundTasks) -> Any:
        tasks.add_task(slow_charge)
        tasks.add_task(receipt)
        return {"queued": 2}

    @app.get("/ok")
    async def ok() -> Any:
        return {"ok": True}

    @app.get("/slow-ok")
    async def slow_ok() -> Any:
        await asyncio.sleep(0.6)
        return {"ok": "late"}

    @app.get("/log")
    async def read_log() -> Any:
        return log

    return app


fastapi_app = make_app(fastapi)
fasterapi_app = make_app(FasterAPI)
