"""QueryHistory (searcher and session) and GetTotalHistoryCount: order, paging, errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.emulator_wua.helpers import call, get, items, obj
from wua.emulator.catalog import Catalog, HistoryEntry
from wua.emulator.catalog.default import default_catalog
from wua.emulator.wua import EmulatedObject, HostState, activate
from wua.errors import InvalidCriteria, WuaError

WU_E_INVALIDINDEX = 0x80240007
WU_E_INVALID_CRITERIA = 0x80240032


def newest_first(catalog: Catalog) -> list[HistoryEntry]:
    return sorted(catalog.history, key=lambda e: e.date, reverse=True)


def keys(collection: object) -> list[tuple[object, object]]:
    return [
        (get(obj(e), "IUpdateHistoryEntry", "Date"), get(obj(e), "IUpdateHistoryEntry", "Title"))
        for e in items(collection, "IUpdateHistoryEntryCollection")
    ]


def searcher() -> tuple[HostState, EmulatedObject]:
    state = HostState(default_catalog())
    session = activate(state, "Microsoft.Update.Session")
    return state, obj(call(session, "IUpdateSession", "CreateUpdateSearcher"))


def test_total_count_is_the_catalogs() -> None:
    state, s = searcher()
    assert len(state.catalog.history) > 100
    assert call(s, "IUpdateSearcher", "GetTotalHistoryCount") == len(state.catalog.history)


N = len(default_catalog().history)

# (startIndex, count) -> (first, end) of the newest-first list, or an HRESULT
PAGES: list[tuple[int, int, tuple[int, int] | int]] = [
    (0, 5, (0, 5)),
    (0, N, (0, N)),
    (0, N + 1000, (0, N)),
    (N - 1, 1, (N - 1, N)),
    (N - 3, 10, (N - 3, N)),
    (10, 1, (10, 11)),
    (N, 1, WU_E_INVALIDINDEX),
    (-1, 1, WU_E_INVALIDINDEX),
    (0, 0, WU_E_INVALIDINDEX),
    (0, -5, WU_E_INVALIDINDEX),
    (2**31 - 1, 1, WU_E_INVALIDINDEX),
]


@pytest.mark.parametrize(("start", "count", "outcome"), PAGES)
def test_query_history_paging(start: int, count: int, outcome: tuple[int, int] | int) -> None:
    state, s = searcher()
    if isinstance(outcome, int):
        with pytest.raises(WuaError) as caught:
            call(s, "IUpdateSearcher", "QueryHistory", start, count)
        assert caught.value.hresult == outcome
        return
    first, end = outcome
    page = call(s, "IUpdateSearcher", "QueryHistory", start, count)
    expected = [(e.date, e.title) for e in newest_first(state.catalog)[first:end]]
    assert keys(page) == expected


@settings(max_examples=40, deadline=None)
@given(start=st.integers(0, N - 1), count=st.integers(1, N + 5))
def test_pages_are_slices_of_one_newest_first_list(start: int, count: int) -> None:
    _, s = searcher()
    page = keys(call(s, "IUpdateSearcher", "QueryHistory", start, count))
    whole = keys(call(s, "IUpdateSearcher", "QueryHistory", 0, N))
    assert page == whole[start : start + count]
    dates = [d for d, _ in whole]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]


def session3_history(criteria: str, start: int = 0, count: int = N) -> list[tuple[object, object]]:
    state = HostState(default_catalog())
    session = activate(state, "Microsoft.Update.Session")
    return keys(call(session, "IUpdateSession3", "QueryHistory", criteria, start, count))


def test_session_history_without_criteria_is_the_searchers() -> None:
    _, s = searcher()
    assert session3_history("", 3, 7) == keys(call(s, "IUpdateSearcher", "QueryHistory", 3, 7))


def test_session_history_by_update_id() -> None:
    catalog = default_catalog()
    repeated: dict[str, list[HistoryEntry]] = {}
    for e in catalog.history:
        repeated.setdefault(e.update_identity.update_id, []).append(e)
    update_id, entries = max(repeated.items(), key=lambda kv: len(kv[1]))
    other_id = next(k for k in repeated if k != update_id)
    wanted = sorted(entries, key=lambda e: e.date, reverse=True)
    assert session3_history(f"UpdateID='{update_id.upper()}'") == [
        (e.date, e.title) for e in wanted
    ]
    both = session3_history(f"UpdateID='{update_id}' or UpdateID='{other_id}'")
    assert len(both) == len(entries) + len(repeated[other_id])


def test_session_history_of_an_update_without_history_is_invalid_index() -> None:
    with pytest.raises(WuaError) as caught:
        session3_history("UpdateID='12345678-1234-1234-1234-123456789abc'")
    assert caught.value.hresult == WU_E_INVALIDINDEX


@pytest.mark.parametrize(
    "criteria", ["IsInstalled=0", "UpdateID!='12345678-1234-1234-1234-123456789abc'", "UpdateID="]
)
def test_session_history_takes_only_update_id_criteria(criteria: str) -> None:
    with pytest.raises(InvalidCriteria) as caught:
        session3_history(criteria)
    assert caught.value.hresult == WU_E_INVALID_CRITERIA


def test_history_hresults_are_signed_longs() -> None:
    state, s = searcher()
    failed = [e for e in newest_first(state.catalog) if e.hresult & 0x80000000]
    assert failed, "the default history has failures"
    index = newest_first(state.catalog).index(failed[0])
    entry = obj(
        get(
            obj(call(s, "IUpdateSearcher", "QueryHistory", index, 1)),
            "IUpdateHistoryEntryCollection",
            "Item",
            0,
        )
    )
    value = get(entry, "IUpdateHistoryEntry", "HResult")
    assert isinstance(value, int) and value < 0
    assert value & 0xFFFFFFFF == failed[0].hresult
