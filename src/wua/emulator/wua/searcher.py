"""IUpdateSearcher(2, 3): settings, the blocking Search, history.

BeginSearch/EndSearch never get here (remote callers may only use the blocking Search;
`dispatch` refuses them). A Search that fails records itself too, so the emulated host
can show what it was asked. The time a search takes is `HostBehaviour.search_seconds`,
applied by the server around the call, not here.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import ClassVar

from wua.criteria import escape_string
from wua.emulator.wua.base import CALL, GET, PUT, EmulatedObject, HandlerTable
from wua.emulator.wua.collections import UpdateHistoryEntryCollectionObject
from wua.emulator.wua.history import history_page
from wua.emulator.wua.search_result import SearchResultObject
from wua.emulator.wua.selection import SearchRequest, select_updates
from wua.emulator.wua.state import HostState, SearchRecord
from wua.errors import WuaError, error_for
from wua.reference.enums import SearchScope, ServerSelection
from wua.reference.hresults import E_ACCESSDENIED

E_INVALIDARG = 0x80070057


class UpdateSearcherObject(EmulatedObject):
    INTERFACES = ("IUpdateSearcher", "IUpdateSearcher2", "IUpdateSearcher3")
    HANDLERS: ClassVar[HandlerTable] = {
        ("CanAutomaticallyUpgradeService", GET): "can_automatically_upgrade_service",
        ("CanAutomaticallyUpgradeService", PUT): "set_can_automatically_upgrade_service",
        ("ClientApplicationID", GET): "client_application_id",
        ("ClientApplicationID", PUT): "set_client_application_id",
        ("IncludePotentiallySupersededUpdates", GET): "include_potentially_superseded_updates",
        ("IncludePotentiallySupersededUpdates", PUT): "set_include_potentially_superseded_updates",
        ("ServerSelection", GET): "server_selection",
        ("ServerSelection", PUT): "set_server_selection",
        ("Online", GET): "online",
        ("Online", PUT): "set_online",
        ("ServiceID", GET): "service_id",
        ("ServiceID", PUT): "set_service_id",
        ("IgnoreDownloadPriority", GET): "ignore_download_priority",
        ("IgnoreDownloadPriority", PUT): "set_ignore_download_priority",
        ("SearchScope", GET): "search_scope",
        ("SearchScope", PUT): "set_search_scope",
        ("EscapeString", CALL): "escape_string",
        ("Search", CALL): "search",
        ("QueryHistory", CALL): "query_history",
        ("GetTotalHistoryCount", CALL): "get_total_history_count",
    }

    def __init__(self, state: HostState, client_application_id: str = "") -> None:
        self.state = state
        self.request = SearchRequest(criteria="")
        self._client_application_id = client_application_id
        self._can_automatically_upgrade_service = False
        self._online = True
        self._ignore_download_priority = False

    # settings ---------------------------------------------------------------------------

    def can_automatically_upgrade_service(self) -> bool:
        return self._can_automatically_upgrade_service

    def set_can_automatically_upgrade_service(self, value: bool) -> None:
        self._can_automatically_upgrade_service = value

    def client_application_id(self) -> str:
        return self._client_application_id

    def set_client_application_id(self, value: str) -> None:
        self._client_application_id = value

    def include_potentially_superseded_updates(self) -> bool:
        return self.request.include_potentially_superseded

    def set_include_potentially_superseded_updates(self, value: bool) -> None:
        self.request = replace(self.request, include_potentially_superseded=value)

    def server_selection(self) -> ServerSelection:
        return self.request.server_selection

    def set_server_selection(self, value: ServerSelection) -> None:
        self.request = replace(self.request, server_selection=value)

    def online(self) -> bool:
        return self._online

    def set_online(self, value: bool) -> None:
        self._online = value

    def service_id(self) -> str:
        return self.request.service_id

    def set_service_id(self, value: str) -> None:
        """Must be a GUID (E_INVALIDARG otherwise); kept lower-case, as WUA reports it."""
        try:
            canonical = str(uuid.UUID(value))
        except ValueError:
            raise error_for(E_INVALIDARG, f"ServiceID: {value!r} is not a GUID") from None
        self.request = replace(self.request, service_id=canonical)

    def ignore_download_priority(self) -> bool:
        return self._ignore_download_priority

    def set_ignore_download_priority(self, value: bool) -> None:
        self._ignore_download_priority = value

    def search_scope(self) -> SearchScope:
        return self.request.scope

    def set_search_scope(self, value: SearchScope) -> None:
        self.request = replace(self.request, scope=value)

    # calls ------------------------------------------------------------------------------

    def escape_string(self, unescaped: str) -> str:
        return escape_string(unescaped)

    def search(self, criteria: str) -> SearchResultObject:
        """Search the service the settings name; online searches may meet the update
        server's fault (`HostBehaviour.search_error`), offline ones read the cache."""
        request = replace(self.request, criteria=criteria)
        behaviour = self.state.behaviour
        try:
            if self._online and behaviour.search_error is not None:
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
                online=self._online,
                client_application_id=self._client_application_id,
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
