"""Jinja2 templates rendered into HTML responses (requires ``fasterapi-extras[jinja2]``).

Autoescaping is on for ``.html``, ``.htm`` and ``.xml`` templates. Every template sees
``request`` and a ``url_for(name, **params)`` global that builds absolute URLs for named routes
and mounts (``{{ url_for('static', path='app.css') }}``): a URL, as Starlette's, whose
``.path`` is the path alone (``{{ url_for('static', path='app.css').path }}``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from fasterapi_core.background import BackgroundTask
from fasterapi_core.responses import HTMLResponse
from fasterapi_extras._optional import require

if TYPE_CHECKING:
    import jinja2

    from fasterapi_core.requests import Request

__all__ = ["Jinja2TemplateResponse", "Jinja2Templates"]

ContextProcessor = Callable[["Request"], Mapping[str, Any]]


class Jinja2TemplateResponse(HTMLResponse):
    """An HTML response rendered from ``template`` with ``context`` (both kept for tests)."""

    def __init__(
        self,
        template: jinja2.Template,
        context: dict[str, Any],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        self.template = template
        self.context = context
        super().__init__(template.render(context), status_code, headers, media_type, background)


def _url_for_factory(jinja2_module: Any) -> Callable[..., Any]:
    @jinja2_module.pass_context  # type: ignore[untyped-decorator,unused-ignore]
    def url_for(context: Mapping[str, Any], name: str, /, **path_params: Any) -> Any:
        request = context.get("request")
        if request is None:
            raise RuntimeError("url_for() in a template needs 'request' in the context")
        return request.url_for(name, **path_params)  # a URL: renders as text, has .path

    return url_for  # type: ignore[no-any-return]


class Jinja2Templates:
    """Load templates from ``directory`` (a path or a list of paths) or use a ready ``env``.

    ``context_processors`` are called with the request and their dicts merged into every
    template's context.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
        *,
        context_processors: Sequence[ContextProcessor] | None = None,
        env: jinja2.Environment | None = None,
    ) -> None:
        jinja2_module: Any = require("jinja2", "jinja2")
        if (directory is None) == (env is None):
            raise ValueError("Pass exactly one of 'directory' or 'env' to Jinja2Templates")
        if env is None:
            env = jinja2_module.Environment(
                loader=jinja2_module.FileSystemLoader(directory),
                autoescape=jinja2_module.select_autoescape(("html", "htm", "xml")),
            )
        env.globals.setdefault("url_for", _url_for_factory(jinja2_module))
        self.env: jinja2.Environment = env
        self.context_processors = list(context_processors or ())

    def get_template(self, name: str) -> jinja2.Template:
        """The compiled template ``name`` (cached by the environment)."""
        return self.env.get_template(name)

    def TemplateResponse(self, *args: Any, **kwargs: Any) -> Jinja2TemplateResponse:
        """Render a template: ``TemplateResponse(request, name, context=None, status_code=200,
        headers=None, media_type=None, background=None)``.

        The older ``TemplateResponse(name, {"request": request, ...}, ...)`` form works too.
        """
        if args and isinstance(args[0], str):
            name, rest = args[0], args[1:]
            context = dict(rest[0] if rest else kwargs.pop("context", None) or {})
            rest = rest[1:]
            request = context.get("request") or kwargs.pop("request", None)
            if request is None:
                raise ValueError("TemplateResponse(name, context) needs context['request']")
        else:
            request = args[0] if args else kwargs.pop("request")
            if len(args) > 1:
                name, rest = args[1], args[2:]
            else:
                name, rest = kwargs.pop("name"), ()
            context = dict(rest[0] if rest else kwargs.pop("context", None) or {})
            rest = rest[1:]
        return self._respond(request, name, context, *rest, **kwargs)

    def _respond(
        self,
        request: Request,
        name: str,
        context: dict[str, Any],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> Jinja2TemplateResponse:
        for processor in self.context_processors:
            context.update(processor(request))
        context.setdefault("request", request)
        template = self.get_template(name)
        return Jinja2TemplateResponse(
            template, context, status_code, headers, media_type, background
        )
