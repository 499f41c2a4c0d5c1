"""URL, headers, query parameters, form data, uploads and state; FastAPI's ``Default`` and
``DefaultPlaceholder`` (keyword defaults that tell "not given" from a value)."""

from fasterapi_core.datastructures import (
    URL,
    Address,
    FormData,
    Headers,
    MutableHeaders,
    QueryParams,
    State,
    UploadFile,
)
from fasterapi_routing.responding import Default, DefaultPlaceholder

__all__ = [
    "URL",
    "Address",
    "Default",
    "DefaultPlaceholder",
    "FormData",
    "Headers",
    "MutableHeaders",
    "QueryParams",
    "State",
    "UploadFile",
]
