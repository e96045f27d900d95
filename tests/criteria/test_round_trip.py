"""Printing and parsing are inverse; any text either parses or raises InvalidCriteria."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.criteria.builders import CONTAINS, EQ, NE, SECURITY, UPDATE_A, any_of, c, one
from tests.criteria.strategies import criteria_trees, spellings
from wua.criteria import Criteria, Property, format_criteria, parse
from wua.errors import InvalidCriteria

P = Property

# (tree, canonical text)
CANONICAL: list[tuple[Criteria, str]] = [
    (one(c(P.IS_INSTALLED, EQ, 0), c(P.IS_HIDDEN, EQ, 0)), "IsInstalled = 0 and IsHidden = 0"),
    (one(c(P.TYPE, NE, "Driver")), "Type != 'Driver'"),
    (
        one(c(P.CATEGORY_IDS, CONTAINS, SECURITY)),
        f"CategoryIDs contains '{SECURITY}'",
    ),
    (
        one(c(P.UPDATE_ID, EQ, UPDATE_A), c(P.REVISION_NUMBER, EQ, -3)),
        f"UpdateID = '{UPDATE_A}' and RevisionNumber = -3",
    ),
    (
        any_of((c(P.IS_INSTALLED, EQ, 0), c(P.IS_HIDDEN, EQ, 0)), (c(P.IS_PRESENT, EQ, 1),)),
        "(IsInstalled = 0 and IsHidden = 0) or IsPresent = 1",
    ),
    (
        any_of((c(P.BROWSE_ONLY, EQ, 1),), (c(P.DEPLOYMENT_ACTION, EQ, "detection"),)),
        "BrowseOnly = 1 or DeploymentAction = 'detection'",
    ),
    # booleans given as bool are written as the language's 0/1
    (one(c(P.REBOOT_REQUIRED, EQ, True)), "RebootRequired = 1"),
]


@pytest.mark.parametrize(("tree", "text"), CANONICAL, ids=[t for _, t in CANONICAL])
def test_canonical_text_both_ways(tree: Criteria, text: str) -> None:
    assert format_criteria(tree) == text
    assert parse(text) == tree


@pytest.mark.parametrize(
    ("sloppy", "canonical"),
    [
        ("isinstalled=0 AND ishidden=0", "IsInstalled = 0 and IsHidden = 0"),
        ("((Type='Software'))", "Type = 'Software'"),
        (f"categoryidsCONTAINS'{SECURITY}'", f"CategoryIDs contains '{SECURITY}'"),
        (
            "(IsHidden=1) and (IsInstalled=0) Or IsPresent=-0",
            "(IsHidden = 1 and IsInstalled = 0) or IsPresent = 0",
        ),
    ],
)
def test_format_normalises_spelling(sloppy: str, canonical: str) -> None:
    assert format_criteria(parse(sloppy)) == canonical


def test_format_refuses_a_tree_that_breaks_a_rule() -> None:
    with pytest.raises(InvalidCriteria, match="RevisionNumber is allowed only") as caught:
        format_criteria(one(c(P.IS_INSTALLED, EQ, 0), c(P.REVISION_NUMBER, EQ, 1)))
    assert caught.value.criteria == "IsInstalled = 0 and RevisionNumber = 1"
    assert caught.value.position == len("IsInstalled = 0 and ")
    with pytest.raises(InvalidCriteria, match="'contains' is allowed only with CategoryIDs"):
        format_criteria(one(c(P.UPDATE_ID, CONTAINS, UPDATE_A)))
    with pytest.raises(InvalidCriteria, match="IsHidden takes 0 or 1"):
        format_criteria(one(c(P.IS_HIDDEN, EQ, 7)))


def test_a_tree_needs_groups_and_terms() -> None:
    with pytest.raises(ValueError, match="at least one group"):
        Criteria(())
    with pytest.raises(ValueError, match="at least one criterion"):
        one()


@given(criteria_trees())
def test_format_then_parse_gives_the_same_tree(tree: Criteria) -> None:
    assert parse(format_criteria(tree)) == tree


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(criteria_trees().flatmap(lambda tree: st.tuples(st.just(tree), spellings(tree))))
def test_every_legal_spelling_parses_to_the_tree(case: tuple[Criteria, str]) -> None:
    tree, text = case
    assert parse(text) == tree


def _parse_or_refuse(text: str) -> None:
    """Text either parses (and then round-trips) or raises InvalidCriteria inside it."""
    try:
        tree = parse(text)
    except InvalidCriteria as error:
        assert error.criteria == text
        assert 0 <= error.position <= len(text)
        return
    assert parse(format_criteria(tree)) == tree


@given(st.text())
def test_arbitrary_text_raises_only_invalid_criteria(text: str) -> None:
    _parse_or_refuse(text)


# Fragments of the language, so that random text often gets deep into the parser.
FRAGMENTS = [
    *(p.value for p in Property),
    "and", "or", "AND", "Or", "contains", "=", "!=", "!", "(", ")", " ", " ", "\t",
    "0", "1", "-", "2", "42", "'", "''", "[", "]", "[']", "'Software'", "'Driver'",
    "'Installation'", f"'{SECURITY}'", f"'{UPDATE_A}'", "x", ".",
]  # fmt: skip


@settings(max_examples=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join))
def test_grammar_fragments_raise_only_invalid_criteria(text: str) -> None:
    _parse_or_refuse(text)
