"""Static files and Jinja2 templates."""

from pathlib import Path

from FasterAPI import Faster, HTMLResponse, Request
from FasterAPI.staticfiles import StaticFiles
from FasterAPI.templating import Jinja2Templates

HERE = Path(__file__).parent

app = Faster()
# every file under static/ is served at /static/... (ETag, Last-Modified, 304, Range, HEAD)
app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
templates = Jinja2Templates(directory=HERE / "templates")


@app.get("/items/{id}", response_class=HTMLResponse)
async def read_item(request: Request, id: str) -> HTMLResponse:
    # url_for('static', path=...) in the template builds /static/... from the mount's name
    return templates.TemplateResponse(request, "item.html", {"id": id})
