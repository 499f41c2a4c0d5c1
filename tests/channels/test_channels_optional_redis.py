"""Without the ``redis`` package: memory channels work, a Redis URL names the extra to install.

Runs in a fresh interpreter where ``redis`` is hidden (``sys.modules["redis"] = None``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import asyncio, sys
    sys.modules["redis"] = None
    from FasterAPI.channels import Channels

    async def main():
        async with Channels("memory://") as channels, channels.subscribe("a") as subscription:
            await channels.publish("a", "memory works")
            print((await subscription.get()).data)
        try:
            Channels("redis://127.0.0.1:1/0")
        except ImportError as exc:
            print(type(exc).__name__, exc)

    asyncio.run(main())
    """
)


def test_redis_url_without_redis_installed_names_the_extra() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.splitlines() == [
        "memory works",
        'ImportError redis is not installed; it comes with an extra: pip install "fasterapi-extras[redis]"',
    ]
