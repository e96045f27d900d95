"""One naming rule for client attributes and emulated catalog fields."""

from __future__ import annotations

import pytest

from wua.client.naming import snake_case as client_name
from wua.emulator.wua.names import field_name
from wua.reference.interfaces import interfaces_by_name
from wua.reference.names import snake_case

MEMBER_NAMES = sorted({m.name for i in interfaces_by_name().values() for m in i.members})

# (member, name): the split rules and both exceptions.
VECTORS = [
    ("KBArticleIDs", "kb_article_ids"),
    ("IsDefaultAUService", "is_default_au_service"),
    ("UpdateID", "update_id"),
    ("RecommendedCpuSpeed", "recommended_cpu_speed"),
    ("HResult", "hresult"),
    ("_NewEnum", "new_enum"),
    ("Title", "title"),
]


@pytest.mark.parametrize(("member", "name"), VECTORS)
def test_vectors(member: str, name: str) -> None:
    assert snake_case(member) == name


def test_the_reference_has_its_members() -> None:
    assert len(MEMBER_NAMES) >= 200


@pytest.mark.parametrize("member", MEMBER_NAMES)
def test_client_and_emulator_name_every_member_alike(member: str) -> None:
    name = snake_case(member)
    assert client_name(member) == field_name(member) == name
    assert name.isidentifier() and name == name.lower() and "__" not in name
