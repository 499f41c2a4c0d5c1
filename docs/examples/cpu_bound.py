"""CPU-bound work off the event loop: sub-interpreters (3.13+) or processes (3.11, 3.12)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from primes import count_primes

from FasterAPI import Faster, Query, SubInterpreterPool, run_in_subinterpreter

pool = SubInterpreterPool(workers=2)


@asynccontextmanager
async def lifespan(app: Faster) -> AsyncIterator[None]:
    yield
    pool.shutdown()  # stop the workers when the server stops


app = Faster(lifespan=lifespan)
Limit = Annotated[int, Query(ge=0, le=5_000_000)]


@app.get("/primes")
async def primes(limit: Limit = 100_000) -> dict[str, int]:
    # the event loop keeps serving other requests while a worker computes
    return {"limit": limit, "count": await pool.run(count_primes, limit)}


@app.get("/primes/default-pool")
async def primes_default_pool(limit: Limit = 100_000) -> dict[str, int]:
    # the shared default pool (os.cpu_count() workers, created on first use)
    return {"limit": limit, "count": await run_in_subinterpreter(count_primes, limit)}
