"""Supersedence: within a lineage only the newest update is offered, previews never hide
the month's cumulative update, and the default host's search looks like Windows Update's."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wua.emulator.catalog import Catalog
from wua.emulator.catalog.default import default_catalog
from wua.emulator.catalog.families import Draft
from wua.emulator.catalog.fleet import generate_hosts
from wua.emulator.catalog.supersedence import link_lineages, with_supersedence
from wua.emulator.wua.selection import SearchRequest, select_updates
from wua.reference import classification

DEFAULT_CRITERIA = "IsInstalled=0 and IsHidden=0"
DAY0 = datetime(2026, 1, 1, 17, 0, tzinfo=UTC)


def draft(name: str, day: int, lineage: str = "cu", *, optional: bool = False) -> Draft:
    """A minimal draft: its UpdateID is its name, so expected links read as names."""
    document: dict[str, object] = {
        "identity": {"update_id": name, "revision_number": 1},
        "kb_article_ids": [name],
    }
    if optional:
        document["browse_only"] = True
    return Draft(document, DAY0 + timedelta(days=day), (), "test", lineage)


# (drafts, in any order; the links link_lineages makes, by name)
LINK_TABLE: list[tuple[list[Draft], dict[str, tuple[str, ...]]]] = [
    ([draft("b", 30), draft("a", 0)], {"a": (), "b": ("a",)}),
    (
        [draft("a", 0), draft("b", 30), draft("c", 60)],
        {"a": (), "b": ("a",), "c": ("b",)},
    ),
    (  # a preview replaces only the previous preview; the next CU replaces both
        [draft("cu1", 0), draft("p1", 20, optional=True), draft("cu2", 30)],
        {"cu1": (), "p1": (), "cu2": ("cu1", "p1")},
    ),
    (
        [draft("p1", 20, optional=True), draft("p2", 50, optional=True), draft("cu", 60)],
        {"p1": (), "p2": ("p1",), "cu": ("p2",)},
    ),
    (  # same day: the optional one counts as the older
        [draft("cu", 5), draft("p", 5, optional=True)],
        {"p": (), "cu": ("p",)},
    ),
    (  # same day, both required: KB order
        [draft("KB2", 5), draft("KB1", 5)],
        {"KB1": (), "KB2": ("KB1",)},
    ),
    (  # lineages do not mix; no lineage, no links
        [draft("a", 0, "x"), draft("b", 10, "y"), draft("c", 20, "x"), draft("d", 30, "")],
        {"a": (), "b": (), "c": ("a",)},
    ),
]


@pytest.mark.parametrize(("drafts", "expected"), LINK_TABLE)
def test_link_table(drafts: list[Draft], expected: dict[str, tuple[str, ...]]) -> None:
    assert link_lineages(drafts) == expected


def test_real_links_are_kept_first_and_not_repeated() -> None:
    older = draft("a", 0)
    newer = draft("b", 30)
    newer.document["superseded_update_ids"] = ["real-1", "a"]
    linked = with_supersedence([newer, older])
    assert [d.update_id for d in linked] == ["b", "a"]
    assert linked[0].document["superseded_update_ids"] == ["real-1", "a"]
    assert "superseded_update_ids" not in linked[1].document


drafts_strategy = st.lists(
    st.tuples(st.sampled_from(("x", "y")), st.integers(0, 20), st.booleans()),
    max_size=12,
).map(
    lambda rows: [
        draft(f"u{i}", day, lineage, optional=optional)
        for i, (lineage, day, optional) in enumerate(rows)
    ]
)


@given(drafts_strategy)
def test_only_the_newest_of_each_kind_stays_unsuperseded(drafts: list[Draft]) -> None:
    """What a search without IncludePotentiallySupersededUpdates keeps, per lineage: the
    newest required update, and the newest preview when nothing required came after it."""
    links = link_lineages(drafts)
    superseded = {uid for targets in links.values() for uid in targets}
    kept = {d.update_id for d in drafts} - superseded

    def order(d: Draft) -> tuple[object, ...]:
        return (d.posted, not d.document.get("browse_only", False), d.update_id)

    expected = set()
    for lineage in {d.lineage for d in drafts}:
        members = sorted((d for d in drafts if d.lineage == lineage), key=order)
        required = [d for d in members if not d.document.get("browse_only")]
        if required:
            expected.add(required[-1].update_id)
        if members and members[-1].document.get("browse_only"):
            expected.add(members[-1].update_id)
    assert kept == expected


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


def _titles(catalog: Catalog, *, superseded_too: bool) -> list[str]:
    request = SearchRequest(DEFAULT_CRITERIA, include_potentially_superseded=superseded_too)
    return [u.title for u in select_updates(catalog, request)]


KINDS = (
    "2026-06 Cumulative Update for Microsoft server",
    "Servicing Stack Update",
    "Security Intelligence Update",
    "Malicious Software Removal Tool",
    "KB5007651",
    "Cumulative Update for .NET Framework",
    "Microsoft .NET Framework 4.8.1",
)


def _kind(title: str) -> str:
    return next((k for k in KINDS if k in title), "other")


def test_default_search_shows_what_windows_update_would(catalog: Catalog) -> None:
    titles = _titles(catalog, superseded_too=False)
    assert len(titles) == 11
    kinds = Counter(_kind(t) for t in titles)
    assert kinds == {
        "2026-06 Cumulative Update for Microsoft server": 1,
        "Servicing Stack Update": 1,
        "Security Intelligence Update": 1,
        "Malicious Software Removal Tool": 1,
        "KB5007651": 1,
        "Cumulative Update for .NET Framework": 1,
        "Microsoft .NET Framework 4.8.1": 2,
        "other": 3,  # drivers of three devices (the fourth is hidden)
    }
    assert not any("Preview" in t for t in titles)


def test_superseded_pending_updates_show_when_asked(catalog: Catalog) -> None:
    everything = _titles(catalog, superseded_too=True)
    assert len(everything) == 39  # the 40 pending but the hidden driver
    assert sum("Cumulative Update for Microsoft server" in t for t in everything) >= 15
    assert sum("Cumulative Update Preview" in t for t in everything) == 1
    assert sum("Cumulative Update for .NET" in t for t in everything) == 2
    assert sum("KB2267602" in t for t in everything) == 2
    assert sum("KB890830" in t for t in everything) == 2
    assert set(_titles(catalog, superseded_too=False)) <= set(everything)


def test_every_older_pending_update_is_superseded_transitively(catalog: Catalog) -> None:
    """Following the links from the newest cumulative update reaches every older one."""
    by_id = {u.update_id: u for u in catalog.updates}
    security = classification("Security Updates").id
    cumulative = [u for u in catalog.searchable_updates if security in u.categories]
    newest = max(cumulative, key=lambda u: u.last_deployment_change_time)
    reached: set[str] = set()
    frontier = [newest.update_id]
    while frontier:
        current = by_id.get(frontier.pop())
        if current is None:
            continue  # a real KB link to an update this host does not have
        for uid in current.superseded_update_ids:
            if uid not in reached:
                reached.add(uid)
                frontier.append(uid)
    assert {u.update_id for u in cumulative} - {newest.update_id} <= reached


def test_fleet_hosts_offer_at_most_one_update_per_lineage() -> None:
    security = classification("Security Updates").id
    rollups = classification("Update Rollups").id
    definitions = classification("Definition Updates").id
    offering_security = 0
    for host in generate_hosts(12, seed=3):
        offered = select_updates(host, SearchRequest(DEFAULT_CRITERIA))
        for category in (security, rollups, definitions):
            assert sum(category in u.categories for u in offered) <= 1, host.host.name
        offering_security += any(security in u.categories for u in offered)
    assert offering_security >= 3  # the check above saw hosts with pending security updates
