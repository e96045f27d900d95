"""Classification lookup by name or GUID, with and without an exception for no match."""

from __future__ import annotations

import pytest

from wua.reference import classification, classification_or_none, classifications
from wua.reference.coclasses import SECURITY_UPDATES

CASES = [
    ("Security Updates", SECURITY_UPDATES),
    ("security updates", SECURITY_UPDATES),
    (SECURITY_UPDATES, SECURITY_UPDATES),
    ("Not A Classification", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected_id"), CASES)
def test_both_lookups_agree(text: str, expected_id: str | None) -> None:
    found = classification_or_none(text)
    assert (found.id if found else None) == expected_id
    if expected_id is None:
        with pytest.raises(KeyError, match="unknown classification"):
            classification(text)
    else:
        assert classification(text) == found


def test_every_classification_is_found_by_name_and_id() -> None:
    for c in classifications():
        assert classification_or_none(c.name) == classification_or_none(c.id) == c
