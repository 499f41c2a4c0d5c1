"""The application's routers, one module per resource."""
