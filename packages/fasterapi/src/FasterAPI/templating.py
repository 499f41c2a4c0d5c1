"""``FasterAPI.templating``: re-exports of ``fasterapi_extras.templating``."""

from fasterapi_extras.templating import (
    Jinja2TemplateResponse,
    Jinja2Templates,
)

__all__ = [
    "Jinja2TemplateResponse",
    "Jinja2Templates",
]
