"""``FasterAPI.subinterpreters``: re-exports of ``fasterapi_extras.subinterpreters``."""

from fasterapi_extras.subinterpreters import (
    SubInterpreterPool,
    run_in_subinterpreter,
    subinterpreters_available,
)

__all__ = [
    "SubInterpreterPool",
    "run_in_subinterpreter",
    "subinterpreters_available",
]
