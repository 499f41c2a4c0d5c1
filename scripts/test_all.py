"""``hatch run test``: the test suite on every Python of the matrix, each run to its end.

``hatch test -a`` stops at the first Python whose run fails, so the others never run. This runs
``hatch test -py X`` for each Python of ``[[envs.hatch-test.matrix]]``, all at once (each run is
one pytest process: on two cores the Pythons take the time of about one and a half; set
``FASTERAPI_TEST_JOBS=1`` to run them in turn), prints each run's output when it ends, and ends
with one line per Python (its pytest summary, or why it did not run). The exit status is 0 only
when every run passed. A Python that is not installed is reported and skipped; with
``FASTERAPI_CI=1`` (set by ``.ci/run``) it is an error. Arguments go to pytest.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: pytest's last line, with or without its ``====`` frame (``-q`` drops it).
SUMMARY = re.compile(r"^(?:=+ )?((?:\d+ [a-z]+|no tests ran)\b.* in [0-9.]+s\b.*?)(?: =+)?$")


def matrix_pythons() -> list[str]:
    """The Python versions of the test matrix, in the order hatch.toml lists them."""
    config = tomllib.loads((ROOT / "hatch.toml").read_text())
    versions: list[str] = []
    for entry in config["envs"]["hatch-test"]["matrix"]:
        versions += [v for v in entry.get("python", []) if v not in versions]
    return versions


def outer_environment() -> dict[str, str]:
    """This process's environment without the hatch environment it runs in (its venv on PATH,
    its lock variables), so that each ``hatch test`` sets up its own."""
    env = dict(os.environ)
    venv = env.pop("VIRTUAL_ENV", "")
    for name in ("HATCH_ENV_ACTIVE", "UV_CONSTRAINT", "UV_BUILD_CONSTRAINT", "PYTHONHOME"):
        env.pop(name, None)
    if venv:
        bin_dir = str(Path(venv) / "bin")
        env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != bin_dir)
    return env


def installed(version: str, env: dict[str, str]) -> bool:
    """Whether ``python<version>`` runs (a pyenv shim for a missing version exists but fails)."""
    executable = shutil.which(f"python{version}", path=env["PATH"])
    if executable is None:
        return False
    probe = subprocess.run(
        [executable, "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return probe.returncode == 0


def run_one(hatch: str, version: str, args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """``hatch test -py version args``: its exit status and its pytest summary line; its output
    is printed, in one piece, when it ends."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as output:
        status = subprocess.run(
            [hatch, "test", "-py", version, *args],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        ).returncode
        output.seek(0)
        summary = ""
        with PRINTING:
            print(f"\n===== Python {version} =====", flush=True)
            for line in output:
                sys.stdout.write(line)
                match = SUMMARY.match(line.strip())
                if match:
                    summary = match.group(1)
            sys.stdout.flush()
    return status, summary or f"hatch test exited with status {status}"


PRINTING = threading.Lock()
"""One run's output at a time."""


def main(argv: list[str]) -> int:
    """Run every Python's tests; print the per-Python summary; 0 when all passed."""
    env = outer_environment()
    hatch = shutil.which("hatch", path=env["PATH"])
    if hatch is None:
        print("hatch is not on PATH", file=sys.stderr)
        return 2
    strict = env.get("FASTERAPI_CI", "") not in ("", "0")
    results: dict[str, tuple[str, bool]] = {}
    runnable: list[str] = []
    for version in matrix_pythons():
        if installed(version, env):
            runnable.append(version)
            continue
        note = f"python{version} is not installed or not on PATH"
        if strict:
            note += " (FASTERAPI_CI=1: an error)"
        results[version] = (note, not strict)
        print(note, flush=True)
    for version in runnable:  # one at a time: hatch and uv set environments up
        subprocess.run([hatch, "env", "create", f"hatch-test.py{version}"], cwd=ROOT, env=env)
    jobs = int(env.get("FASTERAPI_TEST_JOBS") or len(runnable) or 1)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        runs = {version: pool.submit(run_one, hatch, version, argv, env) for version in runnable}
    for version, run in runs.items():
        status, summary = run.result()
        results[version] = (summary, status == 0)
    print("\n===== tests on every Python =====")
    for version in matrix_pythons():
        summary, ok = results[version]
        print(f"Python {version}: {'ok    ' if ok else 'FAILED'} {summary}")
    if not runnable:
        print("no Python of the matrix is installed", file=sys.stderr)
        return 1
    return 0 if all(ok for _, ok in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
