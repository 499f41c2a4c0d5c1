"""A bigger application split into modules: ``fasterapi dev bigger_app.main:app``
(run from docs/examples)."""
