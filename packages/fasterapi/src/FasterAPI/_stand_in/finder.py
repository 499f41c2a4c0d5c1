"""The ``sys.meta_path`` finder and loader that serve ``fastapi.*`` (and ``starlette.*``) paths.

Each path of a :class:`PathTable` becomes, when first imported, a :class:`StandInModule`: an
empty module whose names resolve on first access to the FasterAPI object the table names (then
stay in the module's namespace). Every stand-in module is a package (``__path__ = []``), so
``from fastapi.routing import Unknown`` asks the finder for ``fastapi.routing.Unknown`` and gets
an ``ImportError`` that says why, instead of Python's bare "cannot import name".
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ORIGIN", "ModulePlan", "PathTable", "StandInFinder", "StandInModule"]

ORIGIN = "FasterAPI stand-in"
"""The ``__spec__.origin`` of every stand-in module (its ``repr`` shows it)."""

_DOCS = "FasterAPI.as_fastapi; docs/coming-from-fastapi.md"
_ROUTING_HOOKS = frozenset({"solve_dependencies", "run_endpoint_function"})


@dataclass(frozen=True)
class PathTable:
    """Every module path under one top-level name, and what each of their names is.

    ``modules`` maps a dotted module path to its exports, ``{name: "module:attribute"}`` (or
    ``{name: "module"}`` for a module);
    ``reasons`` maps the dotted path of a module or name FasterAPI does not provide to why.
    """

    top: str
    modules: Mapping[str, Mapping[str, str]]
    reasons: Mapping[str, str] = field(default_factory=dict)

    def children(self, path: str) -> frozenset[str]:
        """The names of the stand-in submodules directly under ``path``."""
        prefix = path + "."
        return frozenset(
            sub[len(prefix) :]
            for sub in self.modules
            if sub.startswith(prefix) and "." not in sub[len(prefix) :]
        )

    def not_supported(self, dotted: str) -> str:
        """The message of the error raised for ``dotted``, a module or name not provided."""
        reason = self.reasons.get(dotted)
        if reason is None:
            last = dotted.rpartition(".")[2]
            if last.startswith("_"):
                reason = f"it is one of {self.top}'s internals, FasterAPI has no equivalent"
            else:
                reason = "FasterAPI has no equivalent"
        return f"{dotted} is not supported by FasterAPI's {self.top} stand-in: {reason} ({_DOCS})"


@dataclass(frozen=True)
class ModulePlan:
    """What one stand-in module provides: its exports and its submodules."""

    path: str
    exports: Mapping[str, str]
    children: frozenset[str]
    table: PathTable

    def resolve(self, name: str) -> Any:
        """The object ``name`` stands for; ``AttributeError`` saying why when there is none."""
        target = self.exports.get(name)
        if target is not None:
            module_name, _, attribute = target.partition(":")
            module = importlib.import_module(module_name)
            if not attribute:  # a module path: another stand-in module (``fastapi.status``)
                return module
            try:
                return getattr(module, attribute)
            except AttributeError:
                raise AttributeError(
                    f"{self.path}.{name} stands for {target}, which this FasterAPI does not "
                    "have (the stand-in's table is out of date)"
                ) from None
        if name in self.children:
            return importlib.import_module(f"{self.path}.{name}")
        raise AttributeError(self.table.not_supported(f"{self.path}.{name}"), name=name)


class StandInModule(types.ModuleType):
    """A ``fastapi.*``/``starlette.*`` module whose names are FasterAPI's objects."""

    __stand_in__: ModulePlan
    __all__: list[str]

    def __getattr__(self, name: str) -> Any:
        plan: ModulePlan | None = self.__dict__.get("__stand_in__")
        if plan is None or (name.startswith("__") and name.endswith("__")):
            if plan is not None and name in plan.exports:  # __version__
                return plan.resolve(name)
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}", name=name)
        value = plan.resolve(name)
        setattr(self, name, value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name in _ROUTING_HOOKS and self.__name__ == "fastapi.routing":
            # a plugin replacing a per-request hook (or the first read caching it): the routes
            # are served through the replacement from now on (routing_hooks.py)
            importlib.import_module(
                "FasterAPI._stand_in.routing_hooks"
            ).serve_routes_through_hooks()

    def __dir__(self) -> list[str]:
        plan: ModulePlan | None = self.__dict__.get("__stand_in__")
        names = set(self.__dict__)
        if plan is not None:
            names.update(plan.exports, plan.children)
        return sorted(names)


class StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds and loads the stand-in modules of the top-level names in ``tables``.

    Every path under a served top-level name is answered here: a path of the table gets a
    module, any other an ``ImportError`` naming what is not supported and why.
    """

    def __init__(self, tables: Mapping[str, PathTable]) -> None:
        self.tables: dict[str, PathTable] = dict(tables)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} serving {', '.join(sorted(self.tables)) or 'nothing'}>"

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        """A spec for a stand-in path; None for names not served; ``ImportError`` otherwise."""
        table = self.tables.get(fullname.partition(".")[0])
        if table is None:
            return None
        if fullname in table.modules:
            return importlib.machinery.ModuleSpec(fullname, self, origin=ORIGIN, is_package=True)
        raise ImportError(table.not_supported(fullname), name=fullname.rpartition(".")[0])

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        """An empty :class:`StandInModule` for ``spec``; its names resolve on first use."""
        table = self.tables[spec.name.partition(".")[0]]
        exports = table.modules[spec.name]
        module = StandInModule(spec.name)
        module.__stand_in__ = ModulePlan(spec.name, exports, table.children(spec.name), table)
        module.__all__ = sorted(name for name in exports if not name.startswith("_"))
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: every name is resolved when first used."""
