"""The parsed form of search criteria: an OR of AND-groups of single comparisons.

The language allows `or` only at the top level, so every criteria string flattens to this
two-level shape; parentheses carry no meaning beyond grouping and are not kept.
Values are kept as written (strings unescaped, integers as int) so that printing and
parsing again gives an equal tree; case-insensitive meaning is the evaluator's job.
"""

from __future__ import annotations

from dataclasses import dataclass

from wua.criteria.properties import Operator, Property


@dataclass(frozen=True)
class Criterion:
    """One comparison: `name operator value`."""

    name: Property
    operator: Operator
    value: str | int


@dataclass(frozen=True)
class Group:
    """Criteria joined by `and`: all of them must hold."""

    terms: tuple[Criterion, ...]

    def __post_init__(self) -> None:
        if not self.terms:
            raise ValueError("a group needs at least one criterion")


@dataclass(frozen=True)
class Criteria:
    """Groups joined by `or`: an update matches when any group holds."""

    groups: tuple[Group, ...]

    def __post_init__(self) -> None:
        if not self.groups:
            raise ValueError("criteria need at least one group")


# The agent's default for empty criteria (MS-UAMG: NULL/empty -> agent-defined default).
DEFAULT_CRITERIA_TEXT = "IsInstalled = 0 and IsHidden = 0"
DEFAULT_CRITERIA = Criteria(
    (
        Group(
            (
                Criterion(Property.IS_INSTALLED, Operator.EQUAL, 0),
                Criterion(Property.IS_HIDDEN, Operator.EQUAL, 0),
            )
        ),
    )
)
