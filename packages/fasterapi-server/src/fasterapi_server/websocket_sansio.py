"""``websockets``' sans-IO server protocol as fasterapi-server runs it.

* ``permessage-deflate`` (RFC 7692) is negotiated by ``websockets``' own extension, with the
  settings of its ``serve()`` and of uvicorn: 4 KiB windows (``max_window_bits=12``) and
  ``memLevel=5`` keep a compressed connection near 64 KiB of zlib state. ``websockets``
  inflates a frame only up to what is left of ``ws_max_size``: a zip bomb is closed with 1009.
* A Close frame between the fragments of a message is a clean close (RFC 6455 §5.4 lets
  control frames come between fragments; Autobahn 7.1.5 expects 1000 echoed): ``websockets``
  fails it with 1002 ("incomplete fragmented message"); here the message is dropped instead.
"""

from __future__ import annotations

import logging

from websockets.extensions.base import ServerExtensionFactory
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
from websockets.frames import Frame, Opcode
from websockets.server import ServerProtocol

from .config import Config

__all__ = ["ServerConnection", "server_connection"]

_WS_LOGGER = logging.getLogger("fasterapi_server.websocket")


class ServerConnection(ServerProtocol):
    """``ServerProtocol`` that closes cleanly on a Close frame between fragments."""

    def recv_frame(self, frame: Frame) -> None:
        if frame.opcode is Opcode.CLOSE:
            self.current_size = None  # the unfinished message, if any, is dropped
        super().recv_frame(frame)


def server_connection(config: Config) -> ServerConnection:
    """A new connection's protocol: ``ws_max_size`` and, unless turned off, compression."""
    extensions: list[ServerExtensionFactory] = []
    if config.ws_per_message_deflate:
        extensions.append(
            ServerPerMessageDeflateFactory(
                server_max_window_bits=12,
                client_max_window_bits=12,
                compress_settings={"memLevel": 5},
            )
        )
    return ServerConnection(extensions=extensions, max_size=config.ws_max_size, logger=_WS_LOGGER)
