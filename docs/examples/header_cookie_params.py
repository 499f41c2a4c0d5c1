"""Header and cookie parameters."""

from typing import Annotated

from FasterAPI import Cookie, Faster, Header, Response

app = Faster()


@app.get("/agent")
async def read_agent(
    user_agent: Annotated[str | None, Header()] = None,  # reads the "User-Agent" header
    x_token: Annotated[list[str] | None, Header()] = None,  # every "X-Token" header, in order
) -> dict[str, object]:
    return {"user_agent": user_agent, "x_token": x_token or []}


@app.get("/session")
async def read_session(session_id: Annotated[str | None, Cookie()] = None) -> dict[str, object]:
    return {"session_id": session_id}


@app.post("/session")
async def start_session(response: Response) -> dict[str, str]:
    # a ``Response`` parameter lets a handler set cookies and headers on the response it returns
    response.set_cookie("session_id", "abc123", httponly=True, samesite="lax")
    return {"status": "started"}
