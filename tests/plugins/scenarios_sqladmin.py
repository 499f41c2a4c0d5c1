"""sqladmin scenarios, as its documentation shows it used (run by ``test_sqladmin.py`` on
FastAPI and on FasterAPI): an admin panel over a SQLite database mounted on the app, its index,
list, create, details, edit and delete pages, and its static files."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqladmin import Admin, ModelView
from sqlalchemy import Integer, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import StaticPool


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    email: Mapped[str] = mapped_column(String(100))


class UserAdmin(ModelView, model=User):
    column_list = [User.id, User.name, User.email]
    column_searchable_list = [User.name]


def _page(response: Any) -> Any:
    return {
        "status": response.status_code,
        "location": response.headers.get("location"),
        "content-type": response.headers.get("content-type"),
        "body": response.text,
    }


def scenario_admin_pages() -> Any:
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    Base.metadata.create_all(engine)
    app = FastAPI()

    @app.get("/")
    def home() -> dict[str, str]:
        return {"app": "home"}

    admin = Admin(app, engine, title="Scenario admin")
    admin.add_view(UserAdmin)
    client = TestClient(app, follow_redirects=False)
    form = {"name": "ada", "email": "ada@example.com", "save": "Save"}
    pages = [
        client.get("/"),
        client.get("/admin/"),
        client.get("/admin/user/list"),
        client.get("/admin/user/create"),
        client.post("/admin/user/create", data=form),
        client.get("/admin/user/list?search=ada"),
        client.get("/admin/user/details/1"),
        client.get("/admin/user/edit/1"),
        client.post("/admin/user/edit/1", data={**form, "name": "grace"}),
        client.get("/admin/user/details/1"),
        client.delete("/admin/user/delete?pks=1"),
        client.get("/admin/user/list"),
        client.get("/admin/user/details/9"),
        client.get("/admin/statics/css/main.css"),
    ]
    return [_page(response) for response in pages]
