"""Dependencies with ``yield``: set-up before the handler, tear-down after the response."""

from collections.abc import Iterator
from typing import Annotated

from FasterAPI import Depends, Faster, HTTPException

app = Faster()
EVENTS: list[str] = []  # what happened, in order (the tests read it)


class Connection:
    def __init__(self) -> None:
        self.open = True

    def close(self) -> None:
        self.open = False


def get_connection() -> Iterator[Connection]:
    connection = Connection()
    EVENTS.append("open")
    try:
        yield connection
    except HTTPException:
        EVENTS.append("rollback")
        raise  # re-raise so the client still gets the error response
    finally:
        connection.close()
        EVENTS.append("close")


Conn = Annotated[Connection, Depends(get_connection)]


@app.get("/rows/{row_id}")
def read_row(row_id: int, connection: Conn) -> dict[str, object]:
    if row_id > 10:
        raise HTTPException(status_code=404, detail="Row not found")
    return {"row_id": row_id, "open": connection.open}
