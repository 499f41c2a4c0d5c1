"""The scale-out cluster (tests/scale_out/scale_out_cluster.py), started once per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from scale_out_cluster import Cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    started = Cluster(tmp_path_factory.mktemp("scale-out"))
    try:
        started.start()
        yield started
    finally:
        started.stop()
