"""Radix-tree URL router keyed by path segments.

Every route path is split on ``/`` into segments and stored in a tree. A node's children are tried
in priority order: the static child (dict lookup), then pattern segments (``{name}.{ext}``,
``v{version:int}``, then ``prefix{rest:path}`` which takes the rest of the path), then
whole-segment parameters (``{id:int}``, ``{id:float}``, ``{id:uuid}``, custom convertors, then
``{id}``), then the catch-all ``{rest:path}``. Pattern segments keep registration order. The
search is an iterative depth-first walk with backtracking, so a lookup costs O(path segments) in
the usual case and never recurses. Fully static routes also sit in a flat dict for a one-probe hit.

Paths are matched as given (the ASGI ``path``, already percent-decoded); ``/items`` and
``/items/`` are distinct; methods are matched case-sensitively (register them in any case, they
are upper-cased; ASGI gives upper-case methods).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .convertors import (
    CONVERTORS,
    NO_MATCH,
    Convertor,
)
from .radix_nodes import Endpoint, Node
from .segments import (
    CATCHALL,
    PARAM,
    PATTERN,
    STATIC,
    TAIL,
    parse_path_params,
    parse_segments,
)

__all__ = ["RadixMatch", "RadixRouter", "parse_path_params"]


class RadixMatch:
    """Result of :meth:`RadixRouter.lookup`: the first route node matching a path, any method.

    ``methods`` maps each method of that node to ``(handler, metadata)`` in registration order;
    ``params`` uses the parameter names of the node's first-registered route (routes sharing a
    node may name parameters differently: use :meth:`params_for` for a given method).
    """

    __slots__ = ("_endpoints", "_values", "methods", "params")

    def __init__(self, node: Node, values: list[Any]) -> None:
        self._endpoints = node.endpoints
        self._values = tuple(values)
        self.methods: Mapping[str, tuple[Any, Any]] = node.methods_view
        first = next(iter(node.endpoints.values()))
        self.params: dict[str, Any] = dict(zip(first.names, self._values, strict=True))

    def params_for(self, method: str) -> dict[str, Any]:
        """Converted parameters named as the route registered for ``method`` names them."""
        endpoint = self._endpoints[method]
        return dict(zip(endpoint.names, self._values, strict=True))

    def __repr__(self) -> str:
        return f"RadixMatch(methods={sorted(self.methods)!r}, params={self.params!r})"


class RadixRouter:
    """Segment-keyed radix tree mapping ``(method, path)`` to ``(handler, params, metadata)``."""

    __slots__ = (
        "_catchall",
        "_convertors",
        "_max_depth",
        "_root",
        "_routes",
        "_static",
        "_tails",
    )

    def __init__(self, convertors: Mapping[str, Convertor] | None = None) -> None:
        self._convertors = CONVERTORS if convertors is None else convertors
        self._root = Node()
        self._routes: list[tuple[str, str, Any, Any]] = []
        # Fully static paths: path -> node, probed before walking the tree.
        self._static: dict[str, Node] = {}
        # Static prefixes of routes ending in one plain ``{x}`` ("/users/" for /users/{id}) ->
        # the prefix's node: its ``str_param`` child answers "/users/42" in one probe.
        self._tails: dict[str, Node] = {}
        self._max_depth = 0  # most segments of any route without a catch-all
        self._catchall = False  # any route ending in {x:path}?

    def add_route(self, method: str, path: str, handler: Any, metadata: Any = None) -> None:
        """Register ``handler`` for ``method`` and ``path``; the first registration of a shape wins.

        Raises ``ValueError`` for an empty method or a malformed path (unbalanced braces, empty,
        invalid or duplicate parameter names, unknown convertor, ``{x:path}`` not at the end).
        """
        if not isinstance(method, str) or not method or method == "*":
            raise ValueError(f"invalid HTTP method: {method!r}")
        method = method.upper()
        specs, names = parse_segments(path, self._convertors)
        node = parent = self._root
        for kind, key, matcher in specs:
            parent, node = node, node.child(kind, key, matcher)
        if specs[-1][0] in (CATCHALL, TAIL):
            self._catchall = True
        else:
            self._max_depth = max(self._max_depth, len(specs))
        if all(kind == STATIC for kind, _, _ in specs):
            self._static[path] = node
        elif all(kind == STATIC for kind, _, _ in specs[:-1]) and specs[-1][0] == PARAM:
            self._tails[path[: path.rfind("/")]] = parent  # "/users/{id}" -> "/users"
        self._routes.append((method, path, handler, metadata))
        if method not in node.endpoints:
            node.endpoints[method] = Endpoint(handler, metadata, tuple(names))
            node.methods[method] = (handler, metadata)

    def routes(self) -> list[tuple[str, str, Any, Any]]:
        """Every registration as ``(method, path, handler, metadata)``, in registration order."""
        return list(self._routes)

    def __len__(self) -> int:
        return len(self._routes)

    def resolve(self, method: str, path: str) -> tuple[Any, dict[str, Any], Any] | None:
        """Return ``(handler, path_params, metadata)`` of the first route matching both, or None."""
        node = self._static.get(path)
        if node is not None:
            endpoint = node.endpoints.get(method)
            if endpoint is not None:
                return endpoint.handler, {}, endpoint.metadata
        # "/prefix/{x}": the greedy descent below would take the static prefix, then the plain
        # {x} child (a static child of the same name with this method is in _static above).
        prefix, slash, last = path.rpartition("/")
        node = self._tails.get(prefix)
        if node is not None and slash:
            child = node.str_param
            if child is not None and last:
                endpoint = child.endpoints.get(method)
                if endpoint is not None:
                    return endpoint.handler, {endpoint.names[0]: last}, endpoint.metadata
        if path[:1] == "/":
            # The usual route shape, static segments and plain {x} parameters, walked inline:
            # the first step of _search's greedy descent, without its other alternatives.
            node = self._root
            values: list[Any] = []
            for segment in path[1:].split("/"):
                child = node.static.get(segment)
                if child is None:
                    child = node.str_param
                    if child is None or not segment:
                        break
                    values.append(segment)
                node = child
            else:
                endpoint = node.endpoints.get(method)
                if endpoint is not None:
                    names = endpoint.names
                    if len(names) == 1:
                        return endpoint.handler, {names[0]: values[0]}, endpoint.metadata
                    params = dict(zip(names, values, strict=False))
                    return endpoint.handler, params, endpoint.metadata
        found = self._search(path, method, None)
        if found is None:
            return None
        node, values = found
        endpoint = node.endpoints[method]
        names = endpoint.names
        if len(names) == 1:
            return endpoint.handler, {names[0]: values[0]}, endpoint.metadata
        return endpoint.handler, dict(zip(names, values, strict=False)), endpoint.metadata

    def tail_routes(self) -> dict[str, dict[str, tuple[Any, str]]]:
        """``prefix -> method -> (handler, parameter name)`` for routes ``prefix + "/{x}"``
        (static prefix, one plain parameter last) that :meth:`resolve` answers for a path
        ``prefix + "/" + segment`` (segment non-empty, without ``/``; so ``prefix, "/", segment
        == path.rpartition("/")``) when no fully static route has that path and method."""
        table: dict[str, dict[str, tuple[Any, str]]] = {}
        for prefix, node in self._tails.items():
            child = node.str_param
            if child is not None:
                table[prefix] = {
                    method: (endpoint.handler, endpoint.names[0])
                    for method, endpoint in child.endpoints.items()
                }
        return table

    def lookup(self, path: str) -> RadixMatch | None:
        """The first route node (priority order, backtracking) matching ``path`` with any method."""
        node = self._static.get(path)
        if node is not None and node.endpoints:
            return RadixMatch(node, [])
        found = self._search(path, None, None)
        return None if found is None else RadixMatch(*found)

    def allowed_methods(self, path: str) -> frozenset[str]:
        """Union of the methods of every route matching ``path`` (for 405 and ``Allow``)."""
        collected: set[str] = set()
        self._search(path, None, collected)
        return frozenset(collected)

    def _search(
        self, path: str, method: str | None, collect: set[str] | None
    ) -> tuple[Node, list[Any]] | None:
        """Find the first node (priority order) having ``method`` (any method when None).

        With ``collect``, every matching node's methods are added to it and None is returned.
        """
        if not path.startswith("/"):
            return None
        segments = path[1:].split("/")
        if len(segments) > self._max_depth and not self._catchall:
            return None
        if collect is None:
            # Greedy descent along the first alternative at each level: this is the walk's first
            # candidate, so when it succeeds it is the answer and no frames are needed.
            node = self._root
            values: list[Any] = []
            for depth, segment in enumerate(segments):
                child = node.static.get(segment)
                if child is None and segment:
                    child = node.str_param  # segments never hold "/": a plain {x} matches
                    if child is not None:
                        values.append(segment)
                if child is None:
                    for kind, parse, candidate in node.alts:
                        if kind == 1:  # PARAM
                            value = parse(segment)
                            if value is not NO_MATCH:
                                values.append(value)
                                child = candidate
                                break
                        elif kind == 2:  # PATTERN
                            parsed = parse(segment)
                            if parsed is not None:
                                values.extend(parsed)
                                child = candidate
                                break
                        else:  # first terminal alternative: decides the greedy attempt
                            captured = _terminal(kind, parse, segments, depth)
                            endpoints = candidate.endpoints
                            if (
                                captured is not None
                                and endpoints
                                and (method is None or method in endpoints)
                            ):
                                values.extend(captured)
                                return candidate, values
                            return self._walk(segments, method, None)
                    if child is None:
                        return None if node is self._root else self._walk(segments, method, None)
                node = child
            endpoints = node.endpoints
            if endpoints and (method is None or method in endpoints):
                return node, values
        return self._walk(segments, method, collect)

    def _walk(
        self, segments: list[str], method: str | None, collect: set[str] | None
    ) -> tuple[Node, list[Any]] | None:
        """Iterative depth-first walk in priority order, with backtracking."""
        size = len(segments)
        values: list[Any] = []
        # One frame per consumed segment: frame i holds the node reached after i segments, the
        # next alternative to try there (0 = static child), and len(values) on entry.
        nodes: list[Node] = [self._root]
        stages: list[int] = [0]
        marks: list[int] = [0]
        while nodes:
            node = nodes[-1]
            depth = len(nodes) - 1
            if depth == size:
                endpoints = node.endpoints
                if endpoints:
                    if collect is not None:
                        collect.update(endpoints)
                    elif method is None or method in endpoints:
                        return node, values
                nodes.pop()
                stages.pop()
                del values[marks.pop() :]
                continue
            segment = segments[depth]
            stage = stages[-1]
            if stage == 0:
                stage = stages[-1] = 1
                child = node.static.get(segment)
                if child is not None:
                    nodes.append(child)
                    stages.append(0)
                    marks.append(len(values))
                    continue
            alts = node.alts
            pushed = False
            while stage <= len(alts):
                kind, parse, child = alts[stage - 1]
                stage += 1
                if kind == PARAM:
                    value = parse(segment)
                    if value is NO_MATCH:
                        continue
                    captured: list[Any] = [value]
                elif kind == PATTERN:
                    captured = parse(segment)
                    if captured is None:
                        continue
                else:  # terminal node: consumes the rest of the path
                    rest = _terminal(kind, parse, segments, depth)
                    endpoints = child.endpoints
                    if rest is not None and endpoints:
                        if collect is not None:
                            collect.update(endpoints)
                        elif method is None or method in endpoints:
                            values.extend(rest)
                            return child, values
                    continue
                stages[-1] = stage
                marks.append(len(values))
                values.extend(captured)
                nodes.append(child)
                stages.append(0)
                pushed = True
                break
            if not pushed:
                nodes.pop()
                stages.pop()
                del values[marks.pop() :]
        return None


def _terminal(
    kind: int, parse: Callable[[str], Any], segments: list[str], depth: int
) -> list[Any] | None:
    """Captures of a catch-all (``{x:path}``) or tail pattern on the rest of the path."""
    rest = "/".join(segments[depth:])
    if kind == CATCHALL:
        return [rest]
    parsed: list[Any] | None = parse(rest)
    return parsed
