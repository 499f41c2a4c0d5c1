"""The documentation site's structure: nav pages exist, every example is included in a page and
exercised by a test, every public name has an API-reference entry, the benchmarks hook works.

The build itself (``mkdocs build --strict``) runs in CI as ``hatch run docs:build``."""

from __future__ import annotations

import importlib.util
import inspect
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_docs_public_docstrings import MODULES

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
EXAMPLES = DOCS / "examples"
SNIPPET = re.compile(r'^--8<-- "([^"]+?)(?::[-\d:,]*)?"\s*$', re.MULTILINE)
DIRECTIVE = re.compile(r"^::: ([\w.]+)\s*$", re.MULTILINE)


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if EXAMPLES not in p.parents)


def nav_pages() -> list[str]:
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    nav = text.split("\nnav:\n", 1)[1]
    return re.findall(r"([\w/.-]+\.md)\s*$", nav, re.MULTILINE)


def example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*") if p.suffix in {".py", ".html", ".css"})


def test_every_nav_page_exists_and_every_page_is_in_the_nav() -> None:
    nav = nav_pages()
    assert len(nav) == len(set(nav)) > 30
    for page in nav:
        assert (DOCS / page).is_file(), page
    assert {p.relative_to(DOCS).as_posix() for p in pages()} == set(nav)


def test_snippets_point_at_existing_files() -> None:
    for page in pages():
        for target in SNIPPET.findall(page.read_text(encoding="utf-8")):
            if target == "bench/RESULTS.md":
                continue  # optional: the benchmarks hook handles its absence
            assert (REPO / target).is_file(), f"{page.name}: {target}"


def test_every_example_file_is_shown_in_a_page() -> None:
    included = {t for page in pages() for t in SNIPPET.findall(page.read_text(encoding="utf-8"))}
    for path in example_files():
        relative = path.relative_to(REPO).as_posix()
        if path.name == "__init__.py" or path.suffix == ".css":
            continue
        assert relative in included, f"{relative} is not included in any page"


def test_every_example_module_is_exercised_by_a_test() -> None:
    tests = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    loaded = set(re.findall(r'load_example\("([\w.]+)"\)', tests))
    for path in EXAMPLES.rglob("*.py"):
        if path.name == "__init__.py":
            continue
        module = ".".join(path.relative_to(EXAMPLES).with_suffix("").parts)
        if module.startswith("bigger_app."):
            module = "bigger_app.main"  # main imports every other module of the package
        assert module in loaded, f"docs/examples/{path.name} is not exercised by a test"


def reference_names() -> dict[str, object]:
    """The public API: each distribution package's ``__all__``, every ``FasterAPI.*`` module's,
    and the public facades ``fasterapi_core.testclient`` and ``fasterapi_routing.openapi``."""
    wanted = {
        "fasterapi_core", "fasterapi_routing", "fasterapi_security", "fasterapi_middleware",
        "fasterapi_extras", "fasterapi_core.testclient", "fasterapi_routing.openapi",
    }
    names: dict[str, object] = {}
    for module in MODULES:
        if module.__name__ in wanted or module.__name__.split(".")[0] == "FasterAPI":
            for name in module.__all__:
                obj = getattr(module, name)
                if inspect.isclass(obj) or inspect.isfunction(obj):
                    names[f"{module.__name__}.{name}"] = obj
    return names


def test_every_public_name_has_a_reference_entry() -> None:
    documented: set[str] = set()
    for page in (DOCS / "reference").glob("*.md"):
        documented.update(DIRECTIVE.findall(page.read_text(encoding="utf-8")))
    missing = set()
    names = reference_names()
    assert len(names) > 150
    for qualified, obj in names.items():
        identifier = f"{obj.__module__}.{obj.__qualname__}"  # type: ignore[attr-defined]
        if identifier not in documented:
            missing.add(f"{qualified} ({identifier})")
    assert missing == set()
    assert {"fasterapi_core.status", "fasterapi_core.types"} <= documented


def test_reference_directives_name_real_objects() -> None:
    for page in (DOCS / "reference").glob("*.md"):
        for identifier in DIRECTIVE.findall(page.read_text(encoding="utf-8")):
            parts = identifier.split(".")
            for split in range(len(parts), 0, -1):
                try:
                    obj: object = importlib.import_module(".".join(parts[:split]))
                except ImportError:
                    continue
                for part in parts[split:]:
                    obj = getattr(obj, part)
                break
            else:
                pytest.fail(f"{identifier} does not import")
            assert obj is not None, identifier


@pytest.fixture
def bench_hook() -> object:
    spec = importlib.util.spec_from_file_location("bench_results_hook", DOCS / "hooks" / "bench_results.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _page(uri: str) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri))


def test_benchmarks_hook_without_results(bench_hook: object, tmp_path: Path) -> None:
    config = {"config_file_path": str(tmp_path / "mkdocs.yml")}
    markdown = (DOCS / "benchmarks.md").read_text(encoding="utf-8")
    out = bench_hook.on_page_markdown(markdown, _page("benchmarks.md"), config, None)  # type: ignore[attr-defined]
    assert '--8<-- "bench/RESULTS.md' not in out
    assert "No results yet" in out
    assert out.startswith("# Benchmarks\n")
    # other pages are untouched
    other = bench_hook.on_page_markdown(markdown, _page("index.md"), config, None)  # type: ignore[attr-defined]
    assert other == markdown


def test_benchmarks_hook_with_results(bench_hook: object, tmp_path: Path) -> None:
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "RESULTS.md").write_text("# Benchmark results\n\nfigures\n")
    config = {"config_file_path": str(tmp_path / "mkdocs.yml")}
    markdown = (DOCS / "benchmarks.md").read_text(encoding="utf-8")
    out = bench_hook.on_page_markdown(markdown, _page("benchmarks.md"), config, None)  # type: ignore[attr-defined]
    assert out == markdown
    assert '--8<-- "bench/RESULTS.md:2:"' in out  # the file's own H1 (line 1) is skipped
