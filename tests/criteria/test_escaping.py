"""EscapeString (MS-UAMG 3.38.4.9): one (value, escaped) table drives both directions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wua.criteria import escape_string
from wua.criteria.tokens import TokenKind, tokenize

# (unescaped value, what EscapeString returns)
VECTORS: list[tuple[str, str]] = [
    ("", ""),
    ("Software", "Software"),
    ("it's", "it[']s"),
    ("'", "[']"),
    ("''", "['][']"),
    ("[", "[[]"),
    ("]", "[]]"),
    ("[x]", "[[]x[]]"),
    ("a']b", "a['][]]b"),
    ('say "hi"', 'say "hi"'),  # double quotes are ordinary characters
    ("%_*?", "%_*?"),  # no wildcard escaping: the language has no LIKE
    ("Ünïcødé ✓", "Ünïcødé ✓"),
    ("tab\there", "tab\there"),
]


@pytest.mark.parametrize(("value", "escaped"), VECTORS)
def test_escape_string_matches_the_vector(value: str, escaped: str) -> None:
    assert escape_string(value) == escaped


@pytest.mark.parametrize(("value", "escaped"), VECTORS)
def test_the_tokenizer_reads_the_vector_back(value: str, escaped: str) -> None:
    string, end = tokenize(f"'{escaped}'")
    assert (string.kind, string.value, end.kind) == (TokenKind.STRING, value, TokenKind.END)


@given(st.text())
def test_any_escaped_text_reads_back_as_one_string(value: str) -> None:
    tokens = tokenize(f"'{escape_string(value)}'")
    assert [t.kind for t in tokens] == [TokenKind.STRING, TokenKind.END]
    assert tokens[0].value == value


@given(st.text())
def test_escaped_text_has_no_bare_quote_or_bracket(value: str) -> None:
    escaped = escape_string(value)
    # Scanning left to right as the tokenizer does, only escape sequences hold them.
    rest = re.sub(r"\[['\[\]]\]", "", escaped)
    assert not set(rest) & {"'", "[", "]"}
