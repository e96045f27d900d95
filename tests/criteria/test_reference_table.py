"""The rule table agrees with the criteria table of the shared WUA reference.

Read independently of the package, so a typo in either shows up here.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import SHARED
from wua.criteria import Operator, Property
from wua.criteria.properties import RULES, ValueKind

ROW = re.compile(r"^\| (\w+) \| (string|int)[^|]*\| ([^|]+) \|", re.MULTILINE)


def _reference_rows() -> dict[str, tuple[str, set[str]]]:
    readme = SHARED / "wua-reference" / "README.md"
    if not readme.is_file():
        pytest.skip(f"{readme} is not beside this checkout")
    text = readme.read_text("utf-8")
    section = text.split("## Search criteria", 1)[1].split("\n## ", 1)[0]
    return {
        name: (kind, {op.strip() for op in ops.split(",")})
        for name, kind, ops in ROW.findall(section)
    }


def test_every_property_of_the_reference_table_has_the_same_rule() -> None:
    rows = _reference_rows()
    assert set(rows) == {p.value for p in Property}
    for name, (kind, operators) in rows.items():
        rule = RULES[Property(name)]
        assert {o.value for o in rule.operators} == operators, name
        assert rule.takes_string == (kind == "string"), name


def test_booleans_and_choices_follow_the_reference() -> None:
    booleans = {p for p, r in RULES.items() if r.kind is ValueKind.BOOLEAN}
    assert {p.value for p in booleans} == {
        "IsAssigned", "AutoSelectOnWebSites", "BrowseOnly", "IsInstalled",
        "IsHidden", "IsPresent", "RebootRequired",
    }  # fmt: skip
    assert RULES[Property.TYPE].choice_spellings() == ("Software", "Driver")
    assert RULES[Property.DEPLOYMENT_ACTION].choice_spellings() == (
        "Installation", "Uninstallation", "Detection", "OptionalInstallation",
    )  # fmt: skip
    assert Operator.CONTAINS in RULES[Property.CATEGORY_IDS].operators
