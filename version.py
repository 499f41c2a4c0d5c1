"""The one version every FasterAPI distribution shares."""

__version__ = "0.1.0"
