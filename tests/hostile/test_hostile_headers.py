"""Query strings, cookies, CORS, Host, redirects, 500s, rate-limit spoofing and gzip."""

from __future__ import annotations

import gzip
import json
from urllib.parse import quote

import pytest
from hostile_http import Connection, exchange, get, request

from examples.hostile_app import ALLOWED_ORIGIN, LEAKED_SECRET

# -- query strings ------------------------------------------------------------------------------


def test_query_pollution_repeated_scalar_is_one_value(port: int) -> None:
    reply = get(port, "/query?n=1&n=2")
    assert reply.status == 200
    assert json.loads(reply.body)["n"] in (1, 2)


def test_semicolon_is_not_a_query_separator(port: int) -> None:
    reply = get(port, "/query?tag=a;tag=b&n=3")
    assert (reply.status, json.loads(reply.body)) == (
        200,
        {"n": 3, "tag": ["a;tag=b"], "count": 2},
    )
    assert get(port, "/query?n=1;n=2").status == 422


def test_query_parameter_flood_is_refused(port: int) -> None:
    assert get(port, "/query?" + "&".join(["t=1"] * 200)).status == 200
    reply = get(port, "/query?" + "&".join(["t=1"] * 201))
    assert (reply.status, json.loads(reply.body)) == (
        400,
        {"detail": "Too many query parameters. Maximum number of parameters is 200."},
    )


def test_empty_separators_do_not_count_as_parameters(port: int) -> None:
    assert get(port, "/query?" + "&" * 5000 + "n=4").status == 200


@pytest.mark.parametrize(
    "query",
    ["n=%00", "n=1e309", "n=%ff%fe", "n=" + "9" * 5000, "n[]=1", "n=0x10", "%zz=%zz", "=&=&="],
)
def test_hostile_query_values_are_never_a_500(port: int, query: str) -> None:
    assert get(port, "/query?" + query).status in (200, 422)


# -- cookies --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cookie",
    [
        "; ".join(f"c{i}=v{i}" for i in range(1000)),
        ";;;;;;;;;;;;",
        "=; =; =",
        'a="\\',
        'a="unterminated; b=2',
        "a=" + "x" * 8000,
        "a=\u00e9\u00e8",
        "novalue; a=1",
        "a=1; a=2; a=3",
        "$Version=1; a=1; $Path=/",
    ],
    ids=[
        "many",
        "separators",
        "empty",
        "backslash",
        "quote",
        "long",
        "latin1",
        "novalue",
        "repeat",
        "rfc2109",
    ],
)
def test_pathological_cookies_are_parsed_without_error(port: int, cookie: str) -> None:
    reply = get(port, "/cookies", headers={"Cookie": cookie})
    assert reply.status == 200
    assert isinstance(json.loads(reply.body), dict)


# -- CORS -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "origin",
    [
        "https://app.hostile.test.evil.example",
        "https://evil.example/https://app.hostile.test",
        "https://evilapp.hostile.test",
        "http://app.hostile.test",
        "null",
        "https://app.hostile.test@evil.example",
        "*",
        "",
    ],
)
def test_cors_origin_confusion_is_not_allowed(port: int, origin: str) -> None:
    simple = get(port, "/health", headers={"Origin": origin})
    assert simple.status == 200
    assert simple.header("access-control-allow-origin") is None
    assert simple.header("access-control-allow-credentials") is None
    preflight = get(
        port,
        "/notes/",
        method="OPTIONS",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 400
    assert preflight.header("access-control-allow-origin") is None


def test_cors_allowed_origin_is_echoed_with_vary(port: int) -> None:
    reply = get(port, "/health", headers={"Origin": ALLOWED_ORIGIN})
    assert reply.header("access-control-allow-origin") == ALLOWED_ORIGIN
    assert reply.header("access-control-allow-credentials") == "true"
    assert "origin" in (reply.header("vary") or "").lower()


def test_cors_preflight_with_a_disallowed_method_or_header(port: int) -> None:
    base = {"Origin": ALLOWED_ORIGIN}
    bad_method = get(
        port, "/notes/", method="OPTIONS", headers={**base, "Access-Control-Request-Method": "PUT"}
    )
    assert bad_method.status == 400
    bad_header = get(
        port,
        "/notes/",
        method="OPTIONS",
        headers={
            **base,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "X-Evil",
        },
    )
    assert bad_header.status == 400


# -- Host header ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        [("Host", "evil.example")],
        [("Host", "127.0.0.1@evil.example")],
        [("Host", "evil.example@127.0.0.1")],
        [("Host", "127.0.0.1.evil.example")],
        [("Host", "127.0.0.1"), ("Host", "evil.example")],
        [("Host", "evil.example"), ("Host", "127.0.0.1")],
        [("Host", "")],
        [("Host", "127.0.0.1 evil.example")],
    ],
    ids=[
        "untrusted",
        "userinfo",
        "userinfo-reversed",
        "suffix",
        "dup-good-first",
        "dup-evil-first",
        "empty",
        "space",
    ],
)
def test_host_header_attacks_are_refused(port: int, headers: list[tuple[str, str]]) -> None:
    head = b"GET /health HTTP/1.1\r\n" + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers)
    reply = exchange(port, head + b"Connection: close\r\n\r\n")
    assert reply is not None and reply.status == 400
    assert b"evil" not in reply.raw_head


def test_absolute_form_request_target_does_not_override_the_host_check(port: int) -> None:
    reply = exchange(
        port,
        b"GET http://127.0.0.1/health HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    )
    assert reply is not None and reply.status == 400
    reply = exchange(
        port,
        b"GET http://evil.example/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    assert reply is not None and reply.status in (307, 400, 404)
    assert "evil" not in (reply.header("location") or "")


def test_missing_host_header_is_refused(port: int) -> None:
    reply = exchange(port, b"GET /health HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert reply is not None and reply.status == 400


# -- redirects --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "http:evil.example",
        "/%2F%2Fevil.example",
        "javascript:alert(1)",
    ],
)
def test_open_redirect_through_the_redirect_route(port: int, target: str) -> None:
    reply = get(port, "/go?next=" + quote(target, safe=""))
    assert reply.status == 303
    location = reply.header("location") or ""
    assert not location.startswith(("//", "/\\", "http", "javascript"))
    assert "evil.example" not in location.split("?")[0][:2]


@pytest.mark.parametrize(
    "path", ["//evil.example/notes", "/\\evil.example/notes", "//evil.example"]
)
def test_open_redirect_through_redirect_slashes(port: int, path: str) -> None:
    reply = get(port, path)
    location = reply.header("location")
    if location is not None:
        assert not location.startswith(("//", "/\\")), location
        if location.startswith("http"):
            assert location.startswith("http://127.0.0.1"), location


def test_crlf_in_redirect_target_cannot_inject_headers(port: int) -> None:
    reply = get(port, "/go?next=" + quote("/x\r\nSet-Cookie: owned=1\r\n\r\n<html>", safe=""))
    assert reply.status == 303
    assert reply.header("set-cookie") is None
    location = reply.header("location") or ""
    assert location.startswith("/x%0D%0ASet-Cookie")
    assert b"<html>" not in reply.body


def test_encoded_crlf_in_the_path_is_not_reflected_into_headers(port: int) -> None:
    reply = get(port, "/notes%0d%0aSet-Cookie:%20owned=1")
    assert reply.header("set-cookie") is None
    assert reply.status in (307, 404)


# -- errors -----------------------------------------------------------------------------------


def test_500_does_not_leak_secrets_or_tracebacks(port: int) -> None:
    reply = get(port, "/crash", headers={"Accept-Encoding": "identity"})
    assert (reply.status, reply.body) == (500, b"Internal Server Error")
    assert LEAKED_SECRET.encode() not in reply.raw_head


def test_500_over_gzip_does_not_leak_either(port: int) -> None:
    reply = get(port, "/crash", headers={"Accept-Encoding": "gzip"})
    assert reply.status == 500
    body = gzip.decompress(reply.body) if reply.header("content-encoding") else reply.body
    assert body == b"Internal Server Error"


def test_404_and_405_do_not_reflect_input_unescaped(port: int) -> None:
    reply = get(port, "/<script>alert(1)</script>")
    assert reply.status == 404
    assert b"<script>" not in reply.body
    reply = get(port, "/health", method="DELETE")
    assert reply.status == 405


# -- rate limiting ----------------------------------------------------------------------------


def test_rate_limit_cannot_be_spoofed_with_forwarded_headers(port: int) -> None:
    statuses = []
    for index in range(8):
        reply = get(
            port,
            "/limited/",
            headers={
                "X-Forwarded-For": f"203.0.113.{index}",
                "X-Real-IP": f"198.51.100.{index}",
                "Forwarded": f"for=192.0.2.{index}",
            },
        )
        statuses.append(reply.status)
    assert statuses == [200] * 5 + [429] * 3
    assert get(port, "/limited/").status == 429


# -- gzip -----------------------------------------------------------------------------------


def test_gzip_of_a_streaming_response_round_trips(port: int) -> None:
    reply = get(port, "/stream", headers={"Accept-Encoding": "gzip"})
    assert reply.status == 200
    assert reply.header("content-encoding") == "gzip"
    assert reply.header("content-length") is None
    expected = b"".join((f"line {i:04d} " + "abc" * 30 + "\n").encode() for i in range(50))
    assert gzip.decompress(reply.body) == expected
    plain = get(port, "/stream", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert plain.header("content-encoding") is None
    assert plain.body == expected


def test_gzip_on_keep_alive_does_not_mix_responses(port: int) -> None:
    with Connection(port) as conn:
        for _ in range(3):
            conn.send(request("/stream", headers={"Accept-Encoding": "gzip"}, close=False))
            reply = conn.read_response()
            assert reply is not None and reply.status == 200
            assert gzip.decompress(reply.body).startswith(b"line 0000 ")
        conn.send(request("/health", close=False))
        reply = conn.read_response()
        assert reply is not None and reply.body == b'{"status":"ok"}'
