"""Property tests for the radix router, including a comparison with a brute-force reference."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fasterapi_routing.radix import RadixRouter

# Text that is a valid literal segment: no slash and no braces.
literal = st.text(
    alphabet=st.characters(blacklist_characters="/{}", blacklist_categories=("Cs",)),
    max_size=8,
)
static_path = st.lists(literal, min_size=1, max_size=6).map(lambda segs: "/" + "/".join(segs))


@given(st.lists(static_path, min_size=1, max_size=40))
def test_every_static_route_resolves_to_its_own_first_handler(paths: list[str]) -> None:
    r = RadixRouter()
    for index, path in enumerate(paths):
        r.add_route("GET", path, index)
    for path in paths:
        first = paths.index(path)
        assert r.resolve("GET", path) == (first, {}, None)
        match = r.lookup(path)
        assert match is not None
        assert match.params == {}
        assert dict(match.methods) == {"GET": (first, None)}
        assert r.allowed_methods(path) == {"GET"}
        assert r.resolve("POST", path) is None
    assert len(r) == len(paths)


segment_text = st.text(
    alphabet=st.characters(blacklist_characters="/", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=10,
)


@st.composite
def typed_value(draw: st.DrawFn, convertor: str) -> tuple[str, Any]:
    """URL text for one parameter of the given convertor, and the value it must convert to."""
    if convertor == "int":
        number = draw(st.integers(min_value=0, max_value=10**30))
        text = draw(st.sampled_from([str(number), "0" + str(number)]))
        return text, number
    if convertor == "float":
        whole = draw(st.from_regex(r"[0-9]{1,8}", fullmatch=True))
        fraction = draw(st.from_regex(r"(\.[0-9]{1,8})?", fullmatch=True))
        return whole + fraction, float(whole + fraction)
    if convertor == "uuid":
        value = draw(st.uuids())
        text = str(value)
        return (text.upper() if draw(st.booleans()) else text), value
    if convertor == "path":
        text = draw(st.lists(segment_text | st.just(""), max_size=4).map("/".join))
        return text, text
    text = draw(segment_text)
    return text, text


@st.composite
def param_route(draw: st.DrawFn) -> tuple[str, str, dict[str, Any]]:
    """A route template, a concrete path for it and the parameters that path must give."""
    size = draw(st.integers(min_value=1, max_value=6))
    template: list[str] = []
    concrete: list[str] = []
    expected: dict[str, Any] = {}
    for index in range(size):
        is_last = index == size - 1
        kinds = ["static", "str", "int", "float", "uuid"] + (["path"] if is_last else [])
        kind = draw(st.sampled_from(kinds))
        if kind == "static":
            word = draw(st.from_regex(r"[a-z]{1,6}", fullmatch=True))
            template.append(word)
            concrete.append(word)
            continue
        name = f"p{index}"
        text, value = draw(typed_value(kind))
        template.append(f"{{{name}:{kind}}}")
        concrete.append(text)
        expected[name] = value
    return "/" + "/".join(template), "/" + "/".join(concrete), expected


@given(param_route())
def test_generated_parameter_path_resolves_to_the_generated_values(
    case: tuple[str, str, dict[str, Any]],
) -> None:
    template, path, expected = case
    r = RadixRouter()
    r.add_route("PATCH", template, "h", template)
    result = r.resolve("PATCH", path)
    assert result == ("h", expected, template)
    for name, value in expected.items():
        assert type(result[1][name]) is type(value)
    assert r.allowed_methods(path) == {"PATCH"}


ROUTES = [
    "/",
    "/users",
    "/users/",
    "/users/me",
    "/users/{id:int}",
    "/users/{name}",
    "/users/{id}/posts/{post:uuid}",
    "/files/{name}.{ext}",
    "/files/{p:path}",
    "/v{version:int}/items/{x:float}",
    "/dl/file-{rest:path}",
    "/{anything:path}",
]


def _full_router() -> RadixRouter:
    r = RadixRouter()
    for index, path in enumerate(ROUTES):
        r.add_route("GET" if index % 2 else "POST", path, index)
    return r


FULL = _full_router()


@settings(max_examples=300)
@given(
    st.text() | st.lists(st.text(max_size=6), max_size=8).map(lambda s: "/" + "/".join(s)),
    st.sampled_from(["GET", "POST", "PUT", "get", ""]),
)
def test_lookups_never_raise_on_arbitrary_text(path: str, method: str) -> None:
    result = FULL.resolve(method, path)
    assert result is None or result[0] in range(len(ROUTES))
    match = FULL.lookup(path)
    allowed = FULL.allowed_methods(path)
    assert (match is None) == (not allowed)
    if match is not None:
        assert set(match.methods) <= allowed
    if result is not None:
        assert method in allowed


# --- comparison with a brute-force reference -----------------------------------------------------
#
# Route segments come from a tiny vocabulary so that generated paths hit overlapping routes. The
# reference ranks every route matching the path by a per-segment priority tuple (static 0, int 1,
# str 2, catch-all 3) and keeps the smallest: that is exactly depth-first search with backtracking.

SEGMENT_KINDS = ["a", "b", "", "{int}", "{str}"]
RANK = {"{int}": 1, "{str}": 2, "{path}": 3}


def _template(shape: tuple[str, ...]) -> str:
    out = []
    for index, seg in enumerate(shape):
        if seg.startswith("{"):
            out.append(f"{{p{index}:{seg[1:-1]}}}")
        else:
            out.append(seg)
    return "/" + "/".join(out)


def _reference_match(shape: tuple[str, ...], segments: list[str]) -> tuple[tuple[int, ...], Any]:
    key: list[int] = []
    values: dict[str, Any] = {}
    for index, spec in enumerate(shape):
        if spec == "{path}":
            if index >= len(segments):
                return (), None
            key.append(3)
            values[f"p{index}"] = "/".join(segments[index:])
            return tuple(key), values
        if index >= len(segments):
            return (), None
        seg = segments[index]
        if spec == "{int}":
            if not (seg.isascii() and seg.isdigit()):
                return (), None
            values[f"p{index}"] = int(seg)
        elif spec == "{str}":
            if not seg:
                return (), None
            values[f"p{index}"] = seg
        elif seg != spec:
            return (), None
        key.append(RANK.get(spec, 0))
    if len(shape) != len(segments):
        return (), None
    return tuple(key), values


shapes = st.lists(st.sampled_from(SEGMENT_KINDS), min_size=1, max_size=4).flatmap(
    lambda s: st.sampled_from([tuple(s), (*s, "{path}")])
)
request_paths = st.lists(st.sampled_from(["a", "b", "", "1", "22", "x"]), min_size=1, max_size=6)


@settings(max_examples=400)
@given(
    st.lists(st.tuples(st.sampled_from(["GET", "POST"]), shapes), min_size=1, max_size=12),
    st.lists(request_paths, min_size=1, max_size=8),
)
def test_router_agrees_with_brute_force_priority_reference(
    routes: list[tuple[str, tuple[str, ...]]], requests: list[list[str]]
) -> None:
    r = RadixRouter()
    registered: dict[tuple[str, tuple[str, ...]], int] = {}
    for index, (method, shape) in enumerate(routes):
        r.add_route(method, _template(shape), index)
        registered.setdefault((method, shape), index)
    for segments in requests:
        path = "/" + "/".join(segments)
        matches = []
        for (method, shape), handler in registered.items():
            key, values = _reference_match(shape, segments)
            if key:
                matches.append((key, method, handler, values))
        for method in ("GET", "POST", "PUT"):
            candidates = [m for m in matches if m[1] == method]
            expected = None
            if candidates:
                _, _, handler, values = min(candidates, key=lambda m: m[0])
                expected = (handler, values, None)
            assert r.resolve(method, path) == expected
        assert r.allowed_methods(path) == {m[1] for m in matches}
        match = r.lookup(path)
        if not matches:
            assert match is None
        else:
            best = min(m[0] for m in matches)
            assert match is not None
            assert set(match.methods) == {m[1] for m in matches if m[0] == best}
            assert match.params == next(m[3] for m in matches if m[0] == best)


@given(st.uuids(), st.integers(min_value=0), segment_text)
def test_routes_sharing_nodes_keep_names_for_random_values(
    some: uuid.UUID, number: int, text: str
) -> None:
    r = RadixRouter()
    r.add_route("GET", "/x/{a:uuid}/{b:int}/{c}", "get")
    r.add_route("PUT", "/x/{u:uuid}/{n:int}/{s}", "put")
    path = f"/x/{some}/{number}/{text}"
    assert r.resolve("GET", path) == ("get", {"a": some, "b": number, "c": text}, None)
    assert r.resolve("PUT", path) == ("put", {"u": some, "n": number, "s": text}, None)
