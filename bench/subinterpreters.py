"""Parallel speed-up of SubInterpreterPool for CPU-bound pure-Python work.

    python bench/subinterpreters.py [--calls 8] [--workers 2] [--n 0] [--rounds 3]

Runs ``--calls`` calls of a pure-Python loop (``--n`` iterations; 0 = calibrate to ~0.2 s) first
one after another on the event loop thread, then through ``SubInterpreterPool(workers)`` (own-GIL
sub-interpreters on 3.13+, processes on 3.11/3.12), and prints both timings and the speed-up.
The two modes alternate for ``--rounds`` rounds and the best time of each is kept, which damps
noise from other processes on the machine.

This module imports only the standard library at top level: the workers import it by name
(``subinterpreters.spin``), and a sub-interpreter cannot load C extensions such as msgspec.
"""

import argparse
import asyncio
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def spin(n: int) -> int:
    """CPU-bound pure-Python work."""
    total = 0
    for i in range(n):
        total = (total + i * i) % 1_000_003
    return total


def calibrate(target: float = 0.2) -> int:
    n = 200_000
    while True:
        started = time.perf_counter()
        spin(n)
        elapsed = time.perf_counter() - started
        if elapsed > 0.05:
            return int(n * target / elapsed)
        n *= 2


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--n", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    sys.path.insert(0, HERE)
    import subinterpreters as bench  # this file, importable by name in the workers

    from fasterapi_extras.subinterpreters import SubInterpreterPool

    n = options.n or calibrate()
    serial_time = parallel_time = float("inf")
    async with SubInterpreterPool(workers=options.workers) as pool:
        await asyncio.gather(*(pool.run(bench.spin, 10) for _ in range(options.workers)))  # warm
        backend = pool.backend
        for _ in range(options.rounds):
            started = time.perf_counter()
            serial = [bench.spin(n) for _ in range(options.calls)]
            serial_time = min(serial_time, time.perf_counter() - started)
            started = time.perf_counter()
            calls = (pool.run(bench.spin, n) for _ in range(options.calls))
            parallel = await asyncio.gather(*calls)
            parallel_time = min(parallel_time, time.perf_counter() - started)

    assert list(parallel) == serial
    print(f"Python {sys.version.split()[0]}, backend={backend}, cpus={os.cpu_count()}")
    print(f"{options.calls} calls of spin({n}) (~{serial_time / options.calls:.3f} s each)")
    best = f"(best of {options.rounds})"
    print(f"event loop thread, one by one: {serial_time:.3f} s {best}")
    print(f"pool of {options.workers} workers:          {parallel_time:.3f} s {best}")
    print(f"speed-up: x{serial_time / parallel_time:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
