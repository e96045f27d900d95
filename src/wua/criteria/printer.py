"""A `Criteria` tree back to canonical text.

Canonical: documented name spellings, lower-case keywords, one space around every
operator and keyword, strings passed through EscapeString, and parentheses around a
multi-term group only when there are several groups (for the reader; `and` binds tighter
than `or` anyway).
"""

from __future__ import annotations

from wua.criteria.escaping import escape_string
from wua.criteria.parser import parse
from wua.criteria.tree import Criteria, Criterion, Group


def format_criteria(criteria: Criteria) -> str:
    """Canonical text for `criteria`, such that `parse(format_criteria(c)) == c`.

    The text is parsed back before it is returned, so a hand-built tree that breaks a rule
    of the language (say RevisionNumber without UpdateID) raises the same InvalidCriteria
    the agent would give, with the position in the returned text; the rules live once, in
    the parser.
    """
    several = len(criteria.groups) > 1
    text = " or ".join(_group(group, several) for group in criteria.groups)
    parse(text)
    return text


def _group(group: Group, several: bool) -> str:
    text = " and ".join(_criterion(term) for term in group.terms)
    return f"({text})" if several and len(group.terms) > 1 else text


def _criterion(criterion: Criterion) -> str:
    value = criterion.value
    # bool is an int: write booleans as the 0/1 the language uses.
    spelled = f"'{escape_string(value)}'" if isinstance(value, str) else str(int(value))
    return f"{criterion.name.value} {criterion.operator.value} {spelled}"
