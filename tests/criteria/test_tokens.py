"""Tokens keep their offsets and whether whitespace preceded them (the and/or rule)."""

from __future__ import annotations

import pytest

from wua.criteria.tokens import Token, TokenKind, tokenize

K = TokenKind

# (text, [(kind, source text, position, spaced_before, value)]) without the END token
TOKENS: list[tuple[str, list[tuple[TokenKind, str, int, bool, str | int | None]]]] = [
    (
        "IsInstalled=0",
        [(K.WORD, "IsInstalled", 0, True, None), (K.EQUAL, "=", 11, False, None),
         (K.INTEGER, "0", 12, False, 0)],
    ),
    (
        " Type != 'a[']b'",
        [(K.WORD, "Type", 1, True, None), (K.NOT_EQUAL, "!=", 6, True, None),
         (K.STRING, "'a[']b'", 9, True, "a'b")],
    ),
    (
        "CategoryIDscontains''",
        [(K.WORD, "CategoryIDs", 0, True, None), (K.WORD, "contains", 11, False, None),
         (K.STRING, "''", 19, False, "")],
    ),
    (
        "(x=-12)and\ty",
        [(K.OPEN, "(", 0, True, None), (K.WORD, "x", 1, False, None),
         (K.EQUAL, "=", 2, False, None), (K.INTEGER, "-12", 3, False, -12),
         (K.CLOSE, ")", 6, False, None), (K.WORD, "and", 7, False, None),
         (K.WORD, "y", 11, True, None)],
    ),
    ("0or", [(K.INTEGER, "0", 0, True, 0), (K.WORD, "or", 1, False, None)]),
    # an unknown name glued to 'contains' stays one word (and is reported as unknown)
    ("Titlecontains", [(K.WORD, "Titlecontains", 0, True, None)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), TOKENS, ids=[t for t, _ in TOKENS])
def test_tokens(
    text: str, expected: list[tuple[TokenKind, str, int, bool, str | int | None]]
) -> None:
    *tokens, end = tokenize(text)
    assert tokens == [Token(*fields) for fields in expected]
    assert (end.kind, end.position) == (K.END, len(text))
