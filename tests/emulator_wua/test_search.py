"""IUpdateSearcher::Search: agreement with `wua.criteria` over the catalog, services,
online/offline, supersedence, scope, refusals, and the host's search log."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.emulator_wua.helpers import call, get, items, obj, put
from wua.criteria import matches, parse
from wua.emulator.catalog import Catalog, Update
from wua.emulator.catalog.default import default_catalog
from wua.emulator.wua import EmulatedObject, HostBehaviour, HostState, activate
from wua.errors import AccessDenied, InvalidCriteria, UpdateServerError, WuaError
from wua.reference.coclasses import MICROSOFT_UPDATE_SERVICE, SECURITY_UPDATES
from wua.reference.enums import SearchScope, ServerSelection

STORE_SERVICE = "855e8a7c-ecb4-4ca3-b045-1dfa50104289"
WU_E_INVALID_CRITERIA = 0x80240032
WU_E_NO_SERVICE = 0x80240001
WU_E_DS_UNKNOWNSERVICE = 0x80248014
E_INVALIDARG = 0x80070057
TIMEOUT = 0x8024401C


def searcher_on(state: HostState) -> EmulatedObject:
    session = activate(state, "Microsoft.Update.Session")
    return obj(call(session, "IUpdateSession", "CreateUpdateSearcher"))


def found_ids(searcher: EmulatedObject, criteria: str) -> list[str]:
    result = obj(call(searcher, "IUpdateSearcher", "Search", criteria))
    updates = get(result, "ISearchResult", "Updates")
    return [
        str(get(obj(get(obj(u), "IUpdate", "Identity")), "IUpdateIdentity", "UpdateID"))
        for u in items(updates, "IUpdateCollection")
    ]


def superseded_and_pending(catalog: Catalog) -> set[str]:
    """Written out here again: a pending update that another update supersedes."""
    superseding = {s.lower() for u in catalog.updates for s in u.superseded_update_ids}
    return {
        u.update_id for u in catalog.updates if u.update_id in superseding and not u.is_installed
    }


def by_criteria(catalog: Catalog, criteria: str) -> list[str]:
    parsed = parse(criteria)
    return [u.update_id for u in catalog.searchable_updates if matches(parsed, u)]


CRITERIA = [
    "",
    "IsInstalled=0",
    "IsInstalled=1",
    "IsInstalled=0 and IsHidden=0",
    "IsHidden=1",
    "Type='Driver'",
    "IsInstalled=0 and Type='Software' and IsHidden=0",
    f"IsInstalled=0 and CategoryIDs contains '{SECURITY_UPDATES.upper()}'",
    f"(IsInstalled=0 and CategoryIDs contains '{SECURITY_UPDATES}') or (Type='Driver')",
    "BrowseOnly=1",
    "RebootRequired=1 and IsInstalled=1",
    "DeploymentAction='Uninstallation'",
    "Type!='Driver' AND IsPresent=0",
]


@pytest.mark.parametrize("criteria", CRITERIA)
def test_search_with_superseded_agrees_with_the_criteria_evaluator(criteria: str) -> None:
    state = HostState(default_catalog())
    searcher = searcher_on(state)
    put(searcher, "IUpdateSearcher", "IncludePotentiallySupersededUpdates", True)
    assert found_ids(searcher, criteria) == by_criteria(state.catalog, criteria)


@pytest.mark.parametrize("criteria", CRITERIA)
def test_search_leaves_out_superseded_pending_updates_by_default(criteria: str) -> None:
    state = HostState(default_catalog())
    hidden = superseded_and_pending(state.catalog)
    expected = [u for u in by_criteria(state.catalog, criteria) if u not in hidden]
    assert found_ids(searcher_on(state), criteria) == expected


def test_the_default_catalog_makes_these_searches_meaningful() -> None:
    catalog = default_catalog()
    assert superseded_and_pending(catalog), "no superseded pending update to hide"
    assert by_criteria(catalog, "Type='Driver'")
    assert by_criteria(catalog, "IsHidden=1")


TERMS = [
    "IsInstalled=0",
    "IsInstalled=1",
    "IsHidden=0",
    "IsHidden=1",
    "Type='Software'",
    "Type!='Driver'",
    "BrowseOnly=1",
    "BrowseOnly=0",
    "IsAssigned=1",
    "AutoSelectOnWebSites=1",
    "IsPresent=1",
    "RebootRequired=0",
    f"CategoryIDs contains '{SECURITY_UPDATES}'",
    "CategoryIDs contains 'e6cf1350-c01b-414d-a61f-263d14d133b4'",
    "DeploymentAction='Installation'",
]


@settings(max_examples=60, deadline=None)
@given(
    groups=st.lists(
        st.lists(st.sampled_from(TERMS), min_size=1, max_size=3), min_size=1, max_size=3
    ),
    include_superseded=st.booleans(),
)
def test_any_criteria_agree_with_the_evaluator(
    groups: list[list[str]], include_superseded: bool
) -> None:
    criteria = " or ".join("(" + " and ".join(g) + ")" for g in groups)
    state = HostState(default_catalog())
    searcher = searcher_on(state)
    put(searcher, "IUpdateSearcher", "IncludePotentiallySupersededUpdates", include_superseded)
    expected = by_criteria(state.catalog, criteria)
    if not include_superseded:
        hidden = superseded_and_pending(state.catalog)
        expected = [u for u in expected if u not in hidden]
    assert found_ids(searcher, criteria) == expected


@pytest.mark.parametrize(
    "criteria", ["IsInstalled=", "Title='x'", "IsInstalled=0 or", "(IsInstalled=0"]
)
def test_bad_criteria_are_invalid_criteria_and_logged(criteria: str) -> None:
    state = HostState(default_catalog())
    with pytest.raises(InvalidCriteria) as caught:
        call(searcher_on(state), "IUpdateSearcher", "Search", criteria)
    assert caught.value.hresult == WU_E_INVALID_CRITERIA
    assert [(s.criteria, s.hresult) for s in state.searches] == [(criteria, WU_E_INVALID_CRITERIA)]


def test_escape_string_is_the_criteria_languages() -> None:
    from wua.criteria import escape_string

    searcher = searcher_on(HostState(default_catalog()))
    for text in ("plain", "O'Brien", "''", ""):
        assert call(searcher, "IUpdateSearcher", "EscapeString", text) == escape_string(text)


# (ServerSelection, ServiceID or None, outcome): a count of "all" / "none", or an HRESULT
SERVICES: list[tuple[ServerSelection, str | None, str | int]] = [
    (ServerSelection.ssDefault, None, "all"),
    (ServerSelection.ssWindowsUpdate, None, "all"),
    (ServerSelection.ssOthers, MICROSOFT_UPDATE_SERVICE.upper(), "all"),
    (ServerSelection.ssOthers, STORE_SERVICE, "none"),
    (ServerSelection.ssManagedServer, None, WU_E_NO_SERVICE),
    (ServerSelection.ssOthers, None, E_INVALIDARG),
    (ServerSelection.ssOthers, "12345678-1234-1234-1234-123456789abc", WU_E_DS_UNKNOWNSERVICE),
]


@pytest.mark.parametrize(("selection", "service_id", "outcome"), SERVICES)
def test_server_selection_and_service_id(
    selection: ServerSelection, service_id: str | None, outcome: str | int
) -> None:
    state = HostState(default_catalog())
    searcher = searcher_on(state)
    put(searcher, "IUpdateSearcher", "ServerSelection", int(selection))
    if service_id is not None:
        put(searcher, "IUpdateSearcher", "ServiceID", service_id)
        assert get(searcher, "IUpdateSearcher", "ServiceID") == service_id.lower()
    if isinstance(outcome, int):
        with pytest.raises(WuaError) as caught:
            call(searcher, "IUpdateSearcher", "Search", "IsInstalled=1")
        assert caught.value.hresult == outcome
        return
    found = found_ids(searcher, "IsInstalled=1")
    assert found == (by_criteria(state.catalog, "IsInstalled=1") if outcome == "all" else [])
    assert state.searches[-1].server_selection is selection


def test_a_wsus_managed_host_answers_ss_managed_server() -> None:
    catalog = default_catalog()
    wsus = replace(
        catalog.services[0],
        service_id="3da21691-e39d-4da6-8a4b-b43877bcb1b7",
        name="Windows Server Update Service",
        is_managed=True,
    )
    state = HostState(replace(catalog, services=(*catalog.services, wsus)))
    searcher = searcher_on(state)
    put(searcher, "IUpdateSearcher", "ServerSelection", int(ServerSelection.ssManagedServer))
    assert found_ids(searcher, "IsInstalled=1") == by_criteria(catalog, "IsInstalled=1")


def test_an_online_search_meets_the_update_servers_fault_and_an_offline_one_does_not() -> None:
    state = HostState(default_catalog(), HostBehaviour(search_error=TIMEOUT))
    searcher = searcher_on(state)
    with pytest.raises(UpdateServerError) as caught:
        call(searcher, "IUpdateSearcher", "Search", "IsInstalled=0")
    assert caught.value.hresult == TIMEOUT
    assert caught.value.retryable
    put(searcher, "IUpdateSearcher", "Online", False)
    assert get(searcher, "IUpdateSearcher", "Online") is False
    assert len(found_ids(searcher, "IsInstalled=1")) == len(
        by_criteria(state.catalog, "IsInstalled=1")
    )
    assert [(s.online, s.hresult) for s in state.searches] == [(True, TIMEOUT), (False, 0)]


def test_hosts_that_deny_remote_search_refuse_the_searcher() -> None:
    state = HostState(default_catalog(), HostBehaviour(deny_remote_search=True))
    session = activate(state, "Microsoft.Update.Session")
    with pytest.raises(AccessDenied):
        call(session, "IUpdateSession", "CreateUpdateSearcher")
    with pytest.raises(AccessDenied):
        activate(state, "Microsoft.Update.Searcher")
    # the rest of the session still answers
    assert get(session, "IUpdateSession", "ReadOnly") is False


def per_user_catalog() -> tuple[Catalog, Update]:
    catalog = default_catalog()
    target = next(u for u in catalog.updates if not u.is_installed and not u.is_hidden)
    changed = replace(target, per_user=True)
    updates = tuple(changed if u is target else u for u in catalog.updates)
    return replace(catalog, updates=updates), changed


@pytest.mark.parametrize(
    ("scope", "machine", "user"),
    [
        (SearchScope.searchScopeDefault, True, False),
        (SearchScope.searchScopeMachineOnly, True, False),
        (SearchScope.searchScopeCurrentUserOnly, False, True),
        (SearchScope.searchScopeMachineAndCurrentUser, True, True),
        (SearchScope.searchScopeMachineAndAllUsers, True, True),
        (SearchScope.searchScopeAllUsers, False, True),
    ],
)
def test_search_scope_splits_machine_and_user_updates(
    scope: SearchScope, machine: bool, user: bool
) -> None:
    catalog, per_user = per_user_catalog()
    searcher = searcher_on(HostState(catalog))
    put(searcher, "IUpdateSearcher3", "SearchScope", int(scope))
    put(searcher, "IUpdateSearcher", "IncludePotentiallySupersededUpdates", True)
    found = found_ids(searcher, "IsInstalled=0")
    machine_ids = [u for u in by_criteria(catalog, "IsInstalled=0") if u != per_user.update_id]
    assert (per_user.update_id in found) is user
    assert (set(machine_ids) <= set(found)) is machine
    assert not machine or machine_ids


def test_each_search_is_logged_with_the_sessions_application_id() -> None:
    now = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    state = HostState(default_catalog(), clock=lambda: now)
    session = activate(state, "Microsoft.Update.Session")
    put(session, "IUpdateSession", "ClientApplicationID", "wua-tests")
    searcher = obj(call(session, "IUpdateSession", "CreateUpdateSearcher"))
    assert get(searcher, "IUpdateSearcher", "ClientApplicationID") == "wua-tests"
    found = found_ids(searcher, "IsInstalled=0")
    (record,) = state.searches
    assert (record.time, record.criteria, record.client_application_id, record.found) == (
        now,
        "IsInstalled=0",
        "wua-tests",
        len(found),
    )


def test_a_search_result_is_read_only() -> None:
    searcher = searcher_on(HostState(default_catalog()))
    updates = get(
        obj(call(searcher, "IUpdateSearcher", "Search", "IsInstalled=0")),
        "ISearchResult",
        "Updates",
    )
    assert get(obj(updates), "IUpdateCollection", "ReadOnly") is True
    with pytest.raises(WuaError) as caught:
        call(obj(updates), "IUpdateCollection", "Clear")
    assert caught.value.hresult == 0x80240037  # WU_E_NOT_SUPPORTED


@pytest.mark.parametrize("online", [True, False])
def test_a_disabled_update_service_fails_every_search(online: bool) -> None:
    state = HostState(default_catalog(), HostBehaviour(update_service_disabled=True))
    searcher = searcher_on(state)
    put(searcher, "IUpdateSearcher", "Online", online)
    with pytest.raises(WuaError) as caught:
        call(searcher, "IUpdateSearcher", "Search", "IsInstalled=0")
    assert caught.value.hresult == 0x80070422
    assert "wuauserv" in str(caught.value.fix)
