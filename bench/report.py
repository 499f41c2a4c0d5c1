"""Shared reporting for the benchmarks: machine facts, versions, tables, and RESULTS.md sections.

Each benchmark writes its own section of ``bench/RESULTS.md`` between ``<!-- BEGIN name -->`` and
``<!-- END name -->`` markers, so running one benchmark leaves the other's figures in place.
"""

from __future__ import annotations

import datetime
import os
import platform
import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

__all__ = [
    "RESULTS",
    "command_line",
    "load_average",
    "machine",
    "ratio_table",
    "table",
    "versions",
    "write_section",
]

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = (
    "# Benchmark results\n\n"
    "Written by `hatch run bench:inproc`, `hatch run bench:http` and `hatch run bench:serving`\n"
    "(see the README's Benchmarks section). Each section says when, where and how it was\n"
    "measured. Lower µs is better.\n"
)
DISTRIBUTIONS = [
    "fasterapi",
    "fastapi",
    "starlette",
    "litestar",
    "blacksheep",
    "uvicorn",
    "granian",
    "uvloop",
    "httptools",
    "websockets",
    "pydantic",
    "msgspec",
]


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine() -> str:
    """One line: cores, CPU model, kernel, Python."""
    return (
        f"{os.cpu_count()} cores (nproc), CPU `{cpu_model()}`, Linux {platform.release()}, "
        f"Python {platform.python_version()} ({sys.implementation.name})"
    )


def versions(extra: dict[str, str] | None = None) -> str:
    """Installed versions of every framework and server involved."""
    parts = []
    for name in DISTRIBUTIONS:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    for name, version in (extra or {}).items():
        parts.append(f"{name} {version}")
    return ", ".join(parts)


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=RESULTS.parent,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def command_line() -> str:
    script = Path(sys.argv[0]).name
    return "python bench/" + " ".join([script, *map(shlex.quote, sys.argv[1:])])


def preamble(command: str, load_before: str) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"- date: {now}, commit {git_commit()}\n"
        f"- command: `{command}`\n"
        f"- machine: {machine()}\n"
        f"- load average (1/5/15 min) before: {load_before}, after: {load_average()}\n"
        f"- versions: {versions()}\n"
    )


def table(
    rows: Sequence[tuple[str, dict[str, float]]],
    columns: Sequence[tuple[str, str]],
    fmt: Callable[[float], str],
    first: str = "endpoint",
) -> str:
    """A markdown table: one row per label, one column per (key, title)."""
    lines = [
        "| " + " | ".join([first, *(title for _, title in columns)]) + " |",
        "|" + "---|" * (len(columns) + 1),
    ]
    for label, values in rows:
        cells = [fmt(values[key]) if key in values else "–" for key, _ in columns]
        lines.append("| " + " | ".join([label, *cells]) + " |")
    return "\n".join(lines)


def ratio_table(
    rows: Sequence[tuple[str, dict[str, float]]],
    columns: Sequence[tuple[str, str]],
    base: str,
    inverse: bool = False,
) -> str:
    """Each value divided by the row's ``base`` value (or ``base`` / value when ``inverse``)."""
    ratios = []
    for label, values in rows:
        reference = values.get(base)
        out: dict[str, float] = {}
        if reference:
            for key, value in values.items():
                if value:
                    out[key] = reference / value if inverse else value / reference
        ratios.append((label, out))
    return table(ratios, columns, lambda r: f"{r:.2f}×")


def write_section(name: str, body: str) -> None:
    """Replace (or append) the section ``name`` of RESULTS.md with ``body``."""
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    text = RESULTS.read_text() if RESULTS.exists() else HEADER
    block = f"{begin}\n{body.rstrip()}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text)
