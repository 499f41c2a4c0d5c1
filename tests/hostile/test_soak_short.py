"""A 5-second soak (scripts/soak.py): mixed valid and invalid keep-alive traffic against the
hostile app; no request lost, only expected statuses, the server's memory stays flat."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "soak.py"


def load_soak() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fasterapi_soak_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_short_soak_loses_nothing_and_stays_flat() -> None:
    soak = load_soak()
    result = soak.run_soak(duration=5.0, connections=6, warmup=1.0)
    summary = result.summary()
    assert result.requests > 100, summary
    assert result.lost == 0, summary
    assert result.unexpected == {}, summary
    assert result.server_alive, summary
    assert result.rss_growth_mb <= 16.0, summary
    # Every kind of request in the mix was exercised and answered as expected.
    seen = {key.split(" ")[0] for key in result.statuses}
    assert seen == set(soak.MIX), summary
