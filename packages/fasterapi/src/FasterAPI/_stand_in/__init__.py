"""The machinery behind :mod:`FasterAPI.as_fastapi`: module paths ``fastapi.*`` (and
``starlette.*``) served by FasterAPI.

``finder`` creates the stand-in modules; ``fastapi_paths`` and ``starlette_paths`` say which
FasterAPI object each name of each path is; ``helpers`` and ``dependency_utils`` hold the few
FastAPI helpers FasterAPI has no public module for, implemented on FasterAPI's own machinery.
"""
