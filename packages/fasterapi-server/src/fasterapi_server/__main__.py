"""``python -m fasterapi_server module:app [--host H] [--port P] [--workers N] ...``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from . import Config, ConfigError, run

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and serve; the exit status."""
    defaults = Config(app="module:app")
    parser = argparse.ArgumentParser(prog="fasterapi-server", description=__doc__)
    parser.add_argument("app", help="the ASGI application as module:attribute")
    parser.add_argument("--host", default=defaults.host)
    parser.add_argument("--port", type=int, default=defaults.port)
    parser.add_argument("--workers", type=int, default=defaults.workers)
    parser.add_argument("--root-path", default=defaults.root_path)
    parser.add_argument("--log-level", default=defaults.log_level)
    parser.add_argument("--no-access-log", action="store_true")
    parser.add_argument("--factory", action="store_true", help="APP is a factory to call")
    parser.add_argument("--lifespan", choices=("auto", "on", "off"), default=defaults.lifespan)
    parser.add_argument("--loop", choices=("auto", "uvloop", "asyncio"), default=defaults.loop)
    parser.add_argument("--timeout-keep-alive", type=float, default=defaults.timeout_keep_alive)
    parser.add_argument("--timeout-request-head", type=float, default=defaults.timeout_request_head)
    parser.add_argument(
        "--timeout-graceful-shutdown", type=float, default=defaults.timeout_graceful_shutdown
    )
    parser.add_argument(
        "--timeout-write",
        type=float,
        default=defaults.timeout_write,
        help="abort a connection whose client reads nothing for this long (0: never)",
    )
    parser.add_argument("--max-head-size", type=int, default=defaults.max_head_size)
    parser.add_argument("--max-headers", type=int, default=defaults.max_headers)
    parser.add_argument("--ws-max-size", type=int, default=defaults.ws_max_size)
    parser.add_argument(
        "--ws-max-fragments",
        type=int,
        default=defaults.ws_max_fragments,
        help="close a WebSocket (1009) whose message comes in more frames than this",
    )
    parser.add_argument(
        "--ws-per-message-deflate",
        action=argparse.BooleanOptionalAction,
        default=defaults.ws_per_message_deflate,
        help="offer permessage-deflate compression to WebSocket clients",
    )
    parser.add_argument("--ws-ping-interval", type=float, default=defaults.ws_ping_interval)
    parser.add_argument("--ws-ping-timeout", type=float, default=defaults.ws_ping_timeout)
    parser.add_argument(
        "--eager-tasks",
        action="store_true",
        help="start each request's task eagerly (3.12+); measured slower, see Config.eager_tasks",
    )
    parser.add_argument(
        "--proxy-headers",
        action="store_true",
        help="use X-Forwarded-Proto/-For from trusted proxies for the scheme and client",
    )
    parser.add_argument(
        "--forwarded-allow-ips",
        default=None,
        help="trusted proxies: addresses, networks or *; default $FORWARDED_ALLOW_IPS or 127.0.0.1",
    )
    parser.add_argument(
        "--reload", action="store_true", help="restart the worker when .py files change"
    )
    parser.add_argument(
        "--reload-dir", action="append", default=None, help="watch this directory (repeatable)"
    )
    parser.add_argument("--ssl-certfile", default=None, help="PEM certificate: serve TLS")
    parser.add_argument("--ssl-keyfile", default=None, help="PEM private key (if not in certfile)")
    parser.add_argument("--ssl-keyfile-password", default=None)
    args = parser.parse_args(argv)
    try:
        config = Config(
            app=args.app,
            host=args.host,
            port=args.port,
            workers=args.workers,
            root_path=args.root_path,
            log_level=args.log_level,
            access_log=not args.no_access_log,
            factory=args.factory,
            lifespan=args.lifespan,
            loop=args.loop,
            timeout_keep_alive=args.timeout_keep_alive,
            timeout_request_head=args.timeout_request_head,
            timeout_graceful_shutdown=args.timeout_graceful_shutdown,
            timeout_write=args.timeout_write or None,
            max_head_size=args.max_head_size,
            max_headers=args.max_headers,
            ws_max_size=args.ws_max_size,
            ws_max_fragments=args.ws_max_fragments,
            ws_per_message_deflate=args.ws_per_message_deflate,
            ws_ping_interval=args.ws_ping_interval,
            ws_ping_timeout=args.ws_ping_timeout,
            eager_tasks=args.eager_tasks,
            proxy_headers=args.proxy_headers,
            forwarded_allow_ips=args.forwarded_allow_ips,
            reload=args.reload,
            reload_dirs=args.reload_dir,
            ssl_certfile=args.ssl_certfile,
            ssl_keyfile=args.ssl_keyfile,
            ssl_keyfile_password=args.ssl_keyfile_password,
        )
    except ConfigError as exc:
        parser.error(str(exc))
    return run(config)


if __name__ == "__main__":
    raise SystemExit(main())
