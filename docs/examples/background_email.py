"""Background tasks: work that runs after the response has been sent."""

from typing import Annotated

from FasterAPI import BackgroundTasks, Depends, Faster

app = Faster()
OUTBOX: list[str] = []  # stands in for an e-mail service


def send_email(address: str, message: str = "") -> None:
    # sync functions run in the threadpool, async ones on the event loop
    OUTBOX.append(f"to={address} message={message}")


async def audit(tasks: BackgroundTasks, q: str | None = None) -> str | None:
    # a dependency can queue tasks too: they share the request's BackgroundTasks
    if q:
        tasks.add_task(send_email, "audit@example.com", message=f"query: {q}")
    return q


@app.post("/send-notification/{email}", status_code=202)
async def send_notification(
    email: str, tasks: BackgroundTasks, q: Annotated[str | None, Depends(audit)]
) -> dict[str, str]:
    tasks.add_task(send_email, email, message="some notification")
    return {"message": "Notification sent in the background"}
