"""Invalid criteria -> InvalidCriteria at the offending token, with a readable message.

Each row is (criteria, zero-based position, message fragment); every rule of the language
has at least one row.
"""

from __future__ import annotations

import pytest

from tests.criteria.builders import SECURITY, UPDATE_A
from wua.criteria import parse
from wua.criteria.parser import MAX_NESTING
from wua.errors import InvalidCriteria
from wua.reference.hresults import WU_E_INVALID_CRITERIA

INVALID: list[tuple[str, int, str]] = [
    # unknown names
    ("Title='x'", 0, "unknown property name 'Title'"),
    ("IsInstalled=0 and IsInstaled=0", 18, "unknown property name 'IsInstaled'"),
    ("IsInstalled2=0", 0, "unknown property name"),
    # keyword where a name belongs, missing name
    ("and IsInstalled=0", 0, "expected a property name, found 'and'"),
    ("=0", 0, "expected a property name or '('"),
    ("IsInstalled=0 and", 17, "found the end of the criteria"),
    # operators per name
    ("IsInstalled contains 1", 12, "'contains' is allowed only with CategoryIDs"),
    (f"UpdateID contains '{UPDATE_A}'", 9, "'contains' is allowed only with CategoryIDs"),
    (f"CategoryIDs = '{SECURITY}'", 12, "CategoryIDs allows only 'contains'"),
    (f"CategoryIDs != '{SECURITY}'", 12, "'!=' is allowed only with Type and UpdateID"),
    ("IsHidden != 1", 9, "'!=' is allowed only with Type and UpdateID"),
    ("DeploymentAction != 'Installation'", 17, "'!=' is allowed only with Type and UpdateID"),
    ("IsInstalled 0", 12, "expected an operator ('=', '!=' or 'contains') after IsInstalled"),
    ("IsInstalled == 0", 13, "expected a value after IsInstalled ="),
    ("IsInstalled <> 0", 12, "unexpected character '<'"),
    ("IsInstalled ! 0", 12, "unexpected character '!'"),
    # values: missing, wrong kind, out of the allowed set
    ("IsInstalled =", 13, "expected a value after IsInstalled ="),
    ("IsInstalled = 2", 14, "IsInstalled takes 0 or 1: found 2"),
    ("IsHidden = -1", 11, "IsHidden takes 0 or 1"),
    ("RebootRequired = '1'", 17, "RebootRequired takes 0 or 1, not a string"),
    ("Type = 1", 7, "Type takes 'Software' or 'Driver', not an integer"),
    ("Type = 'Firmware'", 7, "Type takes 'Software' or 'Driver': found 'Firmware'"),
    ("DeploymentAction = 'Install'", 19, "'Installation' or 'Uninstallation'"),
    ("DeploymentAction = *", 19, "unexpected character '*'"),
    # GUIDs
    ("UpdateID = 'not-a-guid'", 11, "'not-a-guid' is not a GUID"),
    (f"UpdateID = '{{{UPDATE_A}}}'", 11, "is not a GUID"),
    (f"UpdateID = '{UPDATE_A[:-1]}'", 11, "is not a GUID"),
    (f"UpdateID = '{UPDATE_A}0'", 11, "is not a GUID"),
    ("CategoryIDs contains '0FA1201D43304FA88AE9B877473B6441'", 21, "is not a GUID"),
    ("CategoryIDs contains 'ZFA1201D-4330-4FA8-8AE9-B877473B6441'", 21, "is not a GUID"),
    ("UpdateID = 5", 11, "UpdateID takes a GUID string"),
    # integers
    ("IsInstalled=0x1", 12, "malformed integer '0x1'"),
    ("IsInstalled=1.0", 12, "malformed integer '1.0'"),
    ("IsInstalled=1e0", 12, "malformed integer '1e0'"),
    ("IsInstalled=+1", 12, "unexpected character '+'"),
    ("IsInstalled=-", 12, "'-' must be followed by base-10 digits"),
    ("IsInstalled=--1", 12, "'-' must be followed by base-10 digits"),
    ("IsInstalled=١", 12, "unexpected character"),  # an Arabic-Indic digit is not DIGIT
    (f"UpdateID='{UPDATE_A}' and RevisionNumber=2147483648", 67, "outside the LONG range"),
    # RevisionNumber needs UpdateID = in the same group
    ("RevisionNumber=3", 0, "RevisionNumber is allowed only in a group that also has UpdateID"),
    (f"UpdateID!='{UPDATE_A}' and RevisionNumber=3", 53, "RevisionNumber is allowed only"),
    (f"UpdateID='{UPDATE_A}' or RevisionNumber=3", 51, "RevisionNumber is allowed only"),
    # 'or' inside a parenthesised group that is joined with others
    (
        "(IsInstalled=0) and (IsHidden=1 or IsPresent=0)",
        32,
        "'or' is allowed only between top-level groups",
    ),
    ("(IsInstalled=0 or IsHidden=1) or IsPresent=1", 15, "'or' is allowed only between top-level"),
    ("IsPresent=1 and (IsInstalled=0 or IsHidden=1)", 31, "'or' is allowed only between top-level"),
    # whitespace is required around and/or
    ("IsInstalled=0and IsHidden=0", 13, "'and' needs whitespace before it"),
    ("IsInstalled=0 andIsHidden=0", 14, "'and' needs whitespace after it"),
    ("IsInstalled=0 and(IsHidden=0)", 17, "'and' needs whitespace after it"),
    ("(IsInstalled=1)or(IsHidden=1)", 15, "'or' needs whitespace before it"),
    ("Type='Software'or IsHidden=1", 15, "'or' needs whitespace before it"),
    ("IsInstalled=1 OrIsHidden=1", 14, "'Or' needs whitespace after it"),
    # missing keyword between criteria, trailing garbage
    (
        "Type='Driver' IsInstalled=0",
        14,
        "expected 'and' or 'or' after 'Driver', found 'IsInstalled'",
    ),
    ("IsInstalled=0 IsHidden=0", 14, "expected 'and' or 'or' after '0'"),
    ("IsInstalled=0 xor IsHidden=0", 14, "expected 'and' or 'or' after '0', found 'xor'"),
    ("IsInstalled=0 ;", 14, "unexpected character ';'"),
    ("IsInstalled=0 'x'", 14, "expected 'and' or 'or' after '0', found 'x'"),
    # parentheses
    ("(IsInstalled=0", 0, "unclosed '('"),
    ("((IsInstalled=0)", 0, "unclosed '('"),
    ("IsInstalled=0)", 13, "unmatched ')'"),
    ("(IsInstalled=0))", 15, "unmatched ')'"),
    ("()", 1, "expected a property name or '(', found ')'"),
    ("(IsInstalled=0 IsHidden=0)", 15, "expected 'and', 'or' or ')' after '0'"),
    ("(IsInstalled)=0", 12, "expected an operator"),
    # strings
    ("Type = 'Software", 7, "unterminated string"),
    ("Type = '", 7, "unterminated string"),
    ("Type = 'Soft''ware'", 12, 'a quote inside a string is written "[\']"'),
    ("Type = 'Soft[x]ware'", 12, "'[' inside a string must start one of the escapes"),
    ("Type = 'Soft[ware'", 12, "'[' inside a string must start one of the escapes"),
    ("Type = 'Soft]ware'", 12, "a ']' inside a string must be escaped as '[]]'"),
    ('Type = "Software"', 7, "unexpected character '\"'"),
    # blank criteria are not the empty string
    (" ", 0, "criteria are only whitespace"),
    ("\t\n  ", 0, "criteria are only whitespace"),
]


@pytest.mark.parametrize(("text", "position", "fragment"), INVALID, ids=[t for t, _, _ in INVALID])
def test_invalid_criteria_name_the_offending_token(text: str, position: int, fragment: str) -> None:
    with pytest.raises(InvalidCriteria) as caught:
        parse(text)
    error = caught.value
    assert fragment in str(error)
    assert error.position == position
    assert error.criteria == text
    assert error.hresult == WU_E_INVALID_CRITERIA == 0x80240032


def test_the_message_points_at_the_token() -> None:
    with pytest.raises(InvalidCriteria) as caught:
        parse("IsInstalled=0 and Colour=1")
    lines = str(caught.value).splitlines()
    text_line = lines.index("  IsInstalled=0 and Colour=1")
    assert lines[text_line + 1].index("^") == lines[text_line].index("Colour")


def test_deep_nesting_is_refused_not_a_crash() -> None:
    inner = "IsInstalled=0"
    assert parse("(" * MAX_NESTING + inner + ")" * MAX_NESTING) == parse(inner)
    too_deep = "(" * 5000 + inner + ")" * 5000
    with pytest.raises(InvalidCriteria, match="nested deeper") as caught:
        parse(too_deep)
    assert caught.value.position == MAX_NESTING
