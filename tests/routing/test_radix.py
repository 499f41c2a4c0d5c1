"""Behaviour of the segment radix router: converters, priority, backtracking, 405 helpers."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from fasterapi_routing.convertors import (
    CONVERTORS,
    NO_MATCH,
    Convertor,
    FloatConvertor,
    IntegerConvertor,
    PathConvertor,
    StringConvertor,
    UUIDConvertor,
    register_convertor,
)
from fasterapi_routing.radix import RadixMatch, RadixRouter, parse_path_params


def router(*routes: tuple[str, str, Any]) -> RadixRouter:
    r = RadixRouter()
    for method, path, handler in routes:
        r.add_route(method, path, handler)
    return r


# --- basics -----------------------------------------------------------------------------------


def test_static_routes_resolve_with_metadata_and_empty_params() -> None:
    r = RadixRouter()
    r.add_route("GET", "/", "root", metadata={"name": "root"})
    r.add_route("GET", "/items", "items", metadata=1)
    r.add_route("POST", "/items", "create", metadata=2)
    assert r.resolve("GET", "/") == ("root", {}, {"name": "root"})
    assert r.resolve("GET", "/items") == ("items", {}, 1)
    assert r.resolve("POST", "/items") == ("create", {}, 2)
    assert r.resolve("PUT", "/items") is None
    assert r.resolve("GET", "/nothing") is None


def test_static_resolution_returns_a_fresh_params_dict() -> None:
    r = router(("GET", "/a", "h"))
    first = r.resolve("GET", "/a")
    assert first is not None
    first[1]["x"] = 1
    assert r.resolve("GET", "/a") == ("h", {}, None)


def test_method_is_upper_cased_at_registration_and_case_sensitive_at_resolve() -> None:
    r = router(("get", "/a", "h"))
    assert r.resolve("GET", "/a") == ("h", {}, None)
    assert r.resolve("get", "/a") is None
    assert r.routes() == [("GET", "/a", "h", None)]


@pytest.mark.parametrize("method", ["", "*"])
def test_invalid_methods_raise(method: str) -> None:
    with pytest.raises(ValueError, match="invalid HTTP method"):
        RadixRouter().add_route(method, "/a", "h")


def test_trailing_slash_is_a_different_path() -> None:
    r = router(("GET", "/items", "no-slash"), ("GET", "/items/", "slash"))
    assert r.resolve("GET", "/items") == ("no-slash", {}, None)
    assert r.resolve("GET", "/items/") == ("slash", {}, None)
    only = router(("GET", "/items", "no-slash"))
    assert only.resolve("GET", "/items/") is None
    assert only.lookup("/items/") is None
    assert only.allowed_methods("/items/") == frozenset()


def test_root_is_distinct_from_empty_and_relative_paths() -> None:
    r = router(("GET", "/", "root"), ("GET", "/{x}", "param"))
    assert r.resolve("GET", "/") == ("root", {}, None)
    assert r.resolve("GET", "") is None
    assert r.resolve("GET", "x") is None
    assert r.resolve("GET", "/x") == ("param", {"x": "x"}, None)


def test_double_slash_never_matches_a_parameter() -> None:
    r = router(("GET", "/{a}", "one"), ("GET", "/{a}/{b}", "two"), ("GET", "/a//b", "literal"))
    assert r.resolve("GET", "//") is None
    assert r.resolve("GET", "/x//") is None
    assert r.resolve("GET", "//x") is None
    assert r.resolve("GET", "/x/y") == ("two", {"a": "x", "b": "y"}, None)
    assert r.resolve("GET", "/a//b") == ("literal", {}, None)
    assert r.allowed_methods("//") == frozenset()


def test_routes_lists_registrations_in_order_and_len_counts_them() -> None:
    r = RadixRouter()
    assert len(r) == 0
    r.add_route("GET", "/b", "b", "mb")
    r.add_route("POST", "/a/{id:int}", "a", "ma")
    r.add_route("GET", "/b", "dup", "md")
    assert r.routes() == [
        ("GET", "/b", "b", "mb"),
        ("POST", "/a/{id:int}", "a", "ma"),
        ("GET", "/b", "dup", "md"),
    ]
    assert len(r) == 3
    r.routes().clear()
    assert len(r.routes()) == 3


def test_first_registration_of_a_shape_wins() -> None:
    r = RadixRouter()
    r.add_route("GET", "/users/{id}", "first", "m1")
    r.add_route("GET", "/users/{user_id}", "second", "m2")
    r.add_route("GET", "/static", "s1")
    r.add_route("GET", "/static", "s2")
    assert r.resolve("GET", "/users/7") == ("first", {"id": "7"}, "m1")
    assert r.resolve("GET", "/static") == ("s1", {}, None)


def test_unicode_segments() -> None:
    r = router(("GET", "/café/ünï", "static"), ("GET", "/tag/{name}", "param"))
    assert r.resolve("GET", "/café/ünï") == ("static", {}, None)
    assert r.resolve("GET", "/cafe/uni") is None
    assert r.resolve("GET", "/tag/日本語") == ("param", {"name": "日本語"}, None)
    assert r.resolve("GET", "/tag/emoji 🚀") == ("param", {"name": "emoji 🚀"}, None)


def test_values_are_not_percent_decoded_again() -> None:
    r = router(("GET", "/f/{name}", "h"))
    assert r.resolve("GET", "/f/a%2Fb") == ("h", {"name": "a%2Fb"}, None)
    assert r.resolve("GET", "/f/a b?c#d") == ("h", {"name": "a b?c#d"}, None)
    assert r.resolve("GET", "/f/line\nbreak") == ("h", {"name": "line\nbreak"}, None)
    assert r.resolve("GET", "/f/a/b") is None


# --- converters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("42", 42), ("0", 0), ("007", 7), ("18446744073709551616", 2**64)],
)
def test_int_converter_matches(text: str, expected: int) -> None:
    r = router(("GET", "/n/{id:int}", "h"))
    result = r.resolve("GET", f"/n/{text}")
    assert result == ("h", {"id": expected}, None)
    assert type(result[1]["id"]) is int


@pytest.mark.parametrize("text", ["-1", "+1", "4.2", "abc", "1a", " 1", "²", "٣", "1_000", ""])
def test_int_converter_rejects(text: str) -> None:
    r = router(("GET", "/n/{id:int}", "h"))
    assert r.resolve("GET", f"/n/{text}") is None


def test_int_converter_with_more_digits_than_python_allows_does_not_raise() -> None:
    r = router(("GET", "/n/{id:int}", "int"))
    assert r.resolve("GET", "/n/" + "9" * 10_000) is None
    fallback = router(("GET", "/n/{id:int}", "int"), ("GET", "/n/{id}", "str"))
    assert fallback.resolve("GET", "/n/" + "9" * 10_000) == ("str", {"id": "9" * 10_000}, None)


@pytest.mark.parametrize(("text", "expected"), [("3.14", 3.14), ("3", 3.0), ("0.5", 0.5)])
def test_float_converter_matches(text: str, expected: float) -> None:
    r = router(("GET", "/f/{x:float}", "h"))
    result = r.resolve("GET", f"/f/{text}")
    assert result == ("h", {"x": expected}, None)
    assert type(result[1]["x"]) is float


@pytest.mark.parametrize("text", ["3.", ".5", "1e5", "-1.0", "nan", "inf", "1,5", "1.2.3", ""])
def test_float_converter_rejects(text: str) -> None:
    r = router(("GET", "/f/{x:float}", "h"))
    assert r.resolve("GET", f"/f/{text}") is None


@pytest.mark.parametrize(
    "text",
    ["1b4e28ba-2fa1-11d2-883f-0016a3c2b4d1", "1B4E28BA-2FA1-11D2-883F-0016A3C2B4D1"],
)
def test_uuid_converter_matches_any_case(text: str) -> None:
    r = router(("GET", "/u/{id:uuid}", "h"))
    assert r.resolve("GET", f"/u/{text}") == (
        "h",
        {"id": uuid.UUID("1b4e28ba-2fa1-11d2-883f-0016a3c2b4d1")},
        None,
    )


@pytest.mark.parametrize(
    "text",
    [
        "1b4e28ba2fa111d2883f0016a3c2b4d1",
        "{1b4e28ba-2fa1-11d2-883f-0016a3c2b4d1}",
        "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016a3c2b4d1",
        "1b4e28ba-2fa1-11d2-883f-0016a3c2b4d",
        "1b4e28ba-2fa1-11d2-883f0-016a3c2b4d1",
        "1b4e28ba-2fa1-11d2-883f-0016a3c2b4g1",
        "1b4e28ba-2fa1-11d2-883f-0016a3c2b4d1 ",
    ],
)
def test_uuid_converter_rejects(text: str) -> None:
    r = router(("GET", "/u/{id:uuid}", "h"))
    assert r.resolve("GET", f"/u/{text}") is None


def test_str_converter_explicit_and_default_are_the_same_shape() -> None:
    r = RadixRouter()
    r.add_route("GET", "/s/{a:str}", "explicit")
    r.add_route("POST", "/s/{b}", "default")
    assert r.resolve("GET", "/s/x") == ("explicit", {"a": "x"}, None)
    assert r.resolve("POST", "/s/x") == ("default", {"b": "x"}, None)
    assert r.allowed_methods("/s/x") == {"GET", "POST"}


def test_path_converter_captures_the_rest_including_slashes_and_empty() -> None:
    r = router(("GET", "/static/{p:path}", "h"))
    assert r.resolve("GET", "/static/a/b/c.css") == ("h", {"p": "a/b/c.css"}, None)
    assert r.resolve("GET", "/static/") == ("h", {"p": ""}, None)
    assert r.resolve("GET", "/static/a//b/") == ("h", {"p": "a//b/"}, None)
    assert r.resolve("GET", "/static") is None
    assert r.resolve("GET", "/other/a") is None


def test_path_converter_at_root() -> None:
    r = router(("GET", "/{p:path}", "h"))
    assert r.resolve("GET", "/") == ("h", {"p": ""}, None)
    assert r.resolve("GET", "/a/b") == ("h", {"p": "a/b"}, None)
    assert r.resolve("GET", "//") == ("h", {"p": "/"}, None)


def test_path_converter_after_other_parameters() -> None:
    r = router(("GET", "/repo/{owner}/{n:int}/{rest:path}", "h"))
    assert r.resolve("GET", "/repo/me/3/src/x.py") == (
        "h",
        {"owner": "me", "n": 3, "rest": "src/x.py"},
        None,
    )


def test_custom_convertor_per_router() -> None:
    class Hex(Convertor):
        regex = "[0-9a-f]+"

        def convert(self, value: str) -> Any:
            return int(value, 16)

    table = {**CONVERTORS, "hex": Hex()}
    r = RadixRouter(convertors=table)
    r.add_route("GET", "/c/{n:hex}", "whole")
    r.add_route("GET", "/p/0x{n:hex}", "pattern")
    assert r.resolve("GET", "/c/ff") == ("whole", {"n": 255}, None)
    assert r.resolve("GET", "/c/zz") is None
    assert r.resolve("GET", "/p/0x1f") == ("pattern", {"n": 31}, None)
    with pytest.raises(ValueError, match="unknown convertor 'hex'"):
        RadixRouter().add_route("GET", "/c/{n:hex}", "h")


def test_register_convertor_makes_it_available_globally() -> None:
    class Upper(Convertor):
        regex = "[A-Z]+"

    register_convertor("upper", Upper())
    try:
        r = router(("GET", "/x/{code:upper}", "h"))
        assert r.resolve("GET", "/x/ABC") == ("h", {"code": "ABC"}, None)
        assert r.resolve("GET", "/x/abc") is None
    finally:
        del CONVERTORS["upper"]
    with pytest.raises(ValueError, match="cannot replace"):
        register_convertor("str", Upper())
    with pytest.raises(ValueError, match="identifier"):
        register_convertor("not valid", Upper())


def test_convertor_parse_and_to_string() -> None:
    assert IntegerConvertor().parse("12") == 12
    assert IntegerConvertor().parse("x") is NO_MATCH
    assert IntegerConvertor().to_string(5) == "5"
    with pytest.raises(ValueError):
        IntegerConvertor().to_string(-5)
    assert FloatConvertor().to_string(2.5) == "2.5"
    assert FloatConvertor().to_string(1e20) == "100000000000000000000.000000"
    assert FloatConvertor().parse(FloatConvertor().to_string(1e20)) == 1e20
    with pytest.raises(ValueError):
        FloatConvertor().to_string(float("nan"))
    value = uuid.uuid4()
    assert UUIDConvertor().to_string(value) == str(value)
    assert UUIDConvertor().parse(str(value)) == value
    assert StringConvertor().to_string("a b") == "a b"
    with pytest.raises(ValueError):
        StringConvertor().to_string("a/b")
    assert PathConvertor().parse("") == ""
    assert PathConvertor().to_string("a/b") == "a/b"
    assert repr(NO_MATCH) == "NO_MATCH"


# --- priority and backtracking ----------------------------------------------------------------


@pytest.mark.parametrize("static_first", [True, False])
def test_static_beats_parameter_whatever_the_registration_order(static_first: bool) -> None:
    routes = [("GET", "/users/me", "me"), ("GET", "/users/{id}", "by-id")]
    r = router(*(routes if static_first else routes[::-1]))
    assert r.resolve("GET", "/users/me") == ("me", {}, None)
    assert r.resolve("GET", "/users/you") == ("by-id", {"id": "you"}, None)


@pytest.mark.parametrize("typed_first", [True, False])
def test_typed_parameters_are_tried_before_str(typed_first: bool) -> None:
    routes = [
        ("GET", "/i/{n:int}", "int"),
        ("GET", "/i/{f:float}", "float"),
        ("GET", "/i/{u:uuid}", "uuid"),
        ("GET", "/i/{s}", "str"),
    ]
    r = router(*(routes if typed_first else routes[::-1]))
    some = "1b4e28ba-2fa1-11d2-883f-0016a3c2b4d1"
    assert r.resolve("GET", "/i/12") == ("int", {"n": 12}, None)
    assert r.resolve("GET", "/i/1.5") == ("float", {"f": 1.5}, None)
    assert r.resolve("GET", f"/i/{some}") == ("uuid", {"u": uuid.UUID(some)}, None)
    assert r.resolve("GET", "/i/abc") == ("str", {"s": "abc"}, None)


def test_pattern_segment_beats_parameter_and_loses_to_static() -> None:
    r = router(
        ("GET", "/files/{name}", "param"),
        ("GET", "/files/{name}.{ext}", "pattern"),
        ("GET", "/files/index.html", "static"),
    )
    assert r.resolve("GET", "/files/index.html") == ("static", {}, None)
    assert r.resolve("GET", "/files/a.txt") == ("pattern", {"name": "a", "ext": "txt"}, None)
    assert r.resolve("GET", "/files/README") == ("param", {"name": "README"}, None)


def test_parameter_beats_catch_all_and_catch_all_takes_the_rest() -> None:
    r = router(
        ("GET", "/a/{p:path}", "catch"),
        ("GET", "/a/{x}", "param"),
        ("GET", "/a/special", "static"),
    )
    assert r.resolve("GET", "/a/special") == ("static", {}, None)
    assert r.resolve("GET", "/a/b") == ("param", {"x": "b"}, None)
    assert r.resolve("GET", "/a/b/c") == ("catch", {"p": "b/c"}, None)
    assert r.resolve("GET", "/a/special/c") == ("catch", {"p": "special/c"}, None)
    assert r.resolve("GET", "/a/") == ("catch", {"p": ""}, None)


def test_backtracking_from_a_static_branch_to_a_parameter_branch() -> None:
    r = router(("GET", "/users/me/profile", "profile"), ("GET", "/users/{id}/posts", "posts"))
    assert r.resolve("GET", "/users/me/posts") == ("posts", {"id": "me"}, None)
    assert r.resolve("GET", "/users/me/profile") == ("profile", {}, None)
    assert r.resolve("GET", "/users/you/profile") is None
    match = r.lookup("/users/me/posts")
    assert match is not None
    assert match.params == {"id": "me"}


def test_backtracking_from_a_typed_parameter_to_str_discards_converted_values() -> None:
    r = router(("GET", "/items/{id:int}/a", "int-a"), ("GET", "/items/{name}/b", "str-b"))
    assert r.resolve("GET", "/items/5/a") == ("int-a", {"id": 5}, None)
    assert r.resolve("GET", "/items/5/b") == ("str-b", {"name": "5"}, None)


def test_backtracking_several_levels_into_a_catch_all() -> None:
    r = router(
        ("GET", "/a/b/c/d", "deep"),
        ("GET", "/a/{x}/c/e", "param"),
        ("GET", "/a/{p:path}", "catch"),
        ("GET", "/{p:path}", "root-catch"),
    )
    assert r.resolve("GET", "/a/b/c/d") == ("deep", {}, None)
    assert r.resolve("GET", "/a/b/c/e") == ("param", {"x": "b"}, None)
    assert r.resolve("GET", "/a/b/c/f") == ("catch", {"p": "b/c/f"}, None)
    assert r.resolve("GET", "/z/b") == ("root-catch", {"p": "z/b"}, None)


def test_pattern_segments_at_one_node_keep_registration_order() -> None:
    r = router(("GET", "/p/{a}.{b}", "dot"), ("GET", "/p/{a}-{b}", "dash"))
    assert r.resolve("GET", "/p/x.y") == ("dot", {"a": "x", "b": "y"}, None)
    assert r.resolve("GET", "/p/x-y") == ("dash", {"a": "x", "b": "y"}, None)
    assert r.resolve("GET", "/p/x-y.z") == ("dot", {"a": "x-y", "b": "z"}, None)
    reverse = router(("GET", "/p/{a}-{b}", "dash"), ("GET", "/p/{a}.{b}", "dot"))
    assert reverse.resolve("GET", "/p/x-y.z") == ("dash", {"a": "x", "b": "y.z"}, None)


def test_resolve_is_method_aware() -> None:
    r = router(("POST", "/x/me", "post-me"), ("GET", "/x/{id}", "get-id"))
    assert r.resolve("GET", "/x/me") == ("get-id", {"id": "me"}, None)
    assert r.resolve("POST", "/x/me") == ("post-me", {}, None)
    assert r.resolve("POST", "/x/you") is None
    assert r.resolve("DELETE", "/x/me") is None


def test_resolve_is_method_aware_with_catch_all_and_deep_backtracking() -> None:
    r = router(
        ("GET", "/a/b/c", "get-static"),
        ("POST", "/a/{x}/c", "post-param"),
        ("PUT", "/a/{rest:path}", "put-catch"),
    )
    assert r.resolve("GET", "/a/b/c") == ("get-static", {}, None)
    assert r.resolve("POST", "/a/b/c") == ("post-param", {"x": "b"}, None)
    assert r.resolve("PUT", "/a/b/c") == ("put-catch", {"rest": "b/c"}, None)
    assert r.resolve("PATCH", "/a/b/c") is None
    assert r.allowed_methods("/a/b/c") == {"GET", "POST", "PUT"}
    assert r.allowed_methods("/a/z/c") == {"POST", "PUT"}
    assert r.allowed_methods("/a/z/z") == {"PUT"}


# --- 405 helpers --------------------------------------------------------------------------------


def test_lookup_returns_the_first_matching_node_with_its_methods() -> None:
    r = RadixRouter()
    r.add_route("POST", "/x/me", "post-me", "pm")
    r.add_route("PUT", "/x/me", "put-me", "um")
    r.add_route("GET", "/x/{id:int}", "get-id", "gm")
    match = r.lookup("/x/me")
    assert isinstance(match, RadixMatch)
    assert match.params == {}
    assert dict(match.methods) == {"POST": ("post-me", "pm"), "PUT": ("put-me", "um")}
    assert list(match.methods) == ["POST", "PUT"]
    number = r.lookup("/x/42")
    assert number is not None
    assert number.params == {"id": 42}
    assert dict(number.methods) == {"GET": ("get-id", "gm")}
    assert r.lookup("/x/abc") is None
    assert r.lookup("/y") is None
    assert repr(number) == "RadixMatch(methods=['GET'], params={'id': 42})"


def test_lookup_methods_mapping_is_read_only_and_match_has_slots() -> None:
    r = router(("GET", "/a", "h"))
    match = r.lookup("/a")
    assert match is not None
    with pytest.raises(TypeError):
        match.methods["POST"] = ("x", None)  # type: ignore[index]
    assert not hasattr(match, "__dict__")


def test_lookup_skips_nodes_without_endpoints() -> None:
    r = router(("GET", "/a/b/c", "deep"), ("GET", "/a/{x}", "param"))
    match = r.lookup("/a/b")
    assert match is not None
    assert match.params == {"x": "b"}
    assert dict(match.methods) == {"GET": ("param", None)}


def test_allowed_methods_is_the_union_over_every_matching_route() -> None:
    r = router(
        ("GET", "/x/me", "a"),
        ("POST", "/x/{id}", "b"),
        ("DELETE", "/x/{id:int}", "c"),
        ("PATCH", "/x/{p:path}", "d"),
        ("PUT", "/y", "e"),
    )
    assert r.allowed_methods("/x/me") == frozenset({"GET", "POST", "PATCH"})
    assert r.allowed_methods("/x/7") == frozenset({"POST", "DELETE", "PATCH"})
    assert r.allowed_methods("/x/7/8") == frozenset({"PATCH"})
    assert r.allowed_methods("/y") == frozenset({"PUT"})
    assert r.allowed_methods("/z") == frozenset()
    assert r.allowed_methods("no-slash") == frozenset()
    assert isinstance(r.allowed_methods("/y"), frozenset)


def test_routes_sharing_a_node_keep_their_own_parameter_names() -> None:
    r = RadixRouter()
    r.add_route("GET", "/users/{id}", "get")
    r.add_route("DELETE", "/users/{user_id}", "delete")
    r.add_route("GET", "/files/{a}.{b}", "get-file")
    r.add_route("PUT", "/files/{stem}.{suffix}", "put-file")
    assert r.resolve("GET", "/users/1") == ("get", {"id": "1"}, None)
    assert r.resolve("DELETE", "/users/1") == ("delete", {"user_id": "1"}, None)
    assert r.resolve("PUT", "/files/x.y") == ("put-file", {"stem": "x", "suffix": "y"}, None)
    match = r.lookup("/users/1")
    assert match is not None
    assert match.params == {"id": "1"}
    assert match.params_for("DELETE") == {"user_id": "1"}
    assert match.params_for("GET") == {"id": "1"}
    assert set(match.methods) == {"GET", "DELETE"}


def test_different_converters_do_not_share_a_node() -> None:
    r = router(("GET", "/u/{id:int}", "int"), ("POST", "/u/{id}", "str"))
    assert r.resolve("GET", "/u/1") == ("int", {"id": 1}, None)
    assert r.resolve("POST", "/u/1") == ("str", {"id": "1"}, None)
    assert r.resolve("GET", "/u/x") is None
    assert r.allowed_methods("/u/1") == {"GET", "POST"}
    assert r.allowed_methods("/u/x") == {"POST"}


# --- pattern segments ---------------------------------------------------------------------------


def test_pattern_segment_with_typed_parameter() -> None:
    r = router(("GET", "/v{version:int}/items", "h"))
    assert r.resolve("GET", "/v2/items") == ("h", {"version": 2}, None)
    assert r.resolve("GET", "/v/items") is None
    assert r.resolve("GET", "/vx/items") is None
    assert r.resolve("GET", "/v2") is None


def test_pattern_segment_name_and_extension() -> None:
    r = router(("GET", "/files/{name}.{ext}", "h"))
    assert r.resolve("GET", "/files/report.pdf") == ("h", {"name": "report", "ext": "pdf"}, None)
    assert r.resolve("GET", "/files/a.b.c") == ("h", {"name": "a.b", "ext": "c"}, None)
    assert r.resolve("GET", "/files/.pdf") is None
    assert r.resolve("GET", "/files/noext") is None


def test_pattern_segment_literals_are_not_regex() -> None:
    r = router(("GET", "/r/a+{x}(.*)", "h"))
    assert r.resolve("GET", "/r/a+b(.*)") == ("h", {"x": "b"}, None)
    assert r.resolve("GET", "/r/aab(zz)") is None


def test_pattern_segment_with_uuid_and_float() -> None:
    some = "1b4e28ba-2fa1-11d2-883f-0016a3c2b4d1"
    r = router(("GET", "/o/order-{id:uuid}", "u"), ("GET", "/m/{lat:float},{lon:float}", "f"))
    assert r.resolve("GET", f"/o/order-{some}") == ("u", {"id": uuid.UUID(some)}, None)
    assert r.resolve("GET", "/o/order-xyz") is None
    assert r.resolve("GET", "/m/1.5,2") == ("f", {"lat": 1.5, "lon": 2.0}, None)
    assert r.resolve("GET", "/m/1.5,-2") is None


def test_pattern_segment_int_overflowing_digits_limit_does_not_raise() -> None:
    r = router(("GET", "/v{n:int}", "h"))
    assert r.resolve("GET", "/v" + "1" * 10_000) is None


def test_tail_pattern_ending_in_path_converter() -> None:
    r = router(("GET", "/dl/file-{rest:path}", "tail"), ("GET", "/dl/{name}", "param"))
    assert r.resolve("GET", "/dl/file-a/b") == ("tail", {"rest": "a/b"}, None)
    assert r.resolve("GET", "/dl/file-") == ("tail", {"rest": ""}, None)
    assert r.resolve("GET", "/dl/file-x") == ("tail", {"rest": "x"}, None)
    assert r.resolve("GET", "/dl/other") == ("param", {"name": "other"}, None)
    assert r.resolve("GET", "/dl/other/x") is None


def test_tail_pattern_with_another_method_falls_back_to_the_parameter() -> None:
    r = router(("POST", "/dl/file-{rest:path}", "tail"), ("GET", "/dl/{name}", "param"))
    assert r.resolve("GET", "/dl/file-x") == ("param", {"name": "file-x"}, None)
    match = r.lookup("/dl/file-x")
    assert match is not None
    assert match.params == {"rest": "x"}
    assert r.allowed_methods("/dl/file-x") == {"GET", "POST"}
    assert r.allowed_methods("/dl/file-x/y") == {"POST"}


def test_tail_pattern_beats_plain_catch_all() -> None:
    r = router(("GET", "/s/{p:path}", "catch"), ("GET", "/s/v{n:int}/{p:path}", "versioned"))
    assert r.resolve("GET", "/s/v1/a") == ("versioned", {"n": 1, "p": "a"}, None)
    assert r.resolve("GET", "/s/vx/a") == ("catch", {"p": "vx/a"}, None)


# --- malformed patterns -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("users", "must start with '/'"),
        ("", "must start with '/'"),
        ("/users/{id", "unbalanced or malformed braces"),
        ("/users/id}", "unbalanced or malformed braces"),
        ("/users/{{id}}", "unbalanced or malformed braces"),
        ("/users/{a{b}}", "unbalanced or malformed braces"),
        ("/users/{}", "invalid parameter name ''"),
        ("/users/{:int}", "invalid parameter name ''"),
        ("/users/{1a}", "invalid parameter name '1a'"),
        ("/users/{a b}", "invalid parameter name 'a b'"),
        ("/users/{ id }", "invalid parameter name ' id '"),
        ("/users/{id:nope}", "unknown convertor 'nope'"),
        ("/users/{id:}", "unknown convertor ''"),
        ("/users/{id:int:x}", "unknown convertor 'int:x'"),
        ("/users/{id:INT}", "unknown convertor 'INT'"),
        ("/{a}/{a}", "duplicate parameter name 'a'"),
        ("/{a}/{a:int}", "duplicate parameter name 'a'"),
        ("/{a}.{a}", "duplicate parameter name 'a'"),
        ("/{p:path}/x", "must be at the very end"),
        ("/{p:path}/", "must be at the very end"),
        ("/x{p:path}y", "must be at the very end"),
        ("/{p:path}{q}", "must be at the very end"),
        ("/{p:path}/{q:path}", "must be at the very end"),
    ],
)
def test_malformed_patterns_raise_value_error(path: str, message: str) -> None:
    r = RadixRouter()
    with pytest.raises(ValueError, match=re.escape(message)):
        r.add_route("GET", path, "h")
    assert len(r) == 0
    assert r.routes() == []


def test_failed_registration_leaves_the_router_unchanged() -> None:
    r = router(("GET", "/a/{x}", "h"))
    with pytest.raises(ValueError):
        r.add_route("GET", "/a/{x}/{x}", "bad")
    assert r.routes() == [("GET", "/a/{x}", "h", None)]
    assert r.resolve("GET", "/a/1/1") is None
    assert r.allowed_methods("/a/1/1") == frozenset()


def test_parse_path_params_reports_names_and_convertors_in_order() -> None:
    params = parse_path_params("/a/{x:int}/v{v:float}.{ext}/{rest:path}")
    assert list(params) == ["x", "v", "ext", "rest"]
    assert isinstance(params["x"], IntegerConvertor)
    assert isinstance(params["v"], FloatConvertor)
    assert isinstance(params["ext"], StringConvertor)
    assert isinstance(params["rest"], PathConvertor)
    assert parse_path_params("/static/only") == {}
    with pytest.raises(ValueError, match="unknown convertor"):
        parse_path_params("/{x:bad}")


# --- size limits --------------------------------------------------------------------------------


def test_very_long_paths_do_not_fail() -> None:
    r = router(("GET", "/f/{name}", "param"), ("GET", "/n/{id:int}", "int"), ("GET", "/a", "s"))
    long_segment = "x" * 100_000
    assert r.resolve("GET", f"/f/{long_segment}") == ("param", {"name": long_segment}, None)
    assert r.resolve("GET", f"/{long_segment}") is None
    assert r.resolve("GET", "/" + "a/" * 50_000) is None
    assert r.lookup("/" + "a/" * 50_000) is None
    assert r.allowed_methods("/" * 100_000) == frozenset()
    assert r.resolve("GET", "/n/" + "1" * 100_000) is None


def test_thousands_of_segments_with_a_catch_all() -> None:
    r = router(("GET", "/a/{p:path}", "catch"), ("GET", "/a/b", "static"))
    rest = "/".join(["b"] * 5000)
    assert r.resolve("GET", f"/a/{rest}") == ("catch", {"p": rest}, None)
    assert r.allowed_methods(f"/a/{rest}") == {"GET"}


def test_deep_routes_and_deep_backtracking_do_not_recurse() -> None:
    depth = 3000
    r = RadixRouter()
    r.add_route("GET", "/" + "/".join(["a"] * (depth - 1)) + "/z", "static")
    params = "/".join(f"{{p{i}}}" for i in range(depth - 1))
    r.add_route("GET", f"/{params}/y", "params")
    path = "/" + "/".join(["a"] * (depth - 1))
    assert r.resolve("GET", path + "/z") == ("static", {}, None)
    result = r.resolve("GET", path + "/y")
    assert result is not None
    assert result[0] == "params"
    assert result[1] == {f"p{i}": "a" for i in range(depth - 1)}
    assert r.allowed_methods(path + "/y") == {"GET"}
    assert r.resolve("GET", path + "/x") is None
