"""Autobahn|Testsuite (cases 1-13, compression included) against fasterapi-server.

    hatch run autobahn:check [--cases 1.* 7.1.5 | --ci] [--agent fasterapi|uvicorn] [--markdown F]
    hatch run autobahn:lock     # re-pin locks/autobahn-py27.txt (after changing AUTOBAHN)

The fuzzing client (PyPI ``autobahntestsuite``, Python 2.7 only) runs in its own virtualenv,
built once under ``.cache/autobahn/`` from ``locks/autobahn-py27.txt`` (hashed pins: the
dependency pins inside the sdist, and what they pulled in) with the ``virtualenv`` of the hatch
environment (20.21, the last that makes Python 2 environments) and the Python 2.7 found in
``$AUTOBAHN_PYTHON27``, on PATH or in pyenv. The server under test (one worker, the echo app
scripts/autobahn_app.py) listens on a free 127.0.0.1 port; the client writes its reports in a
temporary directory; both are stopped at the end, and the whole run is bounded by ``--timeout``.

``--ci`` (what ``.ci/run`` runs) takes every case of groups 1 to 10 and, of the
permessage-deflate groups 12 and 13, the cases whose 1000 messages are at most 64 KiB unfragmented
or 32 KiB in 256-byte fragments, with every case of 12.1 (the default offer, up to 128 KiB in
fragments of 256 to 32768 bytes): 451 of the 517 cases in a third of the time; the other
cases repeat the same code paths with bigger payloads or other fragment sizes.

Exit status 1 on any FAILED or UNIMPLEMENTED case, or a close that is neither OK nor
INFORMATIONAL. A NON-STRICT or INFORMATIONAL case passes only if Autobahn marks the same case so
for uvicorn (the reference, websockets' sans-IO protocol as uvicorn 0.55 runs it), which is
then run on those cases alone. The table of results is printed (and written with
``--markdown``).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "autobahn"
LOCK = ROOT / "locks" / "autobahn-py27.txt"
AUTOBAHN = "autobahntestsuite==25.10.1"
"""The fuzzing client; the pins of its sdist's ``requires.txt`` are installed with it."""
SERVERS = {
    "fasterapi": ["-m", "fasterapi_server", "autobahn_app:app", "--no-access-log"],
    "uvicorn": [
        "-m",
        "uvicorn",
        "autobahn_app:app",
        "--no-access-log",
        "--ws",
        "websockets-sansio",
    ],
}
BEHAVIOURS = ("OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED")
GROUPS = {
    "1": "Framing",
    "2": "Pings/Pongs",
    "3": "Reserved bits",
    "4": "Opcodes",
    "5": "Fragmentation",
    "6": "UTF-8 handling",
    "7": "Close handling",
    "9": "Limits/performance",
    "10": "Misc",
    "12": "permessage-deflate (payloads)",
    "13": "permessage-deflate (parameters)",
}

Results = dict[str, dict[str, object]]

DEFLATE_GROUPS = [f"12.{n}" for n in range(1, 6)] + [f"13.{n}" for n in range(1, 8)]
"""The permessage-deflate case groups: 18 cases each, payload size and fragmenting per index."""
CI_DEFLATE_INDEXES = (*range(1, 10), 11, 12, 13)
"""Per deflate group in ``--ci``: up to 64 KiB unfragmented (1-9), up to 32 KiB in 256-byte
fragments (11-13). Measured with ``--keep``: these 12 indexes take 28% of the groups' time."""
CI_CASES = [
    *(f"{group}.*" for group in ("1", "2", "3", "4", "5", "6", "7", "9", "10")),
    "12.1.*",
    *(f"{group}.{index}" for group in DEFLATE_GROUPS[1:] for index in CI_DEFLATE_INDEXES),
]
"""The cases ``--ci`` runs (the sentence in the module docstring says which and why)."""


def python27() -> str:
    """The Python 2.7 interpreter that runs the fuzzing client."""
    candidates = [os.environ.get("AUTOBAHN_PYTHON27")]
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True)
        candidates += sorted(
            str(p) for p in Path(root.stdout.strip()).glob("versions/2.7*/bin/python2.7")
        )
    candidates += ["/root/.pyenv/versions/2.7.18/bin/python2.7", shutil.which("python2.7")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            check = [candidate, "-c", "import sys; assert sys.version_info[:2] == (2, 7)"]
            if subprocess.run(check, capture_output=True).returncode == 0:
                return candidate
    raise SystemExit("Python 2.7 not found: set AUTOBAHN_PYTHON27 (pyenv install 2.7.18)")


def _venv(target: Path) -> Path:
    """A fresh Python 2.7 virtualenv at ``target``; its ``bin``."""
    shutil.rmtree(target, ignore_errors=True)
    command = [sys.executable, "-m", "virtualenv", "--quiet", "--no-download"]
    subprocess.run([*command, "-p", python27(), str(target)], check=True)
    return target / "bin"


def _pip(bin_dir: Path, *args: str) -> str:
    """Run the virtualenv's pip on PyPI alone; its output.

    Without the machine's pip configuration: its constraints and local indexes are for Python 3,
    and pip 20.3 (the last for Python 2.7) fails on a constraints file when it downloads.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") or k in _PIP_KEPT}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    command = [str(bin_dir / "python"), "-m", "pip", "--no-python-version-warning", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"pip {' '.join(args[:1])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


_PIP_KEPT = ("PIP_CERT", "PIP_CLIENT_CERT", "PIP_DEFAULT_TIMEOUT", "PIP_INDEX_URL", "PIP_PROXY")


def client() -> Path:
    """``wstest`` from the locked virtualenv (built again when the lock changed)."""
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    venv = CACHE / "venv27"
    stamp = venv / "lock.sha256"
    if not (stamp.is_file() and stamp.read_text() == digest):
        print(f"building the Autobahn client in {venv.relative_to(ROOT)} from {LOCK.name}")
        CACHE.mkdir(parents=True, exist_ok=True)
        (CACHE / ".gitignore").write_text("*\n")  # ignored whatever the repository says
        bin_dir = _venv(venv)
        install = ["install", "--no-deps", "--no-build-isolation", "--require-hashes"]
        _pip(bin_dir, *install, "-r", str(LOCK))
        stamp.write_text(digest)
    return venv / "bin" / "wstest"


def lock() -> None:
    """Pin the client and everything it installs (with hashes) into ``LOCK``."""
    with tempfile.TemporaryDirectory() as tmp:
        bin_dir = _venv(Path(tmp, "venv"))
        sdists = Path(tmp, "sdist")
        _pip(bin_dir, "download", "--no-deps", "--no-binary", ":all:", "-d", str(sdists), AUTOBAHN)
        sdist = next(sdists.iterdir())
        shutil.unpack_archive(str(sdist), tmp)
        requires = next(Path(tmp).glob("autobahntestsuite-*/*.egg-info/requires.txt"))
        pins = [line.strip() for line in requires.read_text().splitlines() if "==" in line]
        _pip(bin_dir, "install", "--no-build-isolation", *pins, str(sdist))
        frozen = _pip(bin_dir, "freeze", "--all").splitlines()
        wanted = [AUTOBAHN] + [
            line
            for line in sorted(frozen, key=str.lower)
            if "==" in line and line.split("==")[0].lower() not in ("pip", "wheel")
        ]
        files = Path(tmp, "files")
        _pip(bin_dir, "download", "--no-deps", "-d", str(files), *wanted)
        hashes: dict[str, list[str]] = collections.defaultdict(list)
        for path in sorted(files.iterdir()):
            hashes[_name(path.name.split("-")[0])].append(
                hashlib.sha256(path.read_bytes()).hexdigest()
            )
        lines = [
            "# The Autobahn|Testsuite client on Python 2.7: `hatch run autobahn:lock`\n"
            f"# {AUTOBAHN}, the pins of its sdist's requires.txt and what they pull in."
        ]
        for requirement in wanted:
            digests = hashes[_name(requirement.split("==")[0])]
            if not digests:
                raise SystemExit(f"no file downloaded for {requirement}")
            lines.append(requirement + "".join(f" \\\n    --hash=sha256:{d}" for d in digests))
        LOCK.write_text("\n".join(lines) + "\n")
    print(f"locked {LOCK.relative_to(ROOT)} ({len(wanted)} packages)")


def _name(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(agent: str, log: Path) -> Iterator[int]:
    """Run ``agent`` on a free 127.0.0.1 port until the block ends; yields the port."""
    port = free_port()
    command = [sys.executable, *SERVERS[agent], "--host", "127.0.0.1", "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{agent} did not start:\n{log.read_text()}") from None
                time.sleep(0.05)
        yield port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def fuzz(
    wstest: Path, agent: str, cases: Sequence[str], timeout: float, keep: Path | None
) -> Results:
    """Run the fuzzing client on ``cases`` against ``agent``; its results by case id."""
    with (
        tempfile.TemporaryDirectory(prefix="autobahn-") as tmp,
        serving(agent, Path(tmp, "server.log")) as port,
    ):
        spec = {
            "outdir": str(Path(tmp, "reports")),
            "servers": [{"agent": agent, "url": f"ws://127.0.0.1:{port}"}],
            "cases": list(cases),
            "exclude-cases": [],
            "exclude-agent-cases": {},
        }
        Path(tmp, "spec.json").write_text(json.dumps(spec))
        command = [str(wstest), "-m", "fuzzingclient", "-s", "spec.json"]
        started = time.monotonic()
        with Path(tmp, "wstest.log").open("wb") as output:
            process = subprocess.Popen(
                command, cwd=tmp, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise SystemExit(f"the fuzzing client ran past {timeout:.0f} s: stopped") from None
        index = Path(tmp, "reports", "index.json")
        if process.returncode != 0 or not index.is_file():
            log = Path(tmp, "wstest.log").read_text(errors="replace")
            raise SystemExit(f"the fuzzing client failed ({process.returncode}):\n{log[-3000:]}")
        if keep is not None:
            shutil.copytree(Path(tmp, "reports"), keep / agent, dirs_exist_ok=True)
        results: Results = json.loads(index.read_text())[agent]
        print(f"{agent}: {len(results)} cases in {time.monotonic() - started:.0f} s")
        return results


def case_key(case: str) -> tuple[int, ...]:
    return tuple(int(part) for part in case.split("."))


def table(results: Results) -> str:
    """A markdown table: cases per group and behaviour."""
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for case, result in results.items():
        counts[case.split(".")[0]][str(result["behavior"])] += 1
    lines = [
        "| cases | | " + " | ".join(BEHAVIOURS) + " |",
        "| --- | --- |" + " ---: |" * len(BEHAVIOURS),
    ]
    total: collections.Counter[str] = collections.Counter()
    for group in sorted(counts, key=int):
        total.update(counts[group])
        cells = " | ".join(str(counts[group][b]) for b in BEHAVIOURS)
        lines.append(f"| {group}.* | {GROUPS.get(group, '')} | {cells} |")
    lines.append("| all | | " + " | ".join(f"**{total[b]}**" for b in BEHAVIOURS) + " |")
    return "\n".join(lines)


def verdict(results: Results, reference: Results) -> list[str]:
    """The problems: a case that failed, or is not OK where uvicorn's is OK."""
    problems = []
    for case in sorted(results, key=case_key):
        behaviour, close = results[case]["behavior"], results[case]["behaviorClose"]
        if behaviour in ("FAILED", "UNIMPLEMENTED") or close not in ("OK", "INFORMATIONAL"):
            problems.append(f"{case}: {behaviour}, close {close}")
        elif behaviour != "OK" or close != "OK":
            theirs = reference.get(case, {})
            if (theirs.get("behavior"), theirs.get("behaviorClose")) != (behaviour, close):
                problems.append(
                    f"{case}: {behaviour} (close {close}), uvicorn: {theirs.get('behavior')}"
                )
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=["*"], help="case ids or patterns (1.*)")
    parser.add_argument("--ci", action="store_true", help="the subset .ci/run runs (see above)")
    parser.add_argument("--agent", choices=sorted(SERVERS), default="fasterapi")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds for the run")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    parser.add_argument("--keep", type=Path, help="copy the HTML/JSON reports here")
    parser.add_argument("--lock", action="store_true", help=f"re-pin {LOCK.name}")
    args = parser.parse_args(argv)
    if args.lock:
        lock()
        return 0
    started = time.monotonic()
    wstest = client()
    cases = CI_CASES if args.ci else args.cases
    results = fuzz(wstest, args.agent, cases, args.timeout, args.keep)
    reference: Results = {}
    others = [c for c, r in results.items() if (r["behavior"], r["behaviorClose"]) != ("OK", "OK")]
    if args.agent != "uvicorn" and others:
        remaining = max(60.0, args.timeout - (time.monotonic() - started))
        reference = fuzz(wstest, "uvicorn", sorted(others, key=case_key), remaining, args.keep)
    print(table(results))
    for case in sorted(others, key=case_key):
        result = results[case]
        line = f"  {case}: {result['behavior']} (close {result['behaviorClose']}, code "
        line += f"{result['remoteCloseCode']})"
        if reference:
            line += f"; uvicorn: {reference.get(case, {}).get('behavior', '-')}"
        print(line)
    if args.markdown:
        args.markdown.write_text(table(results) + "\n")
    problems = verdict(results, reference if args.agent != "uvicorn" else results)
    for problem in problems:
        print(f"FAILED {problem}")
    passed = len(results) - len(problems)
    print(f"({len(results)} cases, {time.monotonic() - started:.0f} s)")
    print(f"autobahn: {passed} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
