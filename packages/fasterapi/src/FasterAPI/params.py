"""Parameter markers (Path, Query, Header, Cookie, Body, Form, File, Depends, Security)."""

from fasterapi_core.params import (
    Body,
    Cookie,
    Depends,
    File,
    Form,
    Header,
    Path,
    Query,
    Security,
    SecurityScopes,
)

__all__ = [
    "Body",
    "Cookie",
    "Depends",
    "File",
    "Form",
    "Header",
    "Path",
    "Query",
    "Security",
    "SecurityScopes",
]
