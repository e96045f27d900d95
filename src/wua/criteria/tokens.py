"""Criteria text to tokens, with the position of each and whether whitespace preceded it.

The tokenizer keeps whitespace facts on the tokens instead of dropping them silently,
because the language makes whitespace optional around operators yet required around
`and`/`or`; only the parser knows which token is a keyword in context.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

from wua.criteria.escaping import ESCAPES
from wua.criteria.properties import property_named
from wua.errors import InvalidCriteria


class TokenKind(Enum):
    WORD = "a word"
    STRING = "a string"
    INTEGER = "an integer"
    EQUAL = "'='"
    NOT_EQUAL = "'!='"
    OPEN = "'('"
    CLOSE = "')'"
    END = "the end of the criteria"


@dataclass(frozen=True)
class Token:
    """One token; `text` is the source slice, `value` the decoded string or integer."""

    kind: TokenKind
    text: str
    position: int
    spaced_before: bool
    value: str | int | None = None

    @property
    def end(self) -> int:
        return self.position + len(self.text)

    def describe(self) -> str:
        """How a message names this token: its own text, or its kind at the end."""
        if self.kind is TokenKind.END:
            return str(self.kind.value)
        return self.text if self.kind is TokenKind.STRING else repr(self.text)


# RFC 5234 WSP is space and tab; line breaks are accepted too, as scripts wrap criteria.
WHITESPACE = frozenset(" \t\r\n")
# Longest spelling first, so that '!=' is not read as an unknown '!'.
PUNCTUATION: Mapping[str, TokenKind] = MappingProxyType(
    {"!=": TokenKind.NOT_EQUAL, "=": TokenKind.EQUAL, "(": TokenKind.OPEN, ")": TokenKind.CLOSE}
)
_WORD_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_DIGITS = frozenset("0123456789")
_WORD_CHARS = _WORD_START | _DIGITS
# What a number run swallows when reporting a malformed integer (`0x1`, `1.5`, `1e3`).
_NUMBER_TAIL_CHARS = _WORD_CHARS | {"."}
_KEYWORDS_AFTER_VALUE = frozenset({"and", "or"})
_CONTAINS = "contains"
_UNESCAPE: Mapping[str, str] = MappingProxyType({seq: char for char, seq in ESCAPES.items()})
_ESCAPE_LENGTH = 3


def tokenize(text: str) -> tuple[Token, ...]:
    """All tokens of `text`, ending with an END token; raises InvalidCriteria."""
    return tuple(_Lexer(text).tokens())


class _Lexer:
    """A cursor over the text; one method per token shape."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def fail(self, message: str, position: int) -> InvalidCriteria:
        return InvalidCriteria(message, criteria=self.text, position=position)

    def tokens(self) -> list[Token]:
        found: list[Token] = []
        while True:
            start = self.at
            while self.at < len(self.text) and self.text[self.at] in WHITESPACE:
                self.at += 1
            spaced = self.at > start or self.at == 0
            if self.at == len(self.text):
                found.append(Token(TokenKind.END, "", self.at, spaced))
                return found
            found.extend(self.next_tokens(spaced))

    def next_tokens(self, spaced: bool) -> list[Token]:
        char = self.text[self.at]
        if char in _WORD_START:
            return self.word(spaced)
        if char in _DIGITS or char == "-":
            return self.integer(spaced)
        if char == "'":
            return [self.string(spaced)]
        for spelling, kind in PUNCTUATION.items():
            if self.text.startswith(spelling, self.at):
                self.at += len(spelling)
                return [Token(kind, spelling, self.at - len(spelling), spaced)]
        raise self.fail(f"unexpected character {char!r}", self.at)

    def word(self, spaced: bool) -> list[Token]:
        start = self.at
        while self.at < len(self.text) and self.text[self.at] in _WORD_CHARS:
            self.at += 1
        word = self.text[start : self.at]
        # `CategoryIDscontains'…'` is valid ABNF (whitespace is optional around operators),
        # so a known name glued to `contains` is two tokens.
        cut = len(word) - len(_CONTAINS)
        if cut > 0 and word[cut:].lower() == _CONTAINS and property_named(word[:cut]):
            return [
                Token(TokenKind.WORD, word[:cut], start, spaced),
                Token(TokenKind.WORD, word[cut:], start + cut, False),
            ]
        return [Token(TokenKind.WORD, word, start, spaced)]

    def integer(self, spaced: bool) -> list[Token]:
        start = self.at
        if self.text[self.at] == "-":
            self.at += 1
        digits_start = self.at
        while self.at < len(self.text) and self.text[self.at] in _DIGITS:
            self.at += 1
        if self.at == digits_start:
            raise self.fail("'-' must be followed by base-10 digits", start)
        tail_end = self.at
        while tail_end < len(self.text) and self.text[tail_end] in _NUMBER_TAIL_CHARS:
            tail_end += 1
        tail = self.text[self.at : tail_end]
        # `1and` is a whitespace error the parser reports; anything else glued on is not
        # a base-10 integer.
        if tail and tail.lower() not in _KEYWORDS_AFTER_VALUE:
            raise self.fail(
                f"malformed integer {self.text[start:tail_end]!r}: integers are base-10 "
                "digits with an optional leading '-'",
                start,
            )
        source = self.text[start : self.at]
        return [Token(TokenKind.INTEGER, source, start, spaced, int(source))]

    def string(self, spaced: bool) -> Token:
        start = self.at
        self.at += 1
        chars: list[str] = []
        while self.at < len(self.text):
            char = self.text[self.at]
            if char == "'":
                self.at += 1
                self.refuse_doubled_quote()
                return Token(
                    TokenKind.STRING, self.text[start : self.at], start, spaced, "".join(chars)
                )
            if char == "[":
                chars.append(self.escape())
                continue
            if char == "]":
                raise self.fail("a ']' inside a string must be escaped as '[]]'", self.at)
            chars.append(char)
            self.at += 1
        raise self.fail("unterminated string: no closing quote", start)

    def escape(self) -> str:
        sequence = self.text[self.at : self.at + _ESCAPE_LENGTH]
        char = _UNESCAPE.get(sequence)
        if char is None:
            raise self.fail(
                "'[' inside a string must start one of the escapes \"[']\", '[[]' or '[]]' "
                "(IUpdateSearcher::EscapeString)",
                self.at,
            )
        self.at += _ESCAPE_LENGTH
        return char

    def refuse_doubled_quote(self) -> None:
        """Name the SQL habit instead of failing later with a puzzling message."""
        if self.at < len(self.text) and self.text[self.at] == "'":
            raise self.fail(
                'a quote inside a string is written "[\']" (IUpdateSearcher::EscapeString), '
                "not doubled",
                self.at - 1,
            )
