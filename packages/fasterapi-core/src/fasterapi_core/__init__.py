"""FasterAPI core: the pieces every other FasterAPI package builds on."""

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ASGIApp", "Message", "Receive", "Scope", "Send"]
