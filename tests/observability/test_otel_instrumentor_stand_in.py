"""``FastAPIInstrumentor().instrument()`` (it replaces ``fastapi.FastAPI`` with a subclass) on an
unmodified FastAPI app served by FasterAPI's ``fastapi`` stand-in, the real Starlette kept (the
stack's outer layer must be Starlette's ``ServerErrorMiddleware`` too). Without Starlette, the
``starlette`` stand-in serves the instrumentation's imports (see
tests/stand_in/test_stand_in_starlette_application.py). Runs in a fresh interpreter (the
stand-in changes ``sys.modules``).
"""

from __future__ import annotations

from interpreters import Interpreter

SNIPPET = """
import json
from FasterAPI.as_fastapi import install
served = sorted(install(replace_installed={replace!r}))

from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
FastAPIInstrumentor().instrument(tracer_provider=provider)

import fastapi
from fastapi.testclient import TestClient
import FasterAPI

app = fastapi.FastAPI()

@app.get("/items/{{item_id}}")
def item(item_id: int) -> int:
    return item_id

@app.get("/boom")
def boom() -> None:
    raise ValueError("boom")

client = TestClient(app, raise_server_exceptions=False)
statuses = [client.get("/items/3").status_code, client.get("/boom").status_code]
spans = [
    [s.name, s.attributes.get("http.route"), s.attributes.get("http.status_code"),
     [e.attributes.get("exception.type") for e in s.events], s.status.status_code.name]
    for s in exporter.get_finished_spans() if s.kind == SpanKind.SERVER
]
FastAPIInstrumentor().uninstrument()
print(json.dumps([served, isinstance(app, FasterAPI.Faster), statuses, spans]))
"""


def test_instrumentor_subclass_of_the_stand_in_records_spans() -> None:
    result = Interpreter().run(SNIPPET.format(replace=True))
    assert result == [
        ["fastapi"],
        True,
        [200, 500],
        [
            ["GET /items/{item_id}", "/items/{item_id}", 200, [], "UNSET"],
            ["GET /boom", "/boom", 500, ["ValueError"], "ERROR"],
        ],
    ]
