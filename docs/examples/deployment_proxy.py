"""An application deployed behind a reverse proxy that serves it under ``/api``.

Run it with ``fasterapi run docs/examples/deployment_proxy.py --workers 4 --proxy-headers``
(the server trusts ``X-Forwarded-For``/``-Proto`` from the addresses in ``FORWARDED_ALLOW_IPS``).
"""

import os

from FasterAPI import Faster, Request, TrustedHostMiddleware

ROOT_PATH = os.environ.get("ROOT_PATH", "/api")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "example.com,*.example.com").split(",")

# root_path: the proxy strips "/api" before forwarding, so routes are declared without it;
# URLs the app builds (and the OpenAPI "servers" entry used by /docs) include it.
app = Faster(title="Behind a proxy", root_path=ROOT_PATH)
# Reject requests whose Host header is not one of ours (400), e.g. DNS rebinding.
app.add_middleware(TrustedHostMiddleware, allowed_hosts=ALLOWED_HOSTS)


@app.get("/whoami")
async def whoami(request: Request) -> dict[str, object]:
    return {
        "root_path": request.scope.get("root_path"),
        "url": str(request.url),
        "client": request.client.host if request.client else None,
        "scheme": request.url.scheme,
    }
