"""Criteria text to a `Criteria` tree, enforcing every rule of the language on the way.

Rules are checked while token positions are still known, so each InvalidCriteria points at
the token that breaks the rule. The grammar is MS-UAMG 3.38.4.11's:

    criteria  := group { WS+ "or" WS+ group }
    group     := term { WS+ "and" WS+ term }
    term      := "(" group ")" | name op value | "(" term ")"

`or` inside parentheses is accepted only when those parentheses enclose the whole
criteria (`(a=1 or b=1)`), because the language has no nested OR: it flattens to an OR of
AND-groups and the agent refuses anything that does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from wua.criteria.properties import (
    RULES,
    Operator,
    Property,
    PropertyRule,
    ValueKind,
    property_named,
)
from wua.criteria.tokens import WHITESPACE, Token, TokenKind, tokenize
from wua.criteria.tree import DEFAULT_CRITERIA, Criteria, Criterion, Group
from wua.errors import InvalidCriteria
from wua.reference.wire_types import LONG_MAX, LONG_MIN, canonical_guid

_AND = "and"
_OR = "or"
_CONTAINS = "contains"
# Deeper nesting would exhaust Python's stack before it meant anything to the agent.
MAX_NESTING = 100
_OPERATOR_TOKENS = {TokenKind.EQUAL: Operator.EQUAL, TokenKind.NOT_EQUAL: Operator.NOT_EQUAL}


def parse(text: str) -> Criteria:
    """Parse and validate criteria; empty text is the agent default.

    Raises InvalidCriteria (WU_E_INVALID_CRITERIA) with the offending token's offset.
    """
    if text == "":
        return DEFAULT_CRITERIA
    if all(char in WHITESPACE for char in text):
        raise InvalidCriteria(
            "criteria are only whitespace: pass an empty string for the default search",
            criteria=text,
            position=0,
        )
    return _Parser(text, tokenize(text)).criteria()


@dataclass(frozen=True)
class _Leaf:
    criterion: Criterion
    name_position: int


@dataclass(frozen=True)
class _All:
    children: tuple[_Node, ...]


@dataclass(frozen=True)
class _Any:
    children: tuple[_Node, ...]
    first_or: int


@dataclass(frozen=True)
class _Paren:
    inner: _Node


_Node = _Leaf | _All | _Any | _Paren


def _is_word(token: Token, word: str) -> bool:
    return token.kind is TokenKind.WORD and token.text.lower() == word


class _Parser:
    """Recursive descent over the token list; one method per grammar rule."""

    def __init__(self, text: str, tokens: tuple[Token, ...]) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    @property
    def previous(self) -> Token:
        return self.tokens[self.index - 1]

    def advance(self) -> Token:
        token = self.token
        self.index += 1
        return token

    def fail(self, message: str, position: int) -> InvalidCriteria:
        return InvalidCriteria(message, criteria=self.text, position=position)

    # --- grammar -------------------------------------------------------------------

    def criteria(self) -> Criteria:
        tree = self.any_of()
        if self.token.kind is TokenKind.CLOSE:
            raise self.fail("unmatched ')'", self.token.position)
        if self.token.kind is not TokenKind.END:
            raise self.after_term_error("'and' or 'or'")
        return Criteria(tuple(self.group(leaves) for leaves in self.groups(tree)))

    def any_of(self) -> _Node:
        children = [self.all_of()]
        or_positions = []
        while _is_word(self.token, _OR):
            or_positions.append(self.keyword())
            children.append(self.all_of())
        return _Any(tuple(children), or_positions[0]) if or_positions else children[0]

    def all_of(self) -> _Node:
        children = [self.term()]
        while _is_word(self.token, _AND):
            self.keyword()
            children.append(self.term())
        return children[0] if len(children) == 1 else _All(tuple(children))

    def keyword(self) -> int:
        """Consume `and`/`or`, which need whitespace on both sides; return its offset."""
        token = self.advance()
        if not token.spaced_before:
            raise self.fail(f"'{token.text}' needs whitespace before it", token.position)
        if self.token.kind is not TokenKind.END and not self.token.spaced_before:
            raise self.fail(f"'{token.text}' needs whitespace after it", self.token.position)
        return token.position

    def term(self) -> _Node:
        if self.token.kind is not TokenKind.OPEN:
            return self.criterion()
        opening = self.advance()
        if self.depth == MAX_NESTING:
            raise self.fail(f"parentheses nested deeper than {MAX_NESTING}", opening.position)
        self.depth += 1
        inner = self.any_of()
        self.depth -= 1
        closing = self.tokens[self.index]
        if closing.kind is TokenKind.END:
            raise self.fail("unclosed '(': no matching ')'", opening.position)
        if closing.kind is not TokenKind.CLOSE:
            raise self.after_term_error("'and', 'or' or ')'")
        self.advance()
        return _Paren(inner)

    def criterion(self) -> _Leaf:
        name_token = self.advance()
        prop = self.property_of(name_token)
        rule = RULES[prop]
        operator_token = self.advance()
        operator = self.operator_of(operator_token, prop)
        if operator not in rule.operators:
            raise self.fail(_operator_message(rule, operator), operator_token.position)
        value_token = self.advance()
        value = self.value_of(value_token, operator_token, rule)
        return _Leaf(Criterion(prop, operator, value), name_token.position)

    # --- single tokens -------------------------------------------------------------

    def property_of(self, token: Token) -> Property:
        if token.kind is not TokenKind.WORD:
            raise self.fail(
                f"expected a property name or '(', found {token.describe()}", token.position
            )
        prop = property_named(token.text)
        if prop is None:
            if token.text.lower() in (_AND, _OR, _CONTAINS):
                raise self.fail(
                    f"expected a property name, found {token.describe()}", token.position
                )
            known = ", ".join(p.value for p in Property)
            raise self.fail(
                f"unknown property name {token.describe()} (known: {known})", token.position
            )
        return prop

    def operator_of(self, token: Token, prop: Property) -> Operator:
        if token.kind in _OPERATOR_TOKENS:
            return _OPERATOR_TOKENS[token.kind]
        if _is_word(token, _CONTAINS):
            return Operator.CONTAINS
        raise self.fail(
            f"expected an operator ('=', '!=' or 'contains') after {prop.value}, "
            f"found {token.describe()}",
            token.position,
        )

    def value_of(self, token: Token, operator: Token, rule: PropertyRule) -> str | int:
        name = rule.name.value
        value = token.value
        if value is None:
            raise self.fail(
                f"expected a value after {name} {operator.text}, found {token.describe()}",
                token.position,
            )
        if rule.takes_string != (token.kind is TokenKind.STRING):
            raise self.fail(
                f"{name} takes {_expected(rule)}, not {token.kind.value}", token.position
            )
        problem = _value_problem(rule, value)
        if problem is not None:
            raise self.fail(f"{name} takes {_expected(rule)}: {problem}", token.position)
        return value

    def after_term_error(self, expected: str) -> InvalidCriteria:
        token = self.token
        lowered = token.text.lower()
        if token.kind is TokenKind.WORD and lowered.startswith((_AND, _OR)):
            keyword = _AND if lowered.startswith(_AND) else _OR
            return self.fail(
                f"'{token.text[: len(keyword)]}' needs whitespace after it", token.position
            )
        return self.fail(
            f"expected {expected} after {self.previous.describe()}, found {token.describe()}",
            token.position,
        )

    # --- flattening and group rules ------------------------------------------------

    def groups(self, tree: _Node) -> list[list[_Leaf]]:
        while isinstance(tree, _Paren):
            tree = tree.inner
        if isinstance(tree, _Any):
            return [self.leaves(child) for child in tree.children]
        return [self.leaves(tree)]

    def leaves(self, node: _Node) -> list[_Leaf]:
        if isinstance(node, _Leaf):
            return [node]
        if isinstance(node, _Paren):
            return self.leaves(node.inner)
        if isinstance(node, _Any):
            raise self.fail(
                "'or' is allowed only between top-level groups, not inside a parenthesised "
                "group that is joined with 'and' or 'or'",
                node.first_or,
            )
        return [leaf for child in node.children for leaf in self.leaves(child)]

    def group(self, leaves: list[_Leaf]) -> Group:
        has_update_id = any(
            leaf.criterion.name is Property.UPDATE_ID and leaf.criterion.operator is Operator.EQUAL
            for leaf in leaves
        )
        for leaf in leaves:
            if leaf.criterion.name is Property.REVISION_NUMBER and not has_update_id:
                raise self.fail(
                    "RevisionNumber is allowed only in a group that also has UpdateID = '…'",
                    leaf.name_position,
                )
        return Group(tuple(leaf.criterion for leaf in leaves))


def _operator_message(rule: PropertyRule, operator: Operator) -> str:
    users = [p.value for p, r in RULES.items() if operator in r.operators]
    if len(users) <= 2:
        return f"'{operator.value}' is allowed only with {' and '.join(users)}"
    allowed = " or ".join(f"'{o.value}'" for o in Operator if o in rule.operators)
    return f"{rule.name.value} allows only {allowed}"


def _expected(rule: PropertyRule) -> str:
    if rule.kind is ValueKind.CHOICE:
        return " or ".join(f"'{c}'" for c in rule.choice_spellings())
    return str(rule.kind.value)


def _value_problem(rule: PropertyRule, value: str | int | None) -> str | None:
    """Why `value` (already of the right token kind) is not acceptable, or None."""
    if rule.kind is ValueKind.BOOLEAN and value not in (0, 1):
        return f"found {value}"
    if (
        rule.kind is ValueKind.INTEGER
        and isinstance(value, int)
        and not LONG_MIN <= value <= LONG_MAX
    ):
        return f"{value} is outside the LONG range"
    if rule.kind is ValueKind.GUID and not (
        isinstance(value, str) and canonical_guid(value) is not None
    ):
        return f"{value!r} is not a GUID"
    if rule.kind is ValueKind.CHOICE and not (
        isinstance(value, str) and value.lower() in rule.choices
    ):
        return f"found {value!r}"
    return None
