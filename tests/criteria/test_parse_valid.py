"""Valid criteria -> the tree they mean (names, keywords, spacing, parentheses, escapes)."""

from __future__ import annotations

import pytest

from tests.criteria.builders import CONTAINS, CRITICAL, EQ, NE, SECURITY, UPDATE_A, any_of, c, one
from wua.criteria import DEFAULT_CRITERIA, Criteria, Property, parse

P = Property

VALID: list[tuple[str, Criteria]] = [
    # the agent default for empty criteria
    ("", one(c(P.IS_INSTALLED, EQ, 0), c(P.IS_HIDDEN, EQ, 0))),
    # MS documentation's common queries
    ("IsInstalled=0 and IsHidden=0", one(c(P.IS_INSTALLED, EQ, 0), c(P.IS_HIDDEN, EQ, 0))),
    ("IsInstalled=1", one(c(P.IS_INSTALLED, EQ, 1))),
    (
        "IsInstalled=0 and Type='Software' and IsHidden=0",
        one(c(P.IS_INSTALLED, EQ, 0), c(P.TYPE, EQ, "Software"), c(P.IS_HIDDEN, EQ, 0)),
    ),
    (
        f"IsInstalled=0 and CategoryIDs contains '{SECURITY}'",
        one(c(P.IS_INSTALLED, EQ, 0), c(P.CATEGORY_IDS, CONTAINS, SECURITY)),
    ),
    # every property, with each operator it allows
    ("Type != 'Driver'", one(c(P.TYPE, NE, "Driver"))),
    ("DeploymentAction='Uninstallation'", one(c(P.DEPLOYMENT_ACTION, EQ, "Uninstallation"))),
    ("DeploymentAction='Detection'", one(c(P.DEPLOYMENT_ACTION, EQ, "Detection"))),
    (
        "DeploymentAction='OptionalInstallation'",
        one(c(P.DEPLOYMENT_ACTION, EQ, "OptionalInstallation")),
    ),
    ("IsAssigned=1", one(c(P.IS_ASSIGNED, EQ, 1))),
    ("AutoSelectOnWebSites=0", one(c(P.AUTO_SELECT_ON_WEB_SITES, EQ, 0))),
    ("BrowseOnly=1", one(c(P.BROWSE_ONLY, EQ, 1))),
    (f"UpdateID='{UPDATE_A}'", one(c(P.UPDATE_ID, EQ, UPDATE_A))),
    (f"UpdateID!='{UPDATE_A}'", one(c(P.UPDATE_ID, NE, UPDATE_A))),
    (
        f"UpdateID='{UPDATE_A}' and RevisionNumber=201",
        one(c(P.UPDATE_ID, EQ, UPDATE_A), c(P.REVISION_NUMBER, EQ, 201)),
    ),
    (
        f"RevisionNumber=-7 and UpdateID='{UPDATE_A}'",
        one(c(P.REVISION_NUMBER, EQ, -7), c(P.UPDATE_ID, EQ, UPDATE_A)),
    ),
    ("IsPresent=1", one(c(P.IS_PRESENT, EQ, 1))),
    ("RebootRequired=0", one(c(P.REBOOT_REQUIRED, EQ, 0))),
    # names, keywords and 'contains' are case-insensitive; values are kept as written
    (
        "isinstalled=0 AND ISHIDDEN=0 Or type='software'",
        any_of((c(P.IS_INSTALLED, EQ, 0), c(P.IS_HIDDEN, EQ, 0)), (c(P.TYPE, EQ, "software"),)),
    ),
    (f"categoryids CONTAINS '{CRITICAL}'", one(c(P.CATEGORY_IDS, CONTAINS, CRITICAL))),
    # whitespace: optional around operators, any amount, tabs and line breaks
    (f"CategoryIDscontains'{SECURITY}'", one(c(P.CATEGORY_IDS, CONTAINS, SECURITY))),
    (
        "  IsInstalled \t=\t 0  and\n\tIsHidden   =1 ",
        one(c(P.IS_INSTALLED, EQ, 0), c(P.IS_HIDDEN, EQ, 1)),
    ),
    ("Type!='Driver'", one(c(P.TYPE, NE, "Driver"))),
    # 'and' binds tighter than 'or'
    (
        "IsInstalled=0 and IsHidden=0 or IsInstalled=1 and IsPresent=1",
        any_of(
            (c(P.IS_INSTALLED, EQ, 0), c(P.IS_HIDDEN, EQ, 0)),
            (c(P.IS_INSTALLED, EQ, 1), c(P.IS_PRESENT, EQ, 1)),
        ),
    ),
    # parentheses: around groups, around single criteria, nested, around the whole
    (
        "(IsInstalled=0 and IsHidden=0) or (IsPresent=1)",
        any_of((c(P.IS_INSTALLED, EQ, 0), c(P.IS_HIDDEN, EQ, 0)), (c(P.IS_PRESENT, EQ, 1),)),
    ),
    (
        "(IsInstalled=0) and (IsHidden=0)",
        one(c(P.IS_INSTALLED, EQ, 0), c(P.IS_HIDDEN, EQ, 0)),
    ),
    (
        "((IsInstalled=0 and (IsHidden=0)) and ((BrowseOnly=1)))",
        one(c(P.IS_INSTALLED, EQ, 0), c(P.IS_HIDDEN, EQ, 0), c(P.BROWSE_ONLY, EQ, 1)),
    ),
    (
        "( IsInstalled=1 or IsHidden=1 )",
        any_of((c(P.IS_INSTALLED, EQ, 1),), (c(P.IS_HIDDEN, EQ, 1),)),
    ),
    (
        "((IsInstalled=1 or IsHidden=1))",
        any_of((c(P.IS_INSTALLED, EQ, 1),), (c(P.IS_HIDDEN, EQ, 1),)),
    ),
    # repeated names are allowed (they simply all have to hold)
    ("IsInstalled=0 and IsInstalled=1", one(c(P.IS_INSTALLED, EQ, 0), c(P.IS_INSTALLED, EQ, 1))),
    # integers: leading zeros and a signed zero
    ("IsInstalled=00", one(c(P.IS_INSTALLED, EQ, 0))),
    ("IsInstalled=-0", one(c(P.IS_INSTALLED, EQ, 0))),
    (
        f"UpdateID='{UPDATE_A}' and RevisionNumber=2147483647",
        one(c(P.UPDATE_ID, EQ, UPDATE_A), c(P.REVISION_NUMBER, EQ, 2**31 - 1)),
    ),
    (
        f"UpdateID='{UPDATE_A}' and RevisionNumber=-2147483648",
        one(c(P.UPDATE_ID, EQ, UPDATE_A), c(P.REVISION_NUMBER, EQ, -(2**31))),
    ),
]


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[t or "<empty>" for t, _ in VALID])
def test_valid_criteria_parse_to_the_expected_tree(text: str, expected: Criteria) -> None:
    assert parse(text) == expected


def test_empty_criteria_are_the_agent_default() -> None:
    assert parse("") == DEFAULT_CRITERIA
    assert parse("IsInstalled = 0 and IsHidden = 0") == DEFAULT_CRITERIA
