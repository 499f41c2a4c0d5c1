"""API keys from a header, a query parameter or a cookie."""

from typing import Annotated

from FasterAPI import Depends, Faster, HTTPException
from FasterAPI.security import APIKeyCookie, APIKeyHeader, APIKeyQuery, compare_secrets

API_KEY = "s3cr3t-key"  # load it from the environment or a secret store in a real app

app = Faster()
header_scheme = APIKeyHeader(name="X-API-Key", auto_error=False)
query_scheme = APIKeyQuery(name="api_key", auto_error=False)
cookie_scheme = APIKeyCookie(name="session")


def api_key(
    from_header: Annotated[str | None, Depends(header_scheme)],
    from_query: Annotated[str | None, Depends(query_scheme)],
) -> str:
    """Accept the key from the header or the query string; compare in constant time."""
    key = from_header or from_query
    if key is None or not compare_secrets(key, API_KEY):
        raise HTTPException(status_code=401, detail="Invalid or missing API key")
    return key


@app.get("/reports", dependencies=[Depends(api_key)])
async def reports() -> list[str]:
    return ["q1", "q2"]


@app.get("/dashboard")
async def dashboard(session: Annotated[str, Depends(cookie_scheme)]) -> dict[str, str]:
    # auto_error=True (the default): a missing cookie is answered with 401 before this runs
    return {"session": session}
