"""The evaluator over hand-built updates: every property, operator and agent rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.criteria.builders import CRITICAL, SECURITY
from tests.criteria.strategies import criteria_trees
from wua.criteria import Criteria, CriteriaSubject, matches, parse, select
from wua.reference.enums import DeploymentAction, UpdateType

DRIVERS = "ebfc1fc5-71a4-4f7b-9aca-3b9a503104a0"
WINDOWS = "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d"  # a product category, an ancestor


@dataclass(frozen=True)
class Subject:
    """A minimal update implementing CriteriaSubject; defaults are a pending update."""

    name: str
    update_id: str
    type: UpdateType = UpdateType.utSoftware
    deployment_action: DeploymentAction = DeploymentAction.daInstallation
    is_assigned: bool = True
    browse_only: bool = False
    auto_select_on_web_sites: bool = True
    is_installed: bool = False
    is_hidden: bool = False
    is_present: bool = False
    reboot_required: bool = False
    revision_number: int = 1
    category_ids: Sequence[str] = (SECURITY.lower(), WINDOWS)


# Each differs from `pending` in one or two fields, so each criterion singles some out.
SUBJECTS = [
    Subject("pending", "aaaaaaaa-0000-0000-0000-000000000001"),
    Subject(
        "installed",
        "AAAAAAAA-0000-0000-0000-000000000002",
        is_installed=True,
        is_present=True,
        revision_number=200,
    ),
    Subject("hidden", "aaaaaaaa-0000-0000-0000-000000000003", is_hidden=True),
    Subject(
        "driver",
        "aaaaaaaa-0000-0000-0000-000000000004",
        type=UpdateType.utDriver,
        category_ids=(DRIVERS,),
        is_assigned=False,
    ),
    Subject(
        "optional",
        "aaaaaaaa-0000-0000-0000-000000000005",
        deployment_action=DeploymentAction.daOptionalInstallation,
        browse_only=True,
        auto_select_on_web_sites=False,
    ),
    Subject(
        "uninstall",
        "aaaaaaaa-0000-0000-0000-000000000006",
        deployment_action=DeploymentAction.daUninstallation,
        is_installed=True,
    ),
    Subject(
        "detect",
        "aaaaaaaa-0000-0000-0000-000000000007",
        deployment_action=DeploymentAction.daDetection,
    ),
    Subject(
        "critical",
        "aaaaaaaa-0000-0000-0000-000000000008",
        category_ids=(CRITICAL.upper(), WINDOWS),
        reboot_required=True,
    ),
]

# (criteria, names of the subjects selected, in SUBJECTS order)
CASES: list[tuple[str, list[str]]] = [
    # the default search: not installed, not hidden, DeploymentAction implicitly Installation
    ("", ["pending", "driver", "critical"]),
    ("IsInstalled=1", ["installed"]),
    ("IsHidden=1", ["hidden"]),
    ("IsPresent=1", ["installed"]),
    ("IsPresent=0 and IsInstalled=0", ["pending", "hidden", "driver", "critical"]),
    ("RebootRequired=1", ["critical"]),
    ("IsAssigned=0", ["driver"]),
    ("Type='Driver'", ["driver"]),
    ("Type='software' and IsHidden=0 and IsInstalled=0", ["pending", "critical"]),
    ("Type!='DRIVER' and IsInstalled=0", ["pending", "hidden", "critical"]),
    # Installation is implied in every group that does not name DeploymentAction ...
    ("BrowseOnly=1", []),
    ("AutoSelectOnWebSites=0", []),
    # ... so the others are found only by naming it
    ("DeploymentAction='OptionalInstallation'", ["optional"]),
    ("DeploymentAction='OptionalInstallation' and BrowseOnly=1", ["optional"]),
    ("DeploymentAction='optionalinstallation' and AutoSelectOnWebSites=0", ["optional"]),
    ("DeploymentAction='Uninstallation'", ["uninstall"]),
    ("DeploymentAction='Detection'", ["detect"]),
    ("DeploymentAction='Installation' and IsHidden=1", ["hidden"]),
    # the implicit DeploymentAction applies per group
    (
        "DeploymentAction='Detection' or IsInstalled=1",
        ["installed", "detect"],
    ),
    # GUIDs compare case-insensitively, in both the criteria and the subject
    ("UpdateID='aaaaaaaa-0000-0000-0000-000000000002'", ["installed"]),
    ("UpdateID='AAAAAAAA-0000-0000-0000-000000000001'", ["pending"]),
    (
        "UpdateID!='aaaaaaaa-0000-0000-0000-000000000001' and IsInstalled=0 and IsHidden=0",
        ["driver", "critical"],
    ),
    ("UpdateID='aaaaaaaa-0000-0000-0000-000000000002' and RevisionNumber=200", ["installed"]),
    ("UpdateID='aaaaaaaa-0000-0000-0000-000000000002' and RevisionNumber=1", []),
    ("UpdateID='aaaaaaaa-0000-0000-0000-000000000001' and RevisionNumber=1", ["pending"]),
    (f"CategoryIDs contains '{SECURITY.lower()}'", ["pending", "installed", "hidden"]),
    (f"CategoryIDs contains '{CRITICAL.lower()}'", ["critical"]),
    (
        f"CategoryIDs contains '{WINDOWS.upper()}' and IsInstalled=0",
        ["pending", "hidden", "critical"],
    ),
    (f"CategoryIDs contains '{DRIVERS}' or Type='Driver'", ["driver"]),
    ("CategoryIDs contains 'ffffffff-ffff-ffff-ffff-ffffffffffff'", []),
    # or of groups, parentheses and contradictory groups
    ("(IsHidden=1) or (RebootRequired=1 and IsInstalled=0)", ["hidden", "critical"]),
    ("IsInstalled=0 and IsInstalled=1", []),
]


@pytest.mark.parametrize(("text", "names"), CASES, ids=[t or "<default>" for t, _ in CASES])
def test_select_finds_exactly_the_expected_subjects(text: str, names: list[str]) -> None:
    assert [s.name for s in select(parse(text), SUBJECTS)] == names


def test_select_keeps_order_and_accepts_any_iterable() -> None:
    reversed_subjects = reversed(SUBJECTS)
    found = select(parse("IsInstalled=0 and IsHidden=0"), reversed_subjects)
    assert [s.name for s in found] == ["critical", "driver", "pending"]


def test_every_subject_field_is_read_by_some_case() -> None:
    """Guards the table above: flipping any one field changes some case's answer."""
    flips = {
        "type": UpdateType.utDriver,
        "deployment_action": DeploymentAction.daDetection,
        "is_assigned": False,
        "browse_only": True,
        "auto_select_on_web_sites": False,
        "is_installed": True,
        "is_hidden": True,
        "is_present": True,
        "reboot_required": True,
        "update_id": "aaaaaaaa-0000-0000-0000-000000000002",
        "revision_number": 200,
        "category_ids": (CRITICAL,),
    }
    base = SUBJECTS[0]
    for field, value in flips.items():
        changed = replace(base, **{field: value})  # type: ignore[arg-type]
        assert any(
            matches(parse(text), base) != matches(parse(text), changed) for text, _ in CASES
        ), field


subjects = st.builds(
    Subject,
    name=st.just("random"),
    update_id=st.uuids().map(str),
    type=st.sampled_from(UpdateType),
    deployment_action=st.sampled_from(DeploymentAction),
    revision_number=st.integers(-5, 5),
    category_ids=st.lists(st.sampled_from([SECURITY, CRITICAL, DRIVERS, WINDOWS]), max_size=3),
)


@given(subjects, st.sampled_from(["Type='Software'", "Type='Driver'", f"UpdateID='{SECURITY}'"]))
def test_not_equal_is_the_complement_of_equal(subject: Subject, equal: str) -> None:
    unequal = equal.replace("=", "!=", 1)
    if subject.deployment_action is DeploymentAction.daInstallation:
        assert matches(parse(equal), subject) != matches(parse(unequal), subject)
    else:  # neither group names DeploymentAction, so both imply Installation
        assert not matches(parse(equal), subject)
        assert not matches(parse(unequal), subject)


@given(criteria_trees(), subjects)
def test_or_is_any_of_the_groups(tree: Criteria, subject: Subject) -> None:
    each = [matches(Criteria((group,)), subject) for group in tree.groups]
    assert matches(tree, subject) == any(each)


def test_the_test_subject_satisfies_the_protocol() -> None:
    subject: CriteriaSubject = SUBJECTS[0]
    assert matches(parse("IsInstalled=0"), subject)
