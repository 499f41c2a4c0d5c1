"""First steps: an application, two routes and a msgspec model.

Run it with ``fasterapi dev docs/examples/first_steps.py`` and open http://127.0.0.1:8000/docs.
"""

import msgspec

from FasterAPI import Faster

app = Faster(title="First steps", version="1.0.0")


class Greeting(msgspec.Struct):
    message: str
    shout: bool = False


@app.get("/")
async def root() -> dict[str, str]:
    return {"message": "Hello World"}


@app.post("/greetings", status_code=201)
async def create_greeting(greeting: Greeting) -> Greeting:
    if greeting.shout:
        return Greeting(message=greeting.message.upper(), shout=True)
    return greeting
