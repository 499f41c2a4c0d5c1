"""The HTML pages of the interactive documentation: Swagger UI, ReDoc, the OAuth2 redirect."""

from __future__ import annotations

import html
import json
from typing import Any

from fasterapi_core.encoding import json_encode, jsonable_encoder
from fasterapi_core.responses import HTMLResponse
from fasterapi_routing.openapi.assets import (
    CDN_REDOC_JS,
    CDN_SWAGGER_CSS,
    CDN_SWAGGER_FAVICON,
    CDN_SWAGGER_JS,
)

__all__ = [
    "SWAGGER_UI_DEFAULT_PARAMETERS",
    "get_redoc_html",
    "get_swagger_ui_html",
    "get_swagger_ui_oauth2_redirect_html",
]

#: Swagger UI options every page gets unless ``swagger_ui_parameters`` overrides them.
SWAGGER_UI_DEFAULT_PARAMETERS: dict[str, Any] = {
    "dom_id": "#swagger-ui",
    "layout": "BaseLayout",
    "deepLinking": True,
    "showExtensions": True,
    "showCommonExtensions": True,
}


def _js(value: Any, *, spaced: bool = False) -> str:
    """``value`` as a JavaScript literal that is safe inside a ``<script>`` element
    (``spaced``: written as ``json.dumps`` writes it, as FastAPI's page does)."""
    text = json.dumps(jsonable_encoder(value)) if spaced else json_encode(value).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def get_swagger_ui_html(
    *,
    openapi_url: str,
    title: str,
    swagger_js_url: str = CDN_SWAGGER_JS,
    swagger_css_url: str = CDN_SWAGGER_CSS,
    swagger_favicon_url: str = CDN_SWAGGER_FAVICON,
    oauth2_redirect_url: str | None = None,
    init_oauth: dict[str, Any] | None = None,
    swagger_ui_parameters: dict[str, Any] | None = None,
) -> HTMLResponse:
    """A Swagger UI 5 page showing the document at ``openapi_url`` (FastAPI's signature).

    The asset URLs default to the jsDelivr CDN, as in FastAPI; the application's own ``/docs``
    page passes the locally served files instead.
    """
    # FastAPI's layout: one option a line, as json.dumps writes it; the url first (a
    # parameter may replace it), then the page's own redirect URL and presets.
    options = {**SWAGGER_UI_DEFAULT_PARAMETERS, **(swagger_ui_parameters or {})}
    lines = ["const ui = SwaggerUIBundle({", f"  url: {_js(openapi_url)},"]
    lines += [
        f"  {_js(key, spaced=True)}: {_js(value, spaced=True)}," for key, value in options.items()
    ]
    if oauth2_redirect_url:
        redirect = _js(oauth2_redirect_url)
        lines.append(f"  oauth2RedirectUrl: window.location.origin + {redirect},")
    lines += [
        "  presets: [",
        "    SwaggerUIBundle.presets.apis,",
        "    SwaggerUIBundle.SwaggerUIStandalonePreset",
        "  ],",
        "});",
    ]
    if init_oauth:
        lines.append(f"ui.initOAuth({_js(init_oauth, spaced=True)});")
    lines.append("window.ui = ui;")
    script = "\n".join("    " + line for line in lines)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)}</title>
  <link rel="stylesheet" type="text/css" href="{_attr(swagger_css_url)}">
  <link rel="shortcut icon" href="{_attr(swagger_favicon_url)}">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{_attr(swagger_js_url)}"></script>
  <script>
{script}
  </script>
</body>
</html>
"""
    return HTMLResponse(page)


def get_redoc_html(
    *,
    openapi_url: str,
    title: str,
    redoc_js_url: str = CDN_REDOC_JS,
    redoc_favicon_url: str = CDN_SWAGGER_FAVICON,
    with_google_fonts: bool = True,
) -> HTMLResponse:
    """A ReDoc page showing the document at ``openapi_url`` (FastAPI's signature).

    The script URL defaults to the jsDelivr CDN and ``with_google_fonts`` links Montserrat and
    Roboto from fonts.googleapis.com, as in FastAPI; the application's own ``/redoc`` page uses
    the locally served script and no font host.
    """
    fonts = ""
    if with_google_fonts:
        fonts = (
            '  <link rel="stylesheet" href="https://fonts.googleapis.com/css?'
            'family=Montserrat:300,400,700|Roboto:300,400,700">\n'
        )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)}</title>
{fonts}  <link rel="shortcut icon" href="{_attr(redoc_favicon_url)}">
  <style>body {{ margin: 0; padding: 0; }}</style>
</head>
<body>
  <noscript>ReDoc needs JavaScript to show this documentation.</noscript>
  <redoc spec-url="{_attr(openapi_url)}"></redoc>
  <script src="{_attr(redoc_js_url)}"></script>
</body>
</html>
"""
    return HTMLResponse(page)


_OAUTH2_REDIRECT_SCRIPT = """
(function () {
  var oauth2 = window.opener && window.opener.swaggerUIRedirectOauth2;
  if (!oauth2) { window.close(); return; }
  var source = /code|token|error/.test(window.location.hash)
    ? window.location.hash.substring(1).replace("?", "&")
    : window.location.search.substring(1);
  var params = {};
  new URLSearchParams(source).forEach(function (value, key) { params[key] = value; });
  var stateMatches = params.state === oauth2.state;
  var flow = oauth2.auth.schema.get("flow");
  var codeFlow = flow === "accessCode" || flow === "authorizationCode" ||
    flow === "authorization_code";
  if (codeFlow && !oauth2.auth.code) {
    if (!stateMatches) {
      oauth2.errCb({authId: oauth2.auth.name, source: "auth", level: "warning",
        message: "Authorization may be unsafe: the auth server did not return the state sent."});
    }
    if (params.code) {
      delete oauth2.state;
      oauth2.auth.code = params.code;
      oauth2.callback({auth: oauth2.auth, redirectUrl: oauth2.redirectUrl});
    } else {
      var message = params.error
        ? "[" + params.error + "]: " + (params.error_description || "no description") +
          (params.error_uri ? " More info: " + params.error_uri : "")
        : "The auth server returned neither a code nor an error.";
      oauth2.errCb({authId: oauth2.auth.name, source: "auth", level: "error", message: message});
    }
  } else {
    oauth2.callback({auth: oauth2.auth, token: params, isValid: stateMatches,
      redirectUrl: oauth2.redirectUrl});
  }
  window.close();
})();
"""


def get_swagger_ui_oauth2_redirect_html() -> HTMLResponse:
    """The page an OAuth2 server redirects to; it hands the result back to Swagger UI."""
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><title>Swagger UI: OAuth2 Redirect</title>'
        f"</head>\n<body>\n<script>{_OAUTH2_REDIRECT_SCRIPT}</script>\n</body>\n</html>\n"
    )
    return HTMLResponse(page)
