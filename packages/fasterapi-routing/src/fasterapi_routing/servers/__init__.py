"""Adapters between a ``Faster`` application and one particular server.

The application is an ASGI callable for every server; a server with its own interface gets an
adapter here: :mod:`.rsgi` (granian's ``--interface rsgi``) and :mod:`.rsgi_entry` (the
``__rsgi__`` methods ``Faster`` carries, which import the adapter only when granian calls them).
fasterapi-server needs none: it speaks ASGI, and depends on no sibling package.
"""
