"""Pure-Python functions for the sub-interpreter pool tests (no C-extension imports here)."""

from __future__ import annotations

import os


def sum_squares(n: int) -> int:
    return sum(i * i for i in range(n))


def worker_identity() -> tuple[int, str]:
    """(process id, interpreter marker): tells whether work ran in another interpreter/process."""
    import sys

    return os.getpid(), repr(id(sys.modules))


def fail(message: str) -> None:
    raise ValueError(message)


def return_unpicklable() -> object:
    return lambda: None


def import_msgspec() -> str:
    import msgspec

    return msgspec.__name__


class Holder:
    @staticmethod
    def double(x: int) -> int:
        return 2 * x


COUNTER = 0


def bump() -> int:
    global COUNTER
    COUNTER += 1
    return COUNTER
