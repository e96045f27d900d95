"""Deciding which updates a `Criteria` tree selects, as the agent does.

Two agent rules shape the result beyond the literal comparisons:

- String comparisons are case-insensitive (MS-UAMG 3.38.4.11), GUIDs included.
- An AND-group that names no DeploymentAction means DeploymentAction='Installation'
  (the SDK criteria table). This follows the reference even though it hides
  daOptionalInstallation (and daDetection, daUninstallation) updates from every search
  that does not ask for them by name, the default `IsInstalled = 0 and IsHidden = 0`
  included: a newer agent's optional updates need `DeploymentAction='OptionalInstallation'`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from wua.criteria.properties import RULES, Operator, Property, PropertyRule, ValueKind
from wua.criteria.tree import Criteria, Criterion, Group
from wua.reference.enums import DeploymentAction, UpdateType


class CriteriaSubject(Protocol):
    """What the evaluator reads from an update; the emulator's catalog record has these."""

    @property
    def type(self) -> UpdateType: ...
    @property
    def deployment_action(self) -> DeploymentAction: ...
    @property
    def is_assigned(self) -> bool: ...
    @property
    def browse_only(self) -> bool: ...
    @property
    def auto_select_on_web_sites(self) -> bool: ...
    @property
    def is_installed(self) -> bool: ...
    @property
    def is_hidden(self) -> bool: ...
    @property
    def is_present(self) -> bool: ...
    @property
    def reboot_required(self) -> bool: ...
    @property
    def update_id(self) -> str: ...
    @property
    def revision_number(self) -> int: ...
    @property
    def category_ids(self) -> Sequence[str]: ...


SubjectT = TypeVar("SubjectT", bound=CriteriaSubject)
_Comparable = bool | int | str | UpdateType | DeploymentAction


def matches(criteria: Criteria, subject: CriteriaSubject) -> bool:
    """Whether the agent would return `subject` for `criteria`."""
    return any(_group_matches(group, subject) for group in criteria.groups)


def select(criteria: Criteria, subjects: Iterable[SubjectT]) -> list[SubjectT]:
    """The subjects `criteria` selects, in their original order."""
    return [subject for subject in subjects if matches(criteria, subject)]


def _group_matches(group: Group, subject: CriteriaSubject) -> bool:
    names_action = any(term.name is Property.DEPLOYMENT_ACTION for term in group.terms)
    if not names_action and subject.deployment_action != DeploymentAction.daInstallation:
        return False
    return all(_term_matches(term, subject) for term in group.terms)


def _term_matches(term: Criterion, subject: CriteriaSubject) -> bool:
    rule = RULES[term.name]
    wanted = _wanted(rule, term.value)
    if term.operator is Operator.CONTAINS:
        members: Sequence[str] = getattr(subject, rule.attribute)
        return any(_actual(rule, member) == wanted for member in members)
    equal = _actual(rule, getattr(subject, rule.attribute)) == wanted
    return equal if term.operator is Operator.EQUAL else not equal


def _wanted(rule: PropertyRule, value: str | int) -> _Comparable:
    """The criterion's value in the subject's terms (enum, bool, lower-case GUID)."""
    if rule.kind is ValueKind.CHOICE:
        return rule.choices[str(value).lower()]
    return _actual(rule, value)


def _actual(rule: PropertyRule, value: _Comparable) -> _Comparable:
    if rule.kind is ValueKind.BOOLEAN:
        return bool(value)
    if rule.kind is ValueKind.GUID:
        return str(value).lower()
    return value
