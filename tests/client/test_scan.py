"""`scan_pending`: one Search, classifications from RootCategories, rows as the catalog
has them; unclassified updates found by UpdateID; calls per update within budget."""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import wua
from wua.client.scan import DRIVERS, ScanRow, _merge, scan_pending
from wua.emulator.catalog import Catalog, Update, default_catalog
from wua.emulator.server import FleetThread, HostConfig
from wua.emulator.wua.selection import SearchRequest, select_updates
from wua.reference.coclasses import classifications
from wua.reference.enums import InstallationRebootBehavior, UpdateType

ADMIN = ("Administrator", "Passw0rd!")
PLAIN, UNCLASSIFIED = "127.0.53.1", "127.0.53.2"
NAMES = {c.id: c.name for c in classifications()}


def _without_classification(update: Update) -> Update:
    return dataclasses.replace(
        update,
        categories=tuple(c for c in update.categories if c not in NAMES),
        category_ids=tuple(c for c in update.category_ids if c not in NAMES),
    )


def unclassified_catalog() -> tuple[Catalog, str]:
    """The default catalog with one found software update stripped of its classification."""
    catalog = default_catalog()
    found = select_updates(catalog, SearchRequest("IsInstalled=0"))
    victim = next(u for u in found if u.type is UpdateType.utSoftware and u.cve_ids)
    updates = tuple(_without_classification(u) if u is victim else u for u in catalog.updates)
    return dataclasses.replace(catalog, updates=updates), victim.update_id


@pytest.fixture(scope="module")
def hosts() -> Iterator[FleetThread]:
    odd, _ = unclassified_catalog()
    with FleetThread(
        [
            HostConfig(PLAIN, default_catalog(), resolver_port=0),
            HostConfig(UNCLASSIFIED, odd, resolver_port=0),
        ]
    ) as running:
        yield running


def _target(hosts: FleetThread, address: str) -> str:
    host = next(h for h in hosts.hosts if h.config.address == address)
    return f"{address}:{host.resolver_port}"


def _expected(catalog: Catalog) -> dict[str, tuple[object, ...]]:
    out: dict[str, tuple[object, ...]] = {}
    for u in select_updates(catalog, SearchRequest("IsInstalled=0")):
        out[u.update_id] = (
            u.title,
            u.identity.revision_number,
            u.kb_article_ids,
            u.cve_ids,
            u.msrc_severity or None,
            tuple(NAMES[c] for c in u.category_ids if c in NAMES),
            u.type,
            u.installation_behavior.reboot_behavior,
        )
    return out


def _actual(row: ScanRow) -> tuple[object, ...]:
    return (
        row.title,
        row.revision_number,
        row.kb_article_ids,
        row.cve_ids,
        row.msrc_severity,
        row.classifications,
        row.type,
        row.reboot_behavior,
    )


async def test_rows_match_the_catalog_from_one_search(hosts: FleetThread) -> None:
    catalog = hosts.hosts[0].config.catalog
    async with wua.aio.connect(_target(hosts, PLAIN), *ADMIN, pool_size=8) as session:
        rows = await scan_pending(session)
        assert session.calls.by_member["IUpdateSearcher::Search"] == 1
        assert session.calls.by_member["ISearchResult::RootCategories"] == 1
        assert session.calls.by_member["IUpdate::Type"] == 0  # known from the classification
    expected = _expected(catalog)
    assert {r.update_id: _actual(r) for r in rows} == expected
    assert {r.classification for r in rows} >= {"Security Updates", "Drivers"}
    drivers = [
        r
        for r in rows
        if DRIVERS in [c.id for c in classifications() if c.name in r.classifications]
    ]
    assert drivers and {r.type for r in drivers} == {UpdateType.utDriver}
    row = rows[0]
    assert isinstance(row.max_download_size, Decimal) and row.max_download_size > 0
    assert isinstance(row.last_deployment_change_time, _dt.datetime)
    assert isinstance(row.reboot_behavior, InstallationRebootBehavior)
    # releases included (after close): ~14 reads per row, and a fixed part (the search,
    # about four calls per root category, releases) that no longer vanishes in the ratio
    # now that the default host offers only a dozen updates
    assert session.calls.total <= 15 * len(rows) + 60


async def test_an_unclassified_update_is_found_by_update_id(hosts: FleetThread) -> None:
    catalog = hosts.hosts[1].config.catalog
    _, victim = unclassified_catalog()
    async with wua.aio.connect(_target(hosts, UNCLASSIFIED), *ADMIN) as session:
        rows = await scan_pending(session)
        assert session.calls.by_member["IUpdateSearcher::Search"] == 1
        assert session.calls.by_member["IUpdate::Type"] == 1  # only the unclassified one
    by_id = {r.update_id: r for r in rows}
    assert by_id[victim].classifications == () and by_id[victim].classification is None
    assert by_id[victim].type is UpdateType.utSoftware and by_id[victim].cve_ids
    assert {i: _actual(r) for i, r in by_id.items()} == _expected(catalog)


def test_sync_facade_with_a_prepared_searcher(hosts: FleetThread) -> None:
    with wua.connect(_target(hosts, PLAIN), *ADMIN) as host:
        searcher = host.update_session.create_update_searcher()
        searcher.online = False
        rows = host.scan_pending("IsInstalled=0 and Type='Driver'", searcher=searcher)
    assert rows and {r.type for r in rows} == {UpdateType.utDriver}
    assert {r.classification for r in rows} == {"Drivers"}


def _row(update_id: str, classification: str) -> ScanRow:
    return ScanRow(
        title="t",
        update_id=update_id,
        revision_number=1,
        kb_article_ids=(),
        cve_ids=(),
        msrc_severity=None,
        classifications=(classification,),
        type=UpdateType.utSoftware,
        min_download_size=Decimal(0),
        max_download_size=Decimal(0),
        reboot_behavior=None,
        last_deployment_change_time=None,
    )


@pytest.mark.parametrize(
    ("rows", "merged"),
    [
        ([("a", "Updates"), ("b", "Drivers")], {"a": ("Updates",), "b": ("Drivers",)}),
        ([("a", "Updates"), ("a", "Tools")], {"a": ("Updates", "Tools")}),
        ([("a", "Updates"), ("a", "Updates")], {"a": ("Updates",)}),
    ],
)
def test_merge_keeps_every_classification_once(
    rows: list[tuple[str, str]], merged: dict[str, tuple[str, ...]]
) -> None:
    out = _merge(_row(i, c) for i, c in rows)
    assert {i: r.classifications for i, r in out.items()} == merged


@given(st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from(sorted(NAMES.values())))))
def test_merge_property(pairs: list[tuple[str, str]]) -> None:
    out = _merge(_row(i, c) for i, c in pairs)
    assert list(out) == list(dict.fromkeys(i for i, _ in pairs))  # first-seen order
    for update_id, row in out.items():
        assert row.classifications == tuple(dict.fromkeys(c for i, c in pairs if i == update_id))
