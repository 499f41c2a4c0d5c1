"""MkDocs hook: the Benchmarks page includes bench/RESULTS.md (written by the benchmark scripts)
with pymdownx.snippets; until that file exists the include is replaced by a short note, so that
``mkdocs build --strict`` passes either way and the page is current at every build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

RESULTS = "bench/RESULTS.md"
PAGE = "benchmarks.md"
NOT_YET = (
    '!!! note "No results yet"\n'
    f"    `{RESULTS}` does not exist yet: run the benchmarks (see *Method* above), then rebuild\n"
    "    the documentation to include their figures here.\n"
)


def _root(config: Any) -> Path:
    return Path(config["config_file_path"]).resolve().parent


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Drop the snippet include of RESULTS.md from the Benchmarks page while it is missing."""
    if page.file.src_uri != PAGE or (_root(config) / RESULTS).is_file():
        return markdown
    lines = [NOT_YET if f'--8<-- "{RESULTS}' in line else line for line in markdown.splitlines()]
    return "\n".join(lines) + "\n"
