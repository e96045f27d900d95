"""Short constructors for expected trees, so test tables read like the criteria."""

from __future__ import annotations

from wua.criteria import Criteria, Criterion, Group, Operator, Property

EQ = Operator.EQUAL
NE = Operator.NOT_EQUAL
CONTAINS = Operator.CONTAINS

SECURITY = "0FA1201D-4330-4FA8-8AE9-B877473B6441"
CRITICAL = "e6cf1350-c01b-414d-a61f-263d14d133b4"
UPDATE_A = "11111111-2222-3333-4444-555555555555"


def c(name: Property, operator: Operator, value: str | int) -> Criterion:
    return Criterion(name, operator, value)


def one(*terms: Criterion) -> Criteria:
    """Criteria with a single AND-group."""
    return Criteria((Group(terms),))


def any_of(*groups: tuple[Criterion, ...]) -> Criteria:
    return Criteria(tuple(Group(terms) for terms in groups))
