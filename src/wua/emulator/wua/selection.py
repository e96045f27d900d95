"""Which updates a Search returns: the service asked, then the criteria, then the
searcher's filters.

The catalog does not say which service offers which update (a real host learns that
from each service's metadata), so the rule here is the one a host registered with
Windows Update and Microsoft Update shows: every service whose OffersWindowsUpdates is
true (Windows Update, Microsoft Update, WSUS) offers the host's updates, the others (the
Store's DCat service) offer none of them.

The service asked is decided by ServerSelection:
- ssDefault: the service Automatic Updates uses (IsDefaultAUService);
- ssManagedServer: the managed (WSUS) service; WU_E_NO_SERVICE when the host has none;
- ssWindowsUpdate: the Windows Update service;
- ssOthers: the service in ServiceID (E_INVALIDARG when it is the null GUID);
a service the host does not have answers WU_E_DS_UNKNOWNSERVICE.

After the criteria (`wua.criteria`), two searcher settings filter:
- IncludePotentiallySupersededUpdates: a not-installed update that another update of the
  host supersedes is left out unless it is set;
- SearchScope: Default and MachineOnly see per-machine updates, CurrentUserOnly and
  AllUsers per-user ones, the two "MachineAnd…" scopes both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wua.criteria import matches, parse
from wua.emulator.catalog import Catalog, Update, UpdateService
from wua.errors import error_for
from wua.reference.coclasses import DEFAULT_SERVICE, WINDOWS_UPDATE_SERVICE
from wua.reference.enums import SearchScope, ServerSelection
from wua.reference.hresults import E_INVALIDARG, WU_E_DS_UNKNOWNSERVICE, WU_E_NO_SERVICE

_MACHINE_SCOPES = frozenset(
    {
        SearchScope.searchScopeDefault,
        SearchScope.searchScopeMachineOnly,
        SearchScope.searchScopeMachineAndCurrentUser,
        SearchScope.searchScopeMachineAndAllUsers,
    }
)
_USER_SCOPES = frozenset(
    {
        SearchScope.searchScopeCurrentUserOnly,
        SearchScope.searchScopeMachineAndCurrentUser,
        SearchScope.searchScopeMachineAndAllUsers,
        SearchScope.searchScopeAllUsers,
    }
)


@dataclass(frozen=True)
class SearchRequest:
    """The searcher's settings that decide what a Search returns."""

    criteria: str
    server_selection: ServerSelection = ServerSelection.ssDefault
    service_id: str = DEFAULT_SERVICE
    include_potentially_superseded: bool = False
    scope: SearchScope = SearchScope.searchScopeDefault


def _service(catalog: Catalog, service_id: str) -> UpdateService:
    wanted = service_id.lower()
    for service in catalog.services:
        if service.service_id == wanted:
            return service
    raise error_for(WU_E_DS_UNKNOWNSERVICE, f"the host has no update service {service_id}")


def service_for(catalog: Catalog, request: SearchRequest) -> UpdateService:
    """The service a search with these settings asks (see the module doc)."""
    selection = request.server_selection
    if selection is ServerSelection.ssDefault:
        return catalog.default_service
    if selection is ServerSelection.ssManagedServer:
        managed = next((s for s in catalog.services if s.is_managed), None)
        if managed is None:
            raise error_for(WU_E_NO_SERVICE, "ssManagedServer: the host is not managed by WSUS")
        return managed
    if selection is ServerSelection.ssWindowsUpdate:
        return _service(catalog, WINDOWS_UPDATE_SERVICE)
    if request.service_id.lower() == DEFAULT_SERVICE:
        raise error_for(E_INVALIDARG, "ssOthers needs a ServiceID")
    return _service(catalog, request.service_id)


def offered_by(catalog: Catalog, service: UpdateService) -> tuple[Update, ...]:
    return catalog.searchable_updates if service.offers_windows_updates else ()


def superseded_ids(updates: Sequence[Update]) -> frozenset[str]:
    """UpdateIDs that some update of the set supersedes."""
    return frozenset(sid.lower() for u in updates for sid in u.superseded_update_ids)


def select_updates(catalog: Catalog, request: SearchRequest) -> tuple[Update, ...]:
    """The updates a Search with `request` finds, in catalog order.

    Raises InvalidCriteria (WU_E_INVALID_CRITERIA) for bad criteria, and the service
    errors of `service_for`.
    """
    parsed = parse(request.criteria)
    offered = offered_by(catalog, service_for(catalog, request))
    superseded = superseded_ids(catalog.updates)
    found = []
    for update in offered:
        if not matches(parsed, update):
            continue
        if (
            not request.include_potentially_superseded
            and not update.is_installed
            and update.update_id in superseded
        ):
            continue
        in_scope = _USER_SCOPES if update.per_user else _MACHINE_SCOPES
        if request.scope not in in_scope:
            continue
        found.append(update)
    return tuple(found)
