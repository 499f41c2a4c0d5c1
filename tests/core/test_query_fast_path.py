"""The query-string fast path gives exactly what ``urllib.parse.parse_qsl`` gives."""

from urllib.parse import parse_qsl

from hypothesis import given
from hypothesis import strategies as st

from fasterapi_core._multidict import parse_query_string

QUERY_ALPHABET = st.sampled_from([*"ab=&;+%20xé ", "%zz", "%ff", "=="])


@given(st.lists(QUERY_ALPHABET, max_size=30).map("".join))
def test_fast_path_matches_parse_qsl(query: str) -> None:
    assert parse_query_string(query) == parse_qsl(query, keep_blank_values=True)


def test_examples() -> None:
    assert parse_query_string("a=1&b=&c&&d=1=2") == [("a", "1"), ("b", ""), ("c", ""), ("d", "1=2")]
    assert parse_query_string("x=1;y=2") == [("x", "1;y=2")]
