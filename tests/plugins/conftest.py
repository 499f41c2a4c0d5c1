"""Differential tests of FastAPI plugins (``differential.py``): pytest's assertion messages
in the shared comparison."""

import pytest

pytest.register_assert_rewrite("differential")
