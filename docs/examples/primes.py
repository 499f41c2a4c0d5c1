"""CPU-bound work for the sub-interpreter pool: a pure-Python module (no C extensions imported),
so that it can be imported inside a sub-interpreter."""


def count_primes(limit: int) -> int:
    """How many primes are below ``limit`` (a deliberately CPU-heavy sieve)."""
    if limit < 3:
        return 0
    sieve = bytearray([1]) * limit
    sieve[0] = sieve[1] = 0
    for n in range(2, int(limit**0.5) + 1):
        if sieve[n]:
            sieve[n * n :: n] = bytes(len(range(n * n, limit, n)))
    return sum(sieve)
