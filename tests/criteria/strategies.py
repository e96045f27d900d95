"""Hypothesis strategies: valid criteria trees, and many spellings of the same tree."""

from __future__ import annotations

from hypothesis import strategies as st

from wua.criteria import Criteria, Criterion, Group, Operator, Property, escape_string
from wua.criteria.properties import RULES, ValueKind
from wua.reference.wire_types import LONG_MAX, LONG_MIN


def _random_case(draw: st.DrawFn, word: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(ch.upper() if up else ch.lower() for ch, up in zip(word, flips, strict=True))


@st.composite
def guids(draw: st.DrawFn) -> str:
    return _random_case(draw, str(draw(st.uuids())))


@st.composite
def values_for(draw: st.DrawFn, prop: Property) -> str | int:
    rule = RULES[prop]
    if rule.kind is ValueKind.BOOLEAN:
        return draw(st.sampled_from((0, 1)))
    if rule.kind is ValueKind.INTEGER:
        return draw(st.integers(LONG_MIN, LONG_MAX))
    if rule.kind is ValueKind.GUID:
        return draw(guids())
    return _random_case(draw, draw(st.sampled_from(rule.choice_spellings())))


@st.composite
def criteria_terms(draw: st.DrawFn, prop: Property) -> Criterion:
    operator = draw(st.sampled_from(sorted(RULES[prop].operators)))
    return Criterion(prop, operator, draw(values_for(prop)))


_FREE = [p for p in Property if p is not Property.REVISION_NUMBER]


@st.composite
def groups(draw: st.DrawFn) -> Group:
    terms = draw(st.lists(st.sampled_from(_FREE).flatmap(criteria_terms), min_size=1, max_size=5))
    if draw(st.booleans()):
        # RevisionNumber is valid only beside UpdateID = '…'.
        pair = [
            Criterion(Property.UPDATE_ID, Operator.EQUAL, draw(guids())),
            draw(criteria_terms(Property.REVISION_NUMBER)),
        ]
        at = draw(st.integers(0, len(terms)))
        terms[at:at] = draw(st.permutations(pair))
    return Group(tuple(terms))


def criteria_trees() -> st.SearchStrategy[Criteria]:
    return st.lists(groups(), min_size=1, max_size=4).map(lambda gs: Criteria(tuple(gs)))


_SPACE = st.text(alphabet=" \t\r\n", max_size=3)
_SOME_SPACE = st.text(alphabet=" \t\r\n", min_size=1, max_size=3)


@st.composite
def _spelled_term(draw: st.DrawFn, term: Criterion) -> str:
    name = _random_case(draw, term.name.value)
    operator = _random_case(draw, term.operator.value)
    value = f"'{escape_string(term.value)}'" if isinstance(term.value, str) else str(term.value)
    # Spacing around operators is optional, `contains` included (the lexer splits
    # `CategoryIDscontains`).
    return _wrapped(draw, f"{name}{draw(_SPACE)}{operator}{draw(_SPACE)}{value}")


def _wrapped(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(0, 2))):
        text = f"({draw(_SPACE)}{text}{draw(_SPACE)})"
    return text


def _joined(draw: st.DrawFn, parts: list[str], keyword: str) -> str:
    out = parts[0]
    for part in parts[1:]:
        out += f"{draw(_SOME_SPACE)}{_random_case(draw, keyword)}{draw(_SOME_SPACE)}{part}"
    return out


@st.composite
def _spelled_group(draw: st.DrawFn, group: Group) -> str:
    parts = [draw(_spelled_term(term)) for term in group.terms]
    # Parenthesise random runs of terms: `(a and b) and c` means the same as `a and b and c`.
    while len(parts) > 1 and draw(st.booleans()):
        start = draw(st.integers(0, len(parts) - 2))
        end = draw(st.integers(start + 2, len(parts)))
        parts[start:end] = [_wrapped(draw, _joined(draw, parts[start:end], "and"))]
    return _wrapped(draw, _joined(draw, parts, "and"))


@st.composite
def spellings(draw: st.DrawFn, tree: Criteria) -> str:
    """Text with random case, spacing and legal parentheses that parses to `tree`."""
    text = _joined(draw, [draw(_spelled_group(g)) for g in tree.groups], "or")
    if len(tree.groups) > 1:
        text = _wrapped(draw, text)
    return f"{draw(_SPACE)}{text}{draw(_SPACE)}"
