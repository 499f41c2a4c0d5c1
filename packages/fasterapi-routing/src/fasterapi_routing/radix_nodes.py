"""The radix tree's nodes: each node's children in priority order (see ``radix``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from .convertors import Convertor, FloatConvertor, IntegerConvertor, StringConvertor, UUIDConvertor
from .segments import KIND_ORDER, PARAM, STATIC

__all__ = ["Endpoint", "Node"]


class Endpoint:
    """What one method of a route node resolves to: handler, metadata, parameter names."""

    __slots__ = ("handler", "metadata", "names")

    def __init__(self, handler: Any, metadata: Any, names: tuple[str, ...]) -> None:
        self.handler = handler
        self.metadata = metadata
        self.names = names


def _rank(convertor: Convertor) -> int:
    """Order of whole-segment parameters at one node: most specific first, ``str`` last."""
    for rank, kind in enumerate((IntegerConvertor, FloatConvertor, UUIDConvertor)):
        if isinstance(convertor, kind):
            return rank
    return 9 if isinstance(convertor, StringConvertor) else 5


class Node:
    """One path segment position: static children by text, the other kinds by priority."""

    __slots__ = (
        "alts",
        "children",
        "endpoints",
        "methods",
        "methods_view",
        "static",
        "str_param",
    )

    def __init__(self) -> None:
        self.static: dict[str, Node] = {}
        # Non-static children by (kind, shape key) -> (kind, matcher, child), in insertion order.
        self.children: dict[tuple[int, str], tuple[int, Any, Node]] = {}
        # The same entries sorted by priority, with the matcher's bound ``parse``.
        self.alts: tuple[tuple[int, Callable[[str], Any], Node], ...] = ()
        self.endpoints: dict[str, Endpoint] = {}
        self.methods: dict[str, tuple[Any, Any]] = {}
        self.methods_view: Mapping[str, tuple[Any, Any]] = MappingProxyType(self.methods)
        # The child of a plain ``{x}`` parameter when it is the first alternative here: the
        # greedy descent takes it for any non-empty segment without calling its convertor.
        self.str_param: Node | None = None

    def child(self, kind: int, key: str, matcher: Any) -> Node:
        """The child for a segment spec, created (and the priority order updated) if new."""
        if kind == STATIC:
            node = self.static.get(key)
            if node is None:
                node = self.static[key] = Node()
            return node
        entry = self.children.get((kind, key))
        if entry is None:
            entry = self.children[(kind, key)] = (kind, matcher, Node())
            ordered = sorted(self.children.values(), key=_alt_order)
            self.alts = tuple((kind, match.parse, node) for kind, match, node in ordered)
            first_kind, first_matcher, first_node = ordered[0]
            plain = first_kind == PARAM and type(first_matcher) is StringConvertor
            self.str_param = first_node if plain else None
        return entry[2]


def _alt_order(entry: tuple[int, Any, Node]) -> tuple[int, int]:
    """Pattern segments, tail patterns, parameters (by specificity), then the catch-all."""
    kind, matcher, _ = entry
    order = KIND_ORDER[kind]
    if kind == PARAM:
        return (order, _rank(matcher))
    return (order, 0)  # sorted() is stable: patterns keep registration order
