"""OpenAPI 3.1 generation and the interactive documentation pages."""
