"""IUpdateSearcher(2, 3): settings, the blocking Search, history.

BeginSearch/EndSearch never get here (remote callers may only use the blocking Search;
`dispatch` refuses them). A Search that fails records itself too, so the emulated host
can show what it was asked. The time a search takes is `HostBehaviour.search_seconds`,
applied by the server around the call, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from wua.criteria import escape_string
from wua.emulator.wua.base import CALL, PUT, EmulatedObject, HandlerTable, settings_by_name
from wua.emulator.wua.collections import UpdateHistoryEntryCollectionObject
from wua.emulator.wua.history import history_page
from wua.emulator.wua.search_result import SearchResultObject
from wua.emulator.wua.selection import SearchRequest, select_updates
from wua.emulator.wua.state import HostState, SearchRecord
from wua.errors import WuaError, error_for
from wua.reference.coclasses import DEFAULT_SERVICE
from wua.reference.enums import SearchScope, ServerSelection
from wua.reference.hresults import E_ACCESSDENIED, E_INVALIDARG
from wua.reference.hresults import HRESULT_FROM_WIN32_SERVICE_DISABLED as SERVICE_DISABLED
from wua.reference.wire_types import canonical_guid


@dataclass
class SearcherSettings:
    """What a caller may set on a searcher; a Search reads it as a `SearchRequest`."""

    client_application_id: str = ""
    can_automatically_upgrade_service: bool = False
    include_potentially_superseded_updates: bool = False
    server_selection: ServerSelection = ServerSelection.ssDefault
    online: bool = True
    service_id: str = DEFAULT_SERVICE
    ignore_download_priority: bool = False
    search_scope: SearchScope = SearchScope.searchScopeDefault

    def request(self, criteria: str) -> SearchRequest:
        return SearchRequest(
            criteria=criteria,
            server_selection=self.server_selection,
            service_id=self.service_id,
            include_potentially_superseded=self.include_potentially_superseded_updates,
            scope=self.search_scope,
        )


class UpdateSearcherObject(EmulatedObject):
    INTERFACES = ("IUpdateSearcher", "IUpdateSearcher2", "IUpdateSearcher3")
    HANDLERS: ClassVar[HandlerTable] = {
        ("ServiceID", PUT): "set_service_id",
        ("EscapeString", CALL): "escape_string",
        ("Search", CALL): "search",
        ("QueryHistory", CALL): "query_history",
        ("GetTotalHistoryCount", CALL): "get_total_history_count",
    }
    SETTINGS: ClassVar[Mapping[str, str]] = settings_by_name(
        "ClientApplicationID",
        "CanAutomaticallyUpgradeService",
        "IncludePotentiallySupersededUpdates",
        "ServerSelection",
        "Online",
        "ServiceID",
        "IgnoreDownloadPriority",
        "SearchScope",
    )

    def __init__(self, state: HostState, client_application_id: str = "") -> None:
        self.state = state
        self.settings = SearcherSettings(client_application_id=client_application_id)

    def set_service_id(self, value: str) -> None:
        """Must be a GUID in WUA's form (`canonical_guid`; E_INVALIDARG otherwise); kept
        lower-case, as WUA reports it."""
        canonical = canonical_guid(value)
        if canonical is None:
            raise error_for(E_INVALIDARG, f"ServiceID: {value!r} is not a GUID")
        self.settings.service_id = canonical

    # calls ------------------------------------------------------------------------------

    def escape_string(self, unescaped: str) -> str:
        return escape_string(unescaped)

    def search(self, criteria: str) -> SearchResultObject:
        """Search the service the settings name; online searches may meet the update
        server's fault (`HostBehaviour.search_error`), offline ones read the cache."""
        request = self.settings.request(criteria)
        behaviour = self.state.behaviour
        try:
            if behaviour.update_service_disabled:
                raise error_for(SERVICE_DISABLED, "the Windows Update service is disabled")
            if self.settings.online and behaviour.search_error is not None:
                raise error_for(behaviour.search_error, "the update server could not be reached")
            found = select_updates(self.state.catalog, request)
        except WuaError as exc:
            self._record(request, found=0, hresult=exc.hresult)
            raise
        self._record(request, found=len(found), hresult=0)
        return SearchResultObject(self.state, found, behaviour.search_warnings)

    def _record(self, request: SearchRequest, *, found: int, hresult: int) -> None:
        self.state.record_search(
            SearchRecord(
                time=self.state.clock(),
                criteria=request.criteria,
                server_selection=request.server_selection,
                service_id=request.service_id,
                online=self.settings.online,
                client_application_id=self.settings.client_application_id,
                found=found,
                hresult=hresult,
            )
        )

    def query_history(self, start: int, count: int) -> UpdateHistoryEntryCollectionObject:
        return history_page(
            self.state, self.state.catalog.history, start, count, "IUpdateSearcher.QueryHistory"
        )

    def get_total_history_count(self) -> int:
        return len(self.state.catalog.history)


def searcher_for_remote_caller(
    state: HostState, client_application_id: str = ""
) -> UpdateSearcherObject:
    """A new searcher, unless the host's build refuses remote searches (E_ACCESSDENIED,
    Server 2025 / Windows 11 after KB5065789)."""
    if state.behaviour.deny_remote_search:
        raise error_for(E_ACCESSDENIED, "this build refuses remote searches")
    return UpdateSearcherObject(state, client_application_id)
